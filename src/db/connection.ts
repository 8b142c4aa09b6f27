// Opens the SQLite database with the pragmas the directory relies on, and wraps it in drizzle.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema.js'
import { migrationsFolder } from '../paths.js'
import { withPragma } from './pragma.js'
import { forgetWalIndex } from './wal-index.js'
import { addFunctions } from './sql-functions.js'
import { SEARCH_INDEXES } from '../search/indexes.js'
import { refreshSearchIndexes } from '../search/search-index.js'
import { refreshParticipationScopes } from '../modules/participations/participations.scopes.js'
import { refreshParticipationCsv } from '../modules/participations/participations.csv.js'

/**
 * SQLite's page cache per connection, in KiB, unless the caller asks for another (the server takes
 * PAGE_CACHE_MB's). Its default, 2 MiB, holds little of a large directory:
 * a page of 20 participations joins each to seven tables by text keys, and re-reading those pages
 * from the operating system cost half of it (at 100,000 participations, a country's page took
 * 1.6 ms with the default and 0.9 ms with 32 MiB, for about 25 MB more memory).
 */
export const PAGE_CACHE_KIB = 32 * 1024

export type DirectoryDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

/** Opens (creating the file and its folder if needed) and applies pending migrations. */
export function openDatabase(path: string, { pageCacheKib = PAGE_CACHE_KIB } = {}): DirectoryDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma(`cache_size = -${pageCacheKib}`)
  addFunctions(sqlite)
  const db = drizzle(sqlite, { schema }) as DirectoryDatabase
  migrate(db, { migrationsFolder })
  // A database indexed by an older definition of the search words is reindexed once.
  refreshSearchIndexes(db, SEARCH_INDEXES)
  refreshParticipationScopes(db)
  refreshParticipationCsv(db)
  return db
}

/**
 * Runs `work` with a rollback journal in place of the WAL, then goes back to WAL: for a large write
 * into a database that holds nothing yet (the seed command's import into a new file). Its pages then
 * go straight to the file, where the WAL would hold every one of them until the checkpoint copied
 * them again, and every page read during the write would first search the WAL's index, which grows
 * with it. Measured in one process: 100,000 participations in 18 s instead of 23, 1,000,000 in 254 s
 * instead of 429 (12.6 GB written instead of 26.9).
 * No other connection could read the file during such a write (it would fail with "database is
 * locked" once its busy timeout passed), and SQLite leaves the WAL only for a connection that has the
 * file to itself: with another connection open, `work` runs in WAL mode as always.
 */
export function withRollbackJournal<T>(sqlite: Database.Database, work: () => T): T {
  if (sqlite.memory || !leaveWal(sqlite)) return work()
  // SQLite deleted the WAL-index file on leaving WAL mode (and makes another on coming back): the
  // data version is read from the database until then.
  forgetWalIndex(sqlite)
  try {
    // NORMAL is safe from corruption on power loss in WAL mode only: a rollback journal needs FULL.
    // The journal holds the pages of a nearly empty file, so its syncs cost next to nothing.
    return withPragma(sqlite, 'synchronous', 'FULL', work)
  } finally {
    // The journal mode is only a matter of speed, and every openDatabase asks for WAL again: a
    // connection that opened the file meanwhile and holds it past the busy timeout leaves it as it is.
    try {
      sqlite.pragma('journal_mode = WAL')
    } catch {}
  }
}

/**
 * Switches to a rollback journal unless SQLite refuses (another connection has the file open). It
 * refuses after waiting out the busy timeout for nothing, since the other connection stays open:
 * that is not waited for.
 */
const leaveWal = (sqlite: Database.Database): boolean =>
  withPragma(sqlite, 'busy_timeout', 0, () => {
    try {
      sqlite.pragma('journal_mode = DELETE')
      return true
    } catch {
      return false
    }
  })

/** Opens an existing database read-only and as it is: no migration, no reindexing (for stats and checks). */
export function openDatabaseReadOnly(path: string): DirectoryDatabase {
  // A fresh :memory: database is empty too: nothing to read there either.
  if (!existsSync(path)) throw new Error(`no database at ${path}`)
  const sqlite = new Database(path, { readonly: true, fileMustExist: true })
  sqlite.pragma('busy_timeout = 5000')
  return drizzle(sqlite, { schema }) as DirectoryDatabase
}
