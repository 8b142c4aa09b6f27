// The error catalogue and the one error handler: every error leaves as RFC 9457
// application/problem+json; 4xx say what was wrong and where, 5xx never leak internals.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import createError from '@fastify/error'
import Database from 'better-sqlite3'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { SchemaErrorDataVar } from 'fastify/types/schema.js'
import { Problem, PROBLEM_LIMITS, ref, type Problem as ProblemBody } from '../modules/shared/common.schemas.js'
import { LIMITS } from '../modules/shared/fields.schemas.js'
import { InvalidFilterError } from '../modules/shared/filters.js'
import { describeAjvErrors } from '../validation/ajv-errors.js'
import { ReferencedRecordError } from '../editing/records.js'
import { SeedValidationError } from '../seed/seed-problem.js'
import { newRequestId, REQUEST_ID_HEADER } from './request-id.js'
import { BODY_LIMIT, InvalidUrlError, MAX_URL_LENGTH, UriTooLongError } from './security.js'

type FieldError = NonNullable<ProblemBody['errors']>[number]

export const NotFoundError = createError<[string, string]>('NOT_FOUND', '%s "%s" not found', 404)
export const PreconditionRequiredError = createError<[string]>(
  'PRECONDITION_REQUIRED',
  'Send If-Match with the ETag of the %s as you last read it: writes without it could overwrite a change you have not seen',
  428
)

/** A write whose If-Match is not the record's current ETag: someone changed it since it was read. */
export class PreconditionFailedError extends Error {
  override name = 'PreconditionFailedError'
  readonly statusCode = 412
  readonly code = 'PRECONDITION_FAILED'
  constructor(
    noun: string,
    readonly extensions: { current_etag: string; current_version: number }
  ) {
    super(`The ${noun} has changed since the ETag in If-Match was issued: read it again (current ETag and version are in this problem)`)
  }
}

/** GET /ready while the database is closed or a migration is pending: try again shortly. */
export const NotReadyError = createError<[string]>('NOT_READY', 'The service is not ready: %s', 503)

export const RouteNotFoundError = createError<[string, string]>('ROUTE_NOT_FOUND', 'No route for %s %s', 404)
/** A path that exists, asked with a method it does not take (RFC 9110 §15.5.6): the Allow header lists those it takes. */
export const MethodNotAllowedError = createError<[string, string, string]>('METHOD_NOT_ALLOWED', '%s is not a method of %s, which takes %s', 405)

const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** SQLite result codes (extended ones start with these) that say "try again later", not "bad request". */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL|NOMEM)/
const RETRY_AFTER_SECONDS = 5

const VALIDATION_LOCATION: Record<SchemaErrorDataVar, FieldError['in']> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
  headers: 'header'
}

/** The response entries of an operation's error statuses, for route schemas and OpenAPI. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: STATUS_CODES[status] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: ref(Problem) } } }
    ])
  )
}

/** Cuts text quoted from a request (a URL, an unknown property's name) to the problem's bounds. */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  extensions: Partial<ProblemBody> = {}
) {
  const body: ProblemBody = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: clip(detail, PROBLEM_LIMITS.text),
    instance: clip(request.url, PROBLEM_LIMITS.text),
    code,
    request_id: request.id,
    ...(errors
      ? {
          errors: errors
            .slice(0, PROBLEM_LIMITS.errors)
            .map((error) => ({ in: error.in, name: clip(error.name, LIMITS.text), detail: clip(error.detail, PROBLEM_LIMITS.text) }))
        }
      : {}),
    ...extensions
  }
  // Also set here, for the errors the router raises before any onRequest hook runs.
  return reply.code(status).header(REQUEST_ID_HEADER, request.id).type(PROBLEM_CONTENT_TYPE).send(body)
}

const FIELD_NOUN: Record<FieldError['in'], string> = { query: 'query parameter', path: 'path parameter', body: 'property', header: 'header' }

/**
 * The name of the value at fault. A body's is its JSON pointer without the leading slash, so a
 * nested property is named in full (`sources/0/bogus`), as the record checks name theirs (see
 * SeedValidationError below). Parameters and headers are flat: a parameter's is its own name.
 */
function fieldName(location: FieldError['in'], pointer: string): string {
  const path = pointer.slice(1)
  return location === 'body' ? path : path.replaceAll('~1', '/').replaceAll('~0', '~')
}

/**
 * For errors the router raises before any route runs, passed to Fastify as its `frameworkErrors`
 * option: a path parameter over maxParamLength (MAX_URL_LENGTH, so its target is too long), or a
 * path that is not a valid URL (Fastify raises no other here: the routes have no async constraint).
 * Answered with the catalogue's codes, not Fastify's internal FST_ERR_* names.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new UriTooLongError(MAX_URL_LENGTH) : new InvalidUrlError()
  return sendProblem(request, reply, problem.statusCode as number, problem.code, problem.message)
}

/**
 * Fastify's own errors for a request's body, under stable codes of this catalogue (not Fastify's
 * internal names, which may change with it) and with a detail that says what to send instead.
 */
const FASTIFY_CLIENT_ERRORS: Record<string, [code: string, detail: string]> = {
  // Fastify's parser also refuses JSON with a __proto__ or constructor property (prototype poisoning).
  FST_ERR_CTP_INVALID_JSON_BODY: ['INVALID_JSON', 'The request body is not valid JSON, or holds a __proto__ or constructor property'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['EMPTY_BODY', 'The request body is empty although Content-Type says JSON: send a JSON body, or no Content-Type with no body'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['INVALID_CONTENT_LENGTH', 'The request body is not as long as its Content-Length says'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON, sent as Content-Type: application/json (or application/merge-patch+json)'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', `The request body is larger than ${BODY_LIMIT} bytes`]
}

/** Errors Node's HTTP parser meets before Fastify has a request, answered on the raw socket. */
const CLIENT_ERRORS: Record<string, [status: number, code: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request was not received in time.']
}

/**
 * Fastify's `clientErrorHandler`: malformed requests, oversized headers and timed-out requests get a
 * problem document too, written straight to the socket, which is then closed.
 */
export function clientErrorHandler(this: FastifyInstance | void, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, detail] = CLIENT_ERRORS[error.code as string] ?? [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP.']
  const title = STATUS_CODES[status] as string
  // No request was parsed, so none has an id yet: this answer gets a new one, logged like a
  // request's (Fastify calls this bound to the instance), so the id a client quotes can be found.
  const requestId = newRequestId()
  this?.log.info({ reqId: requestId, status, code, remoteAddress: socket.remoteAddress }, 'client error answered on the socket')
  // Nor a path: the request line may be unread or garbled. The occurrence is named by its id instead.
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, instance: `urn:uuid:${requestId}`, code, request_id: requestId })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`
    )
  }
  socket.destroy(error)
}

/**
 * The methods the routes matching `url` take (HEAD where GET is: Fastify adds those routes). Not
 * OPTIONS: its only route, when CORS is configured, is @fastify/cors's `OPTIONS *`, which matches
 * every path, answers CORS preflights and passes every other OPTIONS request to the not-found handler.
 */
function methodsOf(app: FastifyInstance, url: string): string[] {
  return app.supportedMethods.filter((method) => method !== 'OPTIONS' && app.findRoute({ method: method as HTTPMethods, url }) !== null)
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      // Fastify sets validationContext on every validation error.
      const location = VALIDATION_LOCATION[error.validationContext as SchemaErrorDataVar]
      const noun = FIELD_NOUN[location]
      // Every query parameter takes one value: one given twice (`?country=BA&country=RS`) reaches
      // the schema as a list, which it would refuse as "must be string".
      const givenTwice = (name: string) => location === 'query' && Array.isArray((request.query as Record<string, unknown>)[name])
      const described = describeAjvErrors(error.validation as Parameters<typeof describeAjvErrors>[0]).map((p) => {
        const name = fieldName(location, p.pointer)
        const detail = p.detail === 'unknown property' ? `unknown ${noun}` : givenTwice(name) ? 'given more than once: it takes one value' : p.detail
        return { in: location, name, detail }
      })
      // A list fails several keywords of one parameter (type, enum...): said once.
      const errors = described.filter((e, i) => described.findIndex((other) => other.name === e.name && other.detail === e.detail) === i)
      const [only] = errors
      const detail =
        errors.length === 1 && only
          ? `Invalid ${only.name ? `${noun} "${only.name}"` : location}: ${only.detail}`
          : `Invalid ${noun.replace(/y$/, 'ie')}s: ${errors.map((e) => `"${e.name}": ${e.detail}`).join('; ')}`
      return sendProblem(request, reply, 400, location === 'body' ? 'INVALID_BODY' : 'INVALID_PARAMETER', detail, errors)
    }
    if (error instanceof InvalidFilterError) {
      return sendProblem(request, reply, 400, 'INVALID_PARAMETER', error.message, [{ in: 'query', name: error.parameter, detail: error.detail }])
    }
    if (error instanceof SeedValidationError) {
      // A write's record failed the checks a seed file's would: each problem is located in the body.
      const errors = error.problems.map((p) => ({ in: 'body' as const, name: p.pointer.slice(1), detail: p.message }))
      const detail = `The record is not valid: ${errors.map((e) => `${e.name || 'body'}: ${e.detail}`).join('; ')}`
      return sendProblem(request, reply, 400, 'INVALID_BODY', detail, errors)
    }
    if (error instanceof ReferencedRecordError) {
      return sendProblem(request, reply, 409, error.code, error.message, undefined, { referenced_by: error.referencedBy })
    }
    if (error instanceof PreconditionFailedError) {
      return sendProblem(request, reply, 412, error.code, error.message, undefined, error.extensions)
    }
    if (error instanceof NotReadyError) {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      return sendProblem(request, reply, 503, error.code, error.message)
    }
    if (error instanceof Database.SqliteError && UNAVAILABLE.test(error.code)) {
      // The database is busy, full, read-only or failing: a moment's condition, not the request's fault.
      request.log.warn({ err: error }, 'database unavailable')
      reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      return sendProblem(request, reply, 503, 'DATABASE_UNAVAILABLE', 'The database cannot answer right now; retry after the Retry-After delay.')
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const [code, detail] = FASTIFY_CLIENT_ERRORS[error.code] ?? [error.code?.replace(/^FST_ERR_/, '') ?? 'CLIENT_ERROR', error.message]
      return sendProblem(request, reply, status, code, detail)
    }
    request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, 500, 'INTERNAL_ERROR', 'The server could not answer this request; the error has been logged.')
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.replace(/\?.*$/s, '')
    const allowed = methodsOf(app, request.url)
    // A route of this very method can pass a request here too (the docs' static files, for a file
    // they do not have): that is a 404 of its own, not a wrong method.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const error = new MethodNotAllowedError(request.method, path, allowed.join(', '))
      reply.header('allow', allowed.join(', '))
      return sendProblem(request, reply, 405, error.code, error.message)
    }
    const error = new RouteNotFoundError(request.method, path)
    return sendProblem(request, reply, 404, error.code, error.message)
  })
}

