// A record as a seed file (or a write request) describes it, read back from the database: the
// shape the audit trail records before and after a change, and the base a PATCH merges into.
// It is made by SQL (recordJson), so that a bulk write can record every record it created in one
// statement (seed-database.ts), in the same shape as one record read here.
import type Database from 'better-sqlite3'
import type { EditableCollection } from './write-seed.js'
import { statement } from '../db/statements.js'

export type SeedRecord = Record<string, unknown> & { id: string }

/** Each collection's columns under their seed names, in the order a record lists them (before its names and sources). */
const FIELDS: Record<EditableCollection, [name: string, column: string][]> = {
  organisations: [
    ['id', 'id'],
    ['name', 'name'],
    ['abbreviation', 'abbreviation'],
    ['classification', 'classification'],
    ['portfolio', 'portfolio'],
    ['country', 'country_code'],
    ['parent', 'parent_id'],
    ['note', 'note']
  ],
  people: [
    ['id', 'id'],
    ['name', 'name'],
    ['honorific_prefix', 'honorific_prefix'],
    ['given_name', 'given_name'],
    ['family_name', 'family_name'],
    ['sort_name', 'sort_name'],
    ['note', 'note']
  ],
  positions: [
    ['id', 'id'],
    ['person', 'person_id'],
    ['organisation', 'organisation_id'],
    ['title', 'title'],
    ['as_of', 'as_of'],
    ['note', 'note']
  ],
  events: [
    ['id', 'id'],
    ['name', 'name'],
    ['classification', 'classification'],
    ['start_date', 'start_date'],
    ['end_date', 'end_date'],
    ['city', 'city'],
    ['country', 'country_code'],
    ['continuation_of', 'continuation_of_id'],
    ['note', 'note']
  ],
  sessions: [
    ['id', 'id'],
    ['event', 'event_id'],
    ['name', 'name'],
    ['classification', 'classification'],
    ['note', 'note']
  ],
  participations: [
    ['id', 'id'],
    ['event', 'event_id'],
    ['session', 'session_id'],
    ['person', 'person_id'],
    ['organisation', 'organisation_id'],
    ['delegation', 'delegation_country_code'],
    ['sector', 'sector'],
    ['role', 'role'],
    ['role_as_worded', 'role_as_worded'],
    ['on_behalf_of', 'on_behalf_of_id'],
    ['country', 'country_code'],
    ['note', 'note']
  ]
}

/** The column of citations and other_names that points at a record of each collection. */
export const OWNER_COLUMN: Record<EditableCollection, string> = {
  organisations: 'organisation_id',
  people: 'person_id',
  positions: 'position_id',
  events: 'event_id',
  sessions: 'session_id',
  participations: 'participation_id'
}

const HAS_OTHER_NAMES = new Set<EditableCollection>(['organisations', 'people'])

// json_patch() onto an empty object drops the members whose value is null: a record leaves out
// what it does not have, as a seed file would. It does not look inside arrays, so each element is
// patched on its own. A subquery with no group (HAVING) is null: a list that is empty is left out.
const withoutNulls = (members: string): string => `json_patch('{}', json_object(${members}))`

const citations = (column: string, owner: string, emptyList: 'kept' | 'left out'): string =>
  `(SELECT json_group_array(${withoutNulls("'source', c.source_id, 'quote', c.quote, 'note', c.note")} ORDER BY c.id)
    FROM citations c WHERE c.${column} = ${owner}${emptyList === 'left out' ? ' HAVING count(*) > 0' : ''})`

/**
 * The SQL of the JSON of the record in row `r` of the collection's table: its columns (those not
 * null), its other names (if it has any) with their sources (if any), and its sources (always).
 */
export function recordJson(collection: EditableCollection): string {
  const members = FIELDS[collection].map(([name, column]) => `'${name}', r.${column}`)
  if (HAS_OTHER_NAMES.has(collection)) {
    const name = withoutNulls(
      `'name', n.name, 'start_date', n.start_date, 'end_date', n.end_date, 'note', n.note, 'sources', ${citations('other_name_id', 'n.id', 'left out')}`
    )
    members.push(`'other_names', (SELECT json_group_array(${name} ORDER BY n.id) FROM other_names n WHERE n.${OWNER_COLUMN[collection]} = r.id HAVING count(*) > 0)`)
  }
  members.push(`'sources', ${citations(OWNER_COLUMN[collection], 'r.id', 'kept')}`)
  return withoutNulls(members.join(', '))
}

const READ_ONE = Object.fromEntries(
  Object.keys(FIELDS).map((collection) => [collection, `SELECT ${recordJson(collection as EditableCollection)} AS record, r.version FROM ${collection} r WHERE r.id = ?`])
) as Record<EditableCollection, string>

/** The SQL of every record of the collection (`id` and `record`, its JSON), in the order they were inserted. */
export const everyRecordJson = (collection: EditableCollection): string => `SELECT r.id, ${recordJson(collection)} AS record FROM ${collection} r ORDER BY r.rowid`

/** The record with its version, or undefined when there is none with this id. */
export function readSeedRecord(sqlite: Database.Database, collection: EditableCollection, id: string): { record: SeedRecord; version: number } | undefined {
  const row = statement(sqlite, READ_ONE[collection]).get(id) as
    | { record: string; version: number }
    | undefined
  return row === undefined ? undefined : { record: JSON.parse(row.record) as SeedRecord, version: row.version }
}
