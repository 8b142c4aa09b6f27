// Prepared statements kept per connection and reused: preparing costs more than running a
// statement that reads or writes one row, and writes run thousands of such statements.
import type Database from 'better-sqlite3'

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/** The connection's prepared statement for this SQL, prepared on first use. */
export function statement(sqlite: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(sqlite)
  if (!statements) cache.set(sqlite, (statements = new Map()))
  let prepared = statements.get(sql)
  if (!prepared) statements.set(sql, (prepared = sqlite.prepare(sql)))
  return prepared
}
