// Request ids: on every response (success, 304, CSV, errors, 404, socket-level problems), in every
// problem body and in the log lines of the request; a caller's sane id is kept, any other replaced.
import { once } from 'node:events'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { seededDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'
import { parseResponse } from '../server/server-helpers.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A seeded app whose log lines (JSON, one per line) are kept in `logs`. */
async function loggingApp(t: Test) {
  const db = seededDatabase()
  const logs: Record<string, unknown>[] = []
  const app = await buildApp({ db, logger: { level: 'info', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } } })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  return { app, logs }
}

t.test('every kind of response carries a new X-Request-Id, and problem bodies carry the same', async (t) => {
  const { app } = await loggingApp(t)
  const ok = await app.inject('/v1/people/peter-due')
  t.equal(ok.statusCode, 200)
  t.match(ok.headers['x-request-id'], UUID, 'a success')

  const notModified = await app.inject({ url: '/v1/people/peter-due', headers: { 'if-none-match': ok.headers.etag as string } })
  t.equal(notModified.statusCode, 304)
  t.match(notModified.headers['x-request-id'], UUID, 'a 304')
  t.not(notModified.headers['x-request-id'], ok.headers['x-request-id'], 'each request its own id')

  const csv = await app.inject('/v1/people?format=csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(csv.headers['x-request-id'], UUID, 'a CSV download')

  const problems = [
    [await app.inject('/v1/people/nobody'), 404, 'NOT_FOUND'],
    [await app.inject('/no/such/route'), 404, 'ROUTE_NOT_FOUND'],
    [await app.inject('/v1/people?limit=0'), 400, 'INVALID_PARAMETER'],
    [await app.inject('/v1/people/%'), 400, 'INVALID_URL'],
    [await app.inject({ method: 'POST', url: '/v1/people', payload: {} }), 401, 'UNAUTHORIZED'],
    [await app.inject('/metrics'), 401, 'UNAUTHORIZED']
  ] as const
  for (const [response, status, code] of problems) {
    const body = assertProblem(t, response, { status, code })
    t.match(response.headers['x-request-id'], UUID, `${response.raw.req.url}: the header`)
    t.equal(body.request_id, response.headers['x-request-id'], `${response.raw.req.url}: request_id is the header's id`)
  }
})

t.test("a caller's sane X-Request-Id is echoed; anything else is replaced by a new id", async (t) => {
  const { app } = await loggingApp(t)
  for (const sane of ['abc-123', '3f0c9a52-6d1e-4c4b-9a57-2b1e8f6d4c21', '01HZX3K6Q2V9Y8T7R6E5W4Q3P2', 'trace.span:7_a', 'x'.repeat(128)]) {
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': sane } })
    t.equal(response.headers['x-request-id'], sane, `kept: ${sane}`)
  }
  const insane = ['', 'x'.repeat(129), 'two words', 'a"b', '<script>', 'ünïcode', 'a\tb', 'a,b', '{"json":1}']
  for (const value of insane) {
    const response = await app.inject({ url: '/no/such/route', headers: { 'x-request-id': value } })
    t.match(response.headers['x-request-id'], UUID, `replaced: ${JSON.stringify(value)}`)
    t.equal(response.json().request_id, response.headers['x-request-id'])
  }
  // Node joins a repeated header with ", ": not one sane id.
  const repeated = await app.inject({ url: '/health', headers: { 'x-request-id': ['one', 'two'] } })
  t.match(repeated.headers['x-request-id'], UUID, 'a repeated header is replaced')
})

t.test('the log lines of a request carry its id as reqId', async (t) => {
  const { app, logs } = await loggingApp(t)
  const response = await app.inject({ url: '/v1/people/nobody', headers: { 'x-request-id': 'trace-me-42' } })
  t.equal(response.json().request_id, 'trace-me-42')
  const lines = logs.filter((line) => line.reqId === 'trace-me-42')
  t.same(
    lines.map((line) => line.msg),
    ['incoming request', 'request completed'],
    'the request and its completion are logged with the id'
  )
  t.match(lines[1], { level: 30, res: { statusCode: 404 } })
  const generated = await app.inject('/health')
  t.ok(
    logs.some((line) => line.reqId === generated.headers['x-request-id'] && line.msg === 'request completed'),
    'a generated id is the one logged'
  )
})

t.test('a problem written on the socket before any request exists gets an id too, and it is logged', async (t) => {
  const { app, logs } = await loggingApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  t.teardown(() => void socket.destroy())
  await once(socket, 'connect')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => {}) // the server closes it after answering
  socket.write('NOT HTTP AT ALL\r\n\r\n')
  await once(socket, 'close')
  const bytes = Buffer.concat(chunks)
  const { status, headers } = parseResponse(bytes)
  t.equal(status, 400)
  t.match(headers['x-request-id'], UUID)
  const body = JSON.parse(bytes.subarray(bytes.indexOf('\r\n\r\n') + 4).toString('utf8'))
  t.match(body, { status: 400, code: 'MALFORMED_REQUEST', request_id: headers['x-request-id'] })
  t.match(
    logs.find((line) => line.reqId === headers['x-request-id']),
    { level: 30, msg: 'client error answered on the socket', status: 400, code: 'MALFORMED_REQUEST' },
    'the log line carries the same id'
  )
})
