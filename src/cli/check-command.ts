// `stakeholder-directory check`: is the database sound, its schema current, every participation at
// its session's event, and every quote still in its source?
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type Database from 'better-sqlite3'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { openDatabaseReadOnly } from '../db/connection.js'
import { migrationsFolder } from '../paths.js'
import { quoteProblem } from '../seed/check-seed-records.js'
import type { CommandIo } from './command-io.js'
import { DB_OPTION_HELP, databasePath, openAt } from './database-option.js'

export const CHECK_USAGE = `Usage: stakeholder-directory check [options]

Checks the database read-only, and prints every problem found (on stdout: it is the result):
  integrity     PRAGMA integrity_check: the file's pages, rows and indexes agree
  foreign_keys  PRAGMA foreign_key_check: no row refers to a missing one
  migrations    the migrations applied are exactly those of the migrations/ folder
                (none pending, none unknown to it)
  sessions      every participation at a session is at that session's event, as seeding requires
  quotes        every citation of a source's text quotes it verbatim, as seeding requires

Options:
${DB_OPTION_HELP}
  --json        Print the result as JSON
  -h, --help    Show this help

Exit codes: 0 no problem found, 1 problems found (or the database cannot be read), 2 usage error.`

export type CheckName = 'integrity' | 'foreign_keys' | 'migrations' | 'sessions' | 'quotes'

export interface CheckProblem {
  check: CheckName
  message: string
}

export interface CheckResult {
  ok: boolean
  migrations: number
  citations: number
  problems: CheckProblem[]
}

function integrityProblems(sqlite: Database.Database): CheckProblem[] {
  const messages = sqlite.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]
  return messages.filter((m) => m.integrity_check !== 'ok').map((m) => ({ check: 'integrity', message: m.integrity_check }))
}

function foreignKeyProblems(sqlite: Database.Database): CheckProblem[] {
  const rows = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
  return rows.map((r) => ({ check: 'foreign_keys', message: `${r.table} row ${r.rowid} refers to a missing row of ${r.parent}` }))
}

/** The folder's migrations, by hash, named by their tag in drizzle-kit's journal. */
function migrationsInFolder(): Map<string, string> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  return new Map(readMigrationFiles({ migrationsFolder }).map((m, i) => [m.hash, (journal.entries[i] as { tag: string }).tag]))
}

function migrationProblems(sqlite: Database.Database, folder: Map<string, string>): CheckProblem[] {
  const tracked = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get() !== undefined
  const applied = tracked
    ? (sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at, rowid').all() as { hash: string; created_at: number }[])
    : []
  const appliedHashes = new Set(applied.map((m) => m.hash))
  return [
    ...applied
      .filter((m) => !folder.has(m.hash))
      .map((m) => ({ check: 'migrations' as const, message: `unknown migration applied (hash ${m.hash.slice(0, 12)}, created ${m.created_at}): not in migrations/` })),
    ...[...folder]
      .filter(([hash]) => !appliedHashes.has(hash))
      .map(([, tag]) => ({ check: 'migrations' as const, message: `pending migration ${tag}: run "stakeholder-directory migrate"` }))
  ]
}

/** Participations at a session of another event than their own: no foreign key can tell. */
function sessionProblems(sqlite: Database.Database): CheckProblem[] {
  const rows = sqlite
    .prepare(
      `SELECT p.id, p.event_id, p.session_id, s.event_id AS session_event_id
       FROM participations p JOIN sessions s ON s.id = p.session_id WHERE s.event_id <> p.event_id ORDER BY p.id`
    )
    .all() as { id: string; event_id: string; session_id: string; session_event_id: string }[]
  return rows.map((r) => ({
    check: 'sessions',
    message: `participation "${r.id}" is at event "${r.event_id}", but its session "${r.session_id}" belongs to event "${r.session_event_id}"`
  }))
}

const CITATION_OWNERS = [
  ['country_code', 'country'],
  ['organisation_id', 'organisation'],
  ['person_id', 'person'],
  ['position_id', 'position'],
  ['event_id', 'event'],
  ['session_id', 'session'],
  ['participation_id', 'participation']
] as const

/** Citations of a source with a text, rechecked with the very function seeding uses. */
function quoteProblems(sqlite: Database.Database): { citations: number; problems: CheckProblem[] } {
  const ownerIn = (table: string, owners: readonly (typeof CITATION_OWNERS)[number][]) =>
    `COALESCE(${owners.map(([column, what]) => `'${what} "' || ${table}.${column} || '"'`).join(', ')})`
  // An other name's citation is named by the name and the record that has it (its row id means nothing to anyone).
  const nameOwners = CITATION_OWNERS.filter(([column]) => ['country_code', 'organisation_id', 'person_id'].includes(column))
  const owner = `COALESCE(${ownerIn('ci', CITATION_OWNERS)}, 'other name "' || n.name || '" of ' || ${ownerIn('n', nameOwners)})`
  const rows = sqlite
    .prepare(
      `SELECT ci.id, ${owner} AS owner, ci.source_id, ci.quote, s.content
       FROM citations ci JOIN sources s ON s.id = ci.source_id LEFT JOIN other_names n ON n.id = ci.other_name_id
       WHERE s.content IS NOT NULL ORDER BY ci.id`
    )
    .all() as { id: number; owner: string; source_id: string; quote: string | null; content: string }[]
  const problems: CheckProblem[] = []
  for (const row of rows) {
    const problem = quoteProblem(row.content, row.source_id, row.quote ?? undefined)
    if (problem) problems.push({ check: 'quotes', message: `citation ${row.id} of ${row.owner}: ${problem}` })
  }
  return { citations: rows.length, problems }
}

export function checkDatabase(sqlite: Database.Database): CheckResult {
  const folder = migrationsInFolder()
  const problems = [...integrityProblems(sqlite), ...foreignKeyProblems(sqlite), ...migrationProblems(sqlite, folder)]
  // Sessions and quotes are read with the current schema's columns, so only once the schema is known to be current.
  const current = !problems.some((p) => p.check === 'migrations')
  const notChecked = (check: 'sessions' | 'quotes'): CheckProblem => ({ check, message: 'not checked: the migrations are not current' })
  const quotes = current ? quoteProblems(sqlite) : { citations: 0, problems: [notChecked('quotes')] }
  problems.push(...(current ? sessionProblems(sqlite) : [notChecked('sessions')]), ...quotes.problems)
  return { ok: problems.length === 0, migrations: folder.size, citations: quotes.citations, problems }
}

export function runCheck(args: string[], io: CommandIo): number {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } })
  const path = databasePath(values.db, io)
  const db = openAt(path, openDatabaseReadOnly)
  let result: CheckResult
  try {
    result = checkDatabase(db.$client)
  } finally {
    db.$client.close()
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ database: path, ...result }, null, 2)}\n`)
  else {
    const lines = result.problems.map((p) => `${p.check}: ${p.message}`)
    lines.push(
      result.ok
        ? `${path}: OK (integrity, foreign keys, ${result.migrations} migrations current, ` +
          `participations at their sessions' events, ${result.citations} quoted citations verbatim).`
        : `${path}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} found.`
    )
    io.stdout.write(`${lines.join('\n')}\n`)
  }
  return result.ok ? 0 : 1
}
