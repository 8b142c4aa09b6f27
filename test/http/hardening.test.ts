// Protections on every request: security headers, CORS closed by default and never open to writes,
// rate limits with 429 and Retry-After, limits on URL and header sizes, and database failures
// answered 503 with Retry-After rather than the driver's message.
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import Database from 'better-sqlite3'
import { buildApp } from '../../src/app.js'
import { EXPOSED_HEADERS, MAX_URL_LENGTH } from '../../src/http/security.js'
import { PROBLEM_LIMITS } from '../../src/modules/shared/common.schemas.js'
import { LIMITS } from '../../src/modules/shared/fields.schemas.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { seededApp, seededDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

/** Headers helmet sets for HTML documents and Internet Explorer: the docs page's only. */
const DOCUMENT_ONLY_HEADERS = ['origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection']
/** Fastify keeps a reply's headers in one object: at 21 properties, V8 turns it into a dictionary (measured 18 % slower per cached answer). */
const MAX_FAST_REPLY_HEADERS = 20


t.test('security headers on every answer; the docs page allows only its own scripts', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/participations', '/v1/people/nobody', '/openapi.json']) {
    const { headers } = await app.inject(url)
    t.equal(headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", `${url}: nothing may run or frame it`)
    t.equal(headers['x-content-type-options'], 'nosniff', url)
    t.match(headers['strict-transport-security'], /max-age=\d+/, url)
    t.equal(headers['x-frame-options'], 'DENY', url)
    t.notOk(headers['x-powered-by'], url)
    for (const documentOnly of DOCUMENT_ONLY_HEADERS) t.notOk(headers[documentOnly], `${url}: no ${documentOnly}, which acts on HTML documents only`)
  }
  for (const url of ['/docs/', '/docs/static/swagger-initializer.js']) {
    const docs = await app.inject(url)
    t.equal(docs.statusCode, 200, url)
    t.match(docs.headers['content-security-policy'], /script-src 'self'/, `${url}: the docs page may run its own scripts`)
    t.notMatch(docs.headers['content-security-policy'], /upgrade-insecure-requests/, `${url}: and call the API over plain HTTP`)
    t.equal(docs.headers['x-frame-options'], 'DENY', url)
    for (const documentOnly of DOCUMENT_ONLY_HEADERS) t.ok(docs.headers[documentOnly], `${url}: ${documentOnly}, being a document`)
  }
})

t.test('the busiest answer stays under the header count at which V8 makes the reply headers a slow dictionary', async (t) => {
  // A page of a list, with its Link, from a configured origin (CORS), rate limited: every header the app sets on a 200.
  const app = await seededApp(t, { corsOrigins: ['https://example.org'], rateLimit: { max: 10, timeWindowMs: 60_000 } })
  const page = await app.inject({ url: '/v1/participations?limit=1', headers: { origin: 'https://example.org' } })
  t.equal(page.statusCode, 200)
  t.ok(page.headers.link && page.headers['access-control-allow-origin'] && page.headers['ratelimit-limit'], 'the answer has its Link, CORS and rate limit headers')
  // Node adds these itself when it writes the head, not from Fastify's object.
  const setByApp = Object.keys(page.headers).filter((name) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name))
  t.ok(setByApp.length <= MAX_FAST_REPLY_HEADERS, `${setByApp.length} headers: ${setByApp.join(', ')}`)
})

t.test('CORS: closed unless configured, and then for reads only', async (t) => {
  const closed = await seededApp(t)
  const read = await closed.inject({ url: '/v1/people', headers: { origin: 'https://example.org' } })
  t.notOk(read.headers['access-control-allow-origin'], 'no origin is allowed by default')
  const refused = await closed.inject({
    method: 'OPTIONS',
    url: '/v1/people',
    headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' }
  })
  assertProblem(t, refused, { status: 405, code: 'METHOD_NOT_ALLOWED' }, 'a preflight is an OPTIONS request like any other')
  t.notOk(Object.keys(refused.headers).some((name) => name.startsWith('access-control-')), 'and allows nothing')

  const open = await seededApp(t, { corsOrigins: ['https://example.org'] })
  const allowed = await open.inject({ url: '/v1/people', headers: { origin: 'https://example.org' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://example.org')
  t.equal(allowed.headers.vary, 'Origin, Accept', 'a shared cache keys the answer on the origin it names, and on Accept')
  const other = await open.inject({ url: '/v1/people', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'], 'an origin not listed is not allowed')
  const preflight = await open.inject({
    method: 'OPTIONS',
    url: '/v1/people/peter-due',
    headers: { origin: 'https://example.org', 'access-control-request-method': 'PATCH' }
  })
  t.notMatch(String(preflight.headers['access-control-allow-methods']), /PATCH|POST|DELETE/, 'no write may be made cross-origin')
})

t.test('CORS: a page on an allowed origin may read the headers the API documents', async (t) => {
  const app = await seededApp(t, { corsOrigins: ['https://example.org'], rateLimit: { max: 10, timeWindowMs: 60_000 } })
  const page = await app.inject({ url: '/v1/participations?limit=1', headers: { origin: 'https://example.org' } })
  const exposed = String(page.headers['access-control-expose-headers']).split(/, */).map((name) => name.toLowerCase())
  t.same(exposed, EXPOSED_HEADERS.map((name) => name.toLowerCase()))
  // Those the answer carries: what CORS does not let a page read without being told (the CORS-safelisted
  // response headers are Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma).
  for (const name of ['link', 'etag', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-request-id']) {
    t.ok(page.headers[name] !== undefined, `the page has ${name}`)
    t.ok(exposed.includes(name), `and a browser may read it: ${name}`)
  }
  for (const name of ['retry-after', 'location', 'content-disposition']) t.ok(exposed.includes(name), `${name} is readable when sent`)
  const document = JSON.parse((await app.inject('/openapi.json')).body)
  t.same(document.components.headers['Access-Control-Expose-Headers'].schema.enum, [page.headers['access-control-expose-headers']], 'as the OpenAPI document says')
})

t.test('rate limits: 429 problem with Retry-After once a client spends its requests; others are unaffected', async (t) => {
  const app = await seededApp(t, { rateLimit: { max: 3, timeWindowMs: 60_000 } })
  for (let i = 0; i < 3; i++) {
    const ok = await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.1' })
    t.equal(ok.statusCode, 200)
    t.equal(ok.headers['ratelimit-limit'], '3')
    t.equal(ok.headers['ratelimit-remaining'], String(2 - i))
  }
  const limited = await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.1' })
  assertProblem(t, limited, { status: 429, code: 'RATE_LIMITED' }, 'the fourth request')
  t.match(limited.headers['retry-after'], /^\d+$/, 'Retry-After says when')
  t.ok(Number(limited.headers['retry-after']) <= 60)
  t.equal((await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.2' })).statusCode, 200, 'another client is not limited')
  // A load balancer's probes from that address still see the service up, however often they come.
  for (const url of ['/health', '/ready']) {
    for (let i = 0; i < 5; i++) {
      const probe = await app.inject({ url, remoteAddress: '192.0.2.1' })
      t.equal(probe.statusCode, 200, `${url}, ${i + 1}: not rate limited`)
      t.notOk('ratelimit-limit' in probe.headers, `${url}: no RateLimit headers`)
    }
  }
  assertProblem(t, await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.1' }), { status: 429, code: 'RATE_LIMITED' }, 'the API still is')
})

t.test('the 429 problem names the configured window; Retry-After, the time left in it', async (t) => {
  const app = await seededApp(t, { rateLimit: { max: 1, timeWindowMs: 3_000 } })
  t.equal((await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.3' })).statusCode, 200)
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  const limited = await app.inject({ url: '/v1/countries?limit=1', remoteAddress: '192.0.2.3' })
  const problem = assertProblem(t, limited, { status: 429, code: 'RATE_LIMITED' }, 'the second request')
  t.match(problem.detail, /^Rate limit of 1 requests per 3 s exceeded/, `the window: ${problem.detail}`)
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After: the time left, under the window (${retryAfter})`)
})

t.test('a request target over the limit is a 414 problem', async (t) => {
  const app = await seededApp(t)
  const url = `/v1/people?q=${'a'.repeat(MAX_URL_LENGTH)}`
  assertProblem(t, await app.inject(url), { status: 414, code: 'URI_TOO_LONG' }, 'a long query string')
  t.equal((await app.inject(`/v1/people?q=${'a'.repeat(100)}`)).statusCode, 200, 'a reasonable one is fine')
})

t.test('a query string whose percent-encoding is broken is a 400 problem, not a search for its text', async (t) => {
  const app = await seededApp(t)
  for (const query of ['q=%ZZ', 'q=100%', 'q=%E0%A4', 'q=%C0%AF', 'country=B%']) {
    const problem = assertProblem(t, await app.inject(`/v1/people?${query}`), { status: 400, code: 'INVALID_URL' }, query)
    t.match(problem.detail, '(%25 for "%" itself), and the bytes must spell UTF-8 text', `${query}: says how to write a "%", and that the bytes must be UTF-8`)
  }
  t.equal((await app.inject('/v1/people?q=%C4%90uri%C4%87')).statusCode, 200, 'escapes of UTF-8 are fine (Đurić)')
  t.equal((await app.inject('/v1/people?q=100%25')).statusCode, 200, 'and so is an escaped "%"')
})

t.test('a problem document stays within the bounds its schema declares, whatever the request quotes', async (t) => {
  const app = await seededApp(t)
  const long = await app.inject(`/v1/people?q=${'a'.repeat(2 * MAX_URL_LENGTH)}`)
  t.equal(long.json().instance.length, PROBLEM_LIMITS.text, 'the path is cut')
  t.ok(long.json().instance.endsWith('…'))
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const writes = await buildApp({ db })
  t.teardown(() => writes.close())
  const unknown = Object.fromEntries(Array.from({ length: PROBLEM_LIMITS.errors + 20 }, (_, i) => [`${'x'.repeat(LIMITS.text + 50)}${i}`, 1]))
  const response = await writes.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: { id: 'someone', ...unknown } })
  assertProblem(t, response, { status: 400, code: 'INVALID_BODY' }, 'many long unknown properties')
  const problem = response.json()
  t.equal(problem.errors.length, PROBLEM_LIMITS.errors, 'the first errors only')
  t.ok(problem.errors.every((error: { name: string }) => error.name.length <= LIMITS.text), 'names are cut')
  t.equal(problem.detail.length, PROBLEM_LIMITS.text, 'the detail is cut')
})

t.test('oversized headers and malformed requests get a problem document on the socket', async (t) => {
  const app = await seededApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const send = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request))
      let answer = ''
      socket.on('data', (chunk) => (answer += chunk.toString()))
      socket.on('close', () => resolve(answer))
      socket.on('error', reject)
      socket.setTimeout(5000, () => socket.destroy())
    })
  const huge = await send(`GET /v1/people HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)
  t.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  t.match(huge, /Content-Type: application\/problem\+json/)
  t.match(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4)), { status: 431, code: 'HEADERS_TOO_LARGE' })
  const garbage = await send('NOT HTTP AT ALL\r\n\r\n')
  t.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)), { status: 400, code: 'MALFORMED_REQUEST' })
})

t.test('database failures are a 503 problem with Retry-After, never the driver message', async (t) => {
  const db = seededDatabase()
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const CODES = ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR_WRITE']
  for (const [i, code] of CODES.entries()) {
    app.get(`/fail/${i}`, async () => {
      throw new Database.SqliteError(`secret driver detail for ${code}`, code)
    })
  }
  app.get('/fail/constraint', async () => {
    throw new Database.SqliteError('UNIQUE constraint failed: secret.column', 'SQLITE_CONSTRAINT_UNIQUE')
  })
  for (const [i, code] of CODES.entries()) {
    const response = await app.inject(`/fail/${i}`)
    const body = assertProblem(t, response, { status: 503, code: 'DATABASE_UNAVAILABLE' }, code)
    t.equal(response.headers['retry-after'], '5')
    t.notMatch(JSON.stringify(body), /secret|SQLITE/, `${code}: nothing of the driver's message`)
  }
  const other = await app.inject('/fail/constraint')
  t.equal(other.statusCode, 500, 'other database errors are a plain 500')
  t.notMatch(other.body, /secret/)
})

t.test('the socket-level handler leaves reset or unwritable connections alone', async (t) => {
  const { clientErrorHandler } = await import('../../src/http/errors.js')
  const writes: string[] = []
  const destroyed: unknown[] = []
  const socket = (state: { destroyed: boolean; writable: boolean }) =>
    ({ ...state, write: (text: string) => writes.push(text), destroy: (error: unknown) => destroyed.push(error) }) as never
  clientErrorHandler(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket({ destroyed: false, writable: true }))
  clientErrorHandler(new Error('late'), socket({ destroyed: true, writable: false }))
  t.same([writes, destroyed], [[], []], 'a reset or destroyed connection: nothing to answer')
  clientErrorHandler(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket({ destroyed: false, writable: false }))
  t.same(writes, [], 'an unwritable socket gets no answer')
  t.equal(destroyed.length, 1, 'but is closed')
  clientErrorHandler(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket({ destroyed: false, writable: true }))
  t.match(writes[0], /^HTTP\/1\.1 408 Request Timeout\r\n[^]*"code":"REQUEST_TIMEOUT"/)
})

t.test('a write the database refuses is a 503, and nothing is written', async (t) => {
  const db = seededDatabase()
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const { createToken } = await import('../../src/modules/tokens/tokens.repository.js')
  const authorization = `Bearer ${createToken(db, 'editor', 'write').token}`
  db.$client.pragma('query_only = ON')
  const response = await app.inject({
    method: 'POST',
    url: '/v1/people',
    headers: { authorization },
    payload: { id: 'ana', name: 'Ana', sort_name: 'Ana', sources: [{ source: 'iso-3166-1' }] }
  })
  assertProblem(t, response, { status: 503, code: 'DATABASE_UNAVAILABLE' }, 'a read-only database')
  t.equal(response.headers['retry-after'], '5')
  db.$client.pragma('query_only = OFF')
  t.equal(db.$client.prepare("SELECT count(*) FROM people WHERE id = 'ana'").pluck().get(), 0)
})
