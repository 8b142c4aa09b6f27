// `stakeholder-directory backup`: a consistent copy of a live database, by SQLite's online backup API.
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import type { CommandIo } from './command-io.js'
import { DB_OPTION_HELP, databasePath } from './database-option.js'

export const BACKUP_USAGE = `Usage: stakeholder-directory backup --output FILE [options]

Copies the database into FILE while the server or a seed run may be using it: the copy holds the
data as of one committed moment, and is checked with PRAGMA integrity_check before it is kept.
The database itself is only read (no migration runs).

Options:
  --output FILE Where to write the copy (required)
${DB_OPTION_HELP}
  --force       Replace FILE if it exists
  --json        Print the result as JSON
  -h, --help    Show this help

Exit codes: 0 copied, 1 failure (FILE left as it was), 2 usage error.`

/**
 * Pages per backup step: all of them. Between two steps, any write by another connection (the
 * server, a seed run) restarts the copy from the first page, so under steady writes a copy made in
 * small steps may never finish. One step reads one snapshot, and in WAL mode a reader blocks no
 * writer, so it holds up nobody.
 */
const ALL_PAGES = 0x7fffffff

export async function runBackup(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      output: { type: 'string' },
      db: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    }
  })
  if (!values.output) {
    io.stderr.write(`Missing --output FILE.\n\n${BACKUP_USAGE}\n`)
    return 2
  }
  const database = databasePath(values.db, io)
  const output = resolve(io.cwd, values.output)
  if (!values.force && existsSync(output)) throw new Error(`${output} already exists (--force replaces it)`)

  const started = performance.now()
  // Not openDatabase(): it applies pending migrations, and a backup must not change its source.
  // A read-only connection cannot write, so the copy is of the database exactly as it is. (Of a
  // database nobody had open, it leaves the empty -wal and -shm files that SQLite creates beside a
  // WAL database; only a writer may remove them, and the next connection uses them as they are.)
  let source: Database.Database
  try {
    source = new Database(database, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new Error(`cannot open ${database}: ${(error as Error).message}`)
  }
  // Written beside FILE, then moved into place: a failed or interrupted backup never leaves a
  // partial copy under the name of a good one.
  const partial = `${output}.${process.pid}.partial`
  try {
    let pages: number
    try {
      pages = (await source.backup(partial, { progress: () => ALL_PAGES })).totalPages
    } catch (error) {
      throw new Error(`cannot copy ${database} to ${output}: ${(error as Error).message}`)
    }
    verifyCopy(partial)
    // Without --force, link() refuses (EEXIST) a FILE that appeared meanwhile, where rename() would replace it.
    if (values.force) renameSync(partial, output)
    else linkSync(partial, output)
    const result = {
      database,
      output,
      bytes: statSync(output).size,
      pages,
      duration_ms: Math.round(performance.now() - started),
      integrity_check: 'ok'
    }
    io.stdout.write(
      values.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `Backed up ${database} to ${output}: ${result.pages} pages, ${result.bytes} bytes in ${result.duration_ms} ms; integrity_check ok.\n`
    )
    return 0
  } finally {
    source.close()
    // Only if it is there: rmSync() would throw (ENOTDIR) over the error that matters when FILE's folder is a file.
    if (existsSync(partial)) rmSync(partial)
  }
}

/** Throws unless the copy passes PRAGMA integrity_check, and makes it one self-contained file. */
function verifyCopy(path: string): void {
  // Read-write, so that closing the last connection removes the -wal and -shm files it creates.
  const copy = new Database(path, { fileMustExist: true })
  try {
    const problems = copy.prepare('PRAGMA integrity_check').pluck().all() as string[]
    if (problems.join('\n') !== 'ok') throw new Error(`the copy fails PRAGMA integrity_check (${problems.slice(0, 3).join('; ')}); nothing was kept`)
    // The copy is in WAL mode, as its source. In rollback-journal mode it needs no -wal or -shm file,
    // even to be opened read-only (from read-only media, say); the server turns WAL back on when it
    // opens a restored copy.
    copy.pragma('journal_mode = DELETE')
  } finally {
    copy.close()
  }
}
