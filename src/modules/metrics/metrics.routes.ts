// GET /metrics: the Prometheus scrape endpoint, for tokens with the admin scope.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requiresScope } from '../../http/auth.js'
import { problemResponses } from '../../http/errors.js'
import { NoQueryParameters } from '../shared/query.schemas.js'

export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Admin only: the metrics reveal traffic patterns and the database's size, which the public directory does not.
  const auth = requiresScope('admin')
  app.get(
    '/metrics',
    {
      onRequest: auth.check,
      schema: {
        tags: ['health'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'Metrics in the Prometheus text exposition format: `http_requests_total` and the `http_request_duration_seconds` histogram by method, route pattern and status; the database size (`directory_database_size_bytes`, `directory_database_wal_size_bytes`); process CPU, memory and event-loop lag (`process_*`, `nodejs_*`). Needs an `admin` token (Prometheus: `authorization: { credentials: ... }`). Never cached.',
        security: auth.security,
        querystring: NoQueryParameters,
        response: {
          200: {
            description: 'Every metric, in the Prometheus text format (version 0.0.4).',
            content: { 'text/plain': { schema: Type.String({ description: 'Prometheus text exposition format.' }) } }
          },
          ...problemResponses(401, 403)
        }
      }
    },
    async (_request, reply) => reply.type(app.metrics.contentType).send(await app.metrics.render())
  )
}
