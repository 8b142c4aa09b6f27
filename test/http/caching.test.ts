// Conditional GET: a strong ETag that changes when, and only when, the data behind a response
// changes; 304 for a matching If-None-Match; Cache-Control for reads, no-store for the rest.
import { join } from 'node:path'
import t from 'tap'
import { CACHE_CONTROL_NONE, CACHE_CONTROL_READ } from '../../src/http/caching.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { seededApp, seededAppWithDatabase } from '../helpers.js'

t.test('every successful GET has a strong ETag and Cache-Control; If-None-Match answers 304 with no body', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/participations?country=BA', '/v1/people/mersida-mesetovic', '/v1/countries', '/v1/sources/seesac-2015-06-03-sarajevo-roundtable/text', '/openapi.json']) {
    const first = await app.inject(url)
    t.equal(first.statusCode, 200, url)
    const tag = first.headers.etag as string
    t.match(tag, /^"[A-Za-z0-9+/=]+"$/, `${url}: a strong ETag`)
    t.equal(first.headers['cache-control'], CACHE_CONTROL_READ, `${url}: cacheable`)
    t.equal((await app.inject(url)).headers.etag, tag, `${url}: the same body has the same ETag`)

    const notModified = await app.inject({ url, headers: { 'if-none-match': tag } })
    t.equal(notModified.statusCode, 304, `${url}: 304`)
    t.equal(notModified.body, '', `${url}: no body`)
    t.equal(notModified.headers.etag, tag)

    const stale = await app.inject({ url, headers: { 'if-none-match': '"something-else"' } })
    t.equal(stale.statusCode, 200, `${url}: a different ETag gets the full answer`)
  }
  const page1 = await app.inject('/v1/participations?limit=5')
  const page2 = await app.inject(page1.json().meta.next)
  t.not(page1.headers.etag, page2.headers.etag, 'different answers, different ETags')
})

t.test('errors and health answers are not stored', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/health', '/v1/people/nobody', '/v1/participations?country=XX', '/v1/nothing-here']) {
    t.equal((await app.inject(url)).headers['cache-control'], CACHE_CONTROL_NONE, url)
  }
})

t.test('a seed run changes the ETag of what it changed, and of nothing else', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const urls = ['/v1/people/peter-due', '/v1/people/mark-pedersen', '/v1/events', '/v1/participations?person=peter-due', '/v1/people?format=csv', '/v1/events?format=csv']
  const tags = async () => Promise.all(urls.map(async (url) => (await app.inject(url)).headers.etag))
  const before = await tags()

  seedDatabase(db)
  t.same(await tags(), before, 'a run that changes nothing keeps every ETag')

  const dir = t.testdir({
    'due.yaml': `people:
  - id: peter-due
    name: Peter Due
    honorific_prefix: Mr.
    given_name: Peter
    family_name: Due
    sort_name: Due, Peter
    note: Keynote speaker of the Sarajevo roundtable.
    sources:
      - source: seesac-2015-06-03-sarajevo-roundtable
        quote: The keynote speaker
`
  })
  const result = seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir })
  t.equal(result.changes.people.updated, 1)
  const after = await tags()
  t.not(after[0], before[0], 'the changed person has a new ETag')
  t.equal(after[1], before[1], 'another person keeps hers')
  t.equal(after[2], before[2], 'the events keep theirs')
  t.equal(after[3], before[3], 'participations that do not show the changed fields keep theirs')
  t.not(after[4], before[4], 'the CSV of people has a new ETag')
  // A streamed CSV is tagged by the data version, which any change increases: a CSV may be
  // downloaded again after an unrelated change, but never served stale.
  t.not(after[5], before[5], 'so has every CSV export')

  seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir })
  t.same(await tags(), after, 'running the same file again keeps every ETag, CSV ones included')
})

t.test('CSV exports have a strong ETag and answer If-None-Match with a 304', async (t) => {
  const app = await seededApp(t)
  const other = await seededApp(t)
  const url = '/v1/participations?country=BA&format=csv'
  const first = await app.inject(url)
  const tag = first.headers.etag as string
  t.match(tag, /^"csv-[A-Za-z0-9_-]+"$/)
  t.equal((await app.inject(url)).headers.etag, tag, 'the same export, the same ETag')
  const notModified = await app.inject({ url, headers: { 'if-none-match': tag } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.body, '')
  const byAccept = await app.inject({ url: '/v1/participations?country=BA', headers: { accept: 'text/csv' } })
  t.equal(byAccept.body, first.body, 'Accept: text/csv gives the same CSV')
  t.not(byAccept.headers.etag, (await app.inject('/v1/participations?country=BA')).headers.etag, 'and not the ETag of the JSON page')
  t.not((await app.inject('/v1/participations?country=RS&format=csv')).headers.etag, tag, 'another filter, another ETag')
  t.not((await other.inject(url)).headers.etag, tag, 'another database, another ETag')
})
