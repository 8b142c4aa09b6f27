// What `npm start` runs: the server bundled into one file by `npm run bundle` (esbuild), which must
// find its migrations, seeds and the docs page's files, and answer as src/server.ts does.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../../src/paths.js'
import { commandLine, parseStartScript, startCommand } from '../../bench/start-command.js'
import { startServer, within } from './server-helpers.js'

// Inside the package (the bundle finds its files from where it lies), under dist/ (left out of coverage).
const folder = join(packageRoot, 'dist', `bundle-test-${process.pid}`)
const bundle = join(folder, 'server.mjs')
mkdirSync(folder, { recursive: true })
t.teardown(() => rmSync(folder, { recursive: true, force: true }))

const built = spawnSync('npm', ['run', 'bundle', '--silent'], { cwd: packageRoot, env: { ...process.env, BUNDLE_OUTFILE: bundle }, encoding: 'utf8', timeout: 120_000 })
t.equal(built.status, 0, `npm run bundle: ${built.stderr}`)

t.test("npm start's command, as the benchmark and the next test read it", async (t) => {
  t.same(startCommand.entry, ['dist/server.mjs'], 'npm start runs the bundle')
  t.ok(Object.keys(startCommand.env).length > 0 && startCommand.nodeFlags.length > 0, 'with variables and flags')
  t.equal(commandLine(startCommand), startCommand.script, 'every word of the script is read')
  t.same(parseStartScript('A=1 b_2=x=y node --one --two=2 main.mjs --three'), { script: 'A=1 b_2=x=y node --one --two=2 main.mjs --three', env: { A: '1', b_2: 'x=y' }, nodeFlags: ['--one', '--two=2'], entry: ['main.mjs', '--three'] }, "flags stop at the entry: later ones are the script's")
  t.same(parseStartScript('node --inspect'), { script: 'node --inspect', env: {}, nodeFlags: ['--inspect'], entry: [] })
  t.throws(() => parseStartScript('A=1'), /must run node/)
  t.throws(() => parseStartScript('npm run serve'), /must run node/)
})

t.test('the bundle, started as npm start starts it, seeds an empty database, answers the API, its errors and the docs, and stops on SIGTERM', async (t) => {
  const server = startServer(t, { ...startCommand.env, DATABASE_PATH: join(t.testdir(), 'directory.sqlite') }, [...startCommand.nodeFlags, bundle])
  const address = `http://127.0.0.1:${await server.listening}`
  t.ok(server.logs().some((line) => line.includes('seeded the empty database')), 'seeded from the bundled seeds')

  const list = await fetch(`${address}/v1/participations?country=BA&facet=role`)
  t.equal(list.status, 200)
  const body = (await list.json()) as { data: { participant: { name: string } }[]; meta: { facets: { role: unknown[] } } }
  t.ok(body.data.some((p) => p.participant.name === 'Mersida Mesetović'), 'the seeded records')
  t.ok(body.meta.facets.role.length > 0, 'with facets')

  const invalid = await fetch(`${address}/v1/participations?limit=1000`)
  t.equal(invalid.status, 400)
  t.match(invalid.headers.get('content-type'), /^application\/problem\+json/)
  t.match(await invalid.json(), { errors: [{ in: 'query', name: 'limit' }] }, 'a problem naming the parameter')

  const csv = await fetch(`${address}/v1/people?format=csv`)
  t.match(await csv.text(), /^id,/, 'CSV')
  const document = (await (await fetch(`${address}/openapi.json`)).json()) as { openapi: string }
  t.match(document.openapi, /^3\.1\./, 'the OpenAPI document')
  const docs = await fetch(`${address}/docs/static/index.html`)
  t.equal(docs.status, 200, 'the docs page')
  t.match(await docs.text(), /swagger-ui/)

  server.child.kill('SIGTERM')
  t.equal(await within(30_000, server.exited, 'exit'), 0, 'exits cleanly')
})
