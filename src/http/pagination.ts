// Cursor pagination. A cursor carries the sort key of the last record of a page and a fingerprint
// of the query it belongs to, signed with the database's own key (an HMAC), so that the client
// cannot forge a position and a cursor cannot be replayed against another query or database:
// either is a 400, never a wrong page. The cursor is opaque to clients: its format may change.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DirectoryDatabase } from '../db/connection.js'
import { readSetting } from '../db/settings.js'
import type { ListMeta } from '../modules/shared/common.schemas.js'
import { InvalidFilterError } from '../modules/shared/filters.js'
import type { SortKey } from '../modules/shared/sql.js'

const signingKeys = new WeakMap<DirectoryDatabase, string>()

/** The database's own secret, for cursors and CSV ETags: read once per database. */
export function signingKey(db: DirectoryDatabase): string {
  let key = signingKeys.get(db)
  if (key === undefined) {
    // Written by the migration that created the settings table, so every migrated database has one.
    key = readSetting(db.$client, 'cursor_signing_key') as string
    signingKeys.set(db, key)
  }
  return key
}

/** Identifies a list query: the path and every filter and sort (not the page size or format). */
export function queryFingerprint(path: string, filters: Record<string, unknown>): string {
  const entries = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
  return createHash('sha256').update(JSON.stringify([path, entries])).digest('base64url').slice(0, 22)
}

const signature = (db: DirectoryDatabase, payload: string): Buffer => createHmac('sha256', signingKey(db)).update(payload).digest()

export function encodeCursor(db: DirectoryDatabase, fingerprint: string, key: SortKey): string {
  const payload = Buffer.from(JSON.stringify({ q: fingerprint, k: key })).toString('base64url')
  return `${payload}.${signature(db, payload).toString('base64url')}`
}

/** The sort key a cursor carries; a 400 if it was altered, forged, or made for another query. */
export function decodeCursor(db: DirectoryDatabase, fingerprint: string, cursor: string): SortKey {
  const [payload, signed, ...rest] = cursor.split('.')
  const expected = signature(db, payload as string)
  const given = Buffer.from(signed ?? '', 'base64url')
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidFilterError('cursor', 'is not a cursor this service issued (use meta.next_cursor unchanged)')
  }
  // Signed with our key, so the payload is the JSON encodeCursor wrote.
  const { q, k } = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')) as { q: string; k: SortKey }
  if (q !== fingerprint) {
    throw new InvalidFilterError('cursor', 'belongs to another query: keep the filters and sort of the request that returned it')
  }
  return k
}

/** The meta of a list page, and a `Link: <...>; rel="next"` header (RFC 8288) when a page follows. */
export function listMeta(request: FastifyRequest, reply: FastifyReply, limit: number, total: number, nextCursor: string | null): ListMeta {
  let next: string | null = null
  if (nextCursor !== null) {
    const url = new URL(request.url, 'http://directory.invalid')
    url.searchParams.set('cursor', nextCursor)
    url.searchParams.set('limit', String(limit))
    next = `${url.pathname}${url.search}`
    reply.header('link', `<${next}>; rel="next"`)
  }
  return { total, limit, next, next_cursor: nextCursor }
}
