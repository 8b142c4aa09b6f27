// `stakeholder-directory seed`: validate seed files completely, then load them in one transaction.
import { existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { DatabaseNotCurrentError, openDatabase, withRollbackJournal, type DirectoryDatabase } from '../db/connection.js'
import { isEmpty, seedDatabase, type SeedResult } from '../seed/seed-database.js'
import { SeedValidationError, formatSeedProblem } from '../seed/seed-problem.js'
import { SUMMARY_TABLES } from '../seed/write-seed.js'
import type { CommandIo } from './command-io.js'
import { DB_OPTION_HELP, databasePath, openAt } from './database-option.js'
import { progressBar } from './progress-bar.js'

export const SEED_USAGE = `Usage: stakeholder-directory seed [files or folders...] [options]

Validates every file completely (schema, references, dates, verbatim quotes), then upserts its
records by id in one transaction. With no files, loads the bundled seeds/ folder; given files,
adds their records to what the database holds. Records absent from the files are kept.
Imports of over 10,000 records show a progress bar (rate, ETA) on stderr when it is a terminal.

Options:
${DB_OPTION_HELP}
  --dry-run     Report what would change, write nothing (not even a new file, a migration or a
                rebuilt index: a database that needs them is refused)
  --reset       Delete every record first (the only way to delete)
  --json        Print the summary as JSON
  -h, --help    Show this help

Exit codes: 0 loaded (or would load), 1 input rejected (nothing written), 2 usage error.`

export function runSeed(args: string[], io: CommandIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    }
  })
  const path = databasePath(values.db, io)
  // A seed that fails into a database it made leaves none behind (nor the folders it made for it):
  // a mistyped --db would otherwise leave an empty database there. Only what was not there before
  // goes (lstat: a symbolic link is there, wherever it points).
  const absent = (file: string) => lstatSync(file, { throwIfNoEntry: false }) === undefined
  const made =
    !values['dry-run'] && path !== ':memory:' && absent(path)
      ? { files: [path, `${path}-wal`, `${path}-shm`, `${path}-journal`].filter(absent), folder: mkdirSync(dirname(path), { recursive: true }) }
      : undefined
  let db: DirectoryDatabase | undefined
  let status = 1
  try {
    try {
      db = openAt(path, values['dry-run'] ? openForDryRun : openDatabase)
    } catch (error) {
      if (!(error instanceof DatabaseNotCurrentError)) throw error
      io.stderr.write(`Dry run: ${error.message}; nothing was written.\n`)
      return 1
    }
    const opened = db
    const seed = () => seedAndReport(opened, path, positionals, values, io)
    status = isEmpty(db) ? withRollbackJournal(db.$client, seed) : seed()
    return status
  } finally {
    db?.$client.close()
    if (status !== 0 && made !== undefined) removeMade(made)
  }
}

/** Deletes a database this command made, with the journal files it made, and the folder made for them (with all it holds: only that). */
function removeMade({ files, folder }: { files: string[]; folder: string | undefined }): void {
  for (const file of files) rmSync(file, { force: true })
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
}

/**
 * The database a dry run checks the files against, as it is: a database that does not exist yet
 * would start empty, so an empty one in memory stands for it (nothing is created on disk).
 */
const openForDryRun = (path: string): DirectoryDatabase =>
  path !== ':memory:' && !existsSync(path) ? openDatabase(':memory:') : openDatabase(path, { upgrade: false })

function seedAndReport(
  db: DirectoryDatabase,
  path: string,
  files: string[],
  options: { 'dry-run': boolean; reset: boolean; json: boolean },
  io: CommandIo
): number {
  let result: SeedResult
  const progress = progressBar(io, options['dry-run'] ? 'Dry run' : 'Seeding')
  try {
    result = seedDatabase(db, { files, dryRun: options['dry-run'], reset: options.reset, cwd: io.cwd, onProgress: progress?.update })
  } catch (error) {
    if (error instanceof SeedValidationError) {
      io.stderr.write(`Seed files rejected; nothing was written.\n${error.problems.map(formatSeedProblem).join('\n')}\n`)
      return 1
    }
    throw error // main() reports it in one line; the transaction has rolled back
  } finally {
    progress?.stop()
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ database: path, ...result }, null, 2)}\n`)
    return 0
  }
  const lines = [
    `${result.dryRun ? 'Dry run: would seed' : 'Seeded'} ${path} from ${result.files.join(', ')}${result.reset ? ' (reset first)' : ''}`,
    '',
    `${'table'.padEnd(16)}${['created', 'updated', 'unchanged', 'deleted'].map((h) => h.padStart(11)).join('')}`,
    ...SUMMARY_TABLES.map((table) => {
      const c = result.changes[table]
      return `${table.padEnd(16)}${[c.created, c.updated, c.unchanged, c.deleted].map((n) => String(n).padStart(11)).join('')}`
    }),
    '',
    result.dryRun ? `Changes that would be made: ${result.total}; nothing was written.` : `Changes: ${result.total}.`
  ]
  io.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
