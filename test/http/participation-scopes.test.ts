// The participation_scopes index follows every write: a change to an organisation's country or
// parent moves its participations between the country and ministry lists at the next read, and a
// deleted participation (deletes do not go through applySeedFiles) leaves the lists and counts.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededAppWithDatabase } from '../helpers.js'
import { walkPages } from './http-helpers.js'

const source = [{ source: 'iso-3166-1' }]

const ids = async (app: FastifyInstance, query: string): Promise<string[]> =>
  (await getJson(app, `/v1/participations?limit=100&${query}`)).body.data.map((p: { id: string }) => p.id)

t.test('a write is visible to the next list read', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const post = async (resource: string, record: object) =>
    t.equal((await app.inject({ method: 'POST', url: `/v1/${resource}`, headers: writer, payload: record })).statusCode, 201, `${resource} created`)
  const patch = async (url: string, change: object) => {
    const etag = (await app.inject(url)).headers.etag as string
    const headers = { ...writer, 'if-match': etag, 'content-type': 'application/merge-patch+json' }
    t.equal((await app.inject({ method: 'PATCH', url, headers, payload: JSON.stringify(change) })).statusCode, 200, `${url} patched`)
  }

  await post('organisations', { id: 'test-unit', name: 'Test Unit', classification: 'government-agency', country: 'ME', sources: source })
  await post('participations', { id: 'test-unit-takes-part', event: 'sarajevo-roundtable-2015', organisation: 'test-unit', role: 'participant', sources: source })
  t.ok((await ids(app, 'country=ME')).includes('test-unit-takes-part'), 'listed under its organisation’s country')
  t.notOk((await ids(app, 'ministry=ba-ministry-of-defence')).includes('test-unit-takes-part'), 'not under a ministry yet')
  const event = await getJson(app, '/v1/participations?event=sarajevo-roundtable-2015&limit=1')

  await patch('/v1/organisations/test-unit', { country: 'BA', parent: 'ba-ministry-of-defence' })
  t.notOk((await ids(app, 'country=ME')).includes('test-unit-takes-part'), 'gone from the old country')
  t.ok((await ids(app, 'country=BA&ministry=ba-ministry-of-defence')).includes('test-unit-takes-part'), 'under the new country and ministry')
  t.ok((await ids(app, 'ministry=defence')).includes('test-unit-takes-part'), 'under the ministry’s portfolio')

  const etag = (await app.inject('/v1/participations/test-unit-takes-part')).headers.etag as string
  const removed = await app.inject({ method: 'DELETE', url: '/v1/participations/test-unit-takes-part', headers: { ...writer, 'if-match': etag } })
  t.equal(removed.statusCode, 204, removed.body)
  const after = await getJson(app, '/v1/participations?event=sarajevo-roundtable-2015&limit=1')
  t.equal(after.body.meta.total, event.body.meta.total - 1, 'a deleted participation leaves the count')
})

/** Every page of a list from `url` on (walkPages): the ids in order, and the totals the pages gave. */
async function walk(t: Test, app: FastifyInstance, url: string): Promise<{ walked: string[]; totals: number[] }> {
  const { items, pages } = await walkPages<{ id: string }>(t, app, url)
  return { walked: items.map((p) => p.id), totals: [...new Set(pages.map((page) => page.meta.total))] }
}

// A search of every participation ranks its matches once and joins only those ranked at or
// before the page's bound (searchPageQuery): walking its pages at every size must still give the
// whole ranked list, ties on a page's boundary included.
t.test('search pages, at every page size, walk the whole ranked list', async (t) => {
  const { app } = await seededAppWithDatabase(t)
  for (const q of ['ministry', 'defence', 'e', 'undp']) {
    const whole = await ids(app, `q=${q}`)
    t.ok(whole.length >= 2, `q=${q} matches ${whole.length}`)
    for (let limit = 1; limit <= 6; limit++) {
      const { walked, totals } = await walk(t, app, `/v1/participations?q=${q}&limit=${limit}`)
      t.strictSame(walked, whole, `q=${q}, ${limit} a page`)
      t.strictSame(totals, [whole.length], `q=${q}, ${limit} a page: the total on every page`)
    }
  }
})

// A search within filters finds its matches in them once, walking the matches or the first
// filter's range (looking its rows up among the matches by record id or by rowid), whichever
// costs least (matchesInFirstScope). Each way lists the search of every participation, kept to
// those the filters list, in the same order, and counts them.
const WALKS = {
  matches: 'hit CROSS JOIN participation_scopes x ON x.participation_id = hit.record_id',
  'range by record id': 'participation_scopes x CROSS JOIN hit ON hit.record_id = x.participation_id',
  'range by rowid': 'CROSS JOIN hit ON hit.match_rowid = hp.rowid'
}
t.test('a search within filters is the whole ranking kept to the filtered list', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const prepared = new Set<string>()
  const prepare = db.$client.prepare.bind(db.$client)
  db.$client.prepare = ((source: string) => (prepared.add(source), prepare(source))) as typeof prepare
  const filters = ['country=BA', 'ministry=defence', 'country=BA&ministry=defence', 'role=participant', 'event=sarajevo-roundtable-2015', 'country=BA&role=participant']
  for (const q of ['ministry', 'defence', 'e', 'undp', 'seesac', 'nobody-at-all']) {
    const ranking = await ids(app, `q=${q}`)
    for (const filter of filters) {
      const listed = new Set(await ids(app, filter))
      const expected = ranking.filter((id) => listed.has(id))
      for (const limit of [1, 3, 100]) {
        const { walked, totals } = await walk(t, app, `/v1/participations?q=${q}&${filter}&limit=${limit}`)
        t.strictSame(walked, expected, `q=${q}&${filter}, ${limit} a page`)
        t.strictSame(totals, [expected.length], `q=${q}&${filter}, ${limit} a page: the total on every page`)
      }
      // The facets count the same matches, found the same way.
      const { body } = await getJson(app, `/v1/participations?q=${q}&${filter}&facet=role&limit=1`)
      const byValue = (a: { value: string }, b: { value: string }) => (a.value < b.value ? -1 : 1)
      const byRole = db.$client.prepare('SELECT role AS value, count(*) AS count FROM participations WHERE id IN (SELECT value FROM json_each(?)) GROUP BY role').all(JSON.stringify(expected))
      t.same(
        (body.meta.facets.role as { value: string; count: number }[]).map(({ value, count }) => ({ value, count })).sort(byValue),
        (byRole as { value: string; count: number }[]).sort(byValue),
        `q=${q}&${filter}: the role facet`
      )
    }
  }
  for (const [walk, from] of Object.entries(WALKS)) t.ok([...prepared].some((source) => source.includes(from)), `some search walked the ${walk}`)
})
