// Tells whether any connection, in any process, has committed to a database since a moment,
// without a read transaction: by reading the header of its WAL-index, the -shm file that every
// connection to a WAL database maps and every commit updates. The response and count caches ask
// at every request (settings.ts, dataVersion); a read transaction cost a cached answer about 14 µs
// of its 65 (a lock and an unlock of the database file and of a WAL-index read slot), this about 2.
import { closeSync, openSync, readSync } from 'node:fs'
import type Database from 'better-sqlite3'

/**
 * The WAL-index header, as https://sqlite.org/walformat.html lays it out for the unix and windows
 * VFSes: 48 bytes kept twice at the start of the -shm file, in the machine's byte order. iVersion
 * (bytes 0-3) is 3007000, isInit (byte 12) is 1 once the header is valid, and iChange (bytes
 * 8-11) grows at every commit, with the frame count and checksums. A writer changes the second
 * copy, then the first: copies that differ are a commit under way (or a writer that crashed
 * during one, which the next reader's recovery repairs).
 */
const HEADER_BYTES = 48
/** iVersion as the machine writes it. */
const VERSION_BYTES = Buffer.from(new Uint32Array([3007000]).buffer)
const IS_INIT_BYTE = 12

interface WalIndex {
  fd: number
  /** Both copies of the header, as last read. */
  headers: Buffer
}

/** The WAL-index of each connection, or null when it has none to read (see openWalIndex). */
const walIndexes = new WeakMap<Database.Database, WalIndex | null>()
// A connection closed and let go of closes its WAL-index file with it.
/* c8 ignore next -- runs when V8 collects a connection, which no test waits for */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => closeSync(fd))

/**
 * An in-memory database has no WAL-index file, nor a database in another journal mode. A
 * connection keeps its WAL-index file for as long as it is open (SQLite removes it only when the
 * last connection closes, or leaves WAL mode: see forgetWalIndex).
 */
function openWalIndex(sqlite: Database.Database): WalIndex | null {
  if (sqlite.memory || sqlite.pragma('journal_mode', { simple: true }) !== 'wal') return null
  let fd: number
  try {
    fd = openSync(`${sqlite.name}-shm`, 'r')
    /* c8 ignore start -- a WAL connection has made its -shm file once it has read anything (the pragma) */
  } catch {
    return null
  }
  /* c8 ignore stop */
  const walIndex = { fd, headers: Buffer.alloc(2 * HEADER_BYTES) }
  closeWhenCollected.register(sqlite, fd, walIndex)
  return walIndex
}

/**
 * The WAL-index header of the last commit to the database (bytes to compare, valid until the next
 * call for this connection), or undefined when it cannot be told: no WAL-index, or a commit under
 * way. Two calls that give the same bytes have no commit between them.
 */
export function lastCommit(sqlite: Database.Database): Buffer | undefined {
  let walIndex = walIndexes.get(sqlite)
  if (walIndex === undefined) walIndexes.set(sqlite, (walIndex = openWalIndex(sqlite)))
  if (walIndex === null) return undefined
  const { fd, headers } = walIndex
  const settled =
    readSync(fd, headers, 0, headers.length, 0) === headers.length &&
    headers.compare(headers, HEADER_BYTES, 2 * HEADER_BYTES, 0, HEADER_BYTES) === 0 &&
    headers[IS_INIT_BYTE] === 1 &&
    headers.compare(VERSION_BYTES, 0, VERSION_BYTES.length, 0, VERSION_BYTES.length) === 0
  return settled ? headers.subarray(0, HEADER_BYTES) : undefined
}

/** Lets go of a connection's WAL-index file: before it leaves WAL mode, when SQLite deletes it. */
export function forgetWalIndex(sqlite: Database.Database): void {
  const walIndex = walIndexes.get(sqlite)
  if (walIndex) {
    closeWhenCollected.unregister(walIndex)
    closeSync(walIndex.fd)
  }
  walIndexes.delete(sqlite)
}
