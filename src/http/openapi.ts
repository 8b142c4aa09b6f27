// The OpenAPI 3.1 document's options: the service's description, tags and component naming.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SwaggerOptions } from '@fastify/swagger'
import { MINISTRY_PORTFOLIOS, ORGANISATION_CLASSIFICATIONS, PARTICIPATION_ROLES } from '../vocabularies.js'
import { packageRoot, packageVersion } from '../paths.js'
import { CACHE_CONTROL_NONE, CACHE_CONTROL_PRIVATE, CACHE_CONTROL_READ } from './caching.js'
import { BEARER_SCHEME } from './auth.js'
import { LIMITS } from '../modules/shared/fields.schemas.js'
import { MAX_ORIGIN_LENGTH, MAX_RATE_LIMIT, MAX_RATE_LIMIT_WINDOW_MS } from '../config.js'
import { EXPOSED_HEADERS, MAX_URL_LENGTH } from './security.js'
import { REQUEST_ID_PATTERN } from './request-id.js'

/** Node's default limit on the size of all request headers together (--max-http-header-size). */
const MAX_HEADER_SIZE = 16 * 1024
const MAX_RATE_LIMIT_WINDOW_SECONDS = Math.ceil(MAX_RATE_LIMIT_WINDOW_MS / 1000)

/** The extension that marks an operation the rate limit does not apply to (security.ts, NOT_RATE_LIMITED). */
const RATE_LIMITED = 'x-rate-limited'

interface Operation {
  [RATE_LIMITED]?: false
  security?: Record<string, string[]>[]
  parameters?: { name?: string; $ref?: string }[]
  responses: Record<string, { description?: string; headers?: Record<string, unknown> }>
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components: Record<string, Record<string, unknown>>
}

/**
 * Every GET answers with ETag and Cache-Control and honours If-None-Match (see caching.ts): the
 * caching plugin does that for all routes at once, so the document says it here, once. So are the
 * Link headers of the lists (see pagination.ts).
 */
const header = (name: string) => ({ $ref: `#/components/headers/${name}` })

function documentHeaders(document: OpenApiDocument): OpenApiDocument {
  document.components.headers = {
    ETag: {
      description: 'Strong validator of the response body: it changes when, and only when, the data behind the response changes.',
      schema: { type: 'string', maxLength: LIMITS.etag },
      example: '"3p4cF0d7Ww0mQ2p7m1mHf3t1m5kQ2cYV9e1rK7uP0a8="'
    },
    'Cache-Control': {
      description: 'How long a cache may reuse the response before revalidating it with If-None-Match; `no-store` for answers that must not be reused (/health, errors).',
      schema: { type: 'string', enum: [CACHE_CONTROL_READ, CACHE_CONTROL_NONE] },
      example: CACHE_CONTROL_READ
    },
    PrivateCacheControl: {
      description: 'Every answer of an operation that needs a token: no cache may store it, shared or private.',
      schema: { type: 'string', enum: [CACHE_CONTROL_PRIVATE] },
      example: CACHE_CONTROL_PRIVATE
    },
    Location: {
      description: 'The URL of the created record, where GET reads it.',
      schema: { type: 'string', format: 'uri-reference', maxLength: MAX_URL_LENGTH },
      example: '/v1/people/ana-djuric'
    },
    Link: {
      description: 'The next page of a list (RFC 8288), as in `meta.next`; absent on the last page.',
      schema: { type: 'string', maxLength: MAX_URL_LENGTH + LIMITS.cursor + 20 },
      example: '</v1/participations?country=BA&limit=20&cursor=eyJxIjoi…>; rel="next"'
    },
    Vary: {
      description: 'The request headers the answer depends on, which caches must key on: Accept (a list answers JSON or CSV by it), and Origin when CORS_ORIGINS lists origins.',
      schema: { type: 'string', enum: ['Accept', 'Origin, Accept'] },
      example: 'Accept'
    },
    'Content-Disposition': {
      description: 'Sent with a CSV answer: a download, named after the list.',
      schema: { type: 'string', pattern: '^attachment; filename="[A-Za-z0-9._-]+\\.csv"$', maxLength: 300 },
      example: 'attachment; filename="participations.csv"'
    },
    'Retry-After': {
      description: 'Seconds to wait before trying again.',
      schema: { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RATE_LIMIT_WINDOW_SECONDS },
      example: 5
    },
    // The IETF draft's RateLimit fields, as @fastify/rate-limit sends them (see security.ts).
    'RateLimit-Limit': {
      description: 'Requests this client may make per window (RATE_LIMIT_MAX). Sent whenever rate limiting is on, as it is in `npm start`.',
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_RATE_LIMIT },
      example: 300
    },
    'RateLimit-Remaining': {
      description: 'Requests this client has left in the current window.',
      schema: { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RATE_LIMIT },
      example: 299
    },
    'RateLimit-Reset': {
      description: 'Seconds until the current window ends and the count starts again.',
      schema: { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RATE_LIMIT_WINDOW_SECONDS },
      example: 60
    },
    'X-Request-Id': {
      description: "The request's id: the caller's own X-Request-Id when it is 1 to 128 of `A-Z a-z 0-9 . _ : -`, else a new UUID. Problem documents repeat it as `request_id`, and every log line of the request carries it.",
      schema: { type: 'string', pattern: REQUEST_ID_PATTERN, maxLength: 128 },
      example: '3f0c9a52-6d1e-4c4b-9a57-2b1e8f6d4c21'
    },
    'Access-Control-Allow-Origin': {
      description: "The request's Origin, when it is one of CORS_ORIGINS (none by default). Only reads may be made across origins: the preflight of a write fails.",
      schema: { type: 'string', maxLength: MAX_ORIGIN_LENGTH },
      example: 'https://directory.example.org'
    },
    'Access-Control-Expose-Headers': {
      description: 'When CORS_ORIGINS lists origins: the headers a page on those origins may read (the paging Link, ETag, rate limits, Retry-After, Location, X-Request-Id, a CSV file name).',
      schema: { type: 'string', enum: [EXPOSED_HEADERS.join(', ')] },
      example: EXPOSED_HEADERS.join(', ')
    }
  }
  document.components.parameters = {
    IfNoneMatch: {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The ETag of a copy the client holds: the answer is 304 Not Modified, with no body, while it is current.',
      schema: { type: 'string', maxLength: MAX_HEADER_SIZE },
      example: '"3p4cF0d7Ww0mQ2p7m1mHf3t1m5kQ2cYV9e1rK7uP0a8="'
    }
  }
  const problem = (description: string, headers?: Record<string, unknown>) => ({
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
  })
  // Answers any operation may give, whatever it does: documented on each, once, here.
  const everywhere: Record<string, unknown> = {
    '400': problem('Bad Request: a parameter (an unknown one included) or the body is invalid; the problem names it.'),
    '414': problem('URI Too Long: the request target is over 4096 characters.'),
    '429': problem(
      'Too Many Requests: this client has spent its requests for the window (see the RateLimit headers).',
      { 'Retry-After': header('Retry-After') }
    ),
    '500': problem('Internal Server Error: logged, without internals in the answer.'),
    '503': problem('Service Unavailable: the database is busy, full or read-only for a moment.', { 'Retry-After': header('Retry-After') })
  }
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item))) {
    const answers = Object.entries(everywhere).filter(([status]) => !(status in operation.responses) && (status !== '429' || operation[RATE_LIMITED] !== false))
    // A copy each: the headers added below differ from one operation to another.
    operation.responses = { ...operation.responses, ...Object.fromEntries(answers.map(([status, answer]) => [status, { ...(answer as object) }])) } as Operation['responses']
  }
  const reads = Object.values(document.paths)
    .map((item) => item.get)
    .filter((operation): operation is Operation => operation !== undefined)
  for (const operation of reads) {
    const parameters = operation.parameters ?? []
    operation.parameters = [...parameters, { $ref: '#/components/parameters/IfNoneMatch' }]
    // Every read documents its 200 (the OpenAPI test checks it).
    const ok = operation.responses['200'] as NonNullable<Operation['responses'][string]>
    ok.headers = { ETag: header('ETag'), 'Cache-Control': header('Cache-Control'), Vary: header('Vary') }
    if (parameters.some((parameter) => parameter.name === 'cursor')) ok.headers.Link = header('Link')
    if (parameters.some((parameter) => parameter.name === 'format')) ok.headers['Content-Disposition'] = header('Content-Disposition')
    operation.responses['304'] = {
      description: 'Not Modified: the copy named by If-None-Match is current.',
      headers: { ETag: header('ETag'), 'Cache-Control': header('Cache-Control'), Vary: header('Vary') }
    }
  }
  // An operation that needs a token (its security is declared by requiresScope; public ones get theirs
  // below) answers privately (caching.ts), a write with the ETag of what it wrote, for the next If-Match.
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item))) {
    if (operation.security === undefined) continue
    for (const [status, response] of Object.entries(operation.responses).filter(([code]) => /^(2|304)/.test(code))) {
      response.headers = { ...response.headers, 'Cache-Control': header('PrivateCacheControl') }
      if (status === '200' || status === '201') response.headers.ETag = header('ETag')
      if (status === '201') response.headers.Location = header('Location')
    }
  }
  // Every answer carries its request id and may carry the CORS header; every 2xx and 4xx, the rate-limit fields.
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item))) {
    // Reads are public: said explicitly, so that no operation is open by omission.
    operation.security ??= []
    for (const [status, response] of Object.entries(operation.responses)) {
      const rateLimited = /^[24]/.test(status) && operation[RATE_LIMITED] !== false ? { 'RateLimit-Limit': header('RateLimit-Limit'), 'RateLimit-Remaining': header('RateLimit-Remaining'), 'RateLimit-Reset': header('RateLimit-Reset') } : {}
      response.headers = {
        ...response.headers,
        ...rateLimited,
        'X-Request-Id': header('X-Request-Id'),
        'Access-Control-Allow-Origin': header('Access-Control-Allow-Origin'),
        'Access-Control-Expose-Headers': header('Access-Control-Expose-Headers')
      }
    }
  }
  return document
}

/** Every component schema's example, generated from the seeded service (openapi-examples.ts, `npm run openapi`). */
export const EXAMPLES_PATH = join(packageRoot, 'openapi', 'examples.json')

/** Gives each component schema its example, read when the document is built so that a regeneration shows at once. */
function documentExamples(document: OpenApiDocument): OpenApiDocument {
  const examples = JSON.parse(readFileSync(EXAMPLES_PATH, 'utf8')) as Record<string, unknown>
  const schemas = document.components.schemas as Record<string, object>
  for (const [name, schema] of Object.entries(schemas)) {
    // A copy: the registered schema object also validates and serialises.
    if (name in examples) schemas[name] = { ...schema, examples: [examples[name]] }
  }
  return document
}

const DESCRIPTION = `A directory of the people, organisations, countries and events of regional security cooperation,
and of who took part in which event in what role. Its first data come from SEESAC's news article of
3 June 2015 on the Sarajevo Regional Roundtable on Enhancing Participation of Western Balkan Countries
in UN Peacekeeping Operations.

**Every record cites its sources**: \`sources\` lists the documents a record comes from, with the
verbatim passage (\`quote\`) that backs it. Readings of ambiguous passages are written in \`note\`.

**Data model** (field names follow [Popolo](https://www.popoloproject.com/)): countries (ISO 3166-1,
with other and former names), organisations (classification, ministry portfolio, country, parent),
people (name as written, honorific or rank), positions (a title at an organisation as of a date),
events (partial-precision dates, "continuation of"), sessions within events, and participations
(event, optional session, a person, organisation, country delegation or sector, a role, the role as
worded, on behalf of which organisation and country).

Controlled vocabularies: roles ${PARTICIPATION_ROLES.join(', ')}; ministry portfolios
${MINISTRY_PORTFOLIOS.join(', ')}; organisation classifications ${ORGANISATION_CLASSIFICATIONS.join(', ')}.

**Lists** answer \`{ "data": [...], "meta": { "total", "limit", "next", "next_cursor" } }\`; the next
page is reached with its \`cursor\` (keyset pagination: a record added or removed meanwhile never
shifts a page). \`q\` is full-text search ranked by relevance;
\`facet\` adds counts, \`sort\` orders, \`include\` embeds related records, \`format=csv\` exports
every match. **Errors** are
RFC 9457 \`application/problem+json\` documents naming the parameter at fault; unknown query
parameters are rejected, never ignored.`

/** The service's name, as the document and the docs page give it. */
export const SERVICE_TITLE = 'Stakeholder Directory API'

export const openApiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: SERVICE_TITLE,
      version: packageVersion,
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' }
    },
    // x-internal: false says the API is public (the OWASP ruleset's inventory check).
    servers: [{ url: '/', description: 'The server that serves this document, local or production alike.', 'x-internal': false } as { url: string }],
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token made by an operator with `stakeholder-directory tokens create --scope write|admin --name NAME`. Reads need none; writes need the `write` scope; the audit trail needs `admin`.'
        }
      }
    },
    tags: [
      { name: 'participations', description: 'Who took part in which event, in what role.' },
      { name: 'people', description: 'People, with their positions.' },
      { name: 'organisations', description: 'Ministries, armed forces, UN bodies, intergovernmental organisations and initiatives.' },
      { name: 'events', description: 'Events and their sessions.' },
      { name: 'countries', description: 'ISO 3166-1 countries with their other names.' },
      { name: 'sources', description: 'The documents and datasets every record cites.' },
      { name: 'export', description: 'The whole directory in a standard format.' },
      { name: 'changes', description: 'The audit trail of every write (admin tokens only).' },
      { name: 'health', description: 'Service state: liveness (/health), readiness (/ready) and Prometheus metrics (/metrics).' }
    ]
  },
  // The routes whose config turns the rate limit off say so in their operation.
  transform: ({ schema, url, route }) => ({ url, schema: route.config?.rateLimit === false ? { ...schema, [RATE_LIMITED]: false } : schema }) as never,
  // We generate OpenAPI 3.1 only, so the object is always openapiObject.
  transformObject: (document) => documentExamples(documentHeaders((document as { openapiObject: unknown }).openapiObject as OpenApiDocument)) as never,
  // Name components after the schemas' $id (Participation, Problem, ...), which every registered
  // schema has (ref() insists), rather than def-0, def-1.
  refResolver: {
    buildLocalReference: (json) => json.$id as string
  }
}

interface DocumentedParameter {
  in?: string
  example?: unknown
  description?: string
}

/**
 * The document as the docs page gets it. Swagger UI fills "try it" inputs with each parameter's
 * example, so every filter of a list would be sent at once (and If-None-Match, If-Match with made-up
 * ETags): query and header examples move into the descriptions, where a reader still sees them.
 * Path examples stay, so "try it" on /v1/people/{id} starts from a real id. `document` is a copy.
 */
export function docsPageDocument(document: Record<string, any>): Record<string, any> {
  const parameters: DocumentedParameter[] = [
    ...Object.values<DocumentedParameter>(document.components.parameters),
    ...Object.values<Record<string, { parameters?: DocumentedParameter[] }>>(document.paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.parameters ?? []))
  ]
  for (const parameter of parameters) {
    if (parameter.example === undefined || parameter.in === 'path') continue
    parameter.description = `${parameter.description} Example: \`${String(parameter.example)}\`.`
    delete parameter.example
  }
  return document
}
