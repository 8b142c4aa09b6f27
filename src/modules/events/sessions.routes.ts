// GET /v1/sessions/{id}, and the writes of sessions (a session is edited on its own; an event's
// answer lists its sessions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { writeRoutes } from '../../http/write-routes.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter, NoQueryParameters } from '../shared/query.schemas.js'
import { getSession } from './events.repository.js'
import { SessionInput, SessionPatch, SessionRecord } from './events.schemas.js'

export const SESSION_SCHEMAS = [SessionRecord, SessionInput, SessionPatch]

export const sessionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'sessions',
      path: '/sessions',
      tag: 'events',
      noun: 'session',
      input: SessionInput,
      patch: SessionPatch,
      output: SessionRecord,
      read: getSession,
      exampleId: 'sarajevo-2015-regional-cooperation-panel'
    })
  )

  app.get(
    '/sessions/:id',
    {
      schema: {
        tags: ['events'],
        operationId: 'getSession',
        summary: 'Get a session',
        description: 'One session, with the event it belongs to and its sources.',
        params: IdParameter('Session id.', 'sarajevo-2015-regional-cooperation-panel'),
        querystring: NoQueryParameters,
        response: { 200: ref(SessionRecord), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const session = getSession(db, request.params.id)
      if (!session) throw new NotFoundError('session', request.params.id)
      return session
    }
  )
}
