// The server's timeouts, on a real process over TCP: clients that are slow or idle on purpose are cut off.
import { join } from 'node:path'
import t from 'tap'
import {
  databaseWithLargeResponse,
  LARGE_TEXT_BYTES,
  LARGE_TEXT_PATH,
  parseResponse,
  rawConnection,
  sleep,
  startServer,
  within,
  type RawConnection
} from './server-helpers.js'

/** Headers that never end: a slowloris client sends them a byte at a time. */
const ENDLESS_HEADERS = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(1000)}`

/** Writes `text` a byte every `everyMs` until the server closes the connection or `limitMs` pass. */
async function dribble(connection: RawConnection, text: string, everyMs: number, limitMs: number) {
  const started = Date.now()
  for (let i = 0; !connection.isClosed() && Date.now() - started < limitMs; i++) {
    connection.socket.write(text[i % text.length] ?? '')
    await Promise.race([sleep(everyMs), connection.closed])
  }
}

/**
 * Whether the server cut the connection off with a 408. clientErrorHandler writes it and destroys the socket at once, as Node does;
 * a byte of the client's still unread there makes the server's kernel reset the connection, and the reset can
 * discard the 408 before the client reads it. A reset is a cut-off too.
 */
function cutOffWith408(connection: RawConnection): boolean {
  return connection.wasReset() || /^HTTP\/1\.1 408 /.test(connection.received().toString())
}

// Both servers start at once: starting one under the coverage loader takes seconds.
const defaults = startServer(t, { DATABASE_PATH: ':memory:' })
const configured = startServer(t, {
  DATABASE_PATH: databaseWithLargeResponse(join(t.testdir(), 'large.sqlite')),
  HEADERS_TIMEOUT_MS: '1000',
  REQUEST_TIMEOUT_MS: '4000', // well apart from the headers timeout, so that each test shows its own
  KEEP_ALIVE_TIMEOUT_MS: '1000',
  CONNECTION_TIMEOUT_MS: '1000'
})

t.test('by default, a slowloris client, a silent connection and an idle keep-alive connection are closed within 10 s', async (t) => {
  const port = await defaults.listening
  const [slowloris, silent, idle] = await Promise.all([rawConnection(t, port), rawConnection(t, port), rawConnection(t, port)])
  idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')

  const [, silentMs, idleMs] = await Promise.all([
    dribble(slowloris, ENDLESS_HEADERS, 500, 10_000),
    within(10_000, silent.closed, 'silent connection closed'),
    within(10_000, idle.closed, 'idle keep-alive connection closed')
  ])
  t.ok(slowloris.isClosed(), 'the slowloris connection was closed within 10 s')
  const slowlorisMs = await slowloris.closed
  t.ok(slowlorisMs < 10_000, `slowloris cut after ${slowlorisMs} ms`)
  t.ok(cutOffWith408(slowloris), 'with a 408 (or a reset)')
  t.ok(silentMs < 10_000, `silent connection cut after ${silentMs} ms`)
  t.match(parseResponse(idle.received()), { status: 200, headers: { connection: 'keep-alive', 'keep-alive': 'timeout=5' } })
  t.ok(idleMs < 10_000, `idle keep-alive connection closed after ${idleMs} ms`)
})

t.test('HEADERS_TIMEOUT_MS: a slowloris client is cut off once it passes', async (t) => {
  const slowloris = await rawConnection(t, await configured.listening)
  await dribble(slowloris, ENDLESS_HEADERS, 500, 5000)
  const ms = await within(1000, slowloris.closed, 'slowloris closed')
  t.ok(ms >= 1000 && ms < 3500, `cut after ${ms} ms (1000 ms, checked every second)`)
  t.ok(cutOffWith408(slowloris), 'with a 408 (or a reset)')
})

t.test('REQUEST_TIMEOUT_MS: a request whose body trickles in is cut off once it passes', async (t) => {
  const slowBody = await rawConnection(t, await configured.listening)
  slowBody.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n')
  await dribble(slowBody, 'x', 200, 8000)
  const ms = await within(1000, slowBody.closed, 'slow body closed')
  t.ok(ms >= 4000 && ms < 6500, `cut after ${ms} ms (4000 ms, checked every second)`)
})

t.test('KEEP_ALIVE_TIMEOUT_MS: an idle keep-alive connection is closed once it passes', async (t) => {
  const idle = await rawConnection(t, await configured.listening)
  idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  const ms = await within(6000, idle.closed, 'idle keep-alive connection closed')
  t.match(parseResponse(idle.received()), { status: 200, headers: { 'keep-alive': 'timeout=1' } })
  // Node keeps the socket 1 s longer than it announces, so that the client gives up first.
  t.ok(ms >= 1000 && ms < 4000, `closed after ${ms} ms (1000 ms announced, + Node's 1 s margin)`)
})

t.test('CONNECTION_TIMEOUT_MS: a client that stops reading a response is cut off once it passes', async (t) => {
  const stalled = await rawConnection(t, await configured.listening, { paused: true })
  stalled.socket.write(`GET ${LARGE_TEXT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  await sleep(3000)
  // Reading again, the client gets what the kernel had buffered, then the end: not the whole text.
  stalled.socket.resume()
  await within(6000, stalled.closed, 'stalled connection closed')
  const response = parseResponse(stalled.received())
  t.equal(response.status, 200)
  t.equal(response.headers['content-length'], String(LARGE_TEXT_BYTES))
  t.ok(response.bodyLength < LARGE_TEXT_BYTES, `${response.bodyLength} of ${LARGE_TEXT_BYTES} bytes sent before the cut`)
})
