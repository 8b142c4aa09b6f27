// The --db option shared by the subcommands that open the database.
import { databasePathFrom, parseDatabasePath } from '../config.js'
import type { CommandIo } from './command-io.js'

export const DB_OPTION_HELP = '  --db PATH     SQLite file (default: $DATABASE_PATH or ./data/directory.sqlite)'

export function databasePath(option: string | undefined, io: CommandIo): string {
  return option === undefined ? databasePathFrom(io.env, io.cwd) : parseDatabasePath(option, io.cwd, '--db')
}
