// GET /health (liveness: the service and database state) and GET /ready (readiness: the database
// is open and fully migrated), for people, load balancers and orchestrators alike.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { Type } from 'typebox'
import { ref } from '../shared/common.schemas.js'
import { NoQueryParameters } from '../shared/query.schemas.js'
import { databaseHealth, databaseReadiness } from '../../db/health.js'
import { CACHE_CONTROL_NONE } from '../../http/caching.js'
import { CountInteger } from '../shared/fields.schemas.js'
import { NotReadyError } from '../../http/errors.js'
import { NOT_RATE_LIMITED } from '../../http/security.js'
import { migrationsFolder } from '../../paths.js'

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

export const Readiness = Type.Object(
  {
    status: Type.Literal('ready'),
    migrations: Type.Object({
      applied: CountInteger({ description: 'Migrations recorded in the database.' }),
      expected: CountInteger({ description: 'Migrations this version of the service ships.' })
    })
  },
  { $id: 'Readiness', description: 'The service can take traffic: its database is open and every migration is applied.' }
)

export const HEALTH_SCHEMAS = [Health, Readiness]

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The migrations this code was built with, read once: the deployed files do not change under it.
  const migrations = readMigrationFiles({ migrationsFolder })

  app.get(
    '/health',
    {
      config: NOT_RATE_LIMITED,
      schema: {
        tags: ['health'],
        operationId: 'getHealth',
        summary: 'Service health (liveness)',
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

  app.get(
    '/ready',
    {
      config: NOT_RATE_LIMITED,
      schema: {
        tags: ['health'],
        operationId: 'getReadiness',
        summary: 'Service readiness',
        description:
          '200 when the service can take traffic: its database is open and every migration it ships is applied. Otherwise a 503 problem (code NOT_READY) with Retry-After: route no traffic here yet. Never cached.',
        querystring: NoQueryParameters,
        response: { 200: ref(Readiness) }
      }
    },
    async (_request, reply) => {
      reply.header('cache-control', CACHE_CONTROL_NONE)
      const readiness = databaseReadiness(app.db, migrations)
      if (!readiness.ready) throw new NotReadyError(readiness.reason)
      return { status: 'ready' as const, migrations: { applied: readiness.applied, expected: readiness.expected } }
    }
  )
}
