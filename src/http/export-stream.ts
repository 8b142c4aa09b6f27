// Exports too large to hold in memory (a list's CSV, the Popolo document), streamed a piece at a
// time, every piece read from one version of the directory, so that an export of a million
// records neither fills the server's memory nor keeps it from answering other requests meanwhile.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { setImmediate } from 'node:timers/promises'
import createError from '@fastify/error'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DirectoryDatabase } from '../db/connection.js'
import { openSnapshot } from '../db/snapshot.js'
import { dataVersion } from '../db/settings.js'
import { signingKey } from './pagination.js'

/** Reads a part of an export: every call sees the same version of the directory. */
export type ExportRead = <R>(work: (db: DirectoryDatabase) => R) => R

/**
 * A write committed while an export was being sent without a snapshot to read from (see
 * exportReader). Its 200 and first pieces were sent, so this is never a problem body: the download
 * is cut short (no final chunk), which clients report as a failed download, rather than mixing the
 * records of two versions under one ETag.
 */
export const ExportOutdatedError = createError<[number, number]>(
  'EXPORT_OUTDATED',
  'The directory changed during the export (data version %d, then %d) after its 200 was sent: the download was stopped unfinished',
  503
)

/** Reads the pieces of one export, all from one version of the directory, until closed. */
interface ExportReader {
  read: ExportRead
  close: () => void
}

/**
 * Exports reading from a snapshot at once, at most, in a process: each holds a connection (three
 * file descriptors and up to 2 MiB of pages) for as long as its client takes to read, which a slow
 * or stalled client makes as long as it likes.
 */
export const MAX_EXPORT_SNAPSHOTS = 32
let exportSnapshots = 0

/**
 * A reader on a snapshot of the database's file (openSnapshot), which no write changes. An
 * in-memory database has none, and exports beyond MAX_EXPORT_SNAPSHOTS get none: their pieces are
 * read on the app's connection, each in a read transaction that checks the data version is still
 * the one the export began with (ExportOutdatedError).
 */
function exportReader(db: DirectoryDatabase): ExportReader {
  const snapshot = exportSnapshots < MAX_EXPORT_SNAPSHOTS ? openSnapshot(db) : undefined
  if (snapshot !== undefined) {
    exportSnapshots++
    const close = () => {
      snapshot.$client.close()
      exportSnapshots--
    }
    return { read: (work) => work(snapshot), close }
  }
  const sqlite = db.$client
  const version = dataVersion(sqlite)
  const checked = sqlite.transaction((work: (db: DirectoryDatabase) => unknown) => {
    const now = dataVersion(sqlite)
    if (now !== version) throw new ExportOutdatedError(version, now)
    return work(db)
  })
  // better-sqlite3 types a transaction's result by its function's, not generically.
  return { read: <R>(work: (db: DirectoryDatabase) => R) => checked(work) as R, close: () => undefined }
}

/** How an export is answered: its content type, the prefix of its ETag and what else its bytes depend on. */
export interface ExportAnswer {
  type: string
  etagPrefix: string
  /**
   * What else the bytes depend on besides the database, its version and the URL: the API's own URL
   * for links, and what says how the export is laid out (the CSV header, a format number), so that
   * a release that writes other bytes for the same data gives them another ETag.
   */
  dependsOn: readonly unknown[]
  /** The file name a browser saves it under, if it is a download. */
  filename?: string
}

/**
 * A strong ETag for an export, which is streamed and so cannot be hashed before it is sent: the
 * database's identity, the data version every piece is read at and what was asked for. Same
 * version, same request: the same bytes.
 */
function exportEtag(request: FastifyRequest, version: number, answer: ExportAnswer): string {
  const identity = [signingKey(request.server.db), version, request.url, answer.type, ...answer.dependsOn]
  return `"${answer.etagPrefix}-${createHash('sha256').update(JSON.stringify(identity)).digest('base64url')}"`
}

/**
 * Streams the pieces an export's generator yields, each read with `read` from the version of the
 * directory the export began with (exportReader). The generator runs to its first piece before
 * anything is sent, so what it checks there (a list's filters) still answers a 400 problem instead
 * of a broken download; a HEAD request reads no more than that. The rest is read as the client
 * takes it: Node's stream asks for pieces only while the socket keeps up.
 */
export function sendExport(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: ExportAnswer,
  pieces: (read: ExportRead) => Generator<string | Uint8Array, void, undefined>
) {
  const reader = exportReader(request.server.db)
  // Closed once the answer is over, however it ends: sent whole, cut short by the client, or never
  // read at all (a 304 for If-None-Match, a HEAD request).
  let open = true
  const close = () => {
    if (open) reader.close()
    open = false
  }
  let start: { version: number; generator: Generator<string | Uint8Array, void, undefined>; first: IteratorResult<string | Uint8Array, void> }
  try {
    // The version every piece is read at (a snapshot's first read takes it), then the first piece.
    const version = reader.read((db) => dataVersion(db.$client))
    const generator = pieces(reader.read)
    start = { version, generator, first: generator.next() }
  } catch (error) {
    close()
    throw error
  }
  reply.raw.once('close', close)
  // A client gone before the handler ran (while a hook waited) has closed the response already:
  // its 'close' came and went, and the stream sent to it will never be read.
  if (reply.raw.destroyed) close()
  const { version, generator, first } = start
  async function* all() {
    try {
      let piece = first
      while (!piece.done) {
        yield piece.value
        // Other requests are answered between two pieces. Without this turn of the event loop, a
        // client that reads as fast as the pieces are made (the socket never full) kept the server
        // on the export until its end: at 1,000,000 participations nothing else was answered for
        // the 2 s of a CSV export, or the 28 s of the Popolo document.
        await setImmediate()
        if (!open) break
        piece = generator.next()
      }
    } finally {
      generator.return()
      close()
    }
  }
  reply.type(answer.type).header('etag', exportEtag(request, version, answer))
  if (answer.filename !== undefined) reply.header('content-disposition', `attachment; filename="${answer.filename}"`)
  return reply.send(Readable.from(request.method === 'HEAD' ? [] : all()))
}
