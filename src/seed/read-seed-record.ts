// A record as a seed file (or a write request) describes it, read back from the database: the
// shape the audit trail records before and after a change, and the base a PATCH merges into.
import type Database from 'better-sqlite3'
import type { EditableCollection } from './write-seed.js'
import { statement } from '../db/statements.js'

type Row = Record<string, string | number | null>
export type SeedRecord = Record<string, unknown> & { id: string }

// Each collection's columns under their seed names; null columns are left out, as a seed file would.
const COLUMNS: Record<EditableCollection, string> = {
  organisations:
    'id, name, abbreviation, classification, portfolio, country_code AS country, parent_id AS parent, note, version FROM organisations',
  people: 'id, name, honorific_prefix, given_name, family_name, sort_name, note, version FROM people',
  positions: 'id, person_id AS person, organisation_id AS organisation, title, as_of, note, version FROM positions',
  events:
    'id, name, classification, start_date, end_date, city, country_code AS country, continuation_of_id AS continuation_of, note, version FROM events',
  sessions: 'id, event_id AS event, name, classification, note, version FROM sessions',
  participations: `id, event_id AS event, session_id AS session, person_id AS person, organisation_id AS organisation,
    delegation_country_code AS delegation, sector, role, role_as_worded, on_behalf_of_id AS on_behalf_of, country_code AS country, note, version
    FROM participations`
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

const withoutNulls = (row: Row): Record<string, string | number> =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as Record<string, string | number>

/** The record with its version, or undefined when there is none with this id. */
export function readSeedRecord(sqlite: Database.Database, collection: EditableCollection, id: string): { record: SeedRecord; version: number } | undefined {
  const row = statement(sqlite, `SELECT ${COLUMNS[collection]} WHERE id = ?`).get(id) as Row | undefined
  if (row === undefined) return undefined
  const { version, ...fields } = withoutNulls(row)
  const citations = (column: string, owner: string | number) =>
    (statement(sqlite, `SELECT source_id AS source, quote, note FROM citations WHERE ${column} = ? ORDER BY id`).all(owner) as Row[]).map(withoutNulls)
  const record: SeedRecord = { ...(fields as { id: string }) }
  if (HAS_OTHER_NAMES.has(collection)) {
    const names = statement(sqlite, `SELECT id, name, start_date, end_date, note FROM other_names WHERE ${OWNER_COLUMN[collection]} = ? ORDER BY id`).all(id) as Row[]
    if (names.length > 0) {
      record.other_names = names.map(({ id: nameId, ...name }) => {
        const sources = citations('other_name_id', nameId as number)
        return { ...withoutNulls(name), ...(sources.length > 0 ? { sources } : {}) }
      })
    }
  }
  record.sources = citations(OWNER_COLUMN[collection], id)
  return { record, version: version as number }
}
