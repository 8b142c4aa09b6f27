// API writes refresh only the derived rows they touch (search indexes, participation and person scopes, CSV lines): after
// every kind of write these tables hold exactly what a full rebuild makes. Large writes rebuild them.
import t from 'tap'
import type { DirectoryDatabase } from '../../src/db/connection.js'
import { createRecord, deleteRecord, patchRecord } from '../../src/editing/records.js'
import { readSeedRecord, type SeedRecord } from '../../src/seed/read-seed-record.js'
import type { EditableCollection } from '../../src/seed/write-seed.js'
import { INCREMENTAL_LIMIT } from '../../src/search/refresh-search.js'
import { afterWrite } from '../../src/db/after-write.js'
import { sameAsRebuilt, seededDatabase } from '../helpers.js'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'

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
  // An organisation some participant belongs to, and a ministry it is not yet under.
  const member = db.$client.prepare('SELECT organisation_id FROM participations WHERE organisation_id IS NOT NULL LIMIT 1').pluck().get() as string
  const ministry = db.$client
    .prepare("SELECT id FROM organisations WHERE classification = 'ministry' AND portfolio IS NOT NULL AND id != ? LIMIT 1")
    .pluck()
    .get(member) as string
  const steps: [string, () => void][] = [
    ['a person renamed', () => patchRecord(db, 'people', current(db, 'people', person), { name: 'Zvonimir Renamed', other_names: [{ name: 'Zvone' }] }, 'test')],
    ['an organisation renamed', () => patchRecord(db, 'organisations', current(db, 'organisations', organisation), { name: 'Renamed Agency', abbreviation: 'RNA' }, 'test')],
    ['a participant organisation renamed', () => patchRecord(db, 'organisations', current(db, 'organisations', member), { name: 'Renamed Member' }, 'test')],
    ['an organisation’s note and other names changed', () =>
      patchRecord(db, 'organisations', current(db, 'organisations', member), { note: 'A note', other_names: [{ name: 'Member Alias' }] }, 'test')],
    ['an event renamed', () => patchRecord(db, 'events', current(db, 'events', event), { name: 'Renamed Meeting', country: 'FR' }, 'test')],
    ['a session renamed', () => patchRecord(db, 'sessions', current(db, 'sessions', session), { name: 'Renamed Panel' }, 'test')],
    ['a position created', () => createRecord(db, 'positions', { id: 'p-test', person: other, organisation, as_of: '2016', title: 'Envoy', sources: source }, 'test')],
    ['a position moved to another person', () => patchRecord(db, 'positions', current(db, 'positions', 'p-test'), { person }, 'test')],
    ['a position deleted', () => deleteRecord(db, 'positions', 'p-test', 'test')],
    ['an organisation moved under a ministry, to another country', () => patchRecord(db, 'organisations', current(db, 'organisations', member), { parent: ministry, country: 'MK' }, 'test')],
    // An organisation that involves a participation only through a position of its participant.
    ['an employer created', () => createRecord(db, 'organisations', { id: 'test-employer', name: 'Test Employer', classification: 'government-agency', country: 'ME', sources: source }, 'test')],
    ['a position there created', () => createRecord(db, 'positions', { id: 'p-employer', person, organisation: 'test-employer', as_of: '2016', sources: source }, 'test')],
    ['the employer moved to another country', () => patchRecord(db, 'organisations', current(db, 'organisations', 'test-employer'), { country: 'AL' }, 'test')],
    ['a ministry’s portfolio changed', () => patchRecord(db, 'organisations', current(db, 'organisations', ministry), { portfolio: 'interior' }, 'test')],
    ['a person’s sort name changed', () => patchRecord(db, 'people', current(db, 'people', person), { sort_name: 'Aaa, First' }, 'test')],
    ['an event moved in time', () => patchRecord(db, 'events', current(db, 'events', event), { start_date: '1999-01-01' }, 'test')],
    ['a position in a ministry created', () => createRecord(db, 'positions', { id: 'p-ministry', person, organisation: ministry, as_of: '2016', sources: source }, 'test')],
    ['a position in a ministry deleted', () => deleteRecord(db, 'positions', 'p-ministry', 'test')],
    ['a participation created', () => createRecord(db, 'participations', { id: 'x-take-part', event, person: other, role: 'participant', note: 'Observer', sources: source }, 'test')],
    ['a participation’s sources and note changed', () =>
      patchRecord(db, 'participations', current(db, 'participations', 'x-take-part'), { note: 'Said "no", then left', sources: [{ source: 'iso-3166-1', quote: 'a, b' }, ...source] }, 'test')],
    ['a participation on behalf of an organisation, from a country', () =>
      createRecord(db, 'participations', { id: 'x-on-behalf', event, person: other, role: 'panellist', on_behalf_of: 'test-employer', country: 'HR', sources: source }, 'test')],
    ['the organisation represented moved to another country', () => patchRecord(db, 'organisations', current(db, 'organisations', 'test-employer'), { country: 'RS' }, 'test')],
    ['that participation moved to another person', () => patchRecord(db, 'participations', current(db, 'participations', 'x-on-behalf'), { person }, 'test')],
    ['that participation deleted', () => deleteRecord(db, 'participations', 'x-on-behalf', 'test')],
    ['a participation deleted', () => deleteRecord(db, 'participations', 'x-take-part', 'test')],
    // Each index's rows of a deleted record are found by the rowid it had.
    ['a position there deleted', () => deleteRecord(db, 'positions', 'p-employer', 'test')],
    ['the employer deleted', () => deleteRecord(db, 'organisations', 'test-employer', 'test')],
    ['a person created', () => createRecord(db, 'people', { id: 'test-person', name: 'Test Person', sort_name: 'Person, Test', sources: source }, 'test')],
    ['that person deleted', () => deleteRecord(db, 'people', 'test-person', 'test')],
    ['an event created', () => createRecord(db, 'events', { id: 'test-event', name: 'Test Meeting', classification: 'meeting', start_date: '2016-06-15', sources: source }, 'test')],
    ['that event deleted', () => deleteRecord(db, 'events', 'test-event', 'test')]
  ]
  const rewritten = logRewrites(db)
  for (const [what, step] of steps) {
    rewritten.clear()
    step()
    t.same(rewritten.count(), { scopeRows: 0, csvLines: 0 }, `${what}: no row deleted and written again as it was`)
    sameAsRebuilt(t, db, what)
  }
  t.ok(rewritten.deletions > 0, `some writes deleted derived rows (${rewritten.deletions})`)
})

/**
 * Logs, through temporary triggers (this connection's own), the participation_scopes rows and CSV
 * lines each write deletes: a write rewrites only the rows that change, so none of those deleted
 * may be there again, unchanged, after it.
 */
function logRewrites(db: DirectoryDatabase) {
  const scopeColumns = 'scope, participation_id, start_date, event_id, role_rank, participant_key, country_code, participant_type'
  const lineColumns = 'start_date, event_id, role_rank, participant_key, participation_id, line'
  const old = (columns: string) => columns.replace(/(\w+)/g, 'old.$1')
  db.$client.exec(`
    CREATE TEMP TABLE deleted_scope_rows AS SELECT ${scopeColumns} FROM participation_scopes WHERE FALSE;
    CREATE TEMP TABLE deleted_csv_lines AS SELECT ${lineColumns} FROM participation_csv_lines WHERE FALSE;
    CREATE TEMP TRIGGER log_deleted_scope_row AFTER DELETE ON participation_scopes BEGIN INSERT INTO deleted_scope_rows VALUES (${old(scopeColumns)}); END;
    CREATE TEMP TRIGGER log_deleted_csv_line AFTER DELETE ON participation_csv_lines BEGIN INSERT INTO deleted_csv_lines VALUES (${old(lineColumns)}); END;`)
  let deletions = 0
  const again = (deleted: string, table: string, columns: string) =>
    db.$client
      .prepare(`SELECT count(*) FROM ${deleted} d WHERE EXISTS (SELECT 1 FROM ${table} x WHERE ${columns.split(', ').map((c) => `x.${c} IS d.${c}`).join(' AND ')})`)
      .pluck()
      .get() as number
  return {
    clear: () => db.$client.exec('DELETE FROM deleted_scope_rows; DELETE FROM deleted_csv_lines'),
    count: () => {
      deletions += db.$client.prepare('SELECT (SELECT count(*) FROM deleted_scope_rows) + (SELECT count(*) FROM deleted_csv_lines)').pluck().get() as number
      return { scopeRows: again('deleted_scope_rows', 'participation_scopes', scopeColumns), csvLines: again('deleted_csv_lines', 'participation_csv_lines', lineColumns) }
    },
    get deletions() {
      return deletions
    }
  }
}

t.test('more touched records than INCREMENTAL_LIMIT rebuild every derived table', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const count = (table: string) => db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  const scopes = count('participation_scopes')
  db.$client.prepare('DELETE FROM search_people').run()
  db.$client.prepare('DELETE FROM participation_scopes').run()
  const lines = count('participation_csv_lines')
  db.$client.prepare('DELETE FROM participation_csv_lines').run()
  const personScopes = count('person_scopes')
  db.$client.prepare('DELETE FROM person_scopes').run()
  // Ids that name nothing: only a rebuild (not a refresh of their rows) fills the tables again.
  const touched = Array.from({ length: INCREMENTAL_LIMIT + 1 }, (_, i) => ({ collection: 'participations' as const, id: `none-${i}`, before: null, after: null }))
  afterWrite(db, touched, { rebuild: false })
  t.ok(count('search_people') > 0, 'the people index was rebuilt')
  t.equal(count('participation_scopes'), scopes, 'the participation scopes were rebuilt')
  t.equal(count('participation_csv_lines'), lines, 'the CSV lines were rendered again')
  t.ok(personScopes > 0, 'the person scopes hold rows')
  t.equal(count('person_scopes'), personScopes, 'the person scopes were rebuilt')
})

t.test('a VACUUM keeps the rowids by which a write finds the search rows of its records', async (t) => {
  const db = openDatabase(join(t.testdir(), 'directory.sqlite'))
  t.teardown(() => db.$client.close())
  seedDatabase(db)
  // A gap in the rowids, which a VACUUM that numbered the rows afresh would close.
  const [first, second] = db.$client.prepare('SELECT id FROM participations ORDER BY rowid LIMIT 2').pluck().all() as string[]
  deleteRecord(db, 'participations', first as string, 'test')
  const rowids = () => ['people', 'organisations', 'events', 'participations'].map((table) => db.$client.prepare(`SELECT rowid, id FROM ${table} ORDER BY id`).all())
  const before = rowids()
  db.$client.exec('VACUUM')
  t.same(rowids(), before, 'every record keeps its rowid (SQLite keeps those of a table with an index)')
  patchRecord(db, 'participations', current(db, 'participations', second as string), { note: 'Written after a VACUUM' }, 'test')
  sameAsRebuilt(t, db, 'a write after a VACUUM')
})
