// Seed runs are writes too: each changed record gets a new version and an entry in the audit trail
// (actor, action, the record before and after); an unchanged record gets neither.
import { join } from 'node:path'
import t from 'tap'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { sameAsRebuilt, seededDatabase } from '../helpers.js'
import { openDatabase } from '../../src/db/connection.js'
import { bundledSeedsFolder } from '../../src/paths.js'
import { readSeedRecord } from '../../src/seed/read-seed-record.js'
import { EDITABLE_COLLECTIONS, type EditableCollection } from '../../src/seed/write-seed.js'
import { INCREMENTAL_LIMIT } from '../../src/search/refresh-search.js'

const changesOf = (db: ReturnType<typeof seededDatabase>, recordId: string) =>
  (db.$client.prepare('SELECT actor, action, resource, before, after FROM changes WHERE record_id = ? ORDER BY id').all(recordId) as Record<string, string>[]).map(
    (c) => ({ ...c, before: JSON.parse(c.before as string), after: JSON.parse(c.after as string) })
  )

t.test('a seed run that changes a record versions it and records the change; a run that changes nothing records nothing', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const created = changesOf(db, 'peter-due')
  t.equal(created.length, 1)
  t.match(created[0], { actor: 'seed', action: 'create', resource: 'people', before: null, after: { id: 'peter-due', name: 'Peter Due' } })
  const entries = () => db.$client.prepare('SELECT count(*) FROM changes').pluck().get()
  const before = entries()
  seedDatabase(db)
  t.equal(entries(), before, 'an unchanged run writes no audit entry')

  const dir = t.testdir({
    'due.yaml': `people:
  - id: peter-due
    name: Peter Due
    sort_name: Due, Peter
    note: Renamed note.
    sources: [{ source: iso-3166-1 }]
`
  })
  seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir, actor: 'operator' })
  const [, updated] = changesOf(db, 'peter-due')
  t.match(updated, { actor: 'operator', action: 'update', resource: 'people', after: { note: 'Renamed note.', sources: [{ source: 'iso-3166-1' }] } })
  t.equal(updated?.before.given_name, 'Peter', 'before holds the record as it was')
  t.notOk('given_name' in (updated?.after ?? {}), 'after holds it as it is')
  t.equal(db.$client.prepare('SELECT version FROM people WHERE id = ?').pluck().get('peter-due'), 2)
  t.equal(db.$client.prepare('SELECT version FROM people WHERE id = ?').pluck().get('mark-pedersen'), 1, 'others keep theirs')

  seedDatabase(db, { reset: true })
  const [, , deleted, recreated] = changesOf(db, 'peter-due')
  t.match(deleted, { action: 'delete', after: null })
  t.match(recreated, { action: 'create', before: null })

  seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir, dryRun: true })
  t.equal(changesOf(db, 'peter-due').length, 4, 'a dry run records nothing')
})

// An organisation whose record has a value of every kind: other names with and without dates,
// notes and sources, and sources with and without a note.
const AGENCY_FILE = `organisations:
  - id: zz-agency
    name: Zz Agency "Ž"
    classification: government-agency
    country: BA
    other_names:
      - name: Zz Old Agency
        start_date: '1999-01-01'
        end_date: '2004-12-31'
      - name: ZZA
        note: Its acronym.
        sources: [{ source: iso-3166-1, note: Listed there. }]
    sources: [{ source: iso-3166-1 }, { source: iso-3166-1, note: Again. }]
`
const AGENCY = {
  id: 'zz-agency',
  name: 'Zz Agency "Ž"',
  classification: 'government-agency',
  country: 'BA',
  other_names: [
    { name: 'Zz Old Agency', start_date: '1999-01-01', end_date: '2004-12-31' },
    { name: 'ZZA', note: 'Its acronym.', sources: [{ source: 'iso-3166-1', note: 'Listed there.' }] }
  ],
  sources: [{ source: 'iso-3166-1' }, { source: 'iso-3166-1', note: 'Again.' }]
}

type Creation = { resource: EditableCollection; record_id: string; after: string }
const creationsIn = (db: ReturnType<typeof seededDatabase>): Creation[] =>
  db.$client.prepare("SELECT resource, record_id, after FROM changes WHERE action = 'create' ORDER BY id").all() as Creation[]

t.test('a first seed records every creation at once, as a write into a directory with records does one by one, in write order', async (t) => {
  const dir = t.testdir({ 'agency.yaml': AGENCY_FILE, 'someone.yaml': 'people: [{ id: zz-someone, name: Zz Someone, sort_name: Someone, sources: [{ source: iso-3166-1 }] }]\n' })
  const files = [bundledSeedsFolder, join(dir, 'agency.yaml')]
  // In bulk: the bundled seeds and the agency into a new directory...
  const bulk = openDatabase(':memory:')
  t.teardown(() => bulk.$client.close())
  seedDatabase(bulk, { files, cwd: dir })
  // ...and one by one: the same files into a directory that already holds a record.
  const oneByOne = openDatabase(':memory:')
  t.teardown(() => oneByOne.$client.close())
  seedDatabase(oneByOne, { files: [join(dir, 'someone.yaml')], cwd: dir })
  seedDatabase(oneByOne, { files, cwd: dir })

  const inBulk = creationsIn(bulk)
  t.same(inBulk, creationsIn(oneByOne).slice(1), 'the same entries, text for text, in the same order')
  const written = EDITABLE_COLLECTIONS.flatMap((collection) =>
    (bulk.$client.prepare(`SELECT id FROM ${collection} ORDER BY rowid`).pluck().all() as string[]).map((id) => ({ resource: collection, id }))
  )
  t.same(
    inBulk.map((c) => ({ resource: c.resource, id: c.record_id })),
    written,
    'one entry per record, collection by collection in the order they were written'
  )
  t.strictSame(JSON.parse(inBulk.find((c) => c.record_id === 'zz-agency')?.after ?? 'null'), AGENCY, 'a record as its file describes it')
  t.strictSame(readSeedRecord(bulk.$client, 'organisations', 'zz-agency')?.record, AGENCY, 'and as it reads back')
  const trailIndexes = bulk.$client.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'changes' ORDER BY name").pluck().all()
  t.same(trailIndexes, ['changes_actor_idx', 'changes_record_idx'], 'the trail has its indexes again, made after the creations went in')

  seedDatabase(bulk, { files, cwd: dir, reset: true })
  t.same(creationsIn(bulk).slice(inBulk.length), inBulk, 'a reset records them again alike')
})

t.test('a large write into a directory that has records audits each one, then rebuilds every derived table', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const count = INCREMENTAL_LIMIT + 2 // the trail stops keeping them at the one past the limit, and goes on
  const sources = [{ source: 'iso-3166-1' }]
  const people = Array.from({ length: count }, (_, i) => ({ id: `bulk-person-${i}`, name: `Zdravko Bulkić ${i}`, sort_name: `Bulkić, Zdravko ${i}`, sources }))
  // A few of them took part in the roundtable: rows of every derived table.
  const participations = [0, 1, 2].map((i) => ({ id: `bulk-part-${i}`, event: 'sarajevo-roundtable-2015', person: `bulk-person-${i}`, role: 'participant', sources }))
  const dir = t.testdir({ 'people.json': JSON.stringify({ people, participations }) })
  const entries = () => db.$client.prepare("SELECT count(*) FROM changes WHERE record_id LIKE 'bulk-%'").pluck().get()
  seedDatabase(db, { files: [join(dir, 'people.json')], cwd: dir })
  t.equal(entries(), count + participations.length)
  t.strictSame(
    JSON.parse(db.$client.prepare("SELECT after FROM changes WHERE record_id = 'bulk-person-7'").pluck().get() as string),
    { id: 'bulk-person-7', name: 'Zdravko Bulkić 7', sort_name: 'Bulkić, Zdravko 7', sources },
    'the record as its file describes it'
  )
  const found = db.$client.prepare("SELECT count(*) FROM search_people WHERE search_people MATCH 'bulkic'").pluck().get()
  t.equal(found, count, 'the search index holds every new record')
  t.equal(db.$client.prepare("SELECT count(*) FROM participation_scopes WHERE participation_id LIKE 'bulk-part-%' AND scope = ''").pluck().get(), participations.length)
  sameAsRebuilt(t, db, 'a large write')
})
