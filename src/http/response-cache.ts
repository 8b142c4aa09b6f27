// Serialised answers of the public reads, kept per process and keyed by the request and the data
// version. Every write bumps the data version in its own transaction (db/after-write.ts), whichever
// process makes it, and the version is read at the start of every request: an answer is served again
// only while no write has committed since it was made. A hit skips validation, the database, the
// serializer and the ETag's hash; the protections and headers of every request (request id, security
// headers, CORS, rate limit, Cache-Control, Vary, 304 for If-None-Match) still apply to it.
import type { DoneFuncWithErrOrRes, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import { dataVersion } from '../db/settings.js'

/** What a cached answer replays: its body and the headers its route set (the others are set afresh). */
interface CachedAnswer {
  /** The body as it is sent: encoded once when kept, not at every hit. */
  payload: Buffer
  contentType: string
  etag: string
  link: string | undefined
  bytes: number
  /** Asked for since it was kept, or since it was last spared (see ResponseCache.set). */
  used: boolean
}

/**
 * The body's bytes, the key's (a JavaScript string costs up to two bytes a character) and the
 * entry's own overhead (a guess, on the safe side). Kept as a string, an answer naming people in
 * Cyrillic cost two bytes a character: UTF-8 holds the same answer in about half.
 */
const ENTRY_OVERHEAD_BYTES = 256
export const costOf = (key: string, payload: Buffer) => 2 * key.length + payload.length + ENTRY_OVERHEAD_BYTES

/**
 * Answers by request, all of one data version, at most `maxBytes` in all. When some must go to make
 * room, the oldest go, but for those asked for since they were kept or last spared, which go to the
 * back instead ("second chance", close to least recently used first). A hit only marks its answer:
 * moving it to the back of the map at every hit (a delete and an insert) cost a cached answer by
 * id a tenth of its time.
 */
class ResponseCache {
  private answers = new Map<string, CachedAnswer>()
  private version = Number.NaN
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  /** Drops every answer if the data has changed since they were made. */
  sync(version: number): void {
    if (version === this.version) return
    this.answers.clear()
    this.bytes = 0
    this.version = version
  }

  get(key: string): CachedAnswer | undefined {
    const answer = this.answers.get(key)
    if (answer !== undefined) answer.used = true
    return answer
  }

  /**
   * Kept only if it was made from the data of the current version (a write may have committed
   * since), if no other request kept the same answer meanwhile, and if it fits in the whole cache.
   */
  set(key: string, version: number, answer: CachedAnswer): void {
    if (version !== this.version || this.answers.has(key) || answer.bytes > this.maxBytes) return
    // Ends: each turn drops an answer or unmarks one, and the answer fits in the whole cache.
    while (this.bytes + answer.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.answers.entries().next().value as [string, CachedAnswer]
      this.answers.delete(oldestKey)
      if (oldest.used) {
        oldest.used = false
        this.answers.set(oldestKey, oldest)
      } else this.bytes -= oldest.bytes
    }
    this.answers.set(key, answer)
    this.bytes += answer.bytes
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether the answer came from the response cache (it is then not kept again). */
    answeredFromCache: boolean
    /** The data version read when the request arrived (NaN until then): the version its answer is kept under. */
    dataVersionAtStart: number
  }
}

/** The answer depends on the URL (path and query) and on Accept (JSON or CSV); on no other request header. */
export const keyOf = (url: string, accept: string | undefined) => `${url}\u0000${accept ?? ''}`

/** Adds the cache to the GET routes registered in `scope` after this call; `maxBytes` 0 adds nothing. */
export function registerResponseCache(scope: FastifyInstance, maxBytes: number) {
  if (maxBytes === 0) return
  const cache = new ResponseCache(maxBytes)
  scope.decorateRequest('answeredFromCache', false)
  scope.decorateRequest('dataVersionAtStart', Number.NaN)

  const serveCached = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const version = dataVersion(request.server.db.$client)
    request.dataVersionAtStart = version
    cache.sync(version)
    const answer = cache.get(keyOf(request.url, request.headers.accept))
    if (answer === undefined) return done()
    request.answeredFromCache = true
    // With its ETag set, @fastify/etag hashes nothing and still answers a matching If-None-Match with a 304.
    // In the order the route sets them: the link with the page, the type as it is serialised, then the ETag.
    if (answer.link !== undefined) reply.header('link', answer.link)
    // Answered: done() is not called, so the route's later hooks and handler do not run.
    reply.header('content-type', answer.contentType).header('etag', answer.etag).send(answer.payload)
  }

  // A route's own onSend hooks run after the scope's: the body is serialised and its ETag set. The
  // bytes kept are the bytes sent, encoded once.
  const keepAnswer = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: DoneFuncWithErrOrRes) => {
    if (request.answeredFromCache || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload)
    const key = keyOf(request.url, request.headers.accept)
    const body = Buffer.from(payload)
    cache.set(key, request.dataVersionAtStart, {
      payload: body,
      contentType: String(reply.getHeader('content-type')),
      etag: String(reply.getHeader('etag')),
      link: reply.getHeader('link') as string | undefined,
      bytes: costOf(key, body),
      used: false
    })
    done(null, body)
  }

  // After the route's own hooks (the rate limit's), so that they apply to hits too. An operation that
  // needs a token is left alone: its answer is not public.
  scope.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'GET' || route.schema?.security !== undefined) return
    route.onRequest = [route.onRequest ?? [], serveCached].flat()
    route.onSend = [route.onSend ?? [], keepAnswer].flat()
  })
}
