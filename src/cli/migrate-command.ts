// `stakeholder-directory migrate`: create the database if needed and apply pending migrations.
import { parseArgs } from 'node:util'
import { openDatabase } from '../db/connection.js'
import type { CommandIo } from './command-io.js'
import { DB_OPTION_HELP, databasePath, openAt } from './database-option.js'

export const MIGRATE_USAGE = `Usage: stakeholder-directory migrate [options]

Creates the database file if needed and applies the pending migrations (the server and the seed
command do this too; this command does only that).

Options:
${DB_OPTION_HELP}
  -h, --help    Show this help

Exit codes: 0 schema current, 1 failure (database cannot be opened or migrated), 2 usage error.`

export function runMigrate(args: string[], io: CommandIo): number {
  const { values } = parseArgs({ args, options: { db: { type: 'string' } } })
  const path = databasePath(values.db, io)
  const db = openAt(path, openDatabase)
  try {
    const applied = db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number
    io.stdout.write(`${path}: ${applied} migrations applied; schema is current.\n`)
    return 0
  } finally {
    db.$client.close()
  }
}
