// Conditional requests as RFC 9110 §13 evaluates them: If-None-Match (weak comparison, a list or `*`)
// answers a GET or HEAD 304 without content or a Content-Length other than the 200's; If-Match
// (strong comparison, a list or `*`) guards PATCH and DELETE.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { entityTagsOf } from '../../src/http/caching.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { seededDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

/** A seeded app with the response cache on (the default) or off, and a write token. */
async function appWithWriter(t: Test, responseCacheBytes?: number) {
  const db = seededDatabase()
  const app = await buildApp({ db, responseCacheBytes })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  return { app, db, writer: { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` } }
}

const PERSON = '/v1/people/peter-due'
const etagOf = async (app: FastifyInstance, url: string) => (await app.inject(url)).headers.etag as string

t.test('entity-tag lists are parsed as RFC 9110 writes them', async (t) => {
  t.equal(entityTagsOf('*'), '*')
  t.equal(entityTagsOf(' * '), '*', 'with whitespace around it')
  t.same(entityTagsOf('"a"'), ['"a"'])
  t.same(entityTagsOf('"a", W/"b",\t"c"'), ['"a"', 'W/"b"', '"c"'])
  t.same(entityTagsOf('"a,b", "c"'), ['"a,b"', '"c"'], 'a comma inside a tag does not split it')
  t.same(entityTagsOf(', "a" ,, "b",'), ['"a"', '"b"'], 'empty list elements are allowed')
  t.same(entityTagsOf('""'), ['""'], 'an empty opaque tag')
  for (const malformed of ['a', '"a" "b"', '"a', 'w/"a"', '*, "a"', '"a"b', '"a\u0001"']) t.equal(entityTagsOf(malformed), undefined, `malformed: ${malformed}`)
})

t.test('If-None-Match: any listed tag, weakly compared, or `*` answers 304', async (t) => {
  for (const responseCacheBytes of [undefined, 0]) {
    const { app } = await appWithWriter(t, responseCacheBytes)
    const cache = responseCacheBytes === 0 ? 'no response cache' : 'response cache'
    for (const url of [PERSON, '/v1/participations?country=BA', '/v1/participations?country=BA&format=csv']) {
      // Twice: the second answer may come from the response cache.
      for (const round of [1, 2]) {
        const where = `${url} (${cache}, round ${round})`
        const current = await etagOf(app, url)
        const cases: [string, number][] = [
          [current, 304],
          [`"not-this", ${current}`, 304],
          [`${current},"not-this"`, 304],
          [`W/${current}`, 304],
          ['*', 304],
          ['"not-this", W/"nor-this"', 200],
          ['not-a-tag', 200],
          [`${current} garbage`, 200]
        ]
        for (const [field, status] of cases) {
          const response = await app.inject({ url, headers: { 'if-none-match': field } })
          t.equal(response.statusCode, status, `${where}: If-None-Match: ${field}`)
          t.equal(response.headers.etag, current, `${where}: ${field}: the current ETag`)
          if (status === 304) t.equal(response.body, '', `${where}: ${field}: no content`)
        }
      }
    }
  }
})

t.test('a 304 sends no Content-Length but, for HEAD, the 200s', async (t) => {
  const { app } = await appWithWriter(t)
  for (const url of [PERSON, '/v1/participations?country=BA', '/v1/participations?country=BA&format=csv', '/v1/export/popolo.json']) {
    const full = await app.inject(url)
    for (const field of [full.headers.etag as string, '*']) {
      const notModified = await app.inject({ url, headers: { 'if-none-match': field } })
      t.equal(notModified.statusCode, 304, `${url}, ${field}: 304`)
      t.notOk('content-length' in notModified.headers, `${url}, ${field}: no Content-Length (RFC 9110 §8.6)`)
      t.equal(notModified.headers['cache-control'], full.headers['cache-control'], `${url}: the 200's Cache-Control`)
      t.equal(notModified.headers.vary, full.headers.vary, `${url}: and its Vary`)

      const head = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': field } })
      t.equal(head.statusCode, 304, `HEAD ${url}, ${field}: 304`)
      t.equal(head.body, '')
      // A streamed export has no length before it is sent; an answer held whole has the 200's.
      t.equal(head.headers['content-length'], full.headers['content-length'], `HEAD ${url}: only the 200's Content-Length`)
    }
  }
})

t.test('If-None-Match applies to 2xx answers of GET and HEAD only', async (t) => {
  const { app, writer } = await appWithWriter(t)
  const missing = await app.inject({ url: '/v1/people/nobody', headers: { 'if-none-match': '*' } })
  assertProblem(t, missing, { status: 404 }, 'a missing record is not "not modified"')
  const badQuery = await app.inject({ url: '/v1/people?limit=0', headers: { 'if-none-match': '*' } })
  assertProblem(t, badQuery, { status: 400 }, 'nor is an invalid request')

  // The ETag PATCH answers for { given_name: 'Ana' }, learnt by making that change and undoing it.
  const patch = async (givenName: string | null, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'PATCH',
      url: PERSON,
      headers: { ...writer, 'if-match': '*', 'content-type': 'application/merge-patch+json', ...headers },
      payload: JSON.stringify({ given_name: givenName })
    })
  const changed = (await patch('Ana')).headers.etag as string
  t.equal((await patch(null)).statusCode, 200)
  const again = await patch('Ana', { 'if-none-match': changed })
  t.equal(again.statusCode, 200, 'a write answers what it wrote, whatever If-None-Match says')
  t.equal(again.json().given_name, 'Ana')
  t.equal(again.headers.etag, changed)
})

t.test('If-Match: `*` or any listed tag, strongly compared, lets PATCH and DELETE through; else 412, and nothing changes', async (t) => {
  const { app, writer } = await appWithWriter(t)
  const patch = (url: string, ifMatch: string | undefined, note: string) =>
    app.inject({
      method: 'PATCH',
      url,
      headers: { ...writer, 'content-type': 'application/merge-patch+json', ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
      payload: JSON.stringify({ note })
    })
  const noteOf = async (url: string) => (await app.inject(url)).json().note as string | undefined

  const current = await etagOf(app, PERSON)
  const refused: [string | undefined, number][] = [
    [undefined, 428],
    [`W/${current}`, 412],
    ['"a", "b"', 412],
    ['not-a-tag', 412],
    [`${current} garbage`, 412]
  ]
  for (const [field, status] of refused) {
    const response = await patch(PERSON, field, 'Refused.')
    assertProblem(t, response, { status }, `PATCH with If-Match: ${field}`)
    if (status === 412) t.equal(response.json().current_etag, current, `${field}: names the current ETag`)
  }
  t.not(await noteOf(PERSON), 'Refused.', 'no refused PATCH wrote')

  const star = await patch(PERSON, '*', 'Any version.')
  t.equal(star.statusCode, 200, 'If-Match: * holds while the record exists')
  t.equal(await noteOf(PERSON), 'Any version.')
  const listed = await patch(PERSON, `"a", ${star.headers.etag as string}, W/"b"`, 'Listed.')
  t.equal(listed.statusCode, 200, 'a list naming the current ETag holds')
  t.equal(await noteOf(PERSON), 'Listed.')
  assertProblem(t, await patch('/v1/people/nobody', '*', 'None.'), { status: 404 }, 'If-Match: * on a missing record')

  const remove = (url: string, ifMatch: string | undefined) => app.inject({ method: 'DELETE', url, headers: { ...writer, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) } })
  const created = async (id: string) =>
    (await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: { id, name: id, sort_name: id, sources: [{ source: 'iso-3166-1' }] } })).headers.etag as string
  const first = await created('deleted-by-star')
  assertProblem(t, await remove('/v1/people/deleted-by-star', undefined), { status: 428 }, 'DELETE without If-Match')
  assertProblem(t, await remove('/v1/people/deleted-by-star', `W/${first}`), { status: 412 }, 'DELETE with a weak tag')
  t.equal((await remove('/v1/people/deleted-by-star', '*')).statusCode, 204, 'DELETE with If-Match: *')
  t.equal((await app.inject('/v1/people/deleted-by-star')).statusCode, 404, 'deleted')
  const second = await created('deleted-by-list')
  t.equal((await remove('/v1/people/deleted-by-list', `"old", ${second}`)).statusCode, 204, 'DELETE with a list naming the current ETag')
  assertProblem(t, await remove('/v1/people/deleted-by-list', '*'), { status: 404 }, 'If-Match: * once it is gone')
})
