// GET /health: the service and database state, for people and load balancers alike.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ref } from '../shared/common.schemas.js'
import { NoQueryParameters } from '../shared/query.schemas.js'
import { databaseHealth } from '../../db/health.js'
import { CACHE_CONTROL_NONE } from '../../http/caching.js'
import { CountInteger } from '../shared/fields.schemas.js'

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    database: Type.Object({
      status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
      migrations: CountInteger({ description: 'Migrations applied.' }),
      events: CountInteger(),
      participations: CountInteger()
    })
  },
  { $id: 'Health', description: 'Service and database state.' }
)

export const HEALTH_SCHEMAS = [Health]

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        operationId: 'getHealth',
        summary: 'Service health',
        description: 'Reports whether the service answers and its database is open and readable, with a few counts. 503 when the database cannot be read.',
        querystring: NoQueryParameters,
        response: { 200: ref(Health), 503: ref(Health) }
      }
    },
    async (_request, reply) => {
      const health = databaseHealth(app.db)
      return reply
        .code(health.status === 'ok' ? 200 : 503)
        .header('cache-control', CACHE_CONTROL_NONE)
        .send({ status: health.status, database: health })
    }
  )
}
