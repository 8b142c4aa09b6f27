// The backup command as an operator runs it: a real process copying a database that is in use.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { runCli } from './cli-helpers.js'

/** A digest of each table's rows, every table (FTS5 shadow tables too; a virtual table's rows live there). */
function tableDigests(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")
      .pluck()
      .all() as string[]
    return Object.fromEntries(
      tables.map((table) => {
        const rows = (db.prepare(`SELECT * FROM "${table}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort()
        return [table, createHash('sha256').update(rows.join('\n')).digest('hex')]
      })
    )
  } finally {
    db.close()
  }
}

const integrity = (path: string): string[] => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare('PRAGMA integrity_check').pluck().all() as string[]
  } finally {
    db.close()
  }
}

/** The files in a folder besides the source database (and the -wal and -shm files SQLite keeps with it). */
const written = (dir: string): string[] => readdirSync(dir).filter((name) => !name.startsWith('directory.sqlite')).sort()

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

/**
 * A folder of the test's own, with `files` in it. Not t.testdir(): its path is fixed, so two runs of
 * this file at once (two people testing one checkout) would back up and write each other's files.
 */
function freshDir(t: Test, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'backup-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

// One seeded database, copied (closed, so one self-contained file) into each test's folder.
const seeded = join(freshDir(t), 'seeded.sqlite')
{
  const db = openDatabase(seeded)
  seedDatabase(db)
  db.$client.close()
}
const seededCopy = (dir: string): string => {
  const path = join(dir, 'directory.sqlite')
  copyFileSync(seeded, path)
  return path
}

t.test('--help describes the command; a missing --output is a usage error', async (t) => {
  const help = runCli(['backup', '--help'])
  t.equal(help.status, 0)
  t.match(help.stdout, /^Usage: stakeholder-directory backup --output FILE/)
  t.match(help.stdout, /--force/)
  const missing = runCli(['backup', '--db', seededCopy(freshDir(t))])
  t.equal(missing.status, 2)
  t.match(missing.stderr, /^Missing --output FILE\.\n\nUsage: stakeholder-directory backup/)
  t.equal(missing.stdout, '')
})

t.test('an idle database is copied exactly, and left exactly as it was', async (t) => {
  const dir = freshDir(t)
  const source = seededCopy(dir)
  const before = sha256(source)
  const result = runCli(['backup', '--output', 'copy.sqlite', '--json'], { cwd: dir, env: { DATABASE_PATH: source } })
  t.equal(result.status, 0, result.stderr)
  t.same(written(dir), ['copy.sqlite'], 'the copy alone, no partial file left behind')
  const summary = JSON.parse(result.stdout)
  t.same(Object.keys(summary), ['database', 'output', 'bytes', 'pages', 'duration_ms', 'integrity_check'])
  const copy = join(dir, 'copy.sqlite')
  t.equal(summary.database, source, '--db defaults to DATABASE_PATH')
  t.equal(summary.output, copy, 'the output path is resolved from the working directory')
  t.equal(summary.bytes, statSync(copy).size)
  t.equal(summary.pages * 4096, summary.bytes, 'pages of 4 KiB')
  t.type(summary.duration_ms, 'number')
  t.equal(summary.integrity_check, 'ok')
  t.same(tableDigests(copy), tableDigests(source), 'every row copied')
  t.equal(sha256(source), before, 'the source file is byte for byte unchanged (no migration, no write)')
  const wal = `${source}-wal`
  t.equal(existsSync(wal) ? statSync(wal).size : 0, 0, 'and its -wal file empty, if SQLite made one')
})

t.test('an existing output is kept unless --force; failures are one line and leave no file', async (t) => {
  const dir = freshDir(t, { 'copy.sqlite': 'precious\n', 'not-a-folder': '' })
  const source = seededCopy(dir)
  const copy = join(dir, 'copy.sqlite')

  const refused = runCli(['backup', '--db', source, '--output', copy])
  t.equal(refused.status, 1)
  t.equal(refused.stderr, `stakeholder-directory backup: ${copy} already exists (--force replaces it)\n`)
  t.equal(refused.stdout, '')
  t.equal(readFileSync(copy, 'utf8'), 'precious\n', 'the existing file is untouched')

  const forced = runCli(['backup', '--db', source, '--output', copy, '--force'])
  t.equal(forced.status, 0, forced.stderr)
  t.match(forced.stdout, new RegExp(`^Backed up ${source} to ${copy}: \\d+ pages, \\d+ bytes in \\d+ ms; integrity_check ok\\.\\n$`))
  t.same(written(dir), ['copy.sqlite', 'not-a-folder'])
  t.same(tableDigests(copy), tableDigests(source))

  const files = written(dir)
  for (const output of [join(dir, 'no-such-folder', 'copy.sqlite'), join(dir, 'not-a-folder', 'copy.sqlite')]) {
    const unwritable = runCli(['backup', '--db', source, '--output', output])
    t.equal(unwritable.status, 1, output)
    t.match(unwritable.stderr, new RegExp(`^stakeholder-directory backup: cannot copy ${source} to ${output}: .+\n$`), output)
  }

  const missing = runCli(['backup', '--db', join(dir, 'missing.sqlite'), '--output', join(dir, 'other.sqlite')])
  t.equal(missing.status, 1)
  t.match(missing.stderr, /^stakeholder-directory backup: cannot open .*missing\.sqlite: .+\n$/)
  t.notOk(existsSync(join(dir, 'missing.sqlite')), 'a missing database is not created')
  t.same(written(dir), files, 'the failures wrote nothing')
})

t.test('a copy that fails PRAGMA integrity_check is not kept', async (t) => {
  const dir = freshDir(t)
  const source = seededCopy(dir)
  const db = new Database(source)
  db.pragma('ignore_check_constraints = ON')
  db.prepare("UPDATE events SET classification = 'party' WHERE id = 'sarajevo-roundtable-2015'").run()
  db.close()
  const result = runCli(['backup', '--db', source, '--output', join(dir, 'copy.sqlite')])
  t.equal(result.status, 1)
  t.equal(result.stderr, 'stakeholder-directory backup: the copy fails PRAGMA integrity_check (CHECK constraint failed in events); nothing was kept\n')
  t.same(written(dir), [], 'neither the copy nor a partial file')
})

// ----- a backup while another connection keeps writing -----

/**
 * The writes another connection makes: transaction i adds a person citing a source, updates an
 * existing person and bumps the data version, as a seed run would. Deterministic, so the source as
 * it was after any transaction k can be rebuilt by applying transactions 1..k to the starting file.
 */
const WRITE = [
  "INSERT INTO people (id, name, sort_name) VALUES ('probe-' || @i, 'Probe ' || @i, 'Probe, ' || @i)",
  "INSERT INTO citations (source_id, person_id) VALUES ('iso-3166-1', 'probe-' || @i)",
  "UPDATE people SET note = 'written by transaction ' || @i WHERE id = 'mersida-mesetovic'",
  "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE name = 'data_version'"
]

/** Runs in a worker thread, so it keeps writing while the test thread waits for the CLI process. */
const WRITER = `
const { workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('journal_mode = WAL')
db.pragma('busy_timeout = 5000')
db.pragma('foreign_keys = ON')
const statements = workerData.write.map((sql) => db.prepare(sql))
const transaction = db.transaction((i) => { for (const statement of statements) statement.run({ i: BigInt(i) }) })
const [stop, committed] = [0, 1]
for (let i = 1; Atomics.load(workerData.control, stop) === 0; i++) {
  transaction(i)
  Atomics.store(workerData.control, committed, i)
}
db.close()
`

/** Applies transactions 1..k to a database file (in one transaction: the same rows, faster). */
function replay(path: string, k: number): void {
  const db = new Database(path)
  db.pragma('foreign_keys = ON')
  const statements = WRITE.map((sql) => db.prepare(sql))
  db.transaction(() => {
    for (let i = 1; i <= k; i++) for (const statement of statements) statement.run({ i: BigInt(i) }) // an integer, not 1.0
  })()
  db.close()
}

const count = (path: string, sql: string): number => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare(sql).pluck().get() as number
  } finally {
    db.close()
  }
}

t.test('a backup taken while another connection writes is the source as of one commit', async (t) => {
  const dir = freshDir(t)
  const source = seededCopy(dir)
  const start = join(dir, 'start.sqlite')
  copyFileSync(source, start)

  const control = new Int32Array(new SharedArrayBuffer(8))
  const writer = new Worker(WRITER, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: source, write: WRITE, control }
  })
  const exited = new Promise((resolve, reject) => writer.on('exit', resolve).on('error', reject))
  while (Atomics.load(control, 1) < 100) await sleep(5)
  const result = runCli(['backup', '--db', source, '--output', join(dir, 'backup.sqlite'), '--json']) // the writer goes on meanwhile
  Atomics.store(control, 0, 1)
  await exited
  const written = Atomics.load(control, 1)
  t.equal(result.status, 0, result.stderr)
  const backup = join(dir, 'backup.sqlite')

  t.same(integrity(backup), ['ok'], 'the copy passes integrity_check')
  const k = count(backup, "SELECT count(*) FROM people WHERE id LIKE 'probe-%'")
  t.comment(`${written} transactions committed during the test; the backup holds the first ${k}`)
  t.ok(k >= 100 && k < written, 'the copy was taken while writes went on, before and after it')
  t.equal(count(backup, "SELECT max(CAST(substr(id, 7) AS INTEGER)) FROM people WHERE id LIKE 'probe-%'"), k, 'transactions 1..k, no gap')
  t.equal(count(backup, "SELECT count(*) FROM people WHERE note = 'written by transaction ' || " + k), 1, 'the update of transaction k, not a later one')

  // The model is faithful: replaying every committed transaction on the start gives the source.
  const final = join(dir, 'final.sqlite')
  copyFileSync(start, final)
  replay(final, written)
  t.same(tableDigests(final), tableDigests(source), 'replaying all writes on the start rebuilds the source')
  // So the source as it was just after commit k is the start with transactions 1..k, row for row.
  replay(start, k)
  t.same(tableDigests(backup), tableDigests(start), 'the backup equals the source as of commit k, table by table')

  // Restored, the copy answers as the source did at that commit, through the API and in SQL.
  const restored = openDatabase(backup)
  const asOfK = openDatabase(start)
  const apps = [await buildApp({ db: restored }), await buildApp({ db: asOfK })]
  t.teardown(async () => {
    for (const app of apps) await app.close()
    restored.$client.close()
    asOfK.$client.close()
  })
  for (const table of ['people', 'citations', 'organisations', 'participations', 'countries']) {
    const sql = `SELECT count(*) FROM ${table}`
    t.equal(restored.$client.prepare(sql).pluck().get(), asOfK.$client.prepare(sql).pluck().get(), sql)
  }
  const [fromBackup, fromSource] = await Promise.all(apps.map((app) => app.inject('/v1/people?limit=100&sort=-name')))
  t.equal(fromBackup!.statusCode, 200)
  t.equal(fromBackup!.json().meta.total, 4 + k, 'the four seeded people and the k probes')
  t.equal(fromBackup!.body, fromSource!.body, 'the same page of people')
  t.equal(fromBackup!.headers.etag, fromSource!.headers.etag)
})
