// Loads the citations and other names of a page of records in one query each (never one per record).
import type { DirectoryDatabase } from '../../db/connection.js'
import { statement } from '../../db/statements.js'
import type { Citation, OtherName } from '../shared/common.schemas.js'

/** The owner columns of citations and other names, by the record type they belong to. */
const OWNER_COLUMNS = {
  country: 'country_code',
  organisation: 'organisation_id',
  person: 'person_id',
  position: 'position_id',
  event: 'event_id',
  session: 'session_id',
  participation: 'participation_id',
  other_name: 'other_name_id'
} as const
export type CitationOwner = keyof typeof OWNER_COLUMNS
export type NameOwner = 'country' | 'organisation' | 'person'

type CitationRow = Omit<Citation, never> & { owner: string | number }

// json_each() binds any number of ids as one parameter, so the statement is prepared once (statements.ts).
export function citationsFor(db: DirectoryDatabase, owner: CitationOwner, ids: readonly (string | number)[]): Map<string | number, Citation[]> {
  const byOwner = new Map<string | number, Citation[]>()
  if (ids.length === 0) return byOwner
  const column = OWNER_COLUMNS[owner]
  const rows = statement(
    db.$client,
    `SELECT c.${column} AS owner, c.source_id, s.title, s.publisher, s.published_on, s.url, c.quote, c.note
       FROM citations c JOIN sources s ON s.id = c.source_id
       WHERE c.${column} IN (SELECT value FROM json_each(?))
       ORDER BY c.id`
  ).all(JSON.stringify(ids)) as CitationRow[]
  for (const { owner: key, ...citation } of rows) {
    const list = byOwner.get(key)
    if (list) list.push(citation)
    else byOwner.set(key, [citation])
  }
  return byOwner
}

export function otherNamesFor(db: DirectoryDatabase, owner: NameOwner, ids: readonly string[]): Map<string, OtherName[]> {
  const byOwner = new Map<string, OtherName[]>()
  if (ids.length === 0) return byOwner
  const column = OWNER_COLUMNS[owner]
  const rows = statement(
    db.$client,
    `SELECT id, ${column} AS owner, name, start_date, end_date, note FROM other_names
       WHERE ${column} IN (SELECT value FROM json_each(?)) ORDER BY id`
  ).all(JSON.stringify(ids)) as { id: number; owner: string; name: string; start_date: string | null; end_date: string | null; note: string | null }[]
  const citations = citationsFor(
    db,
    'other_name',
    rows.map((r) => r.id)
  )
  for (const { id, owner: key, ...name } of rows) {
    const entry = { ...name, sources: citations.get(id) ?? [] }
    const list = byOwner.get(key)
    if (list) list.push(entry)
    else byOwner.set(key, [entry])
  }
  return byOwner
}
