// Cursor pagination: meta.next_cursor, meta.next and the Link header agree; a cursor is bound to
// its query and its database, and an altered one is a 400 problem, never a 500 or a wrong page.
import t from 'tap'
import { bumpDataVersion } from '../../src/db/settings.js'
import { sql } from 'drizzle-orm'
import { selectPage } from '../../src/modules/shared/sql.js'
import { getJson, seededApp, seededAppWithDatabase, seededDatabase } from '../helpers.js'
import { assertProblem, ids, walkPages } from './http-helpers.js'

t.test('a page links to the next one three ways, and the last page to none', async (t) => {
  const app = await seededApp(t)
  const first = await getJson(app, '/v1/participations?country=BA&limit=3')
  const { meta } = first.body
  t.equal(meta.total, 7)
  t.equal(meta.limit, 3)
  t.type(meta.next_cursor, 'string')
  t.equal(meta.next, `/v1/participations?country=BA&limit=3&cursor=${encodeURIComponent(meta.next_cursor)}`, 'next keeps the filters')
  t.equal(first.headers.link, `<${meta.next}>; rel="next"`, 'Link header (RFC 8288)')

  const byCursor = await getJson(app, `/v1/participations?limit=3&country=BA&cursor=${encodeURIComponent(meta.next_cursor)}`)
  t.same(byCursor.body.data, (await getJson(app, meta.next)).body.data, 'the cursor alone, with the same filters in any order, gives the next page')

  const { items, pages } = await walkPages(t, app, '/v1/participations?country=BA&limit=3')
  t.equal(pages.length, 3)
  t.same(
    items.map((o: { id: string }) => o.id),
    ids((await getJson(app, '/v1/participations?country=BA&limit=100')).body),
    'the walk gives the unpaginated list'
  )
  const last = await getJson(app, pages[2]?.url as string)
  t.same([last.body.meta.next, last.body.meta.next_cursor, last.headers.link], [null, null, undefined], 'no next page')
  t.equal(last.body.meta.total, 7, 'the total is on every page')
})

t.test('a changed page size keeps the position; records added before it do not shift the next page', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const everything = ids((await getJson(app, '/v1/organisations?limit=100')).body)
  const first = await getJson(app, '/v1/organisations?limit=5')
  const cursor = encodeURIComponent(first.body.meta.next_cursor)
  t.same(ids((await getJson(app, `/v1/organisations?limit=7&cursor=${cursor}`)).body), everything.slice(5, 12), 'another limit, same start')

  db.$client.prepare("INSERT INTO organisations (id, name, classification) VALUES ('aaa-first', 'AAA First', 'academic-institution')").run()
  bumpDataVersion(db.$client) // as every write does (after-write.ts): counts kept before it are dropped
  const second = await getJson(app, `/v1/organisations?limit=5&cursor=${cursor}`)
  t.same(ids(second.body), everything.slice(5, 10), 'the page after the cursor is unchanged by a record inserted before it')
  t.equal(second.body.meta.total, everything.length + 1, 'while the total counts it')
})

t.test('altered, forged or misplaced cursors are 400 problems naming the cursor', async (t) => {
  const app = await seededApp(t)
  const otherDatabase = await seededApp(t)
  const first = await getJson(app, '/v1/participations?country=BA&limit=2&sort=-role')
  const cursor: string = first.body.meta.next_cursor
  const [payload, signature] = cursor.split('.') as [string, string]
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  const forged = Buffer.from(JSON.stringify({ ...decoded, k: decoded.k.map(() => 'zzz') })).toString('base64url')
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
  const rejected: [string, string][] = [
    ['a forged position with the old signature', `${forged}.${signature}`],
    ['an altered signature', `${payload}.${flipped}`],
    ['no signature', payload],
    ['an extra part', `${cursor}.x`],
    ['garbage', '%22%27%3B--'],
    ['not base64', `${payload}.!!!`],
    ['FTS and SQL syntax', 'NEAR(%22a%22*)%20OR%201=1']
  ]
  for (const [label, bad] of rejected) {
    const url = `/v1/participations?country=BA&limit=2&sort=-role&cursor=${bad.includes('%') ? bad : encodeURIComponent(bad)}`
    assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'cursor' }] }, label)
  }
  const encoded = encodeURIComponent(cursor)
  const misplaced: [string, string][] = [
    ['another filter', `/v1/participations?country=RS&limit=2&sort=-role&cursor=${encoded}`],
    ['another sort', `/v1/participations?country=BA&limit=2&sort=role&cursor=${encoded}`],
    ['no sort', `/v1/participations?country=BA&limit=2&cursor=${encoded}`],
    ['another list', `/v1/organisations?country=BA&limit=2&sort=-country&cursor=${encoded}`],
    ['an event list', `/v1/events/sarajevo-roundtable-2015/participations?country=BA&limit=2&sort=-role&cursor=${encoded}`]
  ]
  for (const [label, url] of misplaced) {
    const body = assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'cursor' }] }, label)
    t.match(body.detail, /another query/, `${label}: says why`)
  }
  assertProblem(
    t,
    await otherDatabase.inject(`/v1/participations?country=BA&limit=2&sort=-role&cursor=${encoded}`),
    { status: 400, errors: [{ in: 'query', name: 'cursor' }] },
    'a cursor of another database'
  )
  assertProblem(t, await app.inject('/v1/participations?cursor='), { status: 400, errors: [{ in: 'query', name: 'cursor' }] }, 'an empty cursor')
  assertProblem(t, await app.inject(`/v1/participations?cursor=${'a'.repeat(2001)}`), { status: 400, errors: [{ in: 'query', name: 'cursor' }] }, 'a huge cursor')
  t.equal((await app.inject(`/v1/participations?country=BA&limit=2&sort=-role&cursor=${encoded}`)).statusCode, 200, 'the real cursor still works')
})

t.test('a sort key that does not fit the order is refused before any query runs', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const query = { columns: sql`c.code`, from: sql`FROM countries c`, conditions: [], order: [{ expression: sql`c.name` }, { expression: sql`c.code` }] }
  t.throws(() => selectPage(db, query, { limit: 2, after: ['Bosnia and Herzegovina'] }), { name: 'InvalidFilterError', parameter: 'cursor' })
  t.same(selectPage(db, query, { limit: 1, after: ['Bosnia and Herzegovina', 'BA'] }).rows, [{ code: 'BW' }], 'a fitting key pages on')
})
