// The OpenAPI document: committed copy equals the served one, and every operation is documented.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import t from 'tap'
import { openApiDocument } from '../../src/http/openapi-document.js'
import { packageRoot } from '../../src/paths.js'
import { getJson, seededApp } from '../helpers.js'

const committedPath = join(packageRoot, 'openapi', 'openapi.json')
const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']

t.test('the committed openapi/openapi.json equals the document the app serves (npm run openapi regenerates it)', async (t) => {
  const committed = readFileSync(committedPath, 'utf8')
  t.equal(committed, await openApiDocument())
  const app = await seededApp(t)
  const served = await getJson(app, '/openapi.json')
  t.equal(served.status, 200)
  t.same(served.body, JSON.parse(committed))
})

t.test('every operation has a summary, a description, documented parameters and responses', async (t) => {
  const document = JSON.parse(readFileSync(committedPath, 'utf8'))
  t.equal(document.openapi, '3.1.0')
  t.ok(document.info.description.includes('Popolo'))
  const components = Object.keys(document.components.schemas)
  for (const name of ['Problem', 'Participation', 'Person', 'Organisation', 'Event', 'Country', 'Citation', 'ListMeta']) {
    t.ok(components.includes(name), `component ${name}`)
  }
  t.notOk(components.some((name) => name.startsWith('def-')), 'every component has a readable name')
  const operationIds = new Set<string>()
  const unlimited: string[] = []
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const where = `${method.toUpperCase()} ${path}`
      // The probes are not rate limited (security.ts, NOT_RATE_LIMITED): no 429, no RateLimit headers.
      const rateLimitHeaders = operation['x-rate-limited'] === false ? [] : RATE_LIMIT_HEADERS
      if (operation['x-rate-limited'] === false) unlimited.push(operation.operationId)
      t.equal(operation.responses['429'] !== undefined, rateLimitHeaders.length > 0, `${where}: 429 documented if rate limited`)
      t.ok(operation.operationId && !operationIds.has(operation.operationId), `${where}: unique operationId`)
      operationIds.add(operation.operationId)
      t.ok(operation.summary, `${where}: summary`)
      t.ok(operation.description, `${where}: description`)
      t.ok(operation.tags?.length, `${where}: tags`)
      for (const declared of operation.parameters ?? []) {
        const parameter = declared.$ref ? document.components.parameters[declared.$ref.split('/').at(-1)] : declared
        t.ok(parameter.description, `${where} ${parameter.name}: description`)
        t.ok(parameter.example !== undefined || parameter.schema?.default !== undefined || parameter.schema?.enum, `${where} ${parameter.name}: example`)
      }
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        const headers = Object.keys(response.headers ?? {})
        t.ok(headers.includes('Access-Control-Allow-Origin') && headers.includes('Access-Control-Expose-Headers'), `${where} ${status}: CORS headers documented`)
        t.ok(headers.includes('X-Request-Id'), `${where} ${status}: request id documented`)
        if (/^[24]/.test(status)) t.same(RATE_LIMIT_HEADERS.filter((name) => headers.includes(name)), rateLimitHeaders, `${where} ${status}: rate-limit headers documented`)
      }
      const success = { get: '200', post: '201', patch: '200', delete: '204' }[method] as string
      t.ok(operation.responses[success], `${where}: ${success} documented`)
      if (method === 'get') {
        const listed = (operation.parameters ?? []).some((parameter: { name?: string }) => parameter.name === 'cursor')
        const paging = listed ? ['Link'] : []
        const download = (operation.parameters ?? []).some((parameter: { name?: string }) => parameter.name === 'format') ? ['Content-Disposition'] : []
        t.same(
          Object.keys(operation.responses['200'].headers ?? {}),
          ['ETag', 'Cache-Control', 'Vary', ...paging, ...download, ...rateLimitHeaders, 'X-Request-Id', 'Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'],
          `${where}: caching (and paging, and download) headers documented`
        )
        t.ok(operation.responses['304'], `${where}: 304 documented`)
      } else {
        t.ok(operation.security?.length, `${where}: declares its security`)
      }
      if (path.startsWith('/v1/')) {
        const problem = operation.responses['400']?.content?.['application/problem+json']?.schema?.$ref
        t.equal(problem, '#/components/schemas/Problem', `${where}: 400 is a problem+json`)
      }
      if (path.includes('{')) t.ok(operation.responses['404'], `${where}: 404 documented`)
    }
  }
  t.ok(operationIds.has('listParticipations') && operationIds.has('listEventParticipations'))
  t.same(unlimited, ['getHealth', 'getReadiness'], 'only the probes are not rate limited')
})

t.test('the interactive documentation is served at /docs', async (t) => {
  const app = await seededApp(t)
  const page = await app.inject({ url: '/docs/' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /swagger-ui/i)
})

t.test('every schema the app validates with is a valid JSON Schema (Ajv does not check them at start-up: see AJV_OPTIONS)', async (t) => {
  const app = await seededApp(t)
  // Fastify's Ajv is draft-07: the meta-schema start-up checked each schema against before.
  const ajv = new Ajv({ strict: false })
  t.notOk(ajv.validateSchema({ type: 'strnig' }), 'a schema with a misspelt type is refused')
  const shared = Object.entries(app.getSchemas() as Record<string, object>)
  t.ok(shared.length > 50, 'the named schemas')
  for (const [id, schema] of shared) t.ok(ajv.validateSchema(schema), `${id}: ${ajv.errorsText()}`)
  // The operations' own schemas, as the document shows them (parameters, bodies and answers).
  const document = JSON.parse(readFileSync(committedPath, 'utf8'))
  let operations = 0
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      operations++
      const schemas = [
        ...(operation.parameters ?? []).filter((parameter: any) => parameter.schema).map((parameter: any) => parameter.schema),
        ...Object.values<any>(operation.requestBody?.content ?? {}).map((media) => media.schema),
        ...Object.values<any>(operation.responses).flatMap((response) => Object.values<any>(response.content ?? {}).map((media) => media.schema))
      ].filter(Boolean)
      for (const schema of schemas) t.ok(ajv.validateSchema(schema), `${method.toUpperCase()} ${path}: ${ajv.errorsText()}`)
    }
  }
  t.ok(operations > 20, 'every operation')
  // Parameters the operations share by reference.
  for (const [name, parameter] of Object.entries<any>(document.components.parameters ?? {})) {
    t.ok(ajv.validateSchema(parameter.schema), `parameter ${name}: ${ajv.errorsText()}`)
  }
})
