// Tells whether any connection, in any process, has committed to a database since a moment,
// without a read transaction: by reading the header of its WAL-index, the -shm file that every
// connection to a WAL database maps and every commit updates. The data version is read through it
// (settings.ts): the response and count caches ask for it at every request, and a read transaction
// cost a cached answer about 14 µs of CPU of its 65, this about 2. It is the check SQLite itself
// makes before it trusts its page cache: a header unchanged since, nothing committed since.
//
// The -shm file is SQLite's, and SQLite holds fcntl locks on it. On Linux, closing any descriptor
// of a file drops every fcntl lock the process holds on that file, those SQLite holds through its
// own descriptors included: another process would then take the WAL-index for abandoned and
// rebuild it under the live connections. So a -shm file is opened once per process, shared by its
// connections, and closed only once it has been deleted (SQLite deletes it when the last
// connection to the database closes, and then holds no lock on it).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import type Database from 'better-sqlite3'

/**
 * The WAL-index header, as https://sqlite.org/walformat.html lays it out for the unix and windows
 * VFSes: 48 bytes kept twice at the start of the -shm file, in the machine's byte order. iVersion
 * (bytes 0-3) is 3007000, isInit (byte 12) is 1 once the header is valid, and iChange (bytes
 * 8-11) grows at every commit, with the frame count and checksums. A writer changes the second
 * copy, then the first: copies that differ are a commit under way (or a writer that crashed
 * during one, which the next reader's recovery repairs).
 */
const HEADER_WORDS = 12
const WAL_INDEX_VERSION = 3007000
const IS_INIT_BYTE = 12

interface ShmFile {
  fd: number
  /** Set when the file was deleted and its descriptor closed: the number may belong to another file since. */
  closed: boolean
}

/** The -shm files this process has open, by device and inode. */
const shmFiles = new Map<string, ShmFile>()

interface WalIndex {
  file: ShmFile
  /** Both copies of the header, as last read: compared as words (a Buffer's compare is a call into C++), and as bytes. */
  headers: Uint32Array
  headerBytes: Uint8Array
  /** The last value read through readOncePerCommit, with the header it was read after. */
  known?: { header: Uint32Array; value: number }
}

const walIndexes = new WeakMap<Database.Database, WalIndex>()

const fileKey = (stats: { dev: bigint; ino: bigint }) => `${stats.dev}:${stats.ino}`

/**
 * Closes the -shm files that have been deleted since they were opened. SQLite uses them no more,
 * and a connection whose file was removed from under it (against SQLite's documentation) finds
 * its own closed: it reads the value every time after.
 */
function closeDeletedFiles(): void {
  for (const [key, file] of shmFiles) {
    if (fstatSync(file.fd).nlink > 0) continue
    closeSync(file.fd)
    file.closed = true
    shmFiles.delete(key)
  }
}

/** The -shm file at `path`, opened unless this process has it open already; undefined when there is none. */
function shmFile(path: string): ShmFile | undefined {
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false })
  if (stats === undefined) return undefined
  const open = shmFiles.get(fileKey(stats))
  if (open !== undefined) return open
  closeDeletedFiles()
  let fd: number
  try {
    fd = openSync(path, 'r')
    /* c8 ignore start -- the file was deleted between the stat and the open: the next call looks again */
  } catch {
    return undefined
  }
  /* c8 ignore stop */
  // Keyed by what was opened. Should another file have taken the path since the stat and be open
  // already, its older entry leaves the map: its descriptor is never closed, and stays right for the
  // connections that read it.
  const file = { fd, closed: false }
  shmFiles.set(fileKey(fstatSync(fd, { bigint: true })), file)
  return file
}

/**
 * The WAL-index of a connection that has one: in WAL mode with normal locking (in exclusive
 * locking mode, SQLite keeps the WAL-index in its own memory and a -shm file on disk may be a
 * stale one). The file is named after the database's path as SQLite resolved it, symbolic links
 * and the working directory included. Nothing is remembered of a connection without one: it may
 * have one at the next call.
 */
function openWalIndex(sqlite: Database.Database): WalIndex | undefined {
  if (sqlite.memory || !sqlite.open) return undefined
  // Without a schema, PRAGMA locking_mode answers the default for databases attached later.
  if (sqlite.pragma('journal_mode', { simple: true }) !== 'wal' || sqlite.pragma('main.locking_mode', { simple: true }) !== 'normal') return undefined
  const [main] = sqlite.pragma('database_list') as [{ file: string }]
  const file = shmFile(`${main.file}-shm`)
  if (file === undefined) return undefined
  const headers = new Uint32Array(2 * HEADER_WORDS)
  const walIndex: WalIndex = { file, headers, headerBytes: new Uint8Array(headers.buffer) }
  walIndexes.set(sqlite, walIndex)
  return walIndex
}

/**
 * Whether the WAL-index header was read whole and settled (valid, and no commit under way), in
 * walIndex.headers: two reads that give the same first copy have no commit between them.
 */
function readHeader({ file, headers, headerBytes }: WalIndex): boolean {
  if (readSync(file.fd, headerBytes, 0, headerBytes.length, 0) !== headerBytes.length) return false
  for (let word = 0; word < HEADER_WORDS; word++) if (headers[word] !== headers[HEADER_WORDS + word]) return false
  return headers[0] === WAL_INDEX_VERSION && headerBytes[IS_INIT_BYTE] === 1
}

const sameHeader = (known: Uint32Array, headers: Uint32Array) => {
  for (let word = 0; word < HEADER_WORDS; word++) if (known[word] !== headers[word]) return false
  return true
}

/**
 * What `read` returns for the connection, read again only when a connection (of any process) has
 * committed since it was last read, or when that cannot be told. Only where `read` sees the latest
 * commit: outside a transaction (inside one, a value read is the transaction's own, whatever was
 * committed since), and not while a statement of the connection is being iterated (better-sqlite3
 * then reports no transaction, but the iteration's snapshot is what a read sees).
 */
export function readOncePerCommit(sqlite: Database.Database, read: (sqlite: Database.Database) => number): number {
  let walIndex = walIndexes.get(sqlite)
  if (walIndex === undefined || walIndex.file.closed) walIndex = openWalIndex(sqlite)
  if (walIndex === undefined || !readHeader(walIndex)) return read(sqlite)
  const { headers, known } = walIndex
  if (known !== undefined && sameHeader(known.header, headers)) return known.value
  // Read after the header: a commit made between the two is seen at the next call.
  const value = read(sqlite)
  walIndex.known = { header: headers.slice(0, HEADER_WORDS), value }
  return value
}

/**
 * Forgets a connection's WAL-index and the value last read through it: when it has left WAL mode,
 * since SQLite then deleted the -shm file, whose header changes no more. Back in WAL mode, it reads
 * a new one (whose header may have the very bytes the old one had). The old file stays open until
 * a WAL-index opened later finds it deleted (see closeDeletedFiles).
 */
export function forgetWalIndex(sqlite: Database.Database): void {
  walIndexes.delete(sqlite)
}
