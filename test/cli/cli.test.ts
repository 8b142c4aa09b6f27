import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cliEntry, runCli, runMain, typescriptEnv, typescriptNodeArgs } from './cli-helpers.js'
import { EXAMPLES_PATH } from '../../src/http/openapi.js'
import { packageRoot } from '../../src/paths.js'

// A few cases run the real process (exit status, which stream gets what); the rest run main() in-process.

t.test('with no command, prints usage on stderr and exits 2', async (t) => {
  const result = runCli([])
  t.equal(result.status, 2)
  t.match(result.stderr, /Usage: stakeholder-directory <command>/)
  t.equal(result.stdout, '')
})

t.test('the installed command runs as npx runs it: the built file, executable, with its shebang', async (t) => {
  const bin = join(packageRoot, JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).bin['stakeholder-directory'])
  // The built JavaScript is not the sources the coverage report is about: keep it out of the report.
  const { NODE_V8_COVERAGE: _coverage, ...env } = process.env
  const result = spawnSync(bin, ['--help'], { encoding: 'utf8', env })
  t.equal(result.status, 0, `${bin} --help (npm run build makes it)`)
  t.match(result.stdout, /Usage: stakeholder-directory <command>/)
})

t.test('--help prints usage on stdout and exits 0', async (t) => {
  for (const flag of ['--help', '-h', 'help']) {
    const result = flag === '--help' ? runCli([flag]) : await runMain([flag])
    t.equal(result.status, 0, flag)
    t.match(result.stdout, /Commands:\n\s+seed/)
    t.equal(result.stderr, '', flag)
  }
})

t.test('an unknown command is a usage error', async (t) => {
  const result = await runMain(['frobnicate'])
  t.equal(result.status, 2)
  t.match(result.stderr, /Unknown command "frobnicate"/)
})

t.test('each command has --help', async (t) => {
  for (const command of ['seed', 'migrate', 'backup', 'tokens', 'openapi', 'schema', 'stats', 'check']) {
    const result = await runMain([command, '--help'])
    t.equal(result.status, 0, command)
    t.match(result.stdout, new RegExp(`Usage: stakeholder-directory ${command}`), command)
    t.match(result.stdout, /Exit codes: 0 /, `${command}: documents its exit codes`)
  }
})

t.test('an unknown option is a usage error naming it', async (t) => {
  const result = await runMain(['seed', '--frobnicate'])
  t.equal(result.status, 2)
  t.match(result.stderr, /--frobnicate/)
  t.match(result.stderr, /Usage: stakeholder-directory seed/)
})

t.test('a failure outside the input is one line on stderr and exit 1', async (t) => {
  const dir = t.testdir()
  // As a real process, with the lightest command that can fail so: the exit status reaches the shell.
  const real = runCli(['schema', '--output', dir])
  t.equal(real.status, 1)
  t.match(real.stderr, /^stakeholder-directory schema: EISDIR[^\n]*\n$/)
  t.equal(real.stdout, '')
  const result = await runMain(['migrate', '--db', dir])
  t.equal(result.status, 1)
  t.match(result.stderr, /^stakeholder-directory migrate: .+\n$/)
  const emptyPath = await runMain(['migrate', '--db', ''])
  t.equal(emptyPath.status, 1)
  t.equal(emptyPath.stderr, 'stakeholder-directory migrate: Invalid --db "": expected a file path or :memory:\n', 'the error names the option given')
  const unwritable = await runMain(['openapi', '--output', dir])
  t.equal(unwritable.status, 1)
  t.match(unwritable.stderr, /^stakeholder-directory openapi: EISDIR/)
})

t.test('openapi and schema print their documents or write them to a file', async (t) => {
  const dir = t.testdir()
  const printed = await runMain(['schema'])
  t.equal(printed.status, 0)
  t.equal(JSON.parse(printed.stdout).title, 'Stakeholder directory seed file')
  const schemaWritten = await runMain(['schema', '--output', 'seed.schema.json'], { cwd: dir })
  t.equal(schemaWritten.stdout, 'Wrote seed.schema.json\n')
  t.equal(readFileSync(join(dir, 'seed.schema.json'), 'utf8'), printed.stdout)
  const api = await runMain(['openapi'])
  t.equal(api.status, 0)
  t.equal(JSON.parse(api.stdout).info.title, 'Stakeholder Directory API')
  const written = await runMain(['openapi', '--examples', 'examples.json', '--output', 'api.json'], { cwd: dir })
  t.equal(written.status, 0, written.stderr)
  t.equal(written.stdout, 'Wrote api.json\n')
  t.equal(written.stderr, 'Wrote examples.json\n')
  t.equal(readFileSync(join(dir, 'examples.json'), 'utf8'), readFileSync(EXAMPLES_PATH, 'utf8'), 'the examples regenerated equal the committed ones')
  const document = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8'))
  t.equal(document.openapi, '3.1.0')
})

t.test('a reader that stops early (openapi | head) ends the command quietly, not with a stack trace', async (t) => {
  const child = spawn(process.execPath, [...typescriptNodeArgs, cliEntry, 'openapi'], { env: typescriptEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  // The document is far larger than a pipe's buffer: its write is still under way when the pipe closes.
  child.stdout.once('data', () => child.stdout.destroy())
  const status = await new Promise((resolve) => child.on('close', resolve))
  t.equal(stderr, '')
  t.equal(status, 0)
})
