// Opens the SQLite database with the pragmas the directory relies on, and wraps it in drizzle.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema.js'
import { migrationsFolder } from '../paths.js'
import { fold } from '../text/fold.js'
import { searchKey } from '../text/search-key.js'
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
  // fold() gives SQL the same accent- and case-insensitive matching as the application code.
  sqlite.function('fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? fold(text) : null))
  // search_key() makes the words the full-text indexes hold, exactly as queries are made into words.
  sqlite.function('search_key', { deterministic: true }, (text: string) => searchKey(text))
  const db = drizzle(sqlite, { schema }) as DirectoryDatabase
  migrate(db, { migrationsFolder })
  // A database indexed by an older definition of the search words is reindexed once.
  refreshSearchIndexes(db, SEARCH_INDEXES)
  refreshParticipationScopes(db)
  refreshParticipationCsv(db)
  return db
}

/** Opens an existing database read-only and as it is: no migration, no reindexing (for stats and checks). */
export function openDatabaseReadOnly(path: string): DirectoryDatabase {
  // A fresh :memory: database is empty too: nothing to read there either.
  if (!existsSync(path)) throw new Error(`no database at ${path}`)
  const sqlite = new Database(path, { readonly: true, fileMustExist: true })
  sqlite.pragma('busy_timeout = 5000')
  return drizzle(sqlite, { schema }) as DirectoryDatabase
}
