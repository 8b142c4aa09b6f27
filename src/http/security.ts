// Protections every request passes through (OWASP API Security Top 10, 2023): security headers,
// CORS closed by default and never open to writes, per-client rate limits, size limits on URLs and
// bodies, and request bodies that must be valid UTF-8 JSON.
import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import helmet, { type HelmetOptions } from 'helmet'
import rateLimit from '@fastify/rate-limit'
import createError from '@fastify/error'
import type { FastifyInstance } from 'fastify'

/** Longer request targets are a 414: no operation needs more (ids are at most 200 characters). */
export const MAX_URL_LENGTH = 4096
/** The largest request body: a record with its names and citations fits many times over. */
export const BODY_LIMIT = 256 * 1024

/**
 * The docs page's policy: Swagger UI's own scripts and styles (and one inline style), images from
 * itself and data: URLs (its CSS icons), fetches to this origin only (the document and "try it"),
 * and nothing else: no other origin, no plugins, no forms, no framing. Without
 * upgrade-insecure-requests, which would break "try it" on a plain-HTTP deployment.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  'default-src': "'none'",
  'base-uri': "'none'",
  'connect-src': "'self'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  'img-src': ["'self'", 'data:'],
  'object-src': "'none'",
  'script-src': "'self'",
  'script-src-attr': "'none'",
  // The one inline <style> Swagger UI writes: the colours of its small SVG logo, by its hash (the
  // docs browser test fails, naming the new hash, if an upgrade of @fastify/swagger-ui changes it).
  'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"]
}

/**
 * The route config of the probes a load balancer or an orchestrator polls (/health, /ready): not
 * rate limited, so that a client's own requests, from the address the probes come from, never
 * make the service look down. They read a few stored counts. The OpenAPI document says so with
 * the extension `x-rate-limited: false` (openapi.ts), and declares no 429 for them.
 */
export const NOT_RATE_LIMITED = { rateLimit: false } as const

export const UriTooLongError = createError<[number]>('URI_TOO_LONG', 'The request target is longer than %d characters', 414)
export const InvalidEncodingError = createError('INVALID_ENCODING', 'The request body is not valid UTF-8', 400)
/** A request target whose percent-encoding is broken (a "%" not followed by two hexadecimal digits, or bytes that are not UTF-8). */
export const InvalidUrlError = createError('INVALID_URL', 'The request target is not a valid URL: every "%" must begin a percent-encoded byte (%25 for "%" itself), and the bytes must spell UTF-8 text', 400)
export const RateLimitedError = createError<[number, string]>('RATE_LIMITED', 'Rate limit of %d requests per %s exceeded: retry after the Retry-After delay', 429)

/**
 * The headers a page on an allowed origin may read besides the few a browser always lets it
 * (Content-Type, Cache-Control and the like): the next page, the validator for If-None-Match, the
 * rate limit (@fastify/rate-limit's draft-spec names) and when to retry, a created record's
 * Location, the request id to quote in a report, and a CSV's file name.
 */
export const EXPOSED_HEADERS = [
  'Link',
  'ETag',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Location',
  'X-Request-Id',
  'Content-Disposition'
]

/**
 * Whether the target holds a "%" that begins no escape, or escapes of bytes that are not UTF-8. The
 * router refuses those in the path; in the query string the parser would keep them as they are, and
 * `q=%ZZ` would search for "%ZZ" rather than say what is wrong. Most targets hold no "%" at all.
 */
function hasBrokenEscapes(url: string): boolean {
  if (!url.includes('%')) return false
  try {
    decodeURIComponent(url)
    return false
  } catch {
    return true
  }
}

export interface SecurityOptions {
  corsOrigins: string[]
  rateLimit: { max: number; timeWindowMs: number } | undefined
}

/**
 * An API answers JSON, CSV and text: nothing it serves runs scripts or may be framed. The docs
 * page sets its own policy for its scripts (see app.ts, swagger-ui's staticCSP). X-Frame-Options
 * says what frame-ancestors 'none' says, for browsers without CSP.
 */
const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  // These act only on an HTML document or in Internet Explorer, so the API's answers go without
  // them: X-XSS-Protection (OWASP: do not set it, or 0), X-Download-Options (IE 8),
  // Origin-Agent-Cluster and X-DNS-Prefetch-Control (documents). Fewer headers also keep Fastify's
  // object of the reply's headers under the 21 properties at which V8 turns it into a slower
  // dictionary: with them, a cached answer by id took 18 % more time.
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xXssProtection: false
}

/** The docs page is an HTML document: it gets every header helmet sets by default. */
const DOCUMENT_HELMET_OPTIONS: HelmetOptions = { ...API_HELMET_OPTIONS, originAgentCluster: true, xDnsPrefetchControl: true, xDownloadOptions: true, xXssProtection: true }

/**
 * The headers helmet sets with these options, which depend on no request: made once by running its
 * middleware against a recorder. (@fastify/helmet builds helmet's middleware again for every request,
 * a tenth of the CPU time of a cached read.)
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()]
  }
  // Helmet throws its option errors itself: its callback is only ever called to go on.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined)
  return headers
}

/** Adds these headers to every answer of `scope`. */
function addHeaders(scope: FastifyInstance, headers: Record<string, string>) {
  scope.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}

const apiHeaders = securityHeaders(API_HELMET_OPTIONS)
/** What the docs page's answers add to the API's headers. */
const documentOnlyHeaders = Object.fromEntries(Object.entries(securityHeaders(DOCUMENT_HELMET_OPTIONS)).filter(([name]) => !(name in apiHeaders)))

/** Adds the headers that act only on HTML documents to every answer of `scope`: the docs page's. */
export const addDocumentHeaders = (scope: FastifyInstance) => addHeaders(scope, documentOnlyHeaders)

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions) {
  addHeaders(app, apiHeaders)

  // Browsers on the listed origins may read; no origin may write (a preflight for a write fails).
  // With no origin listed there is nothing to answer: without the plugin, a browser's cross-origin
  // read finds no Access-Control-Allow-Origin and a preflight is an OPTIONS request like any other
  // (405), as with the plugin set to allow none, which cost a cached answer by id 3 % of its time.
  if (options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins, methods: ['GET', 'HEAD'], exposedHeaders: EXPOSED_HEADERS })
  }

  if (options.rateLimit !== undefined) {
    const { max, timeWindowMs } = options.rateLimit
    await app.register(rateLimit, {
      max,
      timeWindow: timeWindowMs,
      enableDraftSpec: true,
      // The configured window: context.after is the time left in it, which Retry-After already says.
      errorResponseBuilder: (_request, context) => new RateLimitedError(context.max, `${timeWindowMs / 1000} s`)
    })
  }

  app.addHook('onRequest', (request, _reply, done) => {
    done(request.url.length > MAX_URL_LENGTH ? new UriTooLongError(MAX_URL_LENGTH) : hasBrokenEscapes(request.url) ? new InvalidUrlError() : undefined)
  })

  // Bodies are JSON only (any other type is a 415), decoded strictly: invalid UTF-8 is a 400, never
  // stored as U+FFFD.
  app.removeContentTypeParser('text/plain')
  const parseJson = app.getDefaultJsonParser('error', 'error')
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
  app.addContentTypeParser(['application/json', 'application/merge-patch+json'], { parseAs: 'buffer' }, (request, body, done) => {
    let text: string
    try {
      text = strictUtf8.decode(body as Buffer)
    } catch {
      done(new InvalidEncodingError(), undefined)
      return
    }
    parseJson(request, text, done)
  })
}
