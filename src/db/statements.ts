// Prepared statements kept per connection and reused: preparing costs more than running a
// statement that reads or writes one row, writes run thousands of such statements, and every
// list request runs the same few shapes of query with other values.
import type Database from 'better-sqlite3'
import type { SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'

/**
 * How many statements a connection keeps. The shapes of query are finitely many, but their
 * combinations (filters, sorts, facets) are many: the least recently used go beyond this.
 */
export const MAX_CACHED_STATEMENTS = 500

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/**
 * The connection's prepared statement for this SQL, prepared on first use. It returns rows as
 * objects, whatever an earlier user set (pluck, raw), since callers set their own mode each time.
 */
export function statement(sqlite: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(sqlite)
  if (!statements) cache.set(sqlite, (statements = new Map()))
  let prepared = statements.get(sql)
  if (prepared) {
    // Most recently used last: a Map iterates in insertion order, so the first key is the one to drop.
    statements.delete(sql)
    if (prepared.reader) prepared.pluck(false).raw(false)
  } else {
    prepared = sqlite.prepare(sql)
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string)
  }
  statements.set(sql, prepared)
  return prepared
}

const dialect = new SQLiteSyncDialect()

/** The statement and parameters of a drizzle `sql` query, on the connection's cached statement. */
export function prepared(sqlite: Database.Database, query: SQL): { statement: Database.Statement; params: unknown[] } {
  const { sql, params } = dialect.sqlToQuery(query)
  return { statement: statement(sqlite, sql), params }
}

/** Every row of a drizzle `sql` query (what `db.all` returns), without preparing it again. */
export function allRows<R>(sqlite: Database.Database, query: SQL): R[] {
  const { statement, params } = prepared(sqlite, query)
  return statement.all(...params) as R[]
}
