// Refilling a derived table from scratch (a rebuild) with its indexes dropped, then making each
// index again in one sorted pass: keeping an index up to date row by row inserts into it in random
// order, and at a million rows its pages no longer fit in the page cache.
import type Database from 'better-sqlite3'

/** Runs `refill` (inside the caller's transaction) with the table's own indexes dropped, then makes them again. */
export function refillWithoutIndexes(sqlite: Database.Database, table: string, refill: () => void): void {
  // Indexes SQLite makes for a PRIMARY KEY or UNIQUE constraint have no SQL and stay.
  const indexes = sqlite.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as {
    name: string
    sql: string
  }[]
  for (const { name } of indexes) sqlite.exec(`DROP INDEX "${name}"`)
  refill()
  for (const index of indexes) sqlite.exec(index.sql)
}
