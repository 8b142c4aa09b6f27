// The server as `npm start` runs it: a real process, configured by its environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { snapshot, typescriptEnv, typescriptNodeArgs } from '../cli/cli-helpers.js'

const entry = fileURLToPath(new URL('../../src/server.ts', import.meta.url))

function startServer(env: NodeJS.ProcessEnv): { child: ChildProcess; logs: () => string[]; listening: Promise<string> } {
  const child = spawn(process.execPath, [...typescriptNodeArgs, entry], {
    env: typescriptEnv({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  const listening = new Promise<string>((resolve, reject) => {
    let buffered = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk
      const complete = buffered.split('\n')
      buffered = complete.pop() ?? ''
      for (const line of complete) {
        lines.push(line)
        const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
        if (address) resolve(address)
      }
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${lines.join('\n')}`)))
  })
  return { child, logs: () => lines, listening }
}

async function stop(child: ChildProcess) {
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  return code as number
}

t.test('starts on an empty database file, seeds it, answers, and stops on SIGTERM; a restart seeds nothing', async (t) => {
  const databasePath = join(t.testdir(), 'data', 'directory.sqlite')
  const first = startServer({ DATABASE_PATH: databasePath })
  t.teardown(() => void first.child.kill('SIGKILL'))
  const address = await first.listening
  t.ok(first.logs().some((line) => line.includes('seeded the empty database')), 'seeded on first start')

  const response = await fetch(`${address}/v1/participations?country=BA`)
  t.equal(response.status, 200)
  const body = (await response.json()) as { data: { participant: { name: string } }[] }
  t.ok(body.data.some((p) => p.participant.name === 'Mersida Mesetović'))
  t.equal(await stop(first.child), 0, 'exits cleanly on SIGTERM')
  const afterFirst = snapshot(databasePath)

  const second = startServer({ DATABASE_PATH: databasePath })
  t.teardown(() => void second.child.kill('SIGKILL'))
  const secondAddress = await second.listening
  t.notOk(second.logs().some((line) => line.includes('seeded')), 'nothing seeded on restart')
  t.equal((await fetch(`${secondAddress}/health`)).status, 200)
  t.equal(await stop(second.child), 0)
  t.equal(snapshot(databasePath), afterFirst, 'the data survived the restart unchanged')
})

t.test('an invalid setting stops start-up with one line naming the variable', async (t) => {
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{ PORT: 'eighty' }, /^Invalid PORT "eighty": expected an integer from 0 to 65535\n$/],
    [{ PORT: '70000' }, /^Invalid PORT "70000"/],
    [{ HOST: 'not a host' }, /^Invalid HOST "not a host"/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL "loud": expected one of fatal, error, warn, info, debug, trace, silent\n$/],
    [{ DATABASE_PATH: ' ' }, /^Invalid DATABASE_PATH " ": expected a file path or :memory:\n$/],
    [{ DATABASE_PATH: t.testdir() }, /^Cannot open DATABASE_PATH ".*": .+\n$/]
  ]
  for (const [env, message] of cases) {
    const result = spawnSync(process.execPath, [...typescriptNodeArgs, entry], { env: typescriptEnv(env), encoding: 'utf8', timeout: 30_000 })
    t.equal(result.status, 1, JSON.stringify(env))
    t.match(result.stderr, message, JSON.stringify(env))
  }
})
