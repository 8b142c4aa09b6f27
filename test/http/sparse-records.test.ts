// Records with nothing optional (no sources, no country, no positions, no other names), written
// straight into an empty database: the API answers null and [] for what is missing, never fails,
// and orders positions (most recent first) and sessions (by id) as documented.
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { afterWrite } from '../../src/db/after-write.js'
import { getJson } from '../helpers.js'

async function sparseApp(t: Test) {
  const db = openDatabase(':memory:')
  db.$client.exec(`
    INSERT INTO countries (code, alpha3, numeric, name) VALUES ('BA', 'BIH', '070', 'Bosnia and Herzegovina');
    INSERT INTO sources (id, kind, title, publisher) VALUES ('notes', 'dataset', 'Field notes', 'Nobody');
    INSERT INTO organisations (id, name, classification) VALUES ('org-a', 'Alpha Agency', 'government-agency');
    INSERT INTO organisations (id, name, classification, parent_id) VALUES ('org-b', 'Beta Bureau', 'government-agency', 'org-a');
    INSERT INTO other_names (organisation_id, name) VALUES ('org-a', 'The Agency');
    INSERT INTO people (id, name, sort_name) VALUES ('p-one', 'Ana Ćirić', 'Ćirić, Ana');
    INSERT INTO people (id, name, sort_name) VALUES ('p-two', 'Bo Berg', 'Berg, Bo');
    INSERT INTO positions (id, person_id, organisation_id, title, as_of) VALUES ('pos-old', 'p-one', 'org-a', 'Clerk', '2014');
    INSERT INTO positions (id, person_id, organisation_id, title, as_of) VALUES ('pos-new', 'p-one', 'org-b', 'Head', '2016-05');
    INSERT INTO events (id, name, classification, start_date) VALUES ('e-one', 'A meeting', 'meeting', '2016');
    INSERT INTO sessions (id, event_id, name, classification) VALUES ('s-b', 'e-one', 'Second', 'plenary');
    INSERT INTO sessions (id, event_id, name, classification) VALUES ('s-a', 'e-one', 'First', 'workshop');
    INSERT INTO participations (id, event_id, session_id, participant_type, person_id, role, on_behalf_of_id)
      VALUES ('part-one', 'e-one', 's-b', 'person', 'p-one', 'panellist', 'org-b');
  `)
  // Written behind the service's back: make the derived tables (search, scopes, CSV lines) as a seed run would.
  afterWrite(db, [], { rebuild: true })
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  return app
}

t.test('records without sources, countries or positions', async (t) => {
  const app = await sparseApp(t)

  const country = await getJson(app, '/v1/countries/BA')
  t.equal(country.status, 200)
  t.same(country.body, { code: 'BA', alpha3: 'BIH', numeric: '070', name: 'Bosnia and Herzegovina', other_names: [], sources: [] })

  const agency = await getJson(app, '/v1/organisations/org-a')
  t.equal(agency.status, 200)
  t.same(agency.body, {
    id: 'org-a',
    name: 'Alpha Agency',
    abbreviation: null,
    classification: 'government-agency',
    portfolio: null,
    country: null,
    parent: null,
    children: [{ id: 'org-b', name: 'Beta Bureau', abbreviation: null }],
    other_names: [{ name: 'The Agency', start_date: null, end_date: null, note: null, sources: [] }],
    note: null,
    sources: []
  })
  t.same((await getJson(app, '/v1/organisations?q=the%20agency')).body.data.map((o: any) => o.id), ['org-a'], 'found by its other name')

  const people = await getJson(app, '/v1/people')
  t.same(people.body.data.map((p: any) => p.id), ['p-two', 'p-one'], 'Berg before Ćirić: sort names compare without accents')
  const [berg, ciric] = people.body.data
  t.same(berg, {
    id: 'p-two',
    name: 'Bo Berg',
    honorific_prefix: null,
    given_name: null,
    family_name: null,
    sort_name: 'Berg, Bo',
    other_names: [],
    positions: [],
    note: null,
    sources: []
  })
  t.same(
    ciric.positions.map((p: any) => [p.id, p.as_of, p.title, p.organisation.id, p.sources]),
    [
      ['pos-new', '2016-05', 'Head', 'org-b', []],
      ['pos-old', '2014', 'Clerk', 'org-a', []]
    ],
    'positions most recent first'
  )
  t.same((await getJson(app, '/v1/people?organisation=org-a')).body.data.map((p: any) => p.id), ['p-one'], 'a post under the organisation counts')
  t.same((await getJson(app, '/v1/people?q=ciric')).body.data.map((p: any) => p.id), ['p-one'])

  const event = await getJson(app, '/v1/events/e-one')
  t.equal(event.status, 200)
  t.equal(event.body.country, null)
  t.equal(event.body.city, null)
  t.equal(event.body.end_date, null)
  t.equal(event.body.continuation_of, null)
  t.same(event.body.continued_by, [])
  t.same(event.body.sources, [])
  t.same(
    event.body.sessions,
    [
      { id: 's-a', name: 'First', classification: 'workshop', note: null, sources: [] },
      { id: 's-b', name: 'Second', classification: 'plenary', note: null, sources: [] }
    ],
    'sessions by id'
  )
  const session = await getJson(app, '/v1/sessions/s-a')
  t.same(session.body, { id: 's-a', name: 'First', classification: 'workshop', note: null, sources: [], event: { id: 'e-one', name: 'A meeting', start_date: '2016' } }, 'a session on its own, without sources')

  const participation = await getJson(app, '/v1/participations/part-one')
  t.equal(participation.status, 200)
  t.same(participation.body, {
    id: 'part-one',
    event: { id: 'e-one', name: 'A meeting', start_date: '2016' },
    session: { id: 's-b', name: 'Second' },
    participant: { type: 'person', id: 'p-one', name: 'Ana Ćirić' },
    role: 'panellist',
    role_as_worded: null,
    on_behalf_of: { id: 'org-b', name: 'Beta Bureau', abbreviation: null },
    country: null,
    note: null,
    sources: []
  })
  t.same((await getJson(app, '/v1/participations?organisation=org-a')).body.data.map((p: any) => p.id), ['part-one'], 'on behalf of an organisation under org-a')
  t.same((await getJson(app, '/v1/participations?country=BA')).body.meta.total, 0, 'no record of the country')

  const sources = await getJson(app, '/v1/sources')
  t.same(sources.body.data, [
    { id: 'notes', kind: 'dataset', title: 'Field notes', publisher: 'Nobody', published_on: null, place: null, url: null, note: null, text: null, citations: 0 }
  ])
})
