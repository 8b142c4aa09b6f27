// API writes refresh only the index rows they touch: after every kind of write the indexes hold
// exactly what a full rebuild makes. Large writes rebuild every index instead.
import t from 'tap'
import type { Test } from 'tap'
import type { DirectoryDatabase } from '../../src/db/connection.js'
import { createRecord, deleteRecord, patchRecord } from '../../src/editing/records.js'
import { readSeedRecord, type SeedRecord } from '../../src/seed/read-seed-record.js'
import type { EditableCollection } from '../../src/seed/write-seed.js'
import { SEARCH_INDEXES } from '../../src/search/indexes.js'
import { INCREMENTAL_LIMIT, refreshSearchIndexesAfter } from '../../src/search/refresh-search.js'
import { rebuildSearchIndexes } from '../../src/search/search-index.js'
import { seededDatabase } from '../helpers.js'

const indexRows = (db: DirectoryDatabase) =>
  SEARCH_INDEXES.map((index) => db.$client.prepare(`SELECT record_id, names, text FROM ${index.name} ORDER BY record_id`).all())

/** The indexes as the write left them equal the indexes a full rebuild makes. */
function sameAsRebuilt(t: Test, db: DirectoryDatabase, what: string) {
  const written = indexRows(db)
  rebuildSearchIndexes(db, SEARCH_INDEXES)
  t.same(written, indexRows(db), what)
}

const source = [{ source: 'iso-3166-1' }]
const current = (db: DirectoryDatabase, collection: EditableCollection, id: string) => (readSeedRecord(db.$client, collection, id) as { record: SeedRecord }).record

t.test('every write leaves the indexes as a full rebuild would', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const person = db.$client.prepare('SELECT person_id FROM participations WHERE person_id IS NOT NULL LIMIT 1').pluck().get() as string
  const organisation = db.$client.prepare('SELECT organisation_id FROM positions LIMIT 1').pluck().get() as string
  const event = db.$client.prepare('SELECT event_id FROM sessions LIMIT 1').pluck().get() as string
  const session = db.$client.prepare('SELECT id FROM sessions LIMIT 1').pluck().get() as string
  const other = db.$client.prepare('SELECT id FROM people WHERE id != ? LIMIT 1').pluck().get(person) as string
  const steps: [string, () => void][] = [
    ['a person renamed', () => patchRecord(db, 'people', current(db, 'people', person), { name: 'Zvonimir Renamed', other_names: [{ name: 'Zvone' }] }, 'test')],
    ['an organisation renamed', () => patchRecord(db, 'organisations', current(db, 'organisations', organisation), { name: 'Renamed Agency', abbreviation: 'RNA' }, 'test')],
    ['an event renamed', () => patchRecord(db, 'events', current(db, 'events', event), { name: 'Renamed Meeting', country: 'FR' }, 'test')],
    ['a session renamed', () => patchRecord(db, 'sessions', current(db, 'sessions', session), { name: 'Renamed Panel' }, 'test')],
    ['a position created', () => createRecord(db, 'positions', { id: 'p-test', person: other, organisation, as_of: '2016', title: 'Envoy', sources: source }, 'test')],
    ['a position moved to another person', () => patchRecord(db, 'positions', current(db, 'positions', 'p-test'), { person }, 'test')],
    ['a position deleted', () => deleteRecord(db, 'positions', 'p-test', 'test')],
    ['a participation created', () => createRecord(db, 'participations', { id: 'x-take-part', event, person: other, role: 'participant', note: 'Observer', sources: source }, 'test')],
    ['a participation deleted', () => deleteRecord(db, 'participations', 'x-take-part', 'test')]
  ]
  for (const [what, step] of steps) {
    step()
    sameAsRebuilt(t, db, what)
  }
})

t.test('more touched records than INCREMENTAL_LIMIT rebuild every index', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  db.$client.prepare('DELETE FROM search_people').run()
  const touched = Array.from({ length: INCREMENTAL_LIMIT + 1 }, (_, i) => ({ collection: 'participations' as const, id: `none-${i}`, before: null, after: null }))
  refreshSearchIndexesAfter(db, touched, false)
  t.ok((db.$client.prepare('SELECT count(*) FROM search_people').pluck().get() as number) > 0, 'the people index was rebuilt')
})
