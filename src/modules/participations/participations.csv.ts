// The CSV export of participations: related records flattened to their ids and names. Each
// participation's record is rendered by SQL when it is written and kept in participation_csv_lines
// (migrations/0007_csv_lines.sql) in the list's default order, so that an export reads stored lines:
// in the benchmark at 1M participations, 17,000-20,000 rows/s became 116,000, and 219,000-346,000
// once SQLite joined each chunk's lines into one blob (scopedCsvChunk).
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { definitionVersion, rebuildIfRedefined, sqlText, writeSetting } from '../../db/settings.js'
import { refillWithoutIndexes } from '../../db/refill.js'
import { statement } from '../../db/statements.js'
import { CSV_FORMAT, sqlCsvRecord, type CsvChunk } from '../../http/csv.js'
import type { Page } from '../shared/sql.js'
import { indexedScopes, PARTICIPATION_COLUMNS, PARTICIPATIONS_FROM, selectParticipationIds, type ParticipationFilters } from './participations.repository.js'
import { participationScopesVersion, scopedCsvChunk, scopeRowsOf } from './participations.scopes.js'

/** Several values in one cell, as joinCell (http/csv.ts) joins them: in order, empty ones left out. */
const citedValues = (column: 'source_id' | 'quote'): SQL =>
  sql`(SELECT group_concat(${sql.identifier(column)}, ' | ' ORDER BY id) FROM citations WHERE participation_id = r.id AND ${sql.identifier(column)} <> '')`

/** The columns, over a participation as the API shows it (`r`: the row of PARTICIPATION_COLUMNS). */
const COLUMNS: { header: string; value: SQL }[] = [
  { header: 'id', value: sql`r.id` },
  { header: 'event_id', value: sql`r.event_id` },
  { header: 'event', value: sql`r.event_name` },
  { header: 'event_start_date', value: sql`r.event_start_date` },
  { header: 'session_id', value: sql`r.session_id` },
  { header: 'session', value: sql`r.session_name` },
  { header: 'participant_type', value: sql`r.participant_type` },
  { header: 'participant_id', value: sql`r.participant_id` },
  { header: 'participant', value: sql`r.participant_name` },
  { header: 'role', value: sql`r.role` },
  { header: 'role_as_worded', value: sql`r.role_as_worded` },
  { header: 'on_behalf_of_id', value: sql`r.on_behalf_of_id` },
  { header: 'on_behalf_of', value: sql`r.on_behalf_of_name` },
  { header: 'country_code', value: sql`r.country_code` },
  { header: 'country', value: sql`r.country_name` },
  { header: 'note', value: sql`r.note` },
  { header: 'source_ids', value: citedValues('source_id') },
  { header: 'source_quotes', value: citedValues('quote') }
]

export const PARTICIPATION_CSV_HEADER = COLUMNS.map((column) => column.header)

/**
 * Renders the lines of every participation, or of those whose ids `only` selects, with the keys
 * of the default order that participation_scopes holds for them (so it is made first), in that
 * order: a rebuild then appends to the table. The values are computed once each, in a subquery
 * whose ORDER BY keeps SQLite from flattening it: the citations subqueries then run once a line
 * whatever reads their values (query-plans.test.ts checks the plan). Those of some participations
 * are rendered into FRESH (refreshParticipationCsvLines).
 */
const renderLines = (only?: SQL): SQL => sql`INSERT INTO ${sql.raw(only === undefined ? 'participation_csv_lines' : `temp.${FRESH}`)} (start_date, event_id, role_rank, participant_key, participation_id, line)
  SELECT v.start_date, v.event_id, v.role_rank, v.participant_key, v.participation_id, ${sqlCsvRecord(COLUMNS.map((_, i) => sql.raw(`v.c${i}`)))}
  FROM (SELECT x.start_date, x.event_id, x.role_rank, x.participant_key, x.participation_id, ${sql.join(
    COLUMNS.map((column, i) => sql`${column.value} AS ${sql.raw(`c${i}`)}`),
    sql`, `
  )}
    FROM ${scopeRowsOf(only)} JOIN (SELECT ${PARTICIPATION_COLUMNS} ${PARTICIPATIONS_FROM}) r ON r.id = x.participation_id
    WHERE x.scope = ''
    ORDER BY x.start_date DESC, x.event_id, x.role_rank, x.participant_key, x.participation_id) v`

/**
 * Identifies how the lines are rendered (the SQL, and the format csv_record() writes, which its
 * text does not show), and their keys (the scopes' definition): when any changes, open databases
 * render them again.
 */
export const participationCsvVersion = (): string => definitionVersion([participationScopesVersion(), sqlText(renderLines()), `csv format ${CSV_FORMAT}`])

/** Renders every line again (inside the transaction of a write that rebuilds every derived table, after the scopes). */
export function rebuildParticipationCsv(db: DirectoryDatabase): void {
  // The lines go in in the table's order; their index by participation id is made afterwards.
  refillWithoutIndexes(db.$client, ['participation_csv_lines'], () => {
    db.run(sql`DELETE FROM participation_csv_lines`)
    db.run(renderLines())
  })
  writeSetting(db.$client, 'participation_csv_version', participationCsvVersion())
}

/** Where the lines of the participations a write moved are rendered: a table of this connection's, emptied before and after each use. */
const FRESH = 'fresh_participation_csv_lines'

/** The columns of a line, in both tables. */
const LINE_COLUMNS = ['participation_id', 'start_date', 'event_id', 'role_rank', 'participant_key', 'line'] as const
const columnsOf = (table: string): SQL => sql.raw(LINE_COLUMNS.map((column) => `${table}.${column}`).join(', '))

/**
 * Renders again the lines of these participations (inside the write's transaction, after their
 * scopes) and writes those that changed: a write can move many participations whose lines stay as
 * they were (a ministry moved to another country at 1,000,000 participations: 88,700 lines, 25 s
 * deleted and inserted again).
 */
export function refreshParticipationCsvLines(db: DirectoryDatabase, participationIds: Iterable<string>): void {
  const list = JSON.stringify([...participationIds])
  if (list === '[]') return
  const only = sql`(SELECT value FROM json_each(${list}))`
  const fresh = sql.raw(`temp.${FRESH}`)
  db.run(sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.raw(FRESH)} AS SELECT ${sql.raw(LINE_COLUMNS.join(', '))} FROM participation_csv_lines WHERE FALSE`)
  db.run(sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.raw(`temp.${FRESH}_participation_idx`)} ON ${sql.raw(FRESH)} (participation_id)`)
  db.run(sql`DELETE FROM ${fresh}`)
  db.run(renderLines(only))
  db.run(sql`DELETE FROM participation_csv_lines WHERE participation_id IN ${only}
    AND NOT EXISTS (SELECT 1 FROM ${fresh} f WHERE (${columnsOf('f')}) = (${columnsOf('participation_csv_lines')}))`)
  // A participation's line left is the same as its fresh one.
  db.run(sql`INSERT INTO participation_csv_lines (${sql.raw(LINE_COLUMNS.join(', '))}) SELECT ${columnsOf('f')} FROM ${fresh} f
    WHERE NOT EXISTS (SELECT 1 FROM participation_csv_lines l WHERE l.participation_id = f.participation_id)`)
  db.run(sql`DELETE FROM ${fresh}`)
}

/** Renders the lines of a database whose lines were rendered by another definition, or never. */
export function refreshParticipationCsv(db: DirectoryDatabase): boolean {
  // Called after refreshParticipationScopes: the lines take their keys from the scopes.
  return rebuildIfRedefined(db.$client, 'participation_csv_version', participationCsvVersion(), () => rebuildParticipationCsv(db))
}

/**
 * The stored lines of these participations, in the order of the ids, each ending in CRLF: joined
 * by SQLite into one UTF-8 blob, as scopedCsvChunk joins a range's (joined here instead, a chunk of
 * 16,000 lines peaked about 40 MB higher). A participation without its line would be left out of
 * the export unseen: the derived table is then out of step, which is a failure, not an answer.
 */
function linesById(db: DirectoryDatabase, ids: readonly string[]): Uint8Array {
  const read = statement(
    db.$client,
    `SELECT CAST(IFNULL(group_concat(l.line || char(13, 10), '' ORDER BY j.key), '') AS BLOB) AS lines, count(*) AS found
      FROM json_each(?) j CROSS JOIN participation_csv_lines l ON l.participation_id = j.value`
  )
  const { lines, found } = read.get(JSON.stringify(ids)) as { lines: Buffer; found: number }
  if (found !== ids.length) throw new Error(`participation_csv_lines has no line for ${ids.length - found} of ${ids.length} participations`)
  return lines
}

/** One chunk of the export: the stored lines of a page of the participations the filters select. */
export function participationCsvChunk(db: DirectoryDatabase, filters: ParticipationFilters, page: Page): CsvChunk {
  // In the default order, filtered only by what the index holds: the lines are read in order.
  const scopes = indexedScopes(db, filters)
  if (scopes !== undefined) return scopedCsvChunk(db, scopes, page)
  // Otherwise the ids come from a search, a sort or the tables: each chunk finds and orders every
  // match. One snapshot, when the lines are looked up after the ids: a participation deleted
  // meanwhile by another process would have no line.
  return db.$client.transaction((): CsvChunk => {
    const { ids, next } = selectParticipationIds(db, filters, page)
    return { records: linesById(db, ids), next, resortsEveryMatch: true }
  })()
}
