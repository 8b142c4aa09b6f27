// The validator and serializer compilers: Ajv and fast-json-stringify, as Fastify builds them, but
// each distinct schema compiled once per process.
//
// Fastify compiles one serializer per route, status and content type, HEAD twins included, and
// fast-json-stringify re-validates every shared schema (all of components.schemas) on each build.
// Most of those schemas are equal: every error status of every route is `Problem`, and a HEAD route
// repeats its GET. Ajv caches a compiled schema by its object, and every app builds its route
// schemas anew. Compiling each distinct schema once took buildApp from about 3.2 s to under 1 s,
// and a second app in the same process (every test builds several) to a fraction of that.
import AjvCompiler from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'

/**
 * Unknown properties and parameters are errors, never silently dropped. Ajv does not check each
 * schema against the JSON Schema meta-schema (validateSchema): test/openapi/openapi.test.ts checks
 * every schema the app registers and every one its OpenAPI document shows, once, where checking
 * them in every process took about 35 ms of the server's start-up. Ajv's strict mode still
 * refuses unknown keywords.
 */
export const AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true, validateSchema: false } as const

type RouteSchema = { schema?: unknown; httpPart?: string }
type Validate = ((data: unknown) => boolean) & { errors?: unknown }

/** Compiled functions by the shared schemas they were built with, then by what they compile. */
function processCache<T>() {
  const byExternals = new Map<string, Map<string, T>>()
  return (externalsKey: string) => {
    let compiled = byExternals.get(externalsKey)
    if (!compiled) byExternals.set(externalsKey, (compiled = new Map()))
    const cache = compiled
    return (key: string, compile: () => T): T => {
      let value = cache.get(key)
      if (value === undefined) cache.set(key, (value = compile()))
      return value
    }
  }
}

const coercingCompilers = AjvCompiler()
const strictCompilers = AjvCompiler()
// Bodies are verbose: an error keeps the schema it failed, whose description explains a pattern
// ("must be ISO 3166-1 alpha-2 code", as the seed command says, for a body is a seed record) rather
// than quoting the regular expression. The query parameters' descriptions are documentation, too
// long for an error: theirs keep quoting it.
const STRICT_AJV = { customOptions: { ...AJV_OPTIONS, coerceTypes: false, verbose: true } }
const validatorCache = processCache<unknown>()

/**
 * `compilersFactory.buildValidator`. Query strings, paths and headers are text, so their values are
 * coerced ("20" -> 20); a JSON body has types of its own, and a name sent as 42 is an error, not
 * the string "42".
 */
export function buildValidators(externalSchemas: unknown, ajvServerOption: unknown) {
  // The Ajv instances too are made on the first validation: each checks every shared schema it is given.
  let coercing: ReturnType<typeof coercingCompilers> | undefined
  let strict: ReturnType<typeof strictCompilers> | undefined
  const compilerFor = (body: boolean) =>
    body
      ? (strict ??= strictCompilers(externalSchemas as never, STRICT_AJV as never))
      : (coercing ??= coercingCompilers(externalSchemas as never, ajvServerOption as never))
  const cached = validatorCache(JSON.stringify([externalSchemas, ajvServerOption]))
  return (route: RouteSchema) => {
    const body = route.httpPart === 'body'
    // The same schema validates differently in a body (strict) and elsewhere (coercing).
    const compile = () => cached(JSON.stringify([body, route.schema]), () => compilerFor(body)(route as never)) as Validate
    // Compiled on its first request, like the serializers below: Fastify reads `errors` off the
    // function it was given, so the lazy one passes them on.
    let validate: Validate | undefined
    const lazy: Validate = (data) => {
      validate ??= compile()
      const valid = validate(data)
      lazy.errors = validate.errors
      return valid
    }
    return lazy as never
  }
}

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serialize = (data: unknown) => string
const serializerCache = processCache<Serialize>()

/**
 * `compilersFactory.buildSerializer`: the status, method and URL do not change what a serializer
 * writes. Each is built on its first response, not at start-up: a server answers its first request
 * sooner, and a route nobody calls costs nothing. (A schema fast-json-stringify refuses would then
 * fail that response, not the start; the contract test calls every operation, so it fails first.)
 */
export const buildSerializers: SerializerFactory = (externalSchemas, serializerOptions) => {
  const compile = SerializerSelector()(externalSchemas, serializerOptions)
  const cached = serializerCache(JSON.stringify([externalSchemas, serializerOptions]))
  return (route) => {
    const key = JSON.stringify(route.schema)
    let serialize: Serialize | undefined
    return (data: unknown) => (serialize ??= cached(key, () => compile(route) as Serialize))(data)
  }
}
