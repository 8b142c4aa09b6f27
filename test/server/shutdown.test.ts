// Graceful shutdown of the real server on SIGTERM: requests in progress finish, new ones are turned
// away, connections still open when the grace period ends are closed, the database is closed cleanly.
import { connect } from 'node:net'
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import {
  databaseWithLargeResponse,
  LARGE_TEXT_BYTES,
  LARGE_TEXT_PATH,
  parseResponse,
  rawConnection,
  startServer,
  within
} from './server-helpers.js'

const directory = t.testdir()
const template = databaseWithLargeResponse(join(directory, 'template.sqlite'))
const databaseCopy = (name: string) => {
  const path = join(directory, name)
  copyFileSync(template, path)
  return path
}

// Both servers start at once: starting one under the coverage loader takes seconds.
const gracefulPath = databaseCopy('graceful.sqlite')
// Long timeouts, so that only the shutdown can end these connections.
const LONG_TIMEOUTS = { CONNECTION_TIMEOUT_MS: '60000', KEEP_ALIVE_TIMEOUT_MS: '60000' }
const graceful = startServer(t, { DATABASE_PATH: gracefulPath, ...LONG_TIMEOUTS, SHUTDOWN_GRACE_MS: '60000' })
const impatientPath = databaseCopy('impatient.sqlite')
const impatient = startServer(t, { DATABASE_PATH: impatientPath, ...LONG_TIMEOUTS, SHUTDOWN_GRACE_MS: '500' })

/** What a new client gets: 'refused', another error code, or the status of its answer. */
async function newClient(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
  const outcome = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? 'error')))
    socket.on('close', () => resolve(String(parseResponse(Buffer.from(received, 'latin1')).status)))
  })
  socket.on('connect', () => socket.end('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'))
  return within(5000, outcome, 'answer to a new client')
}

/** The database was closed: no write-ahead log is left over, and the file is sound. */
function assertClosedCleanly(t: Test, path: string) {
  t.notOk(existsSync(`${path}-wal`), 'the last connection checkpointed and removed the write-ahead log')
  const db = new Database(path, { readonly: true })
  t.teardown(() => db.close())
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  t.equal(db.prepare("SELECT length(content) FROM sources WHERE id = 'large'").pluck().get(), LARGE_TEXT_BYTES, 'the data are there')
}

t.test('SIGTERM: the request in progress completes with 200, new clients are refused, the database is closed, exit 0', async (t) => {
  const port = await graceful.listening
  t.equal(await newClient(port), '200', 'answers before the signal')
  // A keep-alive connection, idle when the signal comes.
  const idle = await rawConnection(t, port)
  idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  // A download the client does not read yet: its response stays in progress.
  const download = await rawConnection(t, port, { paused: true })
  download.socket.write(`GET ${LARGE_TEXT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  const { reqId } = JSON.parse(await graceful.logged(new RegExp(`"url":"${LARGE_TEXT_PATH}"`))) as { reqId: string }
  await within(5000, idle.responded, 'health answered')
  t.equal(parseResponse(idle.received()).status, 200)

  const signalled = Date.now()
  graceful.child.kill('SIGTERM')
  const stopped = JSON.parse(await graceful.logged(/stopped listening/, 5000)) as { closed: number; sending: number }
  t.match(stopped, { closed: 1, sending: 1 }, 'closed the idle connection, waits for the download')
  t.equal(await newClient(port), 'refused', 'a new connection after the signal is refused')
  await within(1000, idle.closed, 'idle connection closed')
  t.ok(Date.now() - signalled < 5000, 'the idle connection was closed at once, not after its keep-alive timeout')

  download.socket.resume()
  await within(10_000, download.closed, 'download finished and connection closed')
  const response = parseResponse(download.received())
  t.equal(response.status, 200)
  t.equal(response.bodyLength, LARGE_TEXT_BYTES, 'the whole text arrived, then the server closed the connection')
  t.equal(await within(10_000, graceful.exited, 'exit'), 0, 'exits 0')

  const logs = graceful.logs()
  const closing = logs.findIndex((line) => line.includes('"signal":"SIGTERM"'))
  const completed = logs.findIndex((line) => line.includes('"msg":"request completed"') && line.includes(`"reqId":"${reqId}"`))
  t.ok(closing !== -1 && completed > closing, 'the download completed after the signal: it was in progress')
  t.notOk(logs.some((line) => line.includes('grace period over')), 'nothing had to be cut')
  // After the download: the whole text arrived above. (Fastify logs "request completed" once the
  // response has been flushed, which may come just after the server's close: not the last line, then.)
  t.ok(logs.findIndex((line) => line.includes('closed the server and the database')) > closing, 'the server and the database closed after the signal')
  assertClosedCleanly(t, gracefulPath)
})

t.test('SIGTERM: connections still open after SHUTDOWN_GRACE_MS are closed, then the database, exit 0', async (t) => {
  const port = await impatient.listening
  const stalled = await rawConnection(t, port, { paused: true })
  stalled.socket.write(`GET ${LARGE_TEXT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  await impatient.logged(new RegExp(`"url":"${LARGE_TEXT_PATH}"`))
  const signalled = Date.now()
  impatient.child.kill('SIGTERM')
  t.equal(await within(5000, impatient.exited, 'exit'), 0, 'exits 0')
  const exitMs = Date.now() - signalled
  t.ok(exitMs >= 500, `exited ${exitMs} ms after the signal (a grace of 500 ms)`)
  t.ok(impatient.logs().some((line) => line.includes('grace period over: closing the connections left')))

  stalled.socket.resume()
  await within(5000, stalled.closed, 'stalled connection closed')
  t.ok(parseResponse(stalled.received()).bodyLength < LARGE_TEXT_BYTES, 'the stalled download was cut')
  assertClosedCleanly(t, impatientPath)
})
