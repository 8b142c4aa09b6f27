// `stakeholder-directory stats`: how many rows each table holds, and what each country has.
import { parseArgs } from 'node:util'
import { getTableName, sql } from 'drizzle-orm'
import { openDatabaseReadOnly, type DirectoryDatabase } from '../db/connection.js'
import * as schema from '../db/schema.js'
import { participationInCountry } from '../modules/participations/participations.repository.js'
import { countryOrganisations, peopleAt } from '../modules/shared/filters.js'
import type { CommandIo } from './command-io.js'
import { DB_OPTION_HELP, databasePath, openAt } from './database-option.js'

export const STATS_USAGE = `Usage: stakeholder-directory stats [options]

Prints the number of rows in each table, then, for each country that has any, its organisations,
the people holding a position at one of them, and its participations (counted as the API's
"country" filter counts them, so one participation may count for two countries).
Opens the database read-only.

Options:
${DB_OPTION_HELP}
  --json        Print the counts as JSON
  -h, --help    Show this help

Exit codes: 0 printed, 1 failure (no database there, or one that cannot be read), 2 usage error.`

export interface CountryStats {
  code: string
  name: string
  organisations: number
  people: number
  participations: number
}

export interface DirectoryStats {
  tables: Record<string, number>
  countries: CountryStats[]
}

export function directoryStats(db: DirectoryDatabase): DirectoryStats {
  const tables = Object.fromEntries(
    Object.values(schema).map((table) => {
      const name = getTableName(table)
      return [name, db.$client.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]
    })
  )
  const code = sql`c.code`
  const countries = db.all<CountryStats>(sql`
    SELECT code, name, organisations, people, participations FROM (
      SELECT c.code, c.name,
        (SELECT count(*) FROM organisations WHERE country_code = c.code) AS organisations,
        (SELECT count(*) FROM people WHERE id IN ${peopleAt(countryOrganisations(code))}) AS people,
        (SELECT count(*) FROM participations p WHERE ${participationInCountry(code)}) AS participations
      FROM countries c)
    WHERE organisations + people + participations > 0
    ORDER BY code`)
  return { tables, countries }
}

export function runStats(args: string[], io: CommandIo): number {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } })
  const path = databasePath(values.db, io)
  const db = openAt(path, openDatabaseReadOnly)
  let stats: DirectoryStats
  try {
    stats = directoryStats(db)
  } finally {
    db.$client.close()
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ database: path, ...stats }, null, 2)}\n`)
    return 0
  }
  const tableWidth = Math.max(...Object.keys(stats.tables).map((name) => name.length)) + 2
  const nameWidth = Math.max('country'.length, ...stats.countries.map((c) => c.code.length + 1 + c.name.length)) + 2
  const headings = ['organisations', 'people', 'participations'] as const
  const counts = (c: CountryStats) => headings.map((h) => String(c[h]).padStart(h.length + 2)).join('')
  const lines = [
    path,
    '',
    `${'table'.padEnd(tableWidth)}${'rows'.padStart(8)}`,
    ...Object.entries(stats.tables).map(([name, rows]) => `${name.padEnd(tableWidth)}${String(rows).padStart(8)}`),
    '',
    stats.countries.length === 0
      ? 'No country has organisations, people or participations.'
      : `${'country'.padEnd(nameWidth)}${headings.map((h) => h.padStart(h.length + 2)).join('')}`,
    ...stats.countries.map((c) => `${`${c.code} ${c.name}`.padEnd(nameWidth)}${counts(c)}`)
  ]
  io.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
