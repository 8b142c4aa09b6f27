// HTTP caching for a read-mostly directory: a strong ETag on every response (a hash of the body, so
// it changes when, and only when, the data behind the response changes), 304 for a matching
// If-None-Match, and a Cache-Control that lets clients reuse a page briefly and then revalidate.
import { createHash } from 'node:crypto'
import etag from '@fastify/etag'
import type { FastifyInstance } from 'fastify'

/** Successful reads: shared caches may keep them 5 minutes, then must revalidate (cheap: a 304). */
export const CACHE_CONTROL_READ = 'public, max-age=300, must-revalidate'
/** Errors and health answers are never stored: they describe a moment, not the data. */
export const CACHE_CONTROL_NONE = 'no-store'

/** The hash of a body that its ETag carries: SHA-256, base64. */
const bodyHash = (payload: string | Buffer): string => createHash('sha256').update(payload).digest('base64')

/** The strong ETag of a serialised body, as every GET answers it (the write routes compare it with If-Match). */
export const etagOf = (payload: string): string => `"${bodyHash(payload)}"`

export async function registerCaching(app: FastifyInstance) {
  await app.register(etag, { hashFn: bodyHash })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) {
      const cacheable = (request.method === 'GET' || request.method === 'HEAD') && (reply.statusCode === 200 || reply.statusCode === 304)
      reply.header('cache-control', cacheable ? CACHE_CONTROL_READ : CACHE_CONTROL_NONE)
    }
    // Lists answer JSON or CSV by the Accept header: caches must key on it, and on Origin when
    // @fastify/cors has said so (an answer to an allowed origin names that origin).
    const vary = reply.getHeader('vary')
    reply.header('vary', vary === undefined ? 'Accept' : `${String(vary)}, Accept`)
    done(null, payload)
  })
}
