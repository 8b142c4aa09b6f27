// Opens the SQLite database with the pragmas the directory relies on, and wraps it in drizzle.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import * as schema from './schema.js'
import { migrationsFolder } from '../paths.js'
import { withPragma } from './pragma.js'
import { forgetWalIndex } from './wal-index.js'
import { addFunctions } from './sql-functions.js'
import { SEARCH_INDEXES } from '../search/indexes.js'
import { refreshSearchIndexes, searchIndexVersion } from '../search/search-index.js'
import { participationScopesVersion, refreshParticipationScopes } from '../modules/participations/participations.scopes.js'
import { participationCsvVersion, refreshParticipationCsv } from '../modules/participations/participations.csv.js'
import { personScopesVersion, refreshPersonScopes } from '../modules/people/people.scopes.js'
import { readSetting, type SettingName } from './settings.js'

/**
 * SQLite's page cache per connection, in KiB, unless the caller asks for another (the server takes
 * PAGE_CACHE_MB's). Its default, 2 MiB, holds little of a large directory:
 * a page of 20 participations joins each to seven tables by text keys, and re-reading those pages
 * from the operating system cost half of it (at 100,000 participations, a country's page took
 * 1.6 ms with the default and 0.9 ms with 32 MiB, for about 25 MB more memory).
 */
export const PAGE_CACHE_KIB = 32 * 1024

export type DirectoryDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

/** Thrown by openDatabase when asked not to upgrade a database that needs it: what it would do. */
export class DatabaseNotCurrentError extends Error {
  constructor(
    readonly path: string,
    readonly upgrades: string[]
  ) {
    super(`${path} needs upgrading first (${upgrades.join('; ')}): run "stakeholder-directory migrate"`)
  }
}

/**
 * Opens (creating the file and its folder if needed), applies pending migrations and rebuilds the
 * derived tables whose definition changed. With `upgrade: false`, opens an existing file only, and
 * throws DatabaseNotCurrentError instead of changing its schema or derived tables (a dry run).
 */
export function openDatabase(path: string, { pageCacheKib = PAGE_CACHE_KIB, upgrade = true } = {}): DirectoryDatabase {
  if (path !== ':memory:' && upgrade) mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path, { fileMustExist: !upgrade })
  // Persistent in the file, so asked for only by a connection that may change it.
  if (upgrade) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma(`cache_size = -${pageCacheKib}`)
  addFunctions(sqlite)
  const db = drizzle(sqlite, { schema }) as DirectoryDatabase
  if (!upgrade) {
    const upgrades = pendingUpgrades(sqlite)
    if (upgrades.length > 0) {
      sqlite.close()
      throw new DatabaseNotCurrentError(path, upgrades)
    }
    return db
  }
  migrate(db, { migrationsFolder })
  // A database whose derived tables an older definition built rebuilds them once.
  for (const table of DERIVED_TABLES) table.refresh(db)
  return db
}

/**
 * The tables made from the records, in the order they are made (the CSV lines take their keys from
 * the scopes): the setting that names the definition each was built by, the current definition, and
 * the refresh that rebuilds it when they differ. One list, which opening the database and a dry run's
 * check (pendingUpgrades) both read.
 */
const DERIVED_TABLES: { what: string; setting: SettingName; version: () => string; refresh: (db: DirectoryDatabase) => void }[] = [
  { what: 'the search index', setting: 'search_index_version', version: () => searchIndexVersion(SEARCH_INDEXES), refresh: (db) => refreshSearchIndexes(db, SEARCH_INDEXES) },
  { what: 'the participation scopes', setting: 'participation_scopes_version', version: participationScopesVersion, refresh: refreshParticipationScopes },
  { what: "the participations' CSV lines", setting: 'participation_csv_version', version: participationCsvVersion, refresh: refreshParticipationCsv },
  { what: 'the person scopes', setting: 'person_scopes_version', version: personScopesVersion, refresh: refreshPersonScopes }
]

/**
 * What opening the database would change: the migrations drizzle would apply (those newer than the
 * last one applied, as its migrator decides), then the derived tables built by another definition.
 */
function pendingUpgrades(sqlite: Database.Database): string[] {
  const tracked = sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE name = '__drizzle_migrations'").get() !== undefined
  const lastApplied = tracked ? Number(sqlite.prepare('SELECT coalesce(max(created_at), 0) FROM __drizzle_migrations').pluck().get()) : 0
  const migrations = readMigrationFiles({ migrationsFolder }).filter((migration) => migration.folderMillis > lastApplied)
  if (migrations.length > 0) return [`${migrations.length} pending migration${migrations.length === 1 ? '' : 's'}`]
  return DERIVED_TABLES.filter(({ setting, version }) => readSetting(sqlite, setting) !== version()).map(({ what }) => `${what} to rebuild`)
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
  // Reads the file's header now: a file that is not a database is refused here, not at the first query.
  sqlite.pragma('schema_version')
  return drizzle(sqlite, { schema }) as DirectoryDatabase
}
