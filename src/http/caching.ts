// HTTP caching for a read-mostly directory: a strong ETag on every response (a hash of the body, so
// it changes when, and only when, the data behind the response changes), 304 for an If-None-Match
// that names it (or is `*`), and a Cache-Control that lets clients reuse a public page briefly and then
// revalidate, and no cache keep an answer that needed a token.
import { createHash } from 'node:crypto'
import etag from '@fastify/etag'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'

/** Successful reads: shared caches may keep them 5 minutes, then must revalidate (cheap: a 304). */
export const CACHE_CONTROL_READ = 'public, max-age=300, must-revalidate'
/** Errors and health answers are never stored: they describe a moment, not the data. */
export const CACHE_CONTROL_NONE = 'no-store'
/**
 * Every answer of an operation that needs a token (the audit trail, the metrics, the writes): no
 * cache may store it, shared or the client's own. `public` (or `must-revalidate`) would let a shared
 * cache serve an admin's answer to anyone (RFC 9111 §3.5); `private` with `Vary: Authorization`
 * would still let a browser keep the audit trail on a shared machine's disk, and saves nothing
 * worth having on an operation this rare.
 */
export const CACHE_CONTROL_PRIVATE = 'private, no-store'

/** The hash of a body that its ETag carries: SHA-256, base64. */
const bodyHash = (payload: string | Buffer): string => createHash('sha256').update(payload).digest('base64')

/** The strong ETag of a serialised body, as every GET answers it (the write routes compare it with If-Match). */
export const etagOf = (payload: string): string => `"${bodyHash(payload)}"`

/**
 * One element of an entity-tag list (RFC 9110 §5.6.1, §8.8.3): optional whitespace, then an
 * entity-tag or nothing (empty elements are allowed), then a comma or the end. A quoted tag may hold
 * a comma, so the list is not split on commas.
 */
const LIST_ELEMENT = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")?[ \t]*(?:,|$)/y

/**
 * The entity tags an If-Match or If-None-Match field names: `*` (any current representation), a
 * list, or undefined when the field is malformed (it then matches nothing).
 */
export function entityTagsOf(field: string): '*' | string[] | undefined {
  if (field.trim() === '*') return '*'
  const tags: string[] = []
  LIST_ELEMENT.lastIndex = 0
  // Each match consumes at least one character until the end: a comma, whitespace or a tag.
  while (LIST_ELEMENT.lastIndex < field.length) {
    const element = LIST_ELEMENT.exec(field)
    if (element === null) return undefined
    if (element[1] !== undefined) tags.push(element[1])
  }
  return tags
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag)

/**
 * If-Match holds (RFC 9110 §13.1.1) for `*`, the record existing, or a listed tag strongly equal to
 * `current`, which is strong (etagOf): a weak tag, `W/"…"`, never equals it.
 */
export function ifMatchHolds(field: string, current: string): boolean {
  const tags = entityTagsOf(field)
  return tags === '*' || (tags !== undefined && tags.includes(current))
}

/**
 * If-None-Match is false (RFC 9110 §13.1.2, weak comparison) for `*`, the representation existing, or
 * a listed tag whose opaque part is `current`'s.
 */
export function ifNoneMatchFails(field: string, current: string): boolean {
  const tags = entityTagsOf(field)
  return tags === '*' || (tags !== undefined && tags.some((tag) => opaque(tag) === opaque(current)))
}

/**
 * 304 for a GET or HEAD that would answer 2xx while If-None-Match names its ETag (RFC 9110 §13.2.2:
 * preconditions apply to 2xx answers only, so an error body is never "not modified"). Other methods
 * ignore the field: the writes are conditioned by If-Match.
 */
function notModified(request: FastifyRequest, reply: FastifyReply): boolean {
  const field = request.headers['if-none-match']
  // (1xx answers never reach onSend.)
  if (field === undefined || reply.statusCode >= 300 || (request.method !== 'GET' && request.method !== 'HEAD')) return false
  // An answer without an ETag is "undefined", which no listed tag equals; `*` still holds.
  return ifNoneMatchFails(field, String(reply.getHeader('etag')))
}

/** Whether every answer of the route must be private: the operation needs a token (requiresScope sets its security). */
const needsToken = (route: RouteOptions) => route.schema?.security !== undefined

export async function registerCaching(app: FastifyInstance) {
  // The plugin only tags: its own 304 compares the whole field with the ETag, so a list or `*` missed.
  await app.register(etag, { hashFn: bodyHash, replyWith304: false })
  // One hook for both, on every answer (the fewer hooks a cached answer passes, the cheaper it is).
  app.addHook('onSend', (request, reply, payload, done) => {
    // A 304 has no content, and a Content-Length on it would have to be the 200's (RFC 9110 §8.6):
    // with no payload Fastify sends none. A HEAD keeps its payload, of which Fastify's HEAD handling
    // sends only the length, which is the 200's (it cannot take null).
    const unmodified = notModified(request, reply)
    if (unmodified) reply.code(304)
    // An error names its request (request_id), so its body, and the hash of it, differ every time:
    // an ETag there would validate nothing.
    else if (reply.statusCode >= 400) reply.removeHeader('etag')
    if (!reply.hasHeader('cache-control')) {
      const cacheable = (request.method === 'GET' || request.method === 'HEAD') && (reply.statusCode === 200 || reply.statusCode === 304)
      reply.header('cache-control', cacheable ? CACHE_CONTROL_READ : CACHE_CONTROL_NONE)
    }
    // Lists answer JSON or CSV by the Accept header: caches must key on it, and on Origin when
    // @fastify/cors has said so (an answer to an allowed origin names that origin).
    const vary = reply.getHeader('vary')
    reply.header('vary', vary === undefined ? 'Accept' : `${String(vary)}, Accept`)
    done(null, unmodified && request.method !== 'HEAD' ? null : payload)
  })
  // A route's own hooks run after the app's, so this has the last word on every answer of an
  // operation that needs a token, whatever its handler set: a security property, kept in one place.
  const keepPrivate = (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    reply.header('cache-control', CACHE_CONTROL_PRIVATE)
    done(null, payload)
  }
  app.addHook('onRoute', (route) => {
    if (needsToken(route)) route.onSend = [route.onSend ?? [], keepPrivate].flat()
  })
}
