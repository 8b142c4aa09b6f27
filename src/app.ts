// buildApp(options) -> FastifyInstance: the whole HTTP service over an open database. Never listens.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import accepts from '@fastify/accepts'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DirectoryDatabase } from './db/connection.js'
import { registerCaching } from './http/caching.js'
import { frameworkErrorHandler, registerErrorHandling } from './http/errors.js'
import { openApiOptions } from './http/openapi.js'
import { COMMON_SCHEMAS } from './modules/shared/common.schemas.js'
import { healthRoutes, HEALTH_SCHEMAS } from './modules/health/health.routes.js'
import { countriesRoutes, COUNTRY_SCHEMAS } from './modules/countries/countries.routes.js'
import { organisationsRoutes, ORGANISATION_SCHEMAS } from './modules/organisations/organisations.routes.js'
import { peopleRoutes, PERSON_SCHEMAS } from './modules/people/people.routes.js'
import { eventsRoutes, EVENT_SCHEMAS } from './modules/events/events.routes.js'
import { participationsRoutes, PARTICIPATION_SCHEMAS } from './modules/participations/participations.routes.js'
import { sourcesRoutes, SOURCE_SCHEMAS } from './modules/sources/sources.routes.js'
import { exportRoutes, EXPORT_SCHEMAS } from './modules/export/popolo.routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: DirectoryDatabase
  }
}

export interface AppOptions {
  db: DirectoryDatabase
  logger?: FastifyServerOptions['logger']
}

/** Every named schema, in the order the OpenAPI document lists them. */
const SCHEMAS = [
  ...COMMON_SCHEMAS,
  ...COUNTRY_SCHEMAS,
  ...ORGANISATION_SCHEMAS,
  ...PERSON_SCHEMAS,
  ...EVENT_SCHEMAS,
  ...PARTICIPATION_SCHEMAS,
  ...SOURCE_SCHEMAS,
  ...EXPORT_SCHEMAS,
  ...HEALTH_SCHEMAS
]

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    frameworkErrors: frameworkErrorHandler,
    // Ids may be up to 200 characters (the schemas' maxLength); longer path segments get a 414 problem.
    routerOptions: { maxParamLength: 200 },
    ajv: {
      // Unknown properties and parameters are errors, never silently dropped.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true }
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('db', options.db)
  registerErrorHandling(app)
  for (const schema of SCHEMAS) app.addSchema(schema)

  await app.register(accepts)
  await registerCaching(app)
  await app.register(swagger, openApiOptions)
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, tryItOutEnabled: true } })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(healthRoutes)
  await app.register(
    async (v1) => {
      await v1.register(countriesRoutes)
      await v1.register(organisationsRoutes)
      await v1.register(peopleRoutes)
      await v1.register(eventsRoutes)
      await v1.register(participationsRoutes)
      await v1.register(sourcesRoutes)
      await v1.register(exportRoutes)
    },
    { prefix: '/v1' }
  )
  return app
}
