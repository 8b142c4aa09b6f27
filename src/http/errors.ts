// The error catalogue and the one error handler: every error leaves as RFC 9457
// application/problem+json; 4xx say what was wrong and where, 5xx never leak internals.
import { STATUS_CODES } from 'node:http'
import createError from '@fastify/error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SchemaErrorDataVar } from 'fastify/types/schema.js'
import { Problem, ref, type Problem as ProblemBody } from '../modules/shared/common.schemas.js'
import { InvalidFilterError } from '../modules/shared/filters.js'
import { describeAjvErrors } from '../validation/ajv-errors.js'

type FieldError = NonNullable<ProblemBody['errors']>[number]

export const NotFoundError = createError<[string, string]>('NOT_FOUND', '%s "%s" not found', 404)
export const RouteNotFoundError = createError<[string, string]>('ROUTE_NOT_FOUND', 'No route for %s %s', 404)

const PROBLEM_CONTENT_TYPE = 'application/problem+json'

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

function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: FieldError[]) {
  const body: ProblemBody = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    code,
    ...(errors ? { errors } : {})
  }
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body)
}

const FIELD_NOUN: Record<FieldError['in'], string> = { query: 'query parameter', path: 'path parameter', body: 'property', header: 'header' }

function fieldName(pointer: string): string {
  const [first = ''] = pointer.slice(1).split('/')
  return first.replaceAll('~1', '/').replaceAll('~0', '~')
}

/**
 * For errors the router raises before any route runs (a malformed URL, a path parameter over
 * maxParamLength): passed to Fastify as its `frameworkErrors` option.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // Every error the router raises carries its status (400 for a bad URL, 414 for a long parameter).
  return sendProblem(request, reply, error.statusCode as number, error.code, error.message)
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      // Fastify sets validationContext on every validation error.
      const location = VALIDATION_LOCATION[error.validationContext as SchemaErrorDataVar]
      const noun = FIELD_NOUN[location]
      const errors = describeAjvErrors(error.validation as Parameters<typeof describeAjvErrors>[0]).map((p) => ({
        in: location,
        name: fieldName(p.pointer),
        detail: p.detail === 'unknown property' ? `unknown ${noun}` : p.detail
      }))
      const [only] = errors
      const detail =
        errors.length === 1 && only
          ? `Invalid ${only.name ? `${noun} "${only.name}"` : location}: ${only.detail}`
          : `Invalid ${noun}s: ${errors.map((e) => `"${e.name}": ${e.detail}`).join('; ')}`
      return sendProblem(request, reply, 400, location === 'body' ? 'INVALID_BODY' : 'INVALID_PARAMETER', detail, errors)
    }
    if (error instanceof InvalidFilterError) {
      return sendProblem(request, reply, 400, 'INVALID_PARAMETER', error.message, [{ in: 'query', name: error.parameter, detail: error.detail }])
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return sendProblem(request, reply, status, error.code ?? 'CLIENT_ERROR', error.message)
    request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, 500, 'INTERNAL_ERROR', 'The server could not answer this request; the error has been logged.')
  })
  app.setNotFoundHandler((request, reply) => {
    const error = new RouteNotFoundError(request.method, request.url.replace(/\?.*$/s, ''))
    return sendProblem(request, reply, 404, error.code, error.message)
  })
}

