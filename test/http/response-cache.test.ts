// Serialised answers are served again only while the data version has not changed: a write by the
// API, by another connection to the file (a seed run) or a bump of the version is seen by the next
// read. A cached answer is the answer the route would have made, headers included; RESPONSE_CACHE_MB
// bounds the cache, and 0 turns it off.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { DirectoryDatabase } from '../../src/db/connection.js'
import { bumpDataVersion } from '../../src/db/settings.js'
import { costOf, keyOf } from '../../src/http/response-cache.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { seededDatabase, twoConnections } from '../helpers.js'

/** Headers made afresh for every request, whether its answer comes from the cache or not. */
const PER_REQUEST_HEADERS = ['date', 'x-request-id', 'ratelimit-remaining', 'ratelimit-reset']

async function appOver(t: Test, db: DirectoryDatabase, responseCacheBytes?: number): Promise<FastifyInstance> {
  const app = await buildApp({ db, responseCacheBytes, rateLimit: { max: 1000, timeWindowMs: 60_000 } })
  t.teardown(() => app.close())
  return app
}

async function seededApps(t: Test, responseCacheBytes?: number) {
  const db = seededDatabase()
  const app = await appOver(t, db, responseCacheBytes)
  t.teardown(() => db.$client.close())
  return { db, app }
}

const PERSON = '/v1/people/peter-due'
const personName = async (app: FastifyInstance) => (await app.inject(PERSON)).json().name as string
const renameBehindTheCache = (db: DirectoryDatabase, name: string) => db.$client.prepare("UPDATE people SET name = ? WHERE id = 'peter-due'").run(name)

t.test('an answer from the cache is the answer the route makes, headers and all', async (t) => {
  const { db, app: cached } = await seededApps(t)
  const uncached = await appOver(t, db, 0)
  const first = await cached.inject('/v1/participations?limit=2')
  const urls = [
    '/v1/participations?country=BA&limit=3',
    '/v1/participations?country=BA&ministry=defence&facet=role,event',
    first.json().meta.next as string,
    '/v1/participations?q=peacekeeping&limit=5',
    '/v1/participations?event=sarajevo-roundtable-2015&include=person&limit=4',
    '/v1/participations/sarajevo-2015-mersida-mesetovic-moderator',
    PERSON,
    '/v1/people?sort=name&limit=5',
    '/v1/organisations?limit=5',
    '/v1/countries/BA',
    '/v1/events',
    '/v1/sources/seesac-2015-06-03-sarajevo-roundtable/text',
    '/v1/export/popolo.json'
  ]
  for (const url of urls) {
    const made = await cached.inject(url)
    const replayed = await cached.inject(url)
    const fresh = await uncached.inject(url)
    t.equal(made.statusCode, 200, `${url}: 200`)
    for (const answer of [replayed, fresh]) {
      t.equal(answer.statusCode, 200)
      t.equal(answer.body, made.body, `${url}: the same body`)
      const headers = (response: typeof made) => Object.entries(response.headers).filter(([name]) => !PER_REQUEST_HEADERS.includes(name))
      t.same(headers(answer), headers(made), `${url}: the same headers, in the same order`)
    }
    t.not(replayed.headers['x-request-id'], made.headers['x-request-id'], `${url}: a request id of its own`)
    t.equal(Number(replayed.headers['ratelimit-remaining']), Number(made.headers['ratelimit-remaining']) - 1, `${url}: counted by the rate limit`)
  }
})

t.test('the cache is used, and dropped by the next data version', async (t) => {
  const { db, app } = await seededApps(t)
  const name = await personName(app)
  // Behind the cache's back (no version bump): not seen, which shows the answer came from the cache.
  renameBehindTheCache(db, 'Changed Behind')
  t.equal(await personName(app), name, 'a change the data version does not know of is not seen')
  bumpDataVersion(db.$client)
  t.equal(await personName(app), 'Changed Behind', 'it is once the version changes')
})

t.test('a write through the API is seen by the next read', async (t) => {
  const { db, app } = await seededApps(t)
  const writer = { authorization: `Bearer ${createToken(db, 'editor', 'write').token}` }
  const list = '/v1/participations?person=peter-due'
  const before = (await app.inject(list)).json().meta.total as number
  const read = await app.inject(PERSON)
  const patched = await app.inject({ method: 'PATCH', url: PERSON, headers: { ...writer, 'if-match': read.headers.etag as string }, payload: { name: 'Peter Written' } })
  t.equal(patched.statusCode, 200)
  t.equal(await personName(app), 'Peter Written', 'the record')
  const participation = (await app.inject(list)).json().data[0]
  t.equal(participation.participant.name, 'Peter Written', 'and the lists that show it')
  const one = await app.inject(`/v1/participations/${participation.id}`)
  const removed = await app.inject({ method: 'DELETE', url: `/v1/participations/${participation.id}`, headers: { ...writer, 'if-match': one.headers.etag as string } })
  t.equal(removed.statusCode, 204)
  t.equal((await app.inject(list)).json().meta.total, before - 1, 'a delete leaves the list and its total')
  t.equal((await app.inject(`/v1/participations/${participation.id}`)).statusCode, 404, 'and the record')
})

t.test('a write through another connection to the same file (a seed run) is seen by the next read', async (t) => {
  const { served, operator } = twoConnections(t)
  const app = await appOver(t, served)
  await personName(app)
  operator.$client.transaction(() => {
    renameBehindTheCache(operator, 'Renamed Elsewhere')
    bumpDataVersion(operator.$client)
  })()
  t.equal(await personName(app), 'Renamed Elsewhere')
})

t.test('only successful answers are kept', async (t) => {
  const { db, app } = await seededApps(t)
  t.equal((await app.inject('/v1/people/somebody-new')).statusCode, 404)
  db.$client.prepare("INSERT INTO people (id, name, sort_name) VALUES ('somebody-new', 'Somebody New', 'New, Somebody')").run()
  t.equal((await app.inject('/v1/people/somebody-new')).statusCode, 200, 'the 404 was not kept')
})

t.test('a conditional GET answered from the cache is a 304', async (t) => {
  const { app } = await seededApps(t)
  const { headers } = await app.inject(PERSON)
  await app.inject(PERSON)
  const notModified = await app.inject({ url: PERSON, headers: { 'if-none-match': headers.etag as string } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.body, '')
})

t.test('the answer is keyed by Accept: a JSON answer is not served for CSV, and CSV streams are not kept', async (t) => {
  const { db, app } = await seededApps(t)
  const url = '/v1/people?limit=100'
  t.match((await app.inject(url)).headers['content-type'], /^application\/json/)
  const csv = await app.inject({ url, headers: { accept: 'text/csv' } })
  t.match(csv.headers['content-type'], /^text\/csv/)
  renameBehindTheCache(db, 'Not Kept')
  t.match((await app.inject({ url, headers: { accept: 'text/csv' } })).body, /Not Kept/, 'the CSV is made again')
})

t.test('an operation that needs a token is never answered from the cache', async (t) => {
  const { db, app } = await seededApps(t)
  const admin = { authorization: `Bearer ${createToken(db, 'admin', 'admin').token}` }
  t.equal((await app.inject({ url: '/v1/changes', headers: admin })).statusCode, 200)
  t.equal((await app.inject('/v1/changes')).statusCode, 401, 'without the token, a 401 again')
  // Changed behind the cache (no new data version): a kept answer would still show the old actor.
  for (const url of ['/v1/changes?limit=1', '/v1/changes?limit=1&format=csv']) {
    t.match((await app.inject({ url, headers: admin })).body, /"?seed"?/, `${url}: made`)
    db.$client.prepare("UPDATE changes SET actor = 'rewritten' WHERE actor = 'seed'").run()
    t.match((await app.inject({ url, headers: admin })).body, /rewritten/, `${url}: made again, not kept`)
    db.$client.prepare("UPDATE changes SET actor = 'seed' WHERE actor = 'rewritten'").run()
  }
})

t.test('two requests for the same answer at once keep it once', async (t) => {
  const other = '/v1/people/mark-pedersen'
  const { app: sizer } = await seededApps(t, 0)
  const cost = async (url: string) => costOf(keyOf(url, undefined), (await sizer.inject(url)).rawPayload)
  // Room for the first answer twice and the other, but a byte: counted twice, the first would go to make room for the other.
  const { db, app } = await seededApps(t, 2 * (await cost(PERSON)) + (await cost(other)) - 1)
  const [a, b] = await Promise.all([app.inject(PERSON), app.inject(PERSON)])
  t.equal(a.body, b.body)
  await app.inject(other)
  renameBehindTheCache(db, 'Unseen')
  t.equal((await app.inject(PERSON)).json().name, a.json().name, 'kept, and counted once')
})

t.test('the cache holds at most its size, the oldest not asked for since going first; 0 keeps nothing', async (t) => {
  const [a, b, c] = ['/v1/people/peter-due', '/v1/people/mark-pedersen', '/v1/people/mersida-mesetovic'] as const
  const { app: sizer } = await seededApps(t, 0)
  let room = -1
  for (const url of [a, b, c]) room += costOf(keyOf(url, undefined), (await sizer.inject(url)).rawPayload)
  // Room for any two of the three answers, not for all three.
  const { db, app } = await seededApps(t, room)
  for (const url of [a, b, a, c]) await app.inject(url) // a is used again before c comes: b goes
  db.$client.prepare("UPDATE people SET name = name || ' (renamed)'").run()
  const renamed = async (url: string) => ((await app.inject(url)).json().name as string).endsWith('(renamed)')
  t.same([await renamed(a), await renamed(c), await renamed(b)], [false, false, true], 'a and c were kept, b made again')

  const { db: tinyDb, app: tiny } = await seededApps(t, 100)
  await tiny.inject(PERSON)
  renameBehindTheCache(tinyDb, 'Too Big To Keep')
  t.equal(await personName(tiny), 'Too Big To Keep', 'an answer larger than the whole cache is not kept')

  const { db: offDb, app: off } = await seededApps(t, 0)
  await off.inject(PERSON)
  renameBehindTheCache(offDb, 'No Cache')
  t.equal(await personName(off), 'No Cache', '0: nothing kept')
})
