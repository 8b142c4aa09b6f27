// Facets: exact counts of the matching records by value, for the current filters, as Datasette does.
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { DEFAULT_FACET_SIZE, MAX_FACET_SIZE } from '../../src/http/facets.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { sql } from 'drizzle-orm'
import { PERSON_FACETS } from '../../src/modules/people/people.repository.js'
import { pairedFacetCounts } from '../../src/modules/shared/sql.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededApp, seededAppWithDatabase } from '../helpers.js'

interface FacetValue {
  value: string | null
  label: string
  count: number
}

const FACETED = [
  { path: '/v1/participations', facets: ['country', 'role', 'event', 'participant_type'], filters: { role: 'role', event: 'event', participant_type: 'participant_type' } },
  { path: '/v1/organisations', facets: ['country', 'classification', 'portfolio'], filters: { classification: 'classification' } },
  { path: '/v1/events', facets: ['country', 'classification'], filters: { classification: 'classification', country: 'country' } }
] as const

t.test('each facet partitions the matching records: its counts add up to meta.total', async (t) => {
  const app = await seededApp(t)
  for (const { path, facets } of FACETED) {
    for (const query of ['', 'country=BA&', 'q=ministry&']) {
      const { status, body } = await getJson(app, `${path}?${query}facet=${facets.join(',')}&limit=1`)
      t.equal(status, 200, path)
      t.same(Object.keys(body.meta.facets), facets, `${path}: every requested facet, in order`)
      for (const name of facets) {
        const values = body.meta.facets[name] as FacetValue[]
        t.equal(values.reduce((sum, v) => sum + v.count, 0), body.meta.total, `${path}?${query} ${name}: counts add up to the total`)
        t.same(
          values.map((v) => v.count),
          values.map((v) => v.count).sort((a, b) => b - a),
          `${path} ${name}: most frequent first`
        )
      }
    }
  }
})

t.test('a facet value, used as a filter, finds exactly as many records as it counts', async (t) => {
  const app = await seededApp(t)
  for (const { path, facets, filters } of FACETED) {
    const { body } = await getJson(app, `${path}?facet=${facets.join(',')}`)
    for (const [facet, parameter] of Object.entries(filters)) {
      for (const { value, count } of body.meta.facets[facet] as FacetValue[]) {
        if (value === null) continue
        const filtered = await getJson(app, `${path}?${parameter}=${encodeURIComponent(value)}&limit=1`)
        t.equal(filtered.body.meta.total, count, `${path}?${parameter}=${value}`)
      }
    }
  }
})

t.test('facets respect the other filters and label their values', async (t) => {
  const app = await seededApp(t)
  const { body } = await getJson(app, '/v1/participations?country=BA&facet=role,country')
  t.same(body.meta.facets.role, [
    { value: 'co-host', label: 'co-host', count: 3 },
    { value: 'participant', label: 'participant', count: 3 },
    { value: 'moderator', label: 'moderator', count: 1 }
  ])
  t.same(body.meta.facets.country, [{ value: 'BA', label: 'Bosnia and Herzegovina', count: 7 }])
  const ofEvent = await getJson(app, '/v1/events/belgrade-being-a-peacekeeper-roundtable-2014/participations?facet=role,event')
  t.same(ofEvent.body.meta.facets, {
    role: [{ value: 'co-organiser', label: 'co-organiser', count: 1 }],
    event: [{ value: 'belgrade-being-a-peacekeeper-roundtable-2014', label: 'Being a Peacekeeper', count: 1 }]
  }, "an event's participations are counted within that event")
  const everyone = await getJson(app, '/v1/participations?facet=country')
  t.same(everyone.body.meta.facets.country[0], { value: null, label: 'None', count: 13 }, 'international participants have no country')
  const organisations = await getJson(app, '/v1/organisations?ministry=defence&facet=country,portfolio')
  t.equal(organisations.body.meta.facets.country.length, 6, 'the six countries whose defence ministries are in the directory')
  const portfolios = organisations.body.meta.facets.portfolio as FacetValue[]
  t.same(portfolios, [
    { value: 'defence', label: 'defence', count: 6 },
    { value: null, label: 'None', count: 1 }
  ], 'six ministries and the armed forces under one')
})

t.test('the facet parameter: an allow-list, duplicates ignored, absent from lists without facets', async (t) => {
  const app = await seededApp(t)
  const twice = await getJson(app, '/v1/events?facet=country,country')
  t.same(Object.keys(twice.body.meta.facets), ['country'])
  const unknown = await getJson(app, '/v1/organisations?facet=colour')
  t.equal(unknown.status, 400)
  t.same(unknown.body.errors, [{ in: 'query', name: 'facet', detail: 'unknown facet "colour" (expected country, classification, portfolio)' }])
  t.equal((await getJson(app, '/v1/events?facet=country,,classification')).status, 400, 'malformed list')
  t.equal((await getJson(app, '/v1/sources?facet=country')).status, 400, 'sources have no facets')
  t.notOk('facets' in (await getJson(app, '/v1/events')).body.meta, 'no facets unless asked')
  const csv = await app.inject('/v1/events?facet=country&format=csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8', 'a CSV export has no facets to add')
})

t.test(`facet_size: the most frequent values (${DEFAULT_FACET_SIZE} unless asked), and how many there are`, async (t) => {
  // More events than a facet shows by default, event i with i + 1 participations.
  const eventCount = DEFAULT_FACET_SIZE + 5
  const events = Array.from({ length: eventCount }, (_, i) => ({
    id: `meeting-${String(i).padStart(2, '0')}`,
    name: `Meeting ${i}`,
    classification: 'meeting',
    start_date: '2016',
    sources: [{ source: 'register' }]
  }))
  const people = Array.from({ length: eventCount }, (_, i) => ({ id: `person-${i}`, name: `Person ${i}`, sort_name: `Person ${i}`, sources: [{ source: 'register' }] }))
  const dir = t.testdir({
    'meetings.json': JSON.stringify({
      sources: [{ id: 'register', kind: 'dataset', title: 'A register', publisher: 'Tests' }],
      people,
      events,
      participations: events.flatMap((event, i) =>
        people.slice(0, i + 1).map((person) => ({ id: `${event.id}-${person.id}`, event: event.id, person: person.id, role: 'participant', sources: [{ source: 'register' }] }))
      )
    })
  })
  const db = openDatabase(':memory:')
  seedDatabase(db, { files: [join(dir, 'meetings.json')], cwd: dir })
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const mostFrequent = (n: number) => events.slice(-n).reverse().map((event) => event.id)
  // Counted from the index (unfiltered, by role) and from the tables (by participant type).
  for (const filter of ['', '&role=participant', '&participant_type=person']) {
    const byDefault = (await getJson(app, `/v1/participations?facet=event,role${filter}&limit=1`)).body.meta
    t.same(
      byDefault.facets.event.map((v: FacetValue) => v.value),
      mostFrequent(DEFAULT_FACET_SIZE),
      `${filter || 'unfiltered'}: the ${DEFAULT_FACET_SIZE} most frequent events`
    )
    t.same(byDefault.facet_value_totals, { event: eventCount, role: 1 }, `${filter || 'unfiltered'}: how many values each facet has`)
    const three = (await getJson(app, `/v1/participations?facet=event&facet_size=3${filter}&limit=1`)).body.meta
    t.same(
      three.facets.event.map((v: FacetValue) => [v.value, v.count]),
      mostFrequent(3).map((id, i) => [id, eventCount - i]),
      `${filter || 'unfiltered'}: facet_size=3`
    )
    const all = (await getJson(app, `/v1/participations?facet=event&facet_size=${MAX_FACET_SIZE}${filter}&limit=1`)).body.meta
    t.equal(all.facets.event.length, eventCount, `${filter || 'unfiltered'}: every value when they fit`)
  }
  const people5 = (await getJson(app, '/v1/people?facet=country&facet_size=5&limit=1')).body.meta
  t.same(people5.facet_value_totals, { country: 1 }, 'people: one value, no country')
  for (const size of ['0', String(MAX_FACET_SIZE + 1), 'ten']) {
    const { status, body } = await getJson(app, `/v1/events?facet=classification&facet_size=${size}`)
    t.equal(status, 400, `facet_size=${size}`)
    t.equal(body.errors[0]?.name, 'facet_size', `facet_size=${size}: the parameter at fault`)
  }
})

t.test('people facet by country and organisation: a person counts under each, and each count is what the filter finds', async (t) => {
  const app = await seededApp(t)
  for (const query of ['', 'event=sarajevo-roundtable-2015&', 'q=mesetovic&', 'country=BA&']) {
    const { status, body } = await getJson(app, `/v1/people?${query}facet=country,organisation`)
    t.equal(status, 200)
    const facets = body.meta.facets as Record<'country' | 'organisation', FacetValue[]>
    for (const [name, values] of Object.entries(facets)) {
      t.ok(values.reduce((sum, v) => sum + v.count, 0) >= body.meta.total, `${query} ${name}: everyone counts at least once`)
      for (const { value, count } of values) {
        if (value === null || query.startsWith(`${name}=`)) continue
        const filtered = await getJson(app, `/v1/people?${query}${name}=${encodeURIComponent(value)}&limit=100`)
        // The organisation filter also covers the bodies under it, so it finds at least as many.
        if (name === 'country') t.equal(filtered.body.meta.total, count, `${query}country=${value}: ${count}`)
        else t.ok(filtered.body.meta.total >= count, `${query}organisation=${value}: at least ${count}`)
      }
    }
  }
  const { body } = await getJson(app, '/v1/people?facet=country,organisation')
  t.same(
    body.meta.facets.country.find((v: FacetValue) => v.value === 'BA'),
    { value: 'BA', label: 'Bosnia and Herzegovina', count: 1 },
    'Mesetović (BiH AF) counts for BA; Čosović-Medić, of UNDP BiH (which belongs to no country), does not'
  )
  t.same(body.meta.facets.organisation.find((v: FacetValue) => v.value === 'ba-armed-forces'), { value: 'ba-armed-forces', label: 'Armed Forces of Bosnia and Herzegovina', count: 1 })
})

// Everyone's people facets are counted down person_scopes (EVERYONE_BY_COUNTRY and the like), any
// other list's by joining each matching person to their pairs: both count alike, the people
// under no value included.
t.test("everyone's people facets count as the facets joined person by person do", async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const everyPerson = sql`SELECT pe.id FROM people pe`
  const byNone = (facet: string) =>
    pairedFacetCounts(db, undefined, PERSON_FACETS, { names: [facet], size: MAX_FACET_SIZE })[facet]?.values.find((v) => v.value === null)
  const compare = async (when: string) => {
    for (const size of [1, 2, MAX_FACET_SIZE]) {
      const request = { names: ['country', 'organisation'], size }
      const joined = pairedFacetCounts(db, everyPerson, PERSON_FACETS, request)
      t.same(pairedFacetCounts(db, undefined, PERSON_FACETS, request), joined, `${when}, facet_size=${size}`)
      const { body } = await getJson(app, `/v1/people?facet=country,organisation&facet_size=${size}&limit=1`)
      t.same(body.meta.facets, { country: joined.country?.values, organisation: joined.organisation?.values }, `${when}, GET, facet_size=${size}`)
    }
  }
  t.equal(byNone('organisation'), undefined, 'the seeded people all have an organisation: no None')
  await compare('seeded')
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const unaffiliated = { id: 'nobody-in-particular', name: 'Nobody in Particular', sort_name: 'Particular, Nobody', sources: [{ source: 'iso-3166-1' }] }
  t.equal((await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: unaffiliated })).statusCode, 201, 'a person of no country or organisation')
  await compare('with a person of no country or organisation')
  t.same(byNone('organisation'), { value: null, label: 'None', count: 1 }, 'the person of no organisation, under None')
})
