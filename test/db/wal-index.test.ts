// A value read through readOncePerCommit (the data version) is read again only after a commit by
// any connection of any process, and the WAL-index files it reads leave SQLite's locks alone
// (wal-index.ts, settings.ts).
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { openDatabase, withRollbackJournal } from '../../src/db/connection.js'
import { bumpDataVersion, dataVersion } from '../../src/db/settings.js'
import { readOncePerCommit } from '../../src/db/wal-index.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { twoConnections } from '../helpers.js'

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3')

/** A read of the data version that counts how often it is made. */
function countedRead() {
  const counted = {
    reads: 0,
    read: (sqlite: Database.Database) => {
      counted.reads++
      return Number(sqlite.prepare("SELECT value FROM settings WHERE name = 'data_version'").pluck().get())
    }
  }
  return counted
}

/** Bumps the data version from another process, as the seed command does; returns the version it wrote. */
function bumpFromAnotherProcess(path: string): number {
  const script = `const db = new (require(${JSON.stringify(betterSqlite3)}))(${JSON.stringify(path)});
    db.prepare("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE name = 'data_version'").run();
    process.stdout.write(db.prepare("SELECT value FROM settings WHERE name = 'data_version'").pluck().get()); db.close()`
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))
}

/** The fcntl locks this process holds on a file (Linux: /proc/locks), as "type start end". */
const locksOn = (path: string) => {
  const { dev, ino } = statSync(path)
  // /proc/locks names a file by its device's major and minor numbers, in hex, and its inode.
  const hex = (n: number) => n.toString(16).padStart(2, '0')
  const file = `${hex((dev >>> 8) & 0xfff)}:${hex((dev & 0xff) | ((dev >>> 12) & 0xfff00))}:${ino}`
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/))
    .filter((fields) => fields[4] === String(process.pid) && fields[5] === file)
    .map((fields) => fields.slice(3, 4).concat(fields.slice(-2)).join(' '))
    .sort()
}

/** How many descriptors this process has open on a file (named as /proc shows it: "… (deleted)" once deleted). */
const descriptorsOf = (file: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file
    } catch {
      return false // the directory's own descriptor, closed once listed
    }
  }).length

t.test('a value is read again after a commit by any connection, and only then', async (t) => {
  const { served, operator } = twoConnections(t)
  const sqlite = served.$client
  const counted = countedRead()
  const version = readOncePerCommit(sqlite, counted.read)
  t.equal(counted.reads, 1)
  sqlite.prepare('SELECT count(*) FROM participations').get()
  t.equal(readOncePerCommit(sqlite, counted.read), version)
  t.equal(counted.reads, 1, 'a read is no commit')
  bumpDataVersion(operator.$client)
  t.equal(readOncePerCommit(sqlite, counted.read), version + 1, "another connection's commit is seen at once")
  t.equal(readOncePerCommit(sqlite, counted.read), version + 1)
  t.equal(counted.reads, 2)
  bumpDataVersion(sqlite)
  t.equal(readOncePerCommit(sqlite, counted.read), version + 2, 'and its own')
  t.equal(bumpFromAnotherProcess(sqlite.name), version + 3)
  t.equal(readOncePerCommit(sqlite, counted.read), version + 3, "and another process's")
  t.equal(counted.reads, 4)
})

t.test("inside a transaction, the data version is the transaction's own", async (t) => {
  const { served, operator } = twoConnections(t)
  const sqlite = served.$client
  const version = dataVersion(sqlite)
  sqlite.transaction(() => {
    t.equal(dataVersion(sqlite), version)
    bumpDataVersion(operator.$client)
    t.equal(dataVersion(sqlite), version, 'a commit made since the transaction began is not seen in it')
  })()
  t.equal(dataVersion(sqlite), version + 1, 'and is seen after')
})

t.test('while the two copies of the header differ, as during a commit, the value is read every time', async (t) => {
  // Closed after the connections (teardowns run last first): closing a descriptor of the file drops
  // the process's locks on it.
  let shm: number | undefined
  t.teardown(() => closeSync(shm as number))
  const { served } = twoConnections(t)
  shm = openSync(`${served.$client.name}-shm`, 'r+')
  // A read that leaves SQLite alone, which would repair the header it finds torn.
  let reads = 0
  const read = () => ++reads
  readOncePerCommit(served.$client, read)
  const second = Buffer.alloc(48)
  readSync(shm, second, 0, 48, 48)
  const changed = Buffer.from(second)
  changed[8] = (changed[8] as number) ^ 1 // iChange, as a writer that has updated this copy only
  writeSync(shm, changed, 0, 48, 48)
  readOncePerCommit(served.$client, read)
  readOncePerCommit(served.$client, read)
  t.equal(reads, 3)
  writeSync(shm, second, 0, 48, 48)
  t.equal(readOncePerCommit(served.$client, read), 1, 'once the copies agree again, the value read after them')
  t.equal(reads, 3)
})

t.test('a header read short tells nothing: the value is read every time', async (t) => {
  const { readOncePerCommit: readWithShortReads } = await t.mockImport<typeof import('../../src/db/wal-index.js')>('../../src/db/wal-index.js', {
    'node:fs': { ...fs, readSync: () => 40 }
  })
  const { served } = twoConnections(t)
  const counted = countedRead()
  readWithShortReads(served.$client, counted.read)
  readWithShortReads(served.$client, counted.read)
  t.equal(counted.reads, 2)
})

t.test("a connection's WAL-index file stays open while the file is SQLite's: its locks stay with it", async (t) => {
  let reader: number | undefined
  t.teardown(() => closeSync(reader as number)) // after the connections: see the torn header's test
  const { served } = twoConnections(t)
  const sqlite = served.$client
  const shm = `${sqlite.name}-shm`
  reader = openSync(shm, 'r')
  /** iChange: one more at every commit, back to 1 in a WAL-index rebuilt by recovery. */
  const commitsCounted = () => {
    const words = new Uint32Array(3)
    readSync(reader as number, words, 0, 12, 0)
    return words[2] as number
  }
  const counted = countedRead()
  const version = readOncePerCommit(sqlite, counted.read)
  const locks = locksOn(shm)
  t.ok(locks.length > 0, 'SQLite holds locks on the file')
  // Another connection of the process reads the same file, then closes; a third database's WAL-index
  // is opened, which looks for deleted files to close.
  const other = openDatabase(sqlite.name)
  readOncePerCommit(other.$client, counted.read)
  other.$client.close()
  const third = openDatabase(join(dirname(sqlite.name), 'third.sqlite'))
  t.teardown(() => third.$client.close())
  readOncePerCommit(third.$client, counted.read)
  t.same(locksOn(shm), locks, "the process's locks on the file are as they were")
  const commits = commitsCounted()
  t.equal(bumpFromAnotherProcess(sqlite.name), version + 1)
  t.equal(commitsCounted(), commits + 1, 'another process commits through the live WAL-index, not a rebuilt one')
  t.equal(readOncePerCommit(sqlite, counted.read), version + 1, 'and the commit is seen')
})

t.test('a WAL-index file deleted with the last connection to its database is closed when another is opened', async (t) => {
  // t.testdir() empties the directory at every call.
  const dir = t.testdir()
  const first = openDatabase(join(dir, 'first.sqlite'))
  const shm = `${first.$client.name}-shm`
  readOncePerCommit(first.$client, countedRead().read)
  first.$client.close()
  t.equal(descriptorsOf(`${shm} (deleted)`), 1, 'SQLite deleted the file, which stays open for now')
  const second = openDatabase(join(dir, 'second.sqlite'))
  t.teardown(() => second.$client.close())
  readOncePerCommit(second.$client, countedRead().read)
  t.equal(descriptorsOf(`${shm} (deleted)`), 0, 'closed once another WAL-index is opened')
  t.equal(descriptorsOf(`${second.$client.name}-shm`), 2, "the other's file is open, by SQLite and for its header")
})

t.test('a connection that leaves WAL mode and comes back sees every commit', async (t) => {
  const db = openDatabase(join(t.testdir(), 'alone.sqlite'))
  t.teardown(() => db.$client.close())
  seedDatabase(db)
  const sqlite = db.$client
  const counted = countedRead()
  const version = readOncePerCommit(sqlite, counted.read)
  withRollbackJournal(sqlite, () => {
    bumpDataVersion(sqlite)
    t.equal(readOncePerCommit(sqlite, counted.read), version + 1, 'its own commit without the WAL')
    t.equal(readOncePerCommit(sqlite, counted.read), version + 1)
  })
  t.equal(counted.reads, 3, 'read every time without a WAL-index')
  t.equal(readOncePerCommit(sqlite, counted.read), version + 1, 'back in WAL mode')
  t.equal(bumpFromAnotherProcess(sqlite.name), version + 2)
  t.equal(readOncePerCommit(sqlite, counted.read), version + 2, "another process's commit")
  t.equal(readOncePerCommit(sqlite, counted.read), version + 2)
  t.equal(counted.reads, 5, 'and once per commit again')
})

t.test('back in WAL mode, a connection sees what it wrote without, though the new WAL-index header has the bytes of the old', async (t) => {
  const path = join(t.testdir(), 'reopened.sqlite')
  // Closed and opened again, with no commit since: its WAL-index is rebuilt over an empty WAL, as
  // it will be on coming back to WAL mode.
  openDatabase(path).$client.close()
  const sqlite = openDatabase(path).$client
  t.teardown(() => sqlite.close())
  const headerOf = () => readFileSync(`${path}-shm`).subarray(0, 48)
  const version = dataVersion(sqlite)
  const before = headerOf()
  withRollbackJournal(sqlite, () => bumpDataVersion(sqlite))
  t.equal(dataVersion(sqlite), version + 1)
  t.equal(dataVersion(sqlite), version + 1, 'read again through the new WAL-index')
  t.same(headerOf(), before, 'whose header is the same')
})

t.test('a database opened through a symbolic link: its WAL-index is found where SQLite keeps it', async (t) => {
  const { served, operator } = twoConnections(t)
  const link = join(dirname(served.$client.name), 'link.sqlite')
  symlinkSync(served.$client.name, link)
  const linked = openDatabase(link)
  t.teardown(() => linked.$client.close())
  const counted = countedRead()
  const version = readOncePerCommit(linked.$client, counted.read)
  readOncePerCommit(linked.$client, counted.read)
  t.equal(counted.reads, 1, 'read once')
  bumpDataVersion(operator.$client)
  t.equal(readOncePerCommit(linked.$client, counted.read), version + 1, "another connection's commit is seen")
})

t.test('without a WAL-index file to read, the value is read every time', async (t) => {
  const memory = openDatabase(':memory:')
  t.teardown(() => memory.$client.close())
  const { served } = twoConnections(t)
  const shm = `${served.$client.name}-shm`
  readOncePerCommit(served.$client, countedRead().read)
  const bytes = readFileSync(shm)
  // A -shm file removed from under its connections (which SQLite's documentation warns against),
  // then closed when another WAL-index is opened.
  rmSync(shm)
  const path = join(dirname(served.$client.name), 'exclusive.sqlite')
  const made = openDatabase(path)
  readOncePerCommit(made.$client, countedRead().read)
  made.$client.close()
  // In exclusive locking mode from its first read on, a connection keeps its WAL-index in its own
  // memory: a -shm file beside the database (here a copy of another's, as a crashed process may
  // leave one) is not its WAL-index.
  writeFileSync(`${path}-shm`, bytes)
  const exclusive = new Database(path)
  t.teardown(() => exclusive.close())
  exclusive.pragma('main.locking_mode = EXCLUSIVE')
  for (const sqlite of [memory.$client, exclusive, served.$client]) {
    const counted = countedRead()
    readOncePerCommit(sqlite, counted.read)
    readOncePerCommit(sqlite, counted.read)
    t.equal(counted.reads, 2, sqlite.name)
  }
  const version = readOncePerCommit(exclusive, countedRead().read)
  bumpDataVersion(exclusive)
  t.equal(readOncePerCommit(exclusive, countedRead().read), version + 1, 'the exclusive connection sees its own commit')
})
