// A path the API has, asked with a method it does not take, is a 405 whose Allow header lists the
// methods it takes (RFC 9110 §15.5.6), HEAD wherever GET is; a path it does not have stays a 404.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { seededDatabase, seededApp } from '../helpers.js'
import { SARAJEVO, assertProblem } from './http-helpers.js'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const

/** A real path for each path template of the document: the parameters filled with made-up ids. */
const fill = (template: string) => template.replace(/\{[a-z_]+\}/g, 'x')

t.test('every path of the OpenAPI document answers a method it does not take with 405 and Allow', async (t) => {
  const app = await seededApp(t)
  const paths = (await app.inject('/openapi.json')).json().paths as Record<string, Record<string, unknown>>
  t.ok(Object.keys(paths).length > 20, 'the documented paths')
  for (const [template, operations] of Object.entries(paths)) {
    const documented = Object.keys(operations).map((method) => method.toUpperCase())
    const takes = METHODS.filter((method) => documented.includes(method) || (method === 'HEAD' && documented.includes('GET')))
    const url = fill(template)
    for (const method of METHODS.filter((m) => !takes.includes(m))) {
      const response = await app.inject({ method, url })
      const label = `${method} ${url}`
      t.equal(response.statusCode, 405, `${label}: 405`)
      t.same(response.headers.allow?.toString().split(', ').sort(), [...takes].sort(), `${label}: Allow lists ${takes.join(', ')}`)
      if (method === 'HEAD') continue
      const body = assertProblem(t, response, { status: 405, code: 'METHOD_NOT_ALLOWED' }, label)
      t.equal(body.title, 'Method Not Allowed')
      t.equal(body.detail, `${method} is not a method of ${url}, which takes ${response.headers.allow}`)
    }
  }
})

t.test('the examples of the report, and what stays a 404', async (t) => {
  const app = await seededApp(t)
  const cases = [
    ['DELETE', '/v1/countries/BA', 'GET, HEAD'],
    ['PUT', '/v1/people/peter-due', 'GET, HEAD, DELETE, PATCH'],
    ['GET', '/v1/positions', 'POST'],
    ['OPTIONS', '/v1/participations', 'GET, HEAD, POST'],
    ['POST', `/v1/events/${SARAJEVO}/participations?role=moderator`, 'GET, HEAD']
  ] as const
  for (const [method, url, allow] of cases) {
    const response = await app.inject({ method, url })
    const body = assertProblem(t, response, { status: 405, code: 'METHOD_NOT_ALLOWED' }, `${method} ${url}`)
    t.equal(response.headers.allow, allow, `${method} ${url}: Allow`)
    t.equal(body.instance, url, `${method} ${url}: instance`)
    t.equal(response.headers['cache-control'], 'no-store', `${method} ${url}: not cached`)
  }
  for (const [method, url] of [['GET', '/v1/nope'], ['OPTIONS', '/v1/nope'], ['DELETE', '/v1/countries/BA/sessions'], ['GET', '/docs/static/no-such-file.js']] as const) {
    assertProblem(t, await app.inject({ method, url }), { status: 404, code: 'ROUTE_NOT_FOUND' }, `${method} ${url}`)
  }
})

t.test('with CORS configured, preflights are still answered, and other methods still get 405', async (t) => {
  const db = seededDatabase()
  const app = await buildApp({ db, corsOrigins: ['https://example.org'] })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/participations',
    headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' }
  })
  t.equal(preflight.statusCode, 204, 'the preflight is answered')
  t.equal(preflight.headers['access-control-allow-origin'], 'https://example.org')
  t.match(String(preflight.headers['access-control-allow-methods']), /GET/)
  const wrong = await app.inject({ method: 'DELETE', url: '/v1/countries/BA', headers: { origin: 'https://example.org' } })
  assertProblem(t, wrong, { status: 405, code: 'METHOD_NOT_ALLOWED' })
  t.equal(wrong.headers.allow, 'GET, HEAD')
})
