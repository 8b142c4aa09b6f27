// The audit trail: written by every write (seed command and API alike), read by administrators.
import { sql, type SQL } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { DirectoryDatabase } from '../../db/connection.js'
import { statement } from '../../db/statements.js'
import { selectPage, type ListResult, type Page } from '../shared/sql.js'
import type { Change, ChangesQuery } from './changes.schemas.js'

export interface ChangeEntry {
  actor: string
  action: Change['action']
  resource: Change['resource']
  recordId: string
  before: unknown
  after: unknown
}

/** Records one change; called inside the transaction that makes it. */
export function recordChange(sqlite: Database.Database, entry: ChangeEntry, at = new Date()): void {
  statement(sqlite, 'INSERT INTO changes (at, actor, action, resource, record_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(at.toISOString(), entry.actor, entry.action, entry.resource, entry.recordId, JSON.stringify(entry.before), JSON.stringify(entry.after))
}

/**
 * Records the creation of every record in `records` (SQL selecting `id` and `record`, the record's
 * JSON, in the order they were written) in one statement: a bulk write's audit trail.
 */
export function recordCreations(sqlite: Database.Database, entry: { actor: string; resource: Change['resource']; records: string }, at = new Date()): void {
  sqlite
    .prepare(`INSERT INTO changes (at, actor, action, resource, record_id, before, after) SELECT ?, ?, 'create', ?, id, 'null', record FROM (${entry.records})`)
    .run(at.toISOString(), entry.actor, entry.resource)
}

type ChangeRow = Omit<Change, 'before' | 'after'> & { before: string; after: string }

/** Newest first; every filter is exact. */
export function listChanges(db: DirectoryDatabase, filters: Omit<ChangesQuery, 'limit' | 'cursor' | 'format'>, page: Page): ListResult<Change> {
  const conditions: SQL[] = []
  if (filters.resource !== undefined) conditions.push(sql`resource = ${filters.resource}`)
  if (filters.record_id !== undefined) conditions.push(sql`record_id = ${filters.record_id}`)
  if (filters.actor !== undefined) conditions.push(sql`actor = ${filters.actor}`)
  if (filters.action !== undefined) conditions.push(sql`action = ${filters.action}`)
  if (filters.since !== undefined) conditions.push(sql`at >= ${new Date(filters.since).toISOString()}`)
  const { rows, total, next } = selectPage<ChangeRow>(
    db,
    { columns: sql`id, at, actor, action, resource, record_id, before, after`, from: sql`FROM changes`, conditions, order: [{ expression: sql`id`, descending: true }] },
    page
  )
  // before and after are JSON text: "null" for a creation's before and a deletion's after.
  return { data: rows.map((r) => ({ ...r, before: JSON.parse(r.before), after: JSON.parse(r.after) })), total, next }
}
