// A seed run killed with SIGKILL at a random moment leaves the database entirely as it was before
// the run or entirely as after it, and intact: the import is one transaction, and SQLite's WAL
// recovery discards whatever an unfinished transaction had written.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import Database from 'better-sqlite3'
import { openDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { typescriptEnv, typescriptNodeArgs } from '../cli/cli-helpers.js'

const entry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
// As runCli() does, with the runner's own TypeScript loader: the runner instruments every child it
// spawns, and coverage of code compiled by another loader (tsx), mapped differently, would corrupt
// the coverage report.
const nodeArgs = typescriptNodeArgs
const env = typescriptEnv()

interface Run {
  /** Milliseconds from spawn to exit. */
  ms: number
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Milliseconds from spawn to the -wal file's creation: the database is open (-1: not seen). */
  openAt: number
  /** Milliseconds from spawn to the first write seen in the -wal file: the commit starts (-1: not seen). */
  commitAt: number
}

/** When to kill the child: so many ms after it opens the database, or after its commit starts. */
type KillAt = { afterOpening: number } | { afterCommitStarts: number }

/** The children still running, killed if the test ends early. */
const running = new Set<ChildProcess>()
t.teardown(() => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Runs the CLI as a real process, like runCli(), but asynchronously, so that this test can kill it
 * with SIGKILL when `killAt` says (if it is still running then). Resolves once the child has exited
 * and been reaped.
 */
function runCliKilled(args: string[], database: string, killAt: KillAt): Promise<Run> {
  const started = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, entry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // child.kill() signals only a child not yet reaped: never another process that got its PID.
  const kill = () => child.kill('SIGKILL')
  const timers: NodeJS.Timeout[] = []
  let [openAt, commitAt] = [-1, -1]
  // Opening a WAL database creates its -wal file. The import's transaction fits in the page cache
  // (better-sqlite3's is 16 MB), so it writes nothing there until it commits: the first write seen
  // there starts the commit.
  const watch = setInterval(() => {
    const wal = walSize(database)
    if (openAt < 0 && wal >= 0) {
      openAt = performance.now() - started
      if ('afterOpening' in killAt) timers.push(setTimeout(kill, killAt.afterOpening))
    }
    if (commitAt < 0 && wal > 0) {
      commitAt = performance.now() - started
      if ('afterCommitStarts' in killAt) timers.push(setTimeout(kill, killAt.afterCommitStarts))
    }
  }, 1)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      running.delete(child)
      clearInterval(watch)
      for (const timer of timers) clearTimeout(timer)
      resolve({ ms: performance.now() - started, code, signal, stdout, stderr, openAt, commitAt })
    })
  })
}

/** The size of the database's -wal file; -1 when there is none (nobody opened the database since it was closed). */
const walSize = (database: string): number => statSync(`${database}-wal`, { throwIfNoEntry: false })?.size ?? -1

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

/**
 * A digest of every row of every table (FTS5 shadow tables too), in an order independent of rowids.
 * Instants (an audit trail's "at") are the clock's, not the data's: two runs of one import differ
 * only there, so they count as equal.
 */
function digest(db: Database.Database): string {
  const hash = createHash('sha256')
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").pluck().all() as string[]
  for (const table of tables) {
    const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]
    const lines = rows.map((row) => JSON.stringify(row.map((value) => (typeof value === 'string' && INSTANT.test(value) ? 'an instant' : value)))).sort()
    hash.update(`${table}\n${lines.join('\n')}\n`)
  }
  return hash.digest('hex')
}

/** Opens the database as the next process would (recovering the WAL), checks it and digests it. */
function inspect(path: string): { integrity: string[]; digest: string } {
  const db = new Database(path, { fileMustExist: true })
  try {
    return { integrity: db.prepare('PRAGMA integrity_check').pluck().all() as string[], digest: digest(db) }
  } finally {
    db.close()
  }
}

/** mulberry32: a small seeded PRNG, so that a failing sequence of kill moments can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A seed file large enough that importing it takes a while: organisations, people and their
 * participations in one event, with notes that give the search index work too. Every record cites
 * the ISO 3166-1 dataset, which needs no quote.
 */
function largeSeedFile(records: number): string {
  const words = ['peacekeeping', 'training', 'deployment', 'regional', 'cooperation', 'mission', 'officers', 'capacity', 'logistics', 'medical']
  const note = (i: number) => Array.from({ length: 40 }, (_, j) => `${words[(i + j * 3) % words.length]} ${i}x${j}`).join(' ')
  const countries = ['BA', 'RS', 'HR', 'ME', 'MK', 'AL', 'SI', 'AT']
  const sources = [{ source: 'iso-3166-1' }]
  const range = Array.from({ length: records }, (_, i) => i)
  return JSON.stringify({
    organisations: range.map((i) => ({
      id: `load-ministry-${i}`,
      name: `Load Test Ministry ${i}`,
      classification: 'ministry',
      portfolio: 'defence',
      country: countries[i % countries.length],
      note: note(i),
      sources
    })),
    people: range.map((i) => ({ id: `load-person-${i}`, name: `Person Number ${i}`, sort_name: `Number ${i}, Person`, note: note(i + 1), sources })),
    events: [{ id: 'load-conference', name: 'Load test conference', classification: 'conference', start_date: '2016-01-01', sources }],
    participations: range.map((i) => ({
      id: `load-participation-${i}`,
      event: 'load-conference',
      person: `load-person-${i}`,
      role: 'participant',
      on_behalf_of: `load-ministry-${i}`,
      note: note(i + 2),
      sources
    }))
  })
}

const RECORDS = 300
const SEED = 20150603
const MIN_KILLS = 6
const MAX_ATTEMPTS = 14

t.test('SIGKILL at random moments of a large import leaves the database as before or as after', async (t) => {
  // Not t.testdir(): its path is fixed, and two runs of this file at once (two people testing one
  // checkout) would kill imports into each other's files.
  const dir = mkdtempSync(join(tmpdir(), 'crash-durability-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'large.json')
  writeFileSync(file, largeSeedFile(RECORDS))
  const start = join(dir, 'start.sqlite')
  {
    const db = openDatabase(start)
    seedDatabase(db)
    db.$client.close() // closed: one self-contained file to copy
  }
  const before = inspect(start)
  t.same(before.integrity, ['ok'])

  // One uninterrupted import: how long it takes, when it commits, and the database after.
  const complete = join(dir, 'complete.sqlite')
  copyFileSync(start, complete)
  const uninterrupted = await runCliKilled(['seed', file, '--db', complete], complete, { afterOpening: 120_000 }) // unless it hangs
  t.equal(uninterrupted.code, 0, uninterrupted.stderr)
  t.match(uninterrupted.stdout, new RegExp(`\\nChanges: ${3 * RECORDS + 1}\\.\\n$`))
  const after = inspect(complete)
  t.same(after.integrity, ['ok'])
  t.not(after.digest, before.digest)
  const { ms: exitAt, openAt, commitAt } = uninterrupted
  t.ok(openAt > 0 && commitAt > openAt, 'the database was seen opened, then written')
  t.comment(`uninterrupted run: database opened at ${openAt.toFixed(0)} ms, commit from ${commitAt.toFixed(0)} ms, exit at ${exitAt.toFixed(0)} ms`)

  // Half the kills land between the opening of the database and the commit (validating, then
  // writing), one in each fifth of that time in turn; half after the start of the commit, more of
  // them early on: while the -wal file is written, just after the commit, during the checkpoint on
  // closing (the first half of the time to the exit: after that, most runs have finished). Each is
  // timed from that moment in its own run, as start-up times vary.
  const next = random(SEED)
  const tally = { kills: 0, beforeCommit: 0, duringCommit: 0, afterCommit: 0, finished: 0 }
  const enough = () => tally.kills >= MIN_KILLS && tally.beforeCommit + tally.duringCommit > 0 && tally.afterCommit > 0
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !enough(); attempt++) {
    const killAt: KillAt =
      attempt % 2 === 0
        ? { afterOpening: (((attempt / 2) % 5) + next()) * ((commitAt - openAt) / 5) }
        : { afterCommitStarts: next() ** 2 * ((exitAt - commitAt) / 2) }
    const path = join(dir, `attempt-${attempt}.sqlite`)
    copyFileSync(start, path)
    const run = await runCliKilled(['seed', file, '--db', path], path, killAt)
    const wal = walSize(path)
    const state = inspect(path)
    const outcome = state.digest === before.digest ? 'before' : state.digest === after.digest ? 'after' : 'neither'
    const when = 'afterOpening' in killAt ? `${killAt.afterOpening.toFixed(0)} ms after opening` : `${killAt.afterCommitStarts.toFixed(0)} ms after the commit started`
    const what = `attempt ${attempt}, kill ${when}: ${run.signal ?? `exit ${run.code}`} at ${run.ms.toFixed(0)} ms, -wal ${wal < 0 ? 'absent' : `${wal} bytes`}, ${outcome}`
    t.same(state.integrity, ['ok'], `${what}: integrity_check`)
    t.not(outcome, 'neither', `${what}: as before or as after`)
    if (run.signal !== 'SIGKILL') {
      t.equal(run.code, 0, `${what}: finished before the kill`)
      t.equal(outcome, 'after')
      tally.finished++
      continue
    }
    tally.kills++
    if (outcome === 'after') tally.afterCommit++
    else if (wal > 0) tally.duringCommit++ // part of the commit was in the -wal file, and recovery discarded it
    else tally.beforeCommit++ // validating or writing: nothing had reached the disk yet
  }
  t.comment(JSON.stringify(tally))
  t.ok(tally.kills >= MIN_KILLS, `at least ${MIN_KILLS} kills`)
  t.ok(tally.beforeCommit + tally.duringCommit > 0, 'kills landed in the import, with the database open, and left it as before')
  t.ok(tally.afterCommit > 0, 'kills landed after the commit, and left the database as after')
})
