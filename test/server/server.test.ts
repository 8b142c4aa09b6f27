// The server as `npm start` runs it: a real process, configured by its environment.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { snapshot, typescriptEnv, typescriptNodeArgs } from '../cli/cli-helpers.js'
import { serverEntry, startServer, within } from './server-helpers.js'

t.test('starts on an empty database file, seeds it, answers, and stops on SIGTERM; a restart seeds nothing', async (t) => {
  const databasePath = join(t.testdir(), 'data', 'directory.sqlite')
  const first = startServer(t, { DATABASE_PATH: databasePath })
  const address = `http://127.0.0.1:${await first.listening}`
  t.ok(first.logs().some((line) => line.includes('seeded the empty database')), 'seeded on first start')

  const response = await fetch(`${address}/v1/participations?country=BA`, { headers: { 'x-request-id': 'server-test-7' } })
  t.equal(response.status, 200)
  const body = (await response.json()) as { data: { participant: { name: string } }[] }
  t.ok(body.data.some((p) => p.participant.name === 'Mersida Mesetović'))
  t.equal(response.headers.get('x-request-id'), 'server-test-7', 'the request id is echoed')
  const logLine = JSON.parse(await first.logged(/"reqId":"server-test-7".*"msg":"request completed"/, 10_000))
  t.match(logLine, { level: 30, reqId: 'server-test-7', res: { statusCode: 200 } }, 'and is in the JSON log line of the request')
  const ready = await fetch(`${address}/ready`)
  t.equal(ready.status, 200, 'ready once migrated and listening')
  first.child.kill('SIGTERM')
  t.equal(await within(30_000, first.exited, 'exit'), 0, 'exits cleanly on SIGTERM')
  const afterFirst = snapshot(databasePath)

  // The restart also shows CORS_ORIGINS, RATE_LIMIT_* and TRUST_PROXY reaching the app.
  const second = startServer(t, {
    DATABASE_PATH: databasePath,
    CORS_ORIGINS: ' https://example.org , http://localhost:8080,',
    RATE_LIMIT_MAX: '3',
    RATE_LIMIT_WINDOW_MS: '60000',
    TRUST_PROXY: 'loopback'
  })
  const secondAddress = `http://127.0.0.1:${await second.listening}`
  t.notOk(second.logs().some((line) => line.includes('seeded')), 'nothing seeded on restart')
  const country = (origin: string) => fetch(`${secondAddress}/v1/countries/BA`, { headers: { origin } })
  t.equal((await country('https://example.org')).headers.get('access-control-allow-origin'), 'https://example.org', 'a listed origin may read')
  t.equal((await country('http://localhost:8080')).headers.get('access-control-allow-origin'), 'http://localhost:8080')
  const third = await country('https://elsewhere.example')
  t.equal(third.status, 200)
  t.equal(third.headers.get('access-control-allow-origin'), null, 'another origin may not')
  t.equal((await country('https://example.org')).status, 429, 'the fourth request in the window is one too many')
  t.equal((await fetch(`${secondAddress}/health`)).status, 200, 'the probes are not rate limited')
  const forwarded = await fetch(`${secondAddress}/v1/countries/BA`, { headers: { 'x-forwarded-for': '203.0.113.9' } })
  t.equal(forwarded.status, 200, 'a client a trusted proxy (here, on the loopback) forwards has a limit of its own')
  second.child.kill('SIGTERM')
  t.equal(await within(30_000, second.exited, 'exit'), 0)
  t.equal(snapshot(databasePath), afterFirst, 'the data survived the restart unchanged')
})

/** Runs the server with `env` until it exits; resolves with its exit code and what it printed on stderr. */
function startUp(env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...typescriptNodeArgs, serverEntry], { env: typescriptEnv(env), stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{ status: number | null; stderr: string }>((resolve) => child.once('close', (status) => resolve({ status, stderr })))
  return within(60_000, exited, `start-up with ${JSON.stringify(env)}`).finally(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
  })
}

t.test('an invalid setting stops start-up with one line naming the variable', async (t) => {
  // End to end, a few: every message of the configuration is checked in-process (config.test.ts).
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{ PORT: 'eighty' }, /^Invalid PORT "eighty": expected an integer from 0 to 65535\n$/],
    [{ HEADERS_TIMEOUT_MS: '20000' }, /^Invalid HEADERS_TIMEOUT_MS "20000": expected at most REQUEST_TIMEOUT_MS \(10000\)\n$/],
    [{ DATABASE_PATH: t.testdir() }, /^Cannot open DATABASE_PATH ".*": .+\n$/]
  ]
  await Promise.all(
    cases.map(async ([env, message]) => {
      const result = await startUp(env)
      t.equal(result.status, 1, JSON.stringify(env))
      t.match(result.stderr, message, JSON.stringify(env))
    })
  )
})
