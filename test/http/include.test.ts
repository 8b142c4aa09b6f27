// include= embeds related records in full, one level deep, loaded for the whole page at once.
import t from 'tap'
import { getJson, seededApp, seededAppWithDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'
import { setCountCacheSize } from '../../src/db/count-cache.js'

t.test("participations embed the participant, the organisation represented and the event", async (t) => {
  const app = await seededApp(t)
  const { body } = await getJson(app, '/v1/participations?include=person,organisation,on_behalf_of,event&limit=100')
  t.equal(body.data.length, 41)
  const kinds = new Set<string>()
  for (const p of body.data) {
    const { included } = p
    kinds.add(p.participant.type)
    t.same(Object.keys(included).sort(), ['event', 'on_behalf_of', 'organisation', 'person'], `${p.id}: every asked relation is there`)
    t.equal(included.person?.id ?? null, p.participant.type === 'person' ? p.participant.id : null, `${p.id}: the person is the participant`)
    t.equal(included.organisation?.id ?? null, p.participant.type === 'organisation' ? p.participant.id : null, `${p.id}: the organisation is the participant`)
    t.equal(included.on_behalf_of?.id ?? null, p.on_behalf_of?.id ?? null, `${p.id}: the organisation represented`)
    t.equal(included.event.id, p.event.id)
    t.same(included.event, (await getJson(app, `/v1/events/${p.event.id}`)).body, `${p.id}: the event in full, as its own URL gives it`)
    if (included.person) t.same(included.person, (await getJson(app, `/v1/people/${included.person.id}`)).body, `${p.id}: the person in full`)
    for (const organisation of [included.organisation, included.on_behalf_of].filter(Boolean)) {
      t.notOk('included' in organisation, 'embedded records embed nothing further')
      t.same(organisation, (await getJson(app, `/v1/organisations/${organisation.id}`)).body, `${p.id}: the organisation in full`)
    }
  }
  t.ok(kinds.has('person') && kinds.has('organisation') && kinds.has('delegation'), 'the page mixes kinds of participant')

  const eventOnly = await getJson(app, '/v1/participations?include=event&limit=3')
  for (const p of eventOnly.body.data) t.same(Object.keys(p.included), ['event'], 'only what was asked')
  const without = await getJson(app, '/v1/participations?limit=3')
  for (const p of without.body.data) t.notOk('included' in p, 'nothing embedded unless asked')

  const one = await getJson(app, '/v1/participations/sarajevo-2015-mersida-mesetovic-moderator?include=person,on_behalf_of')
  t.equal(one.body.included.person.name, 'Mersida Mesetović')
  t.equal(one.body.included.on_behalf_of.abbreviation, 'BiH AF')
  t.equal(one.body.included.on_behalf_of.parent.id, 'ba-ministry-of-defence')
})

t.test("organisations embed their parent and children", async (t) => {
  const app = await seededApp(t)
  const { body } = await getJson(app, '/v1/organisations?include=parent,children&limit=100')
  for (const o of body.data) {
    t.equal(o.included.parent?.id ?? null, o.parent?.id ?? null, `${o.id}: parent`)
    t.same(o.included.children.map((c: { id: string }) => c.id), o.children.map((c: { id: string }) => c.id), `${o.id}: children, in order`)
  }
  const armedForces = await getJson(app, '/v1/organisations/ba-armed-forces?include=parent')
  t.same(armedForces.body.included.parent, (await getJson(app, '/v1/organisations/ba-ministry-of-defence')).body, 'the parent in full')
  const ministry = await getJson(app, '/v1/organisations/ba-ministry-of-defence?include=children')
  t.same(ministry.body.included, { children: [(await getJson(app, '/v1/organisations/ba-armed-forces')).body] })
})

t.test('embedding costs the same number of queries for 20 records as for 41', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  setCountCacheSize(db.$client, 0) // every request counts its total: the requests compared run alike
  // Statements run, counted on the statement class itself: prepared statements are reused across
  // requests (statements.ts), so counting prepare() calls would count only the first request's.
  const Statement = Object.getPrototypeOf(db.$client.prepare('SELECT 1')) as Record<'all' | 'get' | 'iterate' | 'run', (...args: unknown[]) => unknown>
  let statements = 0
  for (const method of ['all', 'get', 'iterate', 'run'] as const) {
    const run = Statement[method]
    Statement[method] = function (this: unknown, ...args: unknown[]) {
      statements++
      return run.apply(this, args)
    }
    t.teardown(() => {
      Statement[method] = run
    })
  }
  const count = async (url: string) => {
    statements = 0
    t.equal((await app.inject(url)).statusCode, 200, url)
    return statements
  }
  const all = 'include=person,organisation,on_behalf_of,event'
  // Pages that mix every kind of participant (a page without people needs no query for people).
  const small = await count(`/v1/participations?${all}&limit=20`)
  const large = await count(`/v1/participations?${all}&limit=41`)
  t.ok(small > 0, `${small} statements for 20 participations`)
  t.ok(large <= small, `and no more for 41 (${large}): no query per record`)
  const organisations = await count('/v1/organisations?include=parent,children&limit=31')
  t.ok(organisations <= (await count('/v1/organisations?include=parent,children&limit=15')), 'organisations too')
})

t.test('include names only what the resource embeds', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/participations?include=sources', '/v1/participations?include=person,parent', '/v1/organisations?include=person', '/v1/organisations/undp?include=event']) {
    assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'include' }] }, url)
  }
  for (const url of ['/v1/people?include=positions', '/v1/participations?include=Person', '/v1/participations?include=']) {
    assertProblem(t, await app.inject(url), { status: 400, errors: [{ in: 'query', name: 'include' }] }, url)
  }
})
