// Filling a table with many rows (a derived table made from scratch, or the participations of a
// first seed and its audit trail) with its indexes dropped, then making each index again in one
// sorted pass: keeping an index up to date row by row inserts into it in random order, and at a
// million rows its pages no longer fit in the page cache.
import { availableParallelism } from 'node:os'
import type Database from 'better-sqlite3'
import { withPragma } from './pragma.js'

/**
 * The page cache a rebuild runs with, in KiB. A rebuild writes each derived table in one pass, then
 * sorts it into its indexes, and SQLite's sorter takes the page cache's size as its memory: with
 * 2 MiB instead of the connection's 32, the import of 100,000 participations peaked at 391 MB
 * instead of 450, in the same time.
 */
const REBUILD_PAGE_CACHE_KIB = 2048

/**
 * The threads SQLite's sorter may start besides the caller's to make an index: one per other core.
 * Each sorts with memory of its own (the page cache's size). At 1,000,000 participations, the
 * order index of participation_scopes took 15-16 s to make with one helper thread, against 20-30 s
 * without, and the whole import 182 s instead of 244 (peak RSS 225 MB either way).
 */
const SORTER_HELPER_THREADS = Math.max(0, availableParallelism() - 1)

/**
 * Runs a rebuild with REBUILD_PAGE_CACHE_KIB of page cache, then gives the connection its own size
 * back: every rebuild, after a large write (db/after-write.ts) or a changed definition (settings.ts).
 */
export const withRebuildPageCache = <T>(sqlite: Database.Database, work: () => T): T =>
  withPragma(sqlite, 'cache_size', -REBUILD_PAGE_CACHE_KIB, work)

/** Runs `refill` (inside the caller's transaction) with the indexes of these tables dropped, then makes them again. */
export function refillWithoutIndexes(sqlite: Database.Database, tables: readonly string[], refill: () => void): void {
  // Indexes SQLite makes for a PRIMARY KEY or UNIQUE constraint have no SQL and stay.
  const indexes = tables.flatMap(
    (table) => sqlite.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as { name: string; sql: string }[]
  )
  for (const { name } of indexes) sqlite.exec(`DROP INDEX "${name}"`)
  refill()
  withRebuildPageCache(sqlite, () =>
    withPragma(sqlite, 'threads', SORTER_HELPER_THREADS, () => {
      for (const index of indexes) sqlite.exec(index.sql)
    })
  )
}
