// buildApp(options) -> FastifyInstance: the whole HTTP service over an open database. Never listens.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import accepts from '@fastify/accepts'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DirectoryDatabase } from './db/connection.js'
import { registerCaching } from './http/caching.js'
import { addDocumentHeaders, BODY_LIMIT, DOCS_CONTENT_SECURITY_POLICY, MAX_URL_LENGTH, registerSecurity } from './http/security.js'
import { clientErrorHandler, frameworkErrorHandler, registerErrorHandling } from './http/errors.js'
import { docsPageDocument, openApiOptions, SERVICE_TITLE } from './http/openapi.js'
import { registerMetrics } from './http/metrics.js'
import { registerResponseCache } from './http/response-cache.js'
import { registerRequestId, requestIdOf } from './http/request-id.js'
import { DEFAULT_RESPONSE_CACHE_MB, type TrustProxy } from './config.js'
import { buildSerializers, buildValidators, AJV_OPTIONS } from './http/compilers.js'
import { COMMON_SCHEMAS } from './modules/shared/common.schemas.js'
import { healthRoutes, HEALTH_SCHEMAS } from './modules/health/health.routes.js'
import { metricsRoutes } from './modules/metrics/metrics.routes.js'
import { countriesRoutes, COUNTRY_SCHEMAS } from './modules/countries/countries.routes.js'
import { organisationsRoutes, ORGANISATION_SCHEMAS } from './modules/organisations/organisations.routes.js'
import { peopleRoutes, PERSON_SCHEMAS } from './modules/people/people.routes.js'
import { eventsRoutes, EVENT_SCHEMAS } from './modules/events/events.routes.js'
import { participationsRoutes, PARTICIPATION_SCHEMAS } from './modules/participations/participations.routes.js'
import { sourcesRoutes, SOURCE_SCHEMAS } from './modules/sources/sources.routes.js'
import { changesRoutes, CHANGE_SCHEMAS } from './modules/changes/changes.routes.js'
import { sessionsRoutes, SESSION_SCHEMAS } from './modules/events/sessions.routes.js'
import { positionsRoutes, POSITION_SCHEMAS } from './modules/people/positions.routes.js'
import { exportRoutes, EXPORT_SCHEMAS } from './modules/export/popolo.routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: DirectoryDatabase
  }
}

export interface AppOptions {
  db: DirectoryDatabase
  logger?: FastifyServerOptions['logger']
  /** Origins allowed to read the API from a browser (CORS); none by default. Writes are never cross-origin. */
  corsOrigins?: string[]
  /** Requests per client per window before 429 answers (the server passes RATE_LIMIT_MAX and _WINDOW_MS); none when absent. */
  rateLimit?: { max: number; timeWindowMs: number }
  /** The proxies whose X-Forwarded-* headers name the client, its scheme and host (the server passes TRUST_PROXY); none by default. */
  trustProxy?: TrustProxy
  /** Bytes of serialised public answers kept until the next write (the server passes RESPONSE_CACHE_MB); 0 keeps none. */
  responseCacheBytes?: number
}

const MB = 1024 * 1024

/** Every named schema, in the order the OpenAPI document lists them. */
const SCHEMAS = [
  ...COMMON_SCHEMAS,
  ...COUNTRY_SCHEMAS,
  ...ORGANISATION_SCHEMAS,
  ...PERSON_SCHEMAS,
  ...POSITION_SCHEMAS,
  ...EVENT_SCHEMAS,
  ...SESSION_SCHEMAS,
  ...PARTICIPATION_SCHEMAS,
  ...SOURCE_SCHEMAS,
  ...CHANGE_SCHEMAS,
  ...EXPORT_SCHEMAS,
  ...HEALTH_SCHEMAS
]

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Log lines carry the id as reqId; the caller's X-Request-Id is used only when sane (request-id.ts).
    genReqId: requestIdOf,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // A longer id reaches its route, whose schema refuses it (400, naming the parameter): a path
    // parameter over MAX_URL_LENGTH is in a request target over it, a 414 (frameworkErrorHandler).
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    bodyLimit: BODY_LIMIT,
    // request.ip (the rate limit's key), request.protocol and request.host (the Popolo export's links).
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: buildValidators, buildSerializer: buildSerializers } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('db', options.db)
  registerRequestId(app)
  registerMetrics(app)
  registerErrorHandling(app)
  for (const schema of SCHEMAS) app.addSchema(schema)

  await registerSecurity(app, { corsOrigins: options.corsOrigins ?? [], rateLimit: options.rateLimit })
  await app.register(accepts)
  await registerCaching(app)
  await app.register(swagger, openApiOptions)
  // The docs page (Swagger UI) gets a policy of its own in place of the API's default-src 'none':
  // see DOCS_CONTENT_SECURITY_POLICY. Its "try it" requests go to this same origin (servers: '/').
  // Being an HTML document, it also gets the headers that act only on documents.
  await app.register(async (docs) => {
    addDocumentHeaders(docs)
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: DOCS_CONTENT_SECURITY_POLICY,
      theme: { title: `${SERVICE_TITLE}: documentation` },
      // validatorUrl null: no badge fetched from validator.swagger.io, so the page contacts no one else.
      uiConfig: { deepLinking: true, validatorUrl: null },
      transformSpecification: (document) => docsPageDocument(document)
    })
  })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(healthRoutes)
  await app.register(metricsRoutes)
  await app.register(
    async (v1) => {
      registerResponseCache(v1, options.responseCacheBytes ?? DEFAULT_RESPONSE_CACHE_MB * MB)
      await v1.register(countriesRoutes)
      await v1.register(organisationsRoutes)
      await v1.register(peopleRoutes)
      await v1.register(positionsRoutes)
      await v1.register(eventsRoutes)
      await v1.register(sessionsRoutes)
      await v1.register(participationsRoutes)
      await v1.register(sourcesRoutes)
      await v1.register(changesRoutes)
      await v1.register(exportRoutes)
    },
    { prefix: '/v1' }
  )
  return app
}
