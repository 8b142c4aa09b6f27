// Every error leaves as an RFC 9457 application/problem+json document: this walks every GET route
// of the OpenAPI document and checks the 400s, the 404s, and that a 500 never leaks internals.
import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { Ajv } from 'ajv'
import { clientErrorHandler, problemResponses } from '../../src/http/errors.js'
import { Problem, ProblemFieldError } from '../../src/modules/shared/common.schemas.js'
import { openDatabase } from '../../src/db/connection.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededApp, seededAppWithDatabase } from '../helpers.js'
import { ARTICLE_ID, MESETOVIC_MODERATOR, SARAJEVO, assertProblem } from './http-helpers.js'

interface OpenApiParameter {
  in: string
  name: string
}

/** A real record for the path parameter of each resource. */
const REAL_IDS: Record<string, string> = {
  countries: 'BA',
  organisations: 'ba-ministry-of-defence',
  people: 'mersida-mesetovic',
  events: SARAJEVO,
  participations: MESETOVIC_MODERATOR,
  sources: ARTICLE_ID,
  positions: 'mersida-mesetovic-ba-armed-forces-2015',
  sessions: 'sarajevo-2015-regional-cooperation-panel'
}

/** A well-formed id that names nothing, per resource. */
const UNKNOWN_IDS: Record<string, string> = {
  countries: 'XX',
  organisations: 'no-such-organisation',
  people: 'no-such-person',
  events: 'no-such-event',
  participations: 'no-such-participation',
  sources: 'no-such-source',
  positions: 'no-such-position',
  sessions: 'no-such-session'
}

/** Fills a path template's parameter with an id of the resource it follows (/v1/events/{id} -> events). */
function fill(template: string, ids: Record<string, string>): string {
  return template.replace(/\/([a-z]+)\/\{[a-z]+\}/g, (_match, resource: string) => {
    const id = ids[resource]
    if (id === undefined) throw new Error(`no id for ${resource} in ${template}`)
    return `/${resource}/${encodeURIComponent(id)}`
  })
}

interface Route {
  template: string
  path: string
  query: string[]
  hasPathParameter: boolean
}

async function routesOf(app: Awaited<ReturnType<typeof seededApp>>): Promise<Route[]> {
  const response = await app.inject('/openapi.json')
  const paths = response.json().paths as Record<string, Record<string, { parameters?: OpenApiParameter[]; security?: unknown[] }>>
  // The public reads: the audit trail (which needs a token) is walked in writes.test.ts.
  return Object.entries(paths)
    .filter(([, operations]) => operations.get !== undefined && (operations.get.security ?? []).length === 0)
    .map(([template, operations]) => {
      const parameters = operations.get?.parameters ?? []
      return {
        template,
        path: fill(template, REAL_IDS),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        hasPathParameter: parameters.some((p) => p.in === 'path')
      }
    })
}

t.test('every GET route of the OpenAPI document answers problem documents for bad requests', async (t) => {
  const app = await seededApp(t)
  const routes = await routesOf(app)
  t.same(
    routes.map((r) => r.template).sort(),
    [
      '/health',
      '/ready',
      '/v1/countries',
      '/v1/countries/{code}',
      '/v1/events',
      '/v1/events/{id}',
      '/v1/events/{id}/participations',
      '/v1/export/popolo.json',
      '/v1/organisations',
      '/v1/organisations/{id}',
      '/v1/participations',
      '/v1/participations/{id}',
      '/v1/people',
      '/v1/people/{id}',
      '/v1/positions/{id}',
      '/v1/sessions/{id}',
      '/v1/sources',
      '/v1/sources/{id}',
      '/v1/sources/{id}/text'
    ],
    'the document lists every route'
  )

  for (const route of routes) {
    await t.test(route.template, async (t) => {
      t.notMatch(route.path, /[{}]/, 'every path parameter is filled')
      const ok = await app.inject(route.path)
      t.equal(ok.statusCode, 200, `${route.path} answers 200 with real ids`)

      {
        const url = `${route.path}?bogus=1`
        const body = assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'bogus' }] }, url)
        t.equal(body.title, 'Bad Request')
        t.equal(body.instance, url, 'instance is the request path and query')
        t.same(body.errors, [{ in: 'query', name: 'bogus', detail: 'unknown query parameter' }])
        t.equal(body.detail, 'Invalid query parameter "bogus": unknown query parameter')

        const withValid = `${route.path}?limit=5&bogus=1`
        assertProblem(t, await app.inject(withValid), { status: 400, errors: [{ in: 'query', name: 'bogus' }] }, withValid)

        const two = `${route.path}?bogus=1&other=2`
        const both = assertProblem(t, await app.inject(two), { status: 400, errors: [{ in: 'query', name: 'bogus' }, { in: 'query', name: 'other' }] }, two)
        t.equal(both.errors.length, 2, 'every unknown parameter is named, not just the first')
      }

      if (route.query.includes('limit')) {
        for (const limit of ['0', '101', 'abc', '1.5', '-1', '']) {
          const url = `${route.path}?limit=${limit}`
          const body = assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'limit' }] }, url)
          t.match(body.detail, /^Invalid query parameter "limit": /)
        }
        for (const cursor of ['', 'x', 'x.y']) {
          const url = `${route.path}?cursor=${cursor}`
          assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'cursor' }] }, url)
        }
        const duplicated = `${route.path}?limit=1&limit=2`
        const body = assertProblem(t, await app.inject(duplicated), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'limit' }] }, duplicated)
        t.equal(body.instance, duplicated)
        const { status, body: page } = await getJson(app, `${route.path}?limit=1`)
        t.equal(status, 200, 'limit=1 is accepted')
        t.equal(page.meta.limit, 1)
        t.ok(page.data.length <= 1)
        t.equal((await app.inject(`${route.path}?limit=100`)).statusCode, 200, 'limit=100 is accepted')
      }

      if (route.query.includes('country')) {
        const url = `${route.path}?country=XX`
        const body = assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'country' }] }, url)
        t.same(body.errors, [{ in: 'query', name: 'country', detail: 'unknown country code "XX" (expected ISO 3166-1 alpha-2 or alpha-3)' }])
        t.equal(body.detail, 'Invalid query parameter "country": unknown country code "XX" (expected ISO 3166-1 alpha-2 or alpha-3)')
        for (const bad of ['X', 'XXXX', 'BA&country=HR']) {
          const badUrl = `${route.path}?country=${bad}`
          assertProblem(t, await app.inject(badUrl), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'country' }] }, badUrl)
        }
      }

      if (route.hasPathParameter) {
        const url = fill(route.template, UNKNOWN_IDS)
        const body = assertProblem(t, await app.inject(url), { status: 404, code: 'NOT_FOUND' }, url)
        t.equal(body.title, 'Not Found')
        t.equal(body.instance, url)
        t.match(body.detail, /^[a-z ]+ "[^"]+" not found$/)
        t.notOk('errors' in body, 'a 404 has no field errors')
      }
    })
  }

})

t.test('unknown routes are 404 problems; a method a path does not take is a 405 (method-not-allowed.test.ts)', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/nope', '/v2/participations', '/v1/participations/x/y', '/v1', '/']) {
    const body = assertProblem(t, await app.inject(url), { status: 404, code: 'ROUTE_NOT_FOUND' }, url)
    t.equal(body.detail, `No route for GET ${url}`)
    t.equal(body.instance, url)
    t.equal(body.title, 'Not Found')
  }
  const withQuery = assertProblem(t, await app.inject('/v1/nope?country=BA'), { status: 404, code: 'ROUTE_NOT_FOUND' })
  t.equal(withQuery.detail, 'No route for GET /v1/nope', 'the detail names the path without its query')
  t.equal(withQuery.instance, '/v1/nope?country=BA')
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    const body = assertProblem(t, await app.inject({ method, url: '/v1/nope' }), { status: 404, code: 'ROUTE_NOT_FOUND' }, `${method} /v1/nope`)
    t.equal(body.detail, `No route for ${method} /v1/nope`)
    assertProblem(t, await app.inject({ method, url: '/v1/countries' }), { status: 405, code: 'METHOD_NOT_ALLOWED' }, `${method} /v1/countries`)
  }
  assertProblem(t, await app.inject({ method: 'PUT', url: '/v1/participations' }), { status: 405 }, 'PUT is not a write of this API')
})

t.test('a 500 is a problem document that leaks nothing, and the error is logged', async (t) => {
  // A closed database: every query throws.
  const closedDb = openDatabase(':memory:')
  const closedApp = await buildApp({ db: closedDb })
  t.teardown(() => closedApp.close())
  closedDb.$client.close()
  for (const url of ['/v1/participations', '/v1/countries?q=ba', '/v1/people/mersida-mesetovic', `/v1/sources/${ARTICLE_ID}/text`]) {
    const response = await closedApp.inject(url)
    const body = assertProblem(t, response, { status: 500, code: 'INTERNAL_ERROR' }, url)
    t.equal(body.title, 'Internal Server Error')
    t.equal(body.detail, 'The server could not answer this request; the error has been logged.')
    t.notOk('errors' in body)
    t.notMatch(response.body, /SqliteError|database connection|not open|stack|\.ts:\d+|at /, `${url}: no internals in the body`)
  }
  const health = await getJson(closedApp, '/health')
  t.equal(health.status, 503)
  t.same(health.body, { status: 'unavailable', database: { status: 'unavailable', migrations: 0, events: 0, participations: 0 } })

  // A real SqliteError (a missing table), with the log captured to show it is logged, not sent.
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    }
  })
  const brokenDb = openDatabase(':memory:')
  const brokenApp = await buildApp({ db: brokenDb, logger: { level: 'error', stream } })
  t.teardown(async () => {
    await brokenApp.close()
    brokenDb.$client.close()
  })
  brokenDb.$client.pragma('foreign_keys = OFF')
  brokenDb.$client.exec('DROP TABLE participations')
  const response = await brokenApp.inject('/v1/participations?role=moderator')
  assertProblem(t, response, { status: 500, code: 'INTERNAL_ERROR' })
  t.notMatch(response.body, /SqliteError/, 'the error class is not sent')
  t.notMatch(response.body, /no such table/, 'the SQLite message is not sent')
  t.notMatch(response.body, /participations p|SELECT/i, 'no SQL is sent')
  const log = lines.join('')
  t.match(log, /SqliteError/, 'the error is logged')
  t.match(log, /no such table: participations/)
  t.match(log, /request failed/)

  const brokenHealth = await getJson(brokenApp, '/health')
  t.equal(brokenHealth.status, 503, 'health reports a database it cannot read')
  t.equal(brokenHealth.body.status, 'unavailable')

  const empty = await getJson(brokenApp, '/v1/events')
  t.same(empty, { status: 200, body: { data: [], meta: { total: 0, limit: 20, next: null, next_cursor: null } }, headers: empty.headers }, 'an empty but readable table lists nothing')
  const noCountries = await getJson(brokenApp, '/v1/countries')
  t.equal(noCountries.body.meta.total, 0, 'an unseeded database has no countries')
})

t.test('the one error handler, on routes the app does not have yet: bodies, headers and other statuses', async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const bodySchema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false }
  app.post('/test/body', { schema: { body: bodySchema } }, async () => ({ ok: true }))
  app.get('/test/header', { schema: { headers: { type: 'object', required: ['x-token'], properties: { 'x-token': { type: 'string' } } } } }, async () => ({ ok: true }))
  app.get('/test/status/:status', async (request) => {
    const status = Number((request.params as { status: string }).status)
    throw Object.assign(new Error(`secret message ${status}`), { statusCode: status })
  })

  const missing = assertProblem(t, await app.inject({ method: 'POST', url: '/test/body', payload: {} }), {
    status: 400,
    code: 'INVALID_BODY',
    errors: [{ in: 'body', name: 'name' }]
  })
  t.equal(missing.detail, 'Invalid property "name": is required')
  const extra = assertProblem(t, await app.inject({ method: 'POST', url: '/test/body', payload: { name: 'x', extra: 1 } }), { status: 400, code: 'INVALID_BODY' })
  t.same(extra.errors, [{ in: 'body', name: 'extra', detail: 'unknown property' }])
  const notObject = assertProblem(t, await app.inject({ method: 'POST', url: '/test/body', headers: { 'content-type': 'application/json' }, payload: '"text"' }), {
    status: 400,
    code: 'INVALID_BODY'
  })
  t.same(notObject.errors, [{ in: 'body', name: '', detail: 'must be object' }], 'a problem with the whole body names no field')
  t.equal(notObject.detail, 'Invalid body: must be object')

  const header = assertProblem(t, await app.inject('/test/header'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'header', name: 'x-token' }] })
  t.equal(header.detail, 'Invalid header "x-token": is required')
  t.equal((await app.inject({ url: '/test/header', headers: { 'x-token': 'a' } })).statusCode, 200)

  const teapot = assertProblem(t, await app.inject('/test/status/418'), { status: 418, code: 'CLIENT_ERROR' })
  t.equal(teapot.title, "I'm a Teapot")
  t.equal(teapot.detail, 'secret message 418', 'a client error says what was wrong')
  const unnamed = assertProblem(t, await app.inject('/test/status/499'), { status: 499, code: 'CLIENT_ERROR' })
  t.equal(unnamed.title, 'Error', 'a status without a standard reason phrase')

  for (const status of [500, 502, 503]) {
    const response = await app.inject(`/test/status/${status}`)
    const server = assertProblem(t, response, { status: 500, code: 'INTERNAL_ERROR' }, `thrown ${status}`)
    t.equal(server.title, 'Internal Server Error')
    t.notMatch(response.body, /secret message/, 'a server error never repeats its message')
  }

  const responses = problemResponses(400, 404, 499)
  t.same(Object.keys(responses), ['400', '404', '499'])
  t.equal(responses[400]?.description, 'Bad Request')
  t.equal(responses[404]?.description, 'Not Found')
  t.equal(responses[499]?.description, 'Error')
  t.same(responses[400]?.content, { 'application/problem+json': { schema: { $ref: 'Problem' } } })
})

t.test('an error in a nested body property names the whole path to it, once', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const person = { id: 'ana-djuric', name: 'Ana Đurić', sort_name: 'Đurić, Ana', sources: [{ source: 'iso-3166-1' }] }
  const post = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: { ...person, ...body } })
  const unknownInSource = assertProblem(t, await post({ sources: [{ source: 'iso-3166-1', bogus: 2 }] }), { status: 400, code: 'INVALID_BODY' })
  t.same(unknownInSource.errors, [{ in: 'body', name: 'sources/0/bogus', detail: 'unknown property' }])
  t.equal(unknownInSource.detail, 'Invalid property "sources/0/bogus": unknown property')
  const missingInSource = assertProblem(t, await post({ sources: [{ source: 'iso-3166-1' }, {}] }), { status: 400, code: 'INVALID_BODY' })
  t.same(missingInSource.errors, [{ in: 'body', name: 'sources/1/source', detail: 'is required' }])
  const slashed = assertProblem(t, await post({ 'a/b': 1 }), { status: 400, code: 'INVALID_BODY' })
  t.same(slashed.errors, [{ in: 'body', name: 'a~1b', detail: 'unknown property' }], 'a JSON pointer, escaped as RFC 6901 says')

  const url = '/v1/people/peter-due'
  const etag = (await app.inject(url)).headers.etag as string
  const patch = (body: Record<string, unknown>) => app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': etag }, payload: body })
  const unknownInName = assertProblem(t, await patch({ other_names: [{ name: 'A', bogus: 1 }] }), { status: 400, code: 'INVALID_BODY' })
  t.same(unknownInName.errors, [{ in: 'body', name: 'other_names/0/bogus', detail: 'unknown property' }], 'no "must be null" from the nullable list')
  t.equal(unknownInName.detail, 'Invalid property "other_names/0/bogus": unknown property')
  const wrongType = assertProblem(t, await patch({ other_names: 'A', note: 5 }), { status: 400, code: 'INVALID_BODY' })
  t.same(wrongType.errors, [
    { in: 'body', name: 'other_names', detail: 'must be array or null' },
    { in: 'body', name: 'note', detail: 'must be string or null' }
  ])
  t.equal(wrongType.detail, 'Invalid properties: "other_names": must be array or null; "note": must be string or null')

  const unknownParameter = assertProblem(t, await app.inject('/v1/people?a/b=1'), { status: 400, code: 'INVALID_PARAMETER' })
  t.same(unknownParameter.errors, [{ in: 'query', name: 'a/b', detail: 'unknown query parameter' }], 'a parameter is named as sent')
})

t.test('an error answer carries no ETag: its body names its request, so it validates nothing', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/people/nobody', '/v1/people?limit=0', '/no/such/route', '/v1/people/%']) {
    const response = await app.inject(url)
    t.ok(response.statusCode >= 400, url)
    t.equal(response.headers.etag, undefined, `${url}: no ETag`)
  }
  t.match((await app.inject('/v1/people/peter-due')).headers.etag, /^"/, 'a record has one')
})

t.test('a query parameter given twice is named, once, as given more than once', async (t) => {
  const app = await seededApp(t)
  const twice = assertProblem(t, await app.inject('/v1/participations?country=BA&country=RS&role=moderator&role=panellist&limit=5'), { status: 400, code: 'INVALID_PARAMETER' })
  t.same(twice.errors, [
    { in: 'query', name: 'country', detail: 'given more than once: it takes one value' },
    { in: 'query', name: 'role', detail: 'given more than once: it takes one value' }
  ])
  const limit = assertProblem(t, await app.inject('/v1/people?limit=20&limit=30'), { status: 400, code: 'INVALID_PARAMETER' })
  t.equal(limit.detail, 'Invalid query parameter "limit": given more than once: it takes one value')
  const unknown = assertProblem(t, await app.inject('/v1/people?bogus=1&bogus=2'), { status: 400, code: 'INVALID_PARAMETER' })
  t.same(unknown.errors, [{ in: 'query', name: 'bogus', detail: 'unknown query parameter' }], 'an unknown one is unknown, however often it is given')
})

t.test('problems answered on the socket (431, 408, 400) are whole Problem documents, instance included', async (t) => {
  const ajv = new Ajv({ strict: false })
  ajv.addSchema(ProblemFieldError)
  const validateProblem = ajv.compile(Problem)
  const cases = [
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'MALFORMED_REQUEST']
  ] as const
  for (const [errorCode, status, code] of cases) {
    const written: string[] = []
    const socket = { destroyed: false, writable: true, write: (text: string) => written.push(text), destroy: () => undefined }
    clientErrorHandler(Object.assign(new Error(errorCode), { code: errorCode }), socket as never)
    const answer = written.join('')
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))
    t.ok(validateProblem(body), `${status}: valid against the Problem schema ${ajv.errorsText(validateProblem.errors)}`)
    t.match(body, { status, code })
    t.equal(body.instance, `urn:uuid:${body.request_id}`, `${status}: the instance names this occurrence by its request id`)
    t.match(answer, new RegExp(`\\r\\nX-Request-Id: ${body.request_id}\\r\\n`), `${status}: as the X-Request-Id header does`)
  }
})
