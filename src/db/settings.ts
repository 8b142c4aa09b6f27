// Settings the service keeps in its own database, so that every process serving one file agrees on
// them: the key that signs pagination cursors, the data version behind CSV ETags, and the version of
// the definitions of the search index, the participation and person scopes and the participations'
// CSV lines.
import { createHash } from 'node:crypto'
import type { SQL } from 'drizzle-orm'
import { sqliteTable, SQLiteSyncDialect, text } from 'drizzle-orm/sqlite-core'
import type Database from 'better-sqlite3'
import { statement } from './statements.js'
import { withRebuildPageCache } from './refill.js'
import { readOncePerCommit } from './wal-index.js'

export const settings = sqliteTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull()
})

export type SettingName = 'cursor_signing_key' | 'data_version' | 'search_index_version' | 'participation_scopes_version' | 'participation_csv_version' | 'person_scopes_version'

export function readSetting(sqlite: Database.Database, name: SettingName): string | undefined {
  return statement(sqlite, 'SELECT value FROM settings WHERE name = ?').pluck().get(name) as string | undefined
}

export function writeSetting(sqlite: Database.Database, name: SettingName, value: string): void {
  sqlite.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value)
}

const dialect = new SQLiteSyncDialect()

/** The SQL of a query, its values left as parameters: what a derived table's definition is made of. */
export const sqlText = (query: SQL): string => dialect.sqlToQuery(query).sql

/** Identifies a derived table's definition by the texts it is made of: stored with the table, compared when a database is opened. */
export const definitionVersion = (texts: readonly string[]): string => createHash('sha256').update(texts.join('\n')).digest('hex').slice(0, 16)

/**
 * Rebuilds derived tables in a transaction of their own when the version stored under `setting`
 * is not `version` (an older definition built them, or none did): true when it did. `rebuild`
 * stores the new version. A new definition may change answers (the CSV lines, the totals), so the
 * data version goes up with it, as after a write: the caches and CSV ETags of every process let go.
 */
export function rebuildIfRedefined(sqlite: Database.Database, setting: SettingName, version: string, rebuild: () => void): boolean {
  if (readSetting(sqlite, setting) === version) return false
  sqlite
    .transaction(() => {
      withRebuildPageCache(sqlite, rebuild)
      bumpDataVersion(sqlite)
    })
    .immediate()
  return true
}

const dataVersionStatements = new WeakMap<Database.Database, Database.Statement<[], string>>()

function readDataVersion(sqlite: Database.Database): number {
  let read = dataVersionStatements.get(sqlite)
  if (read === undefined) {
    read = sqlite.prepare<[], string>("SELECT value FROM settings WHERE name = 'data_version'").pluck()
    dataVersionStatements.set(sqlite, read)
  }
  return Number(read.get())
}

/**
 * A number that every write changing the directory's data increases: part of the CSV ETags, and
 * what the count and response caches check on every request. It is read again only after a commit
 * by any connection (wal-index.ts): a read transaction at every request cost a cached answer a
 * fifth of its time. Inside a transaction (a snapshot's, a write's), it is the transaction's own
 * version: always read. Not to be asked while a statement of the connection is being iterated
 * (readOncePerCommit): none of the code does.
 */
export function dataVersion(sqlite: Database.Database): number {
  return sqlite.inTransaction ? readDataVersion(sqlite) : readOncePerCommit(sqlite, readDataVersion)
}

export function bumpDataVersion(sqlite: Database.Database): void {
  sqlite.prepare("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE name = 'data_version'").run()
}
