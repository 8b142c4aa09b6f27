// Request ids: every request gets one (the caller's X-Request-Id when it is sane, else a new UUID),
// every log line of the request carries it (Fastify's reqId), and every response returns it.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'

export const REQUEST_ID_HEADER = 'x-request-id'

/**
 * An incoming id is kept only if it is short and made of characters that cannot forge a log line,
 * split a header or smuggle markup: UUIDs, ULIDs and the ids proxies and tracers make all pass.
 */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$'
const SANE_REQUEST_ID = new RegExp(REQUEST_ID_PATTERN)

export const newRequestId = (): string => randomUUID()

/** Fastify's `genReqId`: the caller's id when sane (a repeated header arrives joined by ", ": not sane). */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : newRequestId()
}

/** Registered first, so that even a request a later onRequest hook rejects answers with its id. */
export function registerRequestId(app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
}
