// The --db option shared by the subcommands that open the database.
import Database from 'better-sqlite3'
import { databasePathFrom, parseDatabasePath } from '../config.js'
import type { CommandIo } from './command-io.js'

/** The --db line of a command's options, its text starting at column `column` as the other options' do. */
export const dbOptionHelp = (column = 16) => `${'  --db PATH'.padEnd(column)}SQLite file (default: $DATABASE_PATH or ./data/directory.sqlite)`
export const DB_OPTION_HELP = dbOptionHelp()

export function databasePath(option: string | undefined, io: CommandIo): string {
  return option === undefined ? databasePathFrom(io.env, io.cwd) : parseDatabasePath(option, io.cwd, '--db')
}

/**
 * Opens the database at `path` with `open`. SQLite's messages do not name the file ("file is not
 * a database", "disk I/O error" for a folder): a failure to open it says which one.
 */
export function openAt<T>(path: string, open: (path: string) => T): T {
  try {
    return open(path)
  } catch (error) {
    if (error instanceof Database.SqliteError) throw new Error(`${path}: ${error.message}`, { cause: error })
    throw error
  }
}
