// GET /v1/export/popolo.json, checked against an oracle written from the Popolo specification
// (test/popolo/*.schema.json, not derived from our TypeBox schemas), then for references that
// resolve, counts that match the database, sources on every record and facts of the seed.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { text } from 'node:stream/consumers'
import t, { type Test } from 'tap'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { buildApp } from '../../src/app.js'
import { exportPopolo, POPOLO_SECTIONS, type PopoloExportOptions } from '../../src/modules/export/popolo.repository.js'
import { openDatabase, type DirectoryDatabase } from '../../src/db/connection.js'
import { packageRoot } from '../../src/paths.js'
import { bumpDataVersion } from '../../src/db/settings.js'
import { getJson, seededApp, seededDatabase, twoConnections } from '../helpers.js'
import { ARTICLE_ID, BELGRADE, PANEL, SARAJEVO, assertProblem } from './http-helpers.js'

// ajv-formats is CommonJS with a default export that NodeNext sees as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

const URL_PATH = '/v1/export/popolo.json'
const ORACLE = 'https://popolo-oracle.invalid/'
const ISO_URL = 'https://www.iso.org/iso-3166-country-codes.html'

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
addFormats(ajv)
const oracleFolder = join(packageRoot, 'test', 'popolo')
for (const file of readdirSync(oracleFolder).filter((name) => name.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(join(oracleFolder, file), 'utf8')))
}
const oracle = (name: string): ValidateFunction => ajv.getSchema(`${ORACLE}${name}.schema.json`) as ValidateFunction

type Link = { url: string; note: string | null }
type PopoloRecord = { id: string; sources: Link[]; [property: string]: any }
type Export = Record<'persons' | 'organizations' | 'memberships' | 'posts' | 'events' | 'areas', PopoloRecord[]>

const byId = (records: PopoloRecord[], id: string): PopoloRecord => {
  const record = records.find((r) => r.id === id)
  if (!record) throw new Error(`no record ${id}`)
  return record
}
const notes = (record: PopoloRecord): string[] => record.sources.map((s) => s.note ?? '')

/** The whole document as exportPopolo's pages make it, each page read in turn on `db`. */
function collected(db: DirectoryDatabase, options: PopoloExportOptions): Export {
  const body = Object.fromEntries(POPOLO_SECTIONS.map((section) => [section, [] as PopoloRecord[]])) as Export
  for (const { section, records } of exportPopolo((work) => work(db), options)) body[section].push(...(records as PopoloRecord[]))
  return body
}

async function exported(t: Test) {
  const app = await seededApp(t)
  const response = await app.inject(URL_PATH)
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  return { app, body: response.json() as Export }
}

t.test('the export validates against the schemas written from the Popolo specification', async (t) => {
  const { body } = await exported(t)
  const validate = oracle('export')
  t.ok(validate(body), ajv.errorsText(validate.errors, { separator: '\n' }))
  t.same(Object.keys(body).sort(), ['areas', 'events', 'memberships', 'organizations', 'persons', 'posts'])
})

t.test('every id reference resolves to a record of the export, and ids are unique', async (t) => {
  const { body } = await exported(t)
  const ids = Object.fromEntries(
    Object.entries(body).map(([collection, records]) => {
      const set = new Set(records.map((r) => r.id))
      t.equal(set.size, records.length, `${collection}: ids are unique`)
      return [collection, set]
    })
  ) as Record<keyof Export, Set<string>>
  // Which collection each Popolo reference property points into.
  const targets: Record<string, Partial<Record<string, keyof Export>>> = {
    persons: {},
    organizations: { parent_id: 'organizations', area_id: 'areas' },
    memberships: { person_id: 'persons', organization_id: 'organizations', post_id: 'posts', on_behalf_of_id: 'organizations', area_id: 'areas' },
    posts: { organization_id: 'organizations', area_id: 'areas' },
    events: { parent_id: 'events', organization_id: 'organizations' },
    areas: { parent_id: 'areas' }
  }
  const unresolved: string[] = []
  let checked = 0
  for (const [collection, records] of Object.entries(body)) {
    for (const record of records) {
      for (const [property, target] of Object.entries(targets[collection] ?? {})) {
        const value = record[property]
        if (value === undefined || value === null) continue
        checked++
        if (!ids[target as keyof Export].has(value)) unresolved.push(`${collection}/${record.id}.${property} = ${value}`)
      }
      for (const attendee of record.attendees ?? []) {
        checked++
        if (!ids.persons.has(attendee.id)) unresolved.push(`${collection}/${record.id}.attendees: ${attendee.id}`)
      }
    }
  }
  t.same(unresolved, [])
  t.ok(checked > 40, `${checked} references checked`)
  t.ok(
    body.memberships.every((m) => typeof m.person_id === 'string' && typeof m.organization_id === 'string'),
    'every membership names its person and organization'
  )
})

t.test('the counts match the database', async (t) => {
  const { app, body } = await exported(t)
  const count = (sql: string) => (app.db.$client.prepare(sql).pluck().get() as number)
  t.equal(body.persons.length, 4)
  t.equal(body.persons.length, count('SELECT count(*) FROM people'))
  t.equal(body.organizations.length, 31)
  t.equal(body.organizations.length, count('SELECT count(*) FROM organisations'))
  t.equal(body.areas.length, count('SELECT count(*) FROM countries'))
  t.equal(body.memberships.length, count('SELECT count(*) FROM positions'))
  t.equal(body.posts.length, count('SELECT count(DISTINCT organisation_id || title) FROM positions WHERE title IS NOT NULL'))
  t.equal(body.events.length, count('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM sessions)'))
})

t.test('every record carries its sources, and every citation of the database is among them', async (t) => {
  const { app, body } = await exported(t)
  const unsourced = Object.entries(body).flatMap(([collection, records]) => records.filter((r) => r.sources.length === 0).map((r) => `${collection}/${r.id}`))
  t.same(unsourced, [], 'every record has at least one source')

  const links = Object.values(body).flatMap((records) => records.flatMap((r) => r.sources))
  const urls = new Set(links.map((l) => l.url))
  t.same([...urls].sort(), [`http://localhost:80/v1/sources/${ARTICLE_ID}`, ISO_URL], "a source's own URL, else its record here")
  t.equal((await getJson(app, `/v1/sources/${ARTICLE_ID}`)).status, 200, 'the link to a source without a URL resolves')

  const allNotes = links.map((l) => l.note ?? '').join('\n')
  const quotes = app.db.$client.prepare('SELECT DISTINCT quote FROM citations WHERE quote IS NOT NULL').pluck().all() as string[]
  t.ok(quotes.length > 20)
  t.same(
    quotes.filter((quote) => !allNotes.includes(`“${quote}”`)),
    [],
    'every quote of the database is in a link note'
  )
})

t.test('facts of the seed are in the export', async (t) => {
  const { body } = await exported(t)

  const ba = byId(body.areas, 'BA')
  t.match(ba, { name: 'Bosnia and Herzegovina', identifier: 'ocd-division/country:ba', classification: 'country' })
  t.equal(ba.sources[0]?.url, ISO_URL)
  t.ok(notes(ba).some((n) => n.startsWith('Other name “BiH” — ')), "BA's other name is in its sources")
  t.ok(
    notes(byId(body.areas, 'MK')).some((n) => n.startsWith('Other name “FYROM”, until 2019-02-12')),
    'a former name keeps its end date'
  )

  const panel = byId(body.events, PANEL)
  t.match(panel, { parent_id: SARAJEVO, classification: 'panel', start_date: null })
  t.ok(panel.attendees.some((a: { id: string }) => a.id === 'mersida-mesetovic'), 'Mesetović attended the panel')
  t.ok(
    notes(panel).some(
      (n) =>
        n.startsWith('Mersida Mesetović: moderator, on behalf of Armed Forces of Bosnia and Herzegovina — ') &&
        n.includes('moderated by Colonel Mersida Mesetović (BiH AF)')
    ),
    "Mesetović's moderator role in the panel, with its quote"
  )

  const sarajevo = byId(body.events, SARAJEVO)
  t.match(sarajevo, { start_date: '2015-06-02', end_date: '2015-06-03', location: 'Sarajevo, Bosnia and Herzegovina', parent_id: null })
  t.same(
    sarajevo.attendees.map((a: { id: string }) => a.id).sort(),
    ['amela-cosovic-medic', 'mark-pedersen', 'mersida-mesetovic', 'peter-due'],
    'panellists attended the event their panel is part of'
  )
  t.equal(sarajevo.organization_id, null, 'four co-hosts, so no single organizing organization')
  t.ok(notes(sarajevo).some((n) => n.startsWith('Delegation of Austria: participant — ')))
  t.ok(notes(sarajevo).some((n) => n.startsWith('Academia: participant — ')))
  t.ok(notes(sarajevo).some((n) => n.startsWith('Peter Due: keynote-speaker, on behalf of ')))
  t.match(byId(body.events, BELGRADE), { start_date: '2014-10', end_date: null, attendees: [] })

  t.match(byId(body.persons, 'mersida-mesetovic'), {
    name: 'Mersida Mesetović',
    sort_name: 'Mesetović, Mersida',
    given_name: 'Mersida',
    family_name: 'Mesetović',
    honorific_prefix: 'Colonel'
  })
  const mesetovic = byId(body.memberships, 'mersida-mesetovic-ba-armed-forces-2015')
  t.match(mesetovic, { person_id: 'mersida-mesetovic', organization_id: 'ba-armed-forces', post_id: null, role: null })
  t.notOk('start_date' in mesetovic, 'the as-of date of a position is not its start')
  t.ok(notes(mesetovic).every((n) => n.startsWith('As of 2015-06-03 — ')))

  const due = byId(body.memberships, 'peter-due-un-dpko-asia-middle-east-europe-latin-america-division-2015')
  t.match(due, { role: 'Director', label: 'Director, Asia, Middle East, Europe and Latin America Division' })
  t.match(byId(body.posts, due.post_id), { role: 'Director', organization_id: 'un-dpko-asia-middle-east-europe-latin-america-division' })

  const mod = byId(body.organizations, 'ba-ministry-of-defence')
  t.match(mod, { classification: 'ministry', area_id: 'BA', parent_id: null })
  t.same(
    mod.other_names.map((n: { name: string; note: string }) => [n.name, n.note]),
    [
      ['MoD', 'abbreviation'],
      ['Ministry of Defense', 'The US spelling the article uses ("Ministries of Defense (MoD)").']
    ]
  )
  t.ok(notes(mod).some((n) => n.startsWith('Other name “Ministry of Defense” — ')), 'the citation of an other name is a source of its record')
  t.match(byId(body.organizations, 'rssrp'), { parent_id: 'seesac', area_id: null })
})

t.test('an unknown query parameter is a 400 problem document', async (t) => {
  const app = await seededApp(t)
  const url = `${URL_PATH}?bogus=1`
  const body = assertProblem(t, await app.inject(url), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'bogus' }] }, url)
  t.equal(body.detail, 'Invalid query parameter "bogus": unknown query parameter')
})

t.test('the oracle can fail: it rejects what Popolo does not define', async (t) => {
  const { body } = await exported(t)
  const rejects = (schema: string, value: unknown, keyword: string, label: string) => {
    const validate = oracle(schema)
    t.notOk(validate(value), label)
    t.ok(validate.errors?.some((e) => e.keyword === keyword), `${label}: ${keyword}`)
  }
  const person = byId(body.persons, 'mersida-mesetovic')
  t.ok(oracle('person')(person), 'the record as exported is valid')
  rejects('person', { ...person, note: 'not a Popolo property' }, 'additionalProperties', 'a person with an extra property')
  rejects('area', { ...byId(body.areas, 'BA'), other_names: [] }, 'additionalProperties', 'an area with other_names')
  rejects('event', { ...byId(body.events, SARAJEVO), start_date: '2 June 2015' }, 'pattern', 'an event with a date that is not ISO 8601')
  rejects('other-name', { name: 'BiH', end_date: '2019-2-12' }, 'pattern', 'an other name with a malformed date')
  rejects('link', { note: 'no url' }, 'required', 'a link without a URL')
  rejects('link', { url: '/v1/sources/x' }, 'format', 'a link whose URL is relative')
  rejects('membership', { id: 'm', organization_id: 'undp' }, 'anyOf', 'a membership without a person')
  rejects('export', { ...body, sources: [] }, 'additionalProperties', 'an export with an extra collection')
})

t.test('a sole organiser, citation notes, dated other names and a post with two holders', async (t) => {
  const db = seededDatabase()
  db.$client.exec(`
    INSERT INTO participations (id, event_id, participant_type, organisation_id, role) VALUES ('test-organiser', '${BELGRADE}', 'organisation', 'undp', 'organiser');
    INSERT INTO citations (source_id, note, participation_id) VALUES ('${ARTICLE_ID}', 'A test note.', 'test-organiser');
    INSERT INTO other_names (person_id, name, start_date) VALUES ('peter-due', 'P. Due', '2010');
    INSERT INTO citations (source_id, other_name_id) VALUES ('${ARTICLE_ID}', last_insert_rowid());
    INSERT INTO positions (id, person_id, organisation_id, title, as_of)
      VALUES ('test-second-director', 'mark-pedersen', 'un-dpko-asia-middle-east-europe-latin-america-division', 'Director', '2016');
    INSERT INTO citations (source_id, quote, position_id) VALUES ('${ARTICLE_ID}', 'Director', 'test-second-director');`)
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const { status, body } = await getJson<Export>(app, URL_PATH)
  t.equal(status, 200)
  const validate = oracle('export')
  t.ok(validate(body), ajv.errorsText(validate.errors))

  const belgrade = byId(body.events, BELGRADE)
  t.equal(belgrade.organization_id, 'undp', 'the one organiser is the organizing organization')
  t.ok(notes(belgrade).some((n) => n.startsWith('United Nations Development Programme: organiser — ') && n.endsWith(' — A test note.')))

  const due = byId(body.persons, 'peter-due')
  t.same(due.other_names, [{ name: 'P. Due', start_date: '2010', end_date: null, note: null }])
  t.ok(notes(due).some((n) => n.startsWith('Other name “P. Due”, from 2010 — ')))

  t.equal(body.memberships.length, 5)
  t.equal(body.posts.length, 3, 'two holders of one title at one organisation share one post')
  const director = byId(body.posts, 'un-dpko-asia-middle-east-europe-latin-america-division/director')
  t.same(notes(director).map((n) => n.split(' — ')[0]), ['As of 2015-06-03', 'As of 2016'])
  t.equal(byId(body.memberships, 'test-second-director').post_id, director.id)
})

t.test('records without sources, place or participations export with empty sources and nulls', async (t) => {
  // Only the seed files insist on sources; the tables do not, so an export must not assume them.
  const db = openDatabase(':memory:')
  db.$client.exec(`
    INSERT INTO countries (code, alpha3, numeric, name) VALUES ('BA', 'BIH', '070', 'Bosnia and Herzegovina');
    INSERT INTO organisations (id, name, classification) VALUES ('org-a', 'Alpha Agency', 'government-agency');
    INSERT INTO people (id, name, sort_name) VALUES ('p-one', 'Ana Ćirić', 'Ćirić, Ana');
    INSERT INTO positions (id, person_id, organisation_id, title, as_of) VALUES ('pos', 'p-one', 'org-a', 'Head', '2016-05');
    INSERT INTO events (id, name, classification, start_date) VALUES ('e-one', 'A meeting', 'meeting', '2016');
    INSERT INTO sessions (id, event_id, name, classification) VALUES ('s-a', 'e-one', 'First', 'workshop');
    INSERT INTO participations (id, event_id, participant_type, person_id, role) VALUES ('part', 'e-one', 'person', 'p-one', 'participant');`)
  t.teardown(() => db.$client.close())
  const body = collected(db, { apiUrl: 'https://directory.example' })
  const validate = oracle('export')
  t.ok(validate(body), ajv.errorsText(validate.errors))
  t.same(
    Object.values(body).flatMap((records) => records.flatMap((r) => r.sources)),
    [],
    'no record has a source'
  )
  t.same(byId(body.events, 'e-one'), {
    id: 'e-one',
    name: 'A meeting',
    classification: 'meeting',
    start_date: '2016',
    end_date: null,
    location: null,
    parent_id: null,
    organization_id: null,
    attendees: [{ id: 'p-one' }],
    sources: []
  })
  t.match(byId(body.events, 's-a'), { parent_id: 'e-one', attendees: [] })
  t.match(byId(body.persons, 'p-one'), { given_name: null, family_name: null, honorific_prefix: null, other_names: [] })
  t.match(byId(body.organizations, 'org-a'), { other_names: [], parent_id: null, area_id: null })
  t.match(byId(body.memberships, 'pos'), { post_id: 'org-a/head', role: 'Head', label: 'Head, Alpha Agency' })
})

t.test('a source without a URL of its own is linked at the API URL given', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const body = collected(db, { apiUrl: 'https://directory.example' })
  const urls = new Set(Object.values(body).flatMap((records: { sources: Link[] }[]) => records.flatMap((r) => r.sources.map((s) => s.url))))
  t.same([...urls].sort(), [`https://directory.example/v1/sources/${ARTICLE_ID}`, ISO_URL])
})

t.test('pages of any size make the same document, and the JSON sent is that document', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const apiUrl = 'http://localhost:80'
  const whole = collected(db, { apiUrl })
  t.ok(whole.persons.length > 3 && whole.memberships.length > 3, "more records than the smallest pages hold")
  for (const pageSize of [1, 2, 3]) t.same(collected(db, { apiUrl, pageSize }), whole, `pages of ${pageSize}`)
  whole.events.forEach((event, i) => {
    if (event.parent_id === null) return
    const before = whole.events[i - 1]
    t.ok(before?.id === event.parent_id || before?.parent_id === event.parent_id, `session ${event.id} follows its event and the sessions before it`)
  })

  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const response = await app.inject(URL_PATH)
  t.same(response.json(), whole, 'as sent')
  t.match(response.headers.etag, /^"popolo-/)
})

t.test('a directory with no records, or none in some collections, exports empty arrays', async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const empty = await app.inject(URL_PATH)
  t.equal(empty.body, '{"persons":[],"organizations":[],"memberships":[],"posts":[],"events":[],"areas":[]}')

  db.$client.exec(`
    INSERT INTO countries (code, alpha3, numeric, name) VALUES ('BA', 'BIH', '070', 'Bosnia and Herzegovina');
    INSERT INTO events (id, name, classification, start_date, country_code) VALUES ('e-one', 'A meeting', 'meeting', '2016', 'BA');`)
  bumpDataVersion(db.$client)
  const some = await app.inject(URL_PATH)
  t.match(some.body, /^\{"persons":\[\],"organizations":\[\],"memberships":\[\],"posts":\[\],"events":\[\{"id":"e-one",.*\}\],"areas":\[\{"id":"BA",.*\}\]\}$/)
  t.match(some.json(), { events: [{ id: 'e-one', location: 'Bosnia and Herzegovina' }], areas: [{ id: 'BA' }] })
})

t.test("the document is read from the directory as it was when the export began, under that version's ETag", async (t) => {
  const { served, operator } = twoConnections(t)
  const app = await buildApp({ db: served })
  t.teardown(() => app.close())
  const head = await app.inject({ method: 'HEAD', url: URL_PATH })
  t.equal(head.body, '')
  const download = await app.inject({ url: URL_PATH, payloadAsStream: true })
  // Once the first page is sent: the events, later in the document, are yet to be read.
  operator.$client.exec(`INSERT INTO events (id, name, classification, start_date) VALUES ('late-event', 'Written during the export', 'meeting', '2030')`)
  bumpDataVersion(operator.$client)
  const during = JSON.parse(await text(download.stream())) as Export
  t.ok(during.events.length > 0)
  t.notOk(
    during.events.some((event) => event.id === 'late-event'),
    'written after the export began: not in it'
  )
  t.equal(download.headers.etag, head.headers.etag, 'the ETag of the version it was read at')

  const after = await app.inject(URL_PATH)
  t.ok(after.json().events.some((event: PopoloRecord) => event.id === 'late-event'), 'the next export has it')
  t.not(after.headers.etag, head.headers.etag, 'under a new ETag')
  const revalidated = await app.inject({ url: URL_PATH, headers: { 'if-none-match': String(after.headers.etag) } })
  t.equal(revalidated.statusCode, 304)
})

t.test('links and the ETag depend on the host the API is reached at', async (t) => {
  const app = await seededApp(t)
  const one = await app.inject({ url: URL_PATH, headers: { host: 'one.example' } })
  const two = await app.inject({ url: URL_PATH, headers: { host: 'two.example' } })
  t.ok(one.body.includes(`"http://one.example/v1/sources/${ARTICLE_ID}"`))
  t.ok(two.body.includes(`"http://two.example/v1/sources/${ARTICLE_ID}"`))
  t.not(one.headers.etag, two.headers.etag)
  const other = await app.inject({ url: URL_PATH, headers: { host: 'two.example', 'if-none-match': String(one.headers.etag) } })
  t.equal(other.statusCode, 200, "one host's ETag does not revalidate another's document")
})
