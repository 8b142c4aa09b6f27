// Bearer-token authentication for the operations that change or reveal more than the public
// directory: a missing or unknown token is a 401, a token without the scope a 403. Reads are public.
import createError from '@fastify/error'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { authenticate, grants } from '../modules/tokens/tokens.repository.js'
import type { TokenScope } from '../vocabularies.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The token that authenticated the request: its name is the actor in the audit trail. */
    actor?: { name: string; scope: TokenScope }
  }
}

export const BEARER_SCHEME = 'bearerAuth'

export const UnauthorizedError = createError<[string]>('UNAUTHORIZED', '%s', 401)
export const ForbiddenError = createError<[string, string]>('FORBIDDEN', 'This operation needs a token with the %s scope; this one has %s', 403)

/**
 * The scheme name is case-insensitive and may be followed by several spaces (RFC 9110 §11.1, §11.4);
 * the token itself is compared exactly (its characters are those of a token, either case).
 */
const BEARER = /^Bearer +([A-Za-z0-9_-]{1,200})$/i

/**
 * The route options of an operation that needs `scope`: the check itself, and the OpenAPI
 * `security` requirement that documents it (a test walks the document to prove no write is open).
 */
export function requiresScope(scope: Exclude<TokenScope, 'read'>) {
  return {
    security: [{ [BEARER_SCHEME]: [scope] }],
    // onRequest: before the body is read or validated, so a request without a token learns only that.
    check: async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization
      const match = header === undefined ? null : BEARER.exec(header)
      const token = match === null ? undefined : authenticate(request.server.db, match[1] as string)
      if (token === undefined && header === undefined) {
        reply.header('www-authenticate', 'Bearer realm="stakeholder-directory"')
        throw new UnauthorizedError('This operation needs a bearer token (Authorization: Bearer …)')
      }
      if (token === undefined) {
        reply.header('www-authenticate', 'Bearer realm="stakeholder-directory", error="invalid_token"')
        throw new UnauthorizedError('The bearer token is unknown, revoked or malformed')
      }
      if (!grants(token.scope, scope)) {
        reply.header('www-authenticate', `Bearer realm="stakeholder-directory", error="insufficient_scope", scope="${scope}"`)
        throw new ForbiddenError(scope, token.scope)
      }
      request.actor = token
    }
  }
}
