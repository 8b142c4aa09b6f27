// The OpenAPI 3.1 document's options: the service's description, tags and component naming.
import type { SwaggerOptions } from '@fastify/swagger'
import { MINISTRY_PORTFOLIOS, ORGANISATION_CLASSIFICATIONS, PARTICIPATION_ROLES } from '../vocabularies.js'
import { packageVersion } from '../paths.js'
import { CACHE_CONTROL_READ } from './caching.js'
import { BEARER_SCHEME } from './auth.js'

interface Operation {
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
function documentHeaders(document: OpenApiDocument): OpenApiDocument {
  document.components.headers = {
    ETag: {
      description: 'Strong validator of the response body: it changes when, and only when, the data behind the response changes.',
      schema: { type: 'string' },
      example: '"3p4cF0d7Ww0mQ2p7m1mHf3t1m5kQ2cYV9e1rK7uP0a8="'
    },
    CacheControl: {
      description: 'How long a cache may reuse the response before revalidating it with If-None-Match.',
      schema: { type: 'string' },
      example: CACHE_CONTROL_READ
    },
    Link: {
      description: 'The next page of a list (RFC 8288), as in `meta.next`; absent on the last page.',
      schema: { type: 'string' },
      example: '</v1/participations?country=BA&limit=20&cursor=eyJxIjoi…>; rel="next"'
    }
  }
  document.components.parameters = {
    IfNoneMatch: {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The ETag of a copy the client holds: the answer is 304 Not Modified, with no body, while it is current.',
      schema: { type: 'string' },
      example: '"3p4cF0d7Ww0mQ2p7m1mHf3t1m5kQ2cYV9e1rK7uP0a8="'
    }
  }
  document.components.headers.RetryAfter = {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0 },
    example: 5
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
      { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }
    ),
    '500': problem('Internal Server Error: logged, without internals in the answer.'),
    '503': problem('Service Unavailable: the database is busy, full or read-only for a moment.', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } })
  }
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item))) {
    operation.responses = { ...operation.responses, ...Object.fromEntries(Object.entries(everywhere).filter(([status]) => !(status in operation.responses))) } as Operation['responses']
  }
  const reads = Object.values(document.paths)
    .map((item) => item.get)
    .filter((operation): operation is Operation => operation !== undefined)
  for (const operation of reads) {
    const parameters = operation.parameters ?? []
    operation.parameters = [...parameters, { $ref: '#/components/parameters/IfNoneMatch' }]
    // Every read documents its 200 (the OpenAPI test checks it).
    const ok = operation.responses['200'] as NonNullable<Operation['responses'][string]>
    ok.headers = { ETag: { $ref: '#/components/headers/ETag' }, 'Cache-Control': { $ref: '#/components/headers/CacheControl' } }
    if (parameters.some((parameter) => parameter.name === 'cursor')) ok.headers.Link = { $ref: '#/components/headers/Link' }
    operation.responses['304'] = { description: 'Not Modified: the copy named by If-None-Match is current.', headers: { ETag: { $ref: '#/components/headers/ETag' } } }
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

export const openApiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Stakeholder Directory API',
      version: packageVersion,
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' }
    },
    servers: [{ url: '/', description: 'This server' }],
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
  // We generate OpenAPI 3.1 only, so the object is always openapiObject.
  transformObject: (document) => documentHeaders((document as { openapiObject: unknown }).openapiObject as OpenApiDocument) as never,
  // Name components after the schemas' $id (Participation, Problem, ...), which every registered
  // schema has (ref() insists), rather than def-0, def-1.
  refResolver: {
    buildLocalReference: (json) => json.$id as string
  }
}
