// Bearer tokens as RFC 9110 §11 and RFC 6750 read them (the scheme in any case), and the caching of
// what they reveal: every answer of an operation that needs a token is `private, no-store`, in what
// the server sends and in what the OpenAPI document declares.
import t from 'tap'
import { CACHE_CONTROL_PRIVATE, CACHE_CONTROL_READ } from '../../src/http/caching.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededAppWithDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

interface DocumentResponse {
  headers?: Record<string, { $ref: string }>
}
interface DocumentOperation {
  security?: Record<string, string[]>[]
  responses: Record<string, DocumentResponse>
}

t.test('the Bearer scheme is matched in any case; the token itself exactly', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const { token } = createToken(db, 'auditor', 'admin')
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
    for (const spaces of [' ', '   ']) {
      const authorization = `${scheme}${spaces}${token}`
      t.equal((await app.inject({ url: '/v1/changes', headers: { authorization } })).statusCode, 200, JSON.stringify(authorization))
    }
  }
  const swapped = token.replace(/[a-z]/, (letter) => letter.toUpperCase())
  t.not(swapped, token)
  assertProblem(t, await app.inject({ url: '/v1/changes', headers: { authorization: `bearer ${swapped}` } }), { status: 401, code: 'UNAUTHORIZED' }, 'a token in another case')
  assertProblem(t, await app.inject({ url: '/v1/changes', headers: { authorization: `Bearer${token}` } }), { status: 401, code: 'UNAUTHORIZED' }, 'no space after the scheme')
  assertProblem(t, await app.inject({ url: '/v1/changes', headers: { authorization: `Bearers ${token}` } }), { status: 401, code: 'UNAUTHORIZED' }, 'another scheme')
})

t.test('every GET that needs a token answers `private, no-store`: its 200, JSON or CSV, its 304 and its errors', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const authorization = `Bearer ${createToken(db, 'auditor', 'admin').token}`
  const writer = `Bearer ${createToken(db, 'editor', 'write').token}`
  const document = (await getJson(app, '/openapi.json')).body as { paths: Record<string, Record<string, DocumentOperation>> }
  const guarded = Object.entries(document.paths)
    .filter(([, item]) => (item.get?.security ?? []).length > 0)
    .map(([path]) => path)
  t.same(guarded.sort(), ['/metrics', '/v1/changes'], 'the reads that need a token')
  for (const url of [...guarded, '/v1/changes?format=csv', '/v1/changes?resource=people&limit=1']) {
    const ok = await app.inject({ url, headers: { authorization } })
    t.equal(ok.statusCode, 200, `${url}: 200`)
    t.equal(ok.headers['cache-control'], CACHE_CONTROL_PRIVATE, `${url}: no cache may keep it`)
    const again = await app.inject({ url, headers: { authorization, 'if-none-match': ok.headers.etag as string } })
    // /metrics changes with every request (it counts them); the audit trail does not.
    t.equal(again.headers['cache-control'], CACHE_CONTROL_PRIVATE, `${url}: ${again.statusCode}: nor this`)
    for (const headers of [{}, { authorization: writer }]) {
      const refused = await app.inject({ url, headers })
      t.ok([401, 403].includes(refused.statusCode), `${url}: refused`)
      t.equal(refused.headers['cache-control'], CACHE_CONTROL_PRIVATE, `${url}: ${refused.statusCode}: nor its refusal`)
    }
  }
  const notModified = await app.inject({ url: '/v1/changes', headers: { authorization, 'if-none-match': '*' } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.headers['cache-control'], CACHE_CONTROL_PRIVATE, 'a 304 says what the 200 said')
  t.equal((await app.inject('/v1/people')).headers['cache-control'], CACHE_CONTROL_READ, 'public reads stay public')
  const write = await app.inject({ method: 'POST', url: '/v1/people', headers: { authorization: writer }, payload: { id: 'ana', name: 'Ana', sort_name: 'Ana', sources: [{ source: 'iso-3166-1' }] } })
  t.equal(write.statusCode, 201)
  t.equal(write.headers['cache-control'], CACHE_CONTROL_PRIVATE, 'and writes, which need a token, are private too')
})

t.test('the OpenAPI document declares what an operation that needs a token sends', async (t) => {
  const { app } = await seededAppWithDatabase(t)
  const document = (await getJson(app, '/openapi.json')).body as { paths: Record<string, Record<string, DocumentOperation>>; components: { headers: Record<string, { schema: { enum: string[] } }> } }
  t.same(document.components.headers.PrivateCacheControl?.schema.enum, [CACHE_CONTROL_PRIVATE])
  t.notOk(document.components.headers['Cache-Control']?.schema.enum.includes(CACHE_CONTROL_PRIVATE), 'which public reads never send')
  let checked = 0
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const guarded = (operation.security ?? []).length > 0
      for (const [status, response] of Object.entries(operation.responses).filter(([status]) => /^(2|304)/.test(status))) {
        const declared = response.headers?.['Cache-Control']?.$ref
        if (guarded) t.equal(declared, '#/components/headers/PrivateCacheControl', `${method.toUpperCase()} ${path} ${status}: private`)
        else t.not(declared, '#/components/headers/PrivateCacheControl', `${method.toUpperCase()} ${path} ${status}: not private`)
        checked++
      }
    }
  }
  t.ok(checked > 40, `${checked} successful answers checked`)
})
