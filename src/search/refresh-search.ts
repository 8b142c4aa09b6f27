// Keeps the full-text indexes current after a write: the index rows of the records a write touched,
// and of the records whose search words include theirs, are deleted and made again (FTS5 delete and
// insert), rather than every index being rebuilt. Writes that change many rows, or a country's
// names (which are search words of many records), rebuild every index instead.
import { sql } from 'drizzle-orm'
import type { DirectoryDatabase } from '../db/connection.js'
import { statement } from '../db/statements.js'
import type { EditableCollection } from '../seed/write-seed.js'
import { SEARCH_INDEXES } from './indexes.js'
import { rebuildSearchIndexes, type SearchIndex, type SearchIndexName } from './search-index.js'

/** A record a write created, changed or deleted, with its references as before and after. */
export interface TouchedRecord {
  collection: EditableCollection
  id: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  /**
   * For a record the API deleted: the rowid it had, which its search rows keep (SearchIndex). (A seed
   * run deletes records only when it resets, and then rebuilds every index.)
   */
  deletedRowid?: number
}

/** Above this many touched records, one rebuild of every index is cheaper than refreshing rows. */
export const INCREMENTAL_LIMIT = 5000

type Affected = Record<SearchIndexName, Set<string>>

const ids = (sqlite: DirectoryDatabase['$client'], query: string, id: string): string[] => statement(sqlite, query).pluck().all(id) as string[]

/** The index rows whose words come (in part) from each record (see the modules' *.search.ts). */
function addAffected(sqlite: DirectoryDatabase['$client'], affected: Affected, record: TouchedRecord): void {
  const { id, before, after } = record
  const add = (index: SearchIndexName, values: unknown[]) => {
    for (const value of values) if (typeof value === 'string') affected[index].add(value)
  }
  const referenced = (field: string) => [before?.[field], after?.[field]]
  switch (record.collection) {
    case 'organisations':
      add('search_organisations', [id])
      add('search_people', ids(sqlite, 'SELECT person_id FROM positions WHERE organisation_id = ?', id))
      add('search_participations', ids(sqlite, 'SELECT id FROM participations WHERE organisation_id = ?', id))
      add('search_participations', ids(sqlite, 'SELECT id FROM participations WHERE on_behalf_of_id = ?', id))
      break
    case 'people':
      add('search_people', [id])
      add('search_participations', ids(sqlite, 'SELECT id FROM participations WHERE person_id = ?', id))
      break
    case 'positions':
      add('search_people', referenced('person'))
      break
    case 'events':
      add('search_events', [id])
      add('search_participations', ids(sqlite, 'SELECT id FROM participations WHERE event_id = ?', id))
      break
    case 'sessions':
      add('search_events', referenced('event'))
      add('search_participations', ids(sqlite, 'SELECT id FROM participations WHERE session_id = ?', id))
      break
    case 'participations':
      add('search_participations', [id])
  }
}

/**
 * Deletes and makes again the rows of these records in one index, found by their records' rowids
 * (see SearchIndex): those of the records' table, and `deletedRowids`, those of the records the
 * write deleted, which the table no longer has.
 */
function refreshSearchRows(db: DirectoryDatabase, index: SearchIndex, recordIds: Iterable<string>, deletedRowids: readonly number[]): void {
  const list = JSON.stringify([...recordIds])
  if (list === '[]') return
  const table = sql.identifier(index.name)
  const records = sql.identifier(index.table)
  const wanted = sql`(SELECT value FROM json_each(${list}))`
  db.run(
    sql`DELETE FROM ${table} WHERE rowid IN (SELECT r.rowid FROM ${wanted} m CROSS JOIN ${records} r ON r.id = m.value UNION ALL SELECT value FROM json_each(${JSON.stringify(deletedRowids)}))`
  )
  db.run(sql`INSERT INTO ${table} (rowid, record_id, names, text) SELECT record_rowid, record_id, search_key(names), search_key(text) FROM (${index.rows}) WHERE record_id IN ${wanted}`)
}

/**
 * Brings every index up to date after a write (inside its transaction; see afterWrite). `rebuild`
 * asks for a full rebuild (a reset, a change of countries or their names, many records).
 */
export function refreshSearchIndexesAfter(db: DirectoryDatabase, touched: readonly TouchedRecord[], rebuild: boolean): void {
  if (rebuild) {
    rebuildSearchIndexes(db, SEARCH_INDEXES)
    return
  }
  const affected = Object.fromEntries(SEARCH_INDEXES.map((index) => [index.name, new Set<string>()])) as Affected
  for (const record of touched) addAffected(db.$client, affected, record)
  for (const index of SEARCH_INDEXES) {
    const deletedRowids = touched.flatMap((record) => (record.collection === index.table && record.deletedRowid !== undefined ? [record.deletedRowid] : []))
    refreshSearchRows(db, index, affected[index.name], deletedRowids)
  }
}
