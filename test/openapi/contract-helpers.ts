// Checks HTTP responses against the committed OpenAPI 3.1 document: the status must be documented for
// the operation, the content type among its media types, the body valid against that media type's
// schema and each documented header against its own; schemas are evaluated by @hyperjump/json-schema
// in the OpenAPI 3.1 dialect, reading the document itself by its file URL (so $refs resolve in it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { setShouldValidateFormat, validate } from '@hyperjump/json-schema/openapi-3-1'
import { BASIC } from '@hyperjump/json-schema/experimental'
import '@hyperjump/json-schema/formats'
import { packageRoot } from '../../src/paths.js'

export const committedDocumentPath = join(packageRoot, 'openapi', 'openapi.json')

interface SchemaLike {
  type?: string | string[]
  enum?: unknown[]
  minimum?: number
}
interface Parameter {
  name: string
  in: string
  required?: boolean
  example?: unknown
  schema?: SchemaLike
}
interface Header {
  $ref?: string
  required?: boolean
  schema?: SchemaLike
}
interface ResponseObject {
  content?: Record<string, { schema?: unknown }>
  headers?: Record<string, Header>
}
export interface DocumentOperation {
  path: string
  method: string
  operationId: string
  parameters: Parameter[]
  responses: Record<string, ResponseObject>
  security?: Record<string, string[]>[]
}
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, Omit<DocumentOperation, 'path' | 'method' | 'parameters'> & { parameters?: (Parameter | { $ref: string })[] }>>
}

export const committedDocument = (): OpenApiDocument => JSON.parse(readFileSync(committedDocumentPath, 'utf8'))

/** The value a local reference ("#/components/...") points at. */
function resolve<T>(document: unknown, ref: string): T {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<any>((node, part) => node[part], document) as T
}

/** Every operation of the document, with its parameters' $refs resolved. */
export function operationsOf(document: OpenApiDocument): DocumentOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      ...operation,
      path,
      method,
      parameters: (operation.parameters ?? []).map((p) => ('$ref' in p ? resolve<Parameter>(document, p.$ref) : p))
    }))
  )
}

/** A JSON pointer fragment, each segment escaped (RFC 6901) and then URI-encoded. */
const pointer = (...segments: string[]) => `#/${segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`

/** Header values are text: a number-typed header is read as a number before its schema checks it. */
function headerValue(value: string, schema: SchemaLike | undefined): unknown {
  const types = [schema?.type ?? []].flat()
  return (types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value
}

export async function contractChecker(document: OpenApiDocument) {
  setShouldValidateFormat(true)
  const base = pathToFileURL(committedDocumentPath).href
  const validators = new Map<string, Awaited<ReturnType<typeof validate>>>()
  const validatorFor = async (at: string) => {
    // Compiling costs tens of milliseconds: a schema that is only a $ref is compiled once, as its target.
    let fragment = at
    for (let node = resolve<{ $ref?: string }>(document, decodeURIComponent(fragment)); Object.keys(node).length === 1 && node.$ref?.startsWith('#/'); node = resolve(document, node.$ref)) fragment = node.$ref
    let validator = validators.get(fragment)
    if (validator === undefined) validators.set(fragment, (validator = await validate(`${base}${fragment}`)))
    return validator
  }
  const failures = async (fragment: string, instance: unknown) => {
    const output = (await validatorFor(fragment))(instance as never, BASIC)
    return output.valid ? [] : (output.errors ?? []).slice(0, 5).map((e) => `${e.instanceLocation} fails ${e.absoluteKeywordLocation.replace(base, '')}`)
  }

  /** What is wrong with a response, as readable sentences; none when it conforms. */
  async function problems(operation: DocumentOperation, response: LightMyRequestResponse): Promise<string[]> {
    const status = String(response.statusCode)
    const key = [status, `${status[0]}XX`, 'default'].find((k) => operation.responses[k] !== undefined)
    if (key === undefined) return [`status ${status} is not documented`]
    const at = (...rest: string[]) => pointer('paths', operation.path, operation.method, 'responses', key, ...rest)
    const documented = operation.responses[key] as ResponseObject
    const found: string[] = []

    for (const [name, declared] of Object.entries(documented.headers ?? {})) {
      const header = declared.$ref === undefined ? declared : resolve<Header>(document, declared.$ref)
      const value = response.headers[name.toLowerCase()]
      if (value === undefined) {
        if (header.required) found.push(`required header ${name} is missing`)
        continue
      }
      if (header.schema === undefined) continue
      const schemaAt = declared.$ref === undefined ? at('headers', name, 'schema') : `${declared.$ref}/schema`
      const errors = await failures(schemaAt, headerValue(String(value), header.schema))
      if (errors.length > 0) found.push(`header ${name} does not match its schema: ${errors.join('; ')}`)
    }

    const media = String(response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    const content = documented.content ?? {}
    if (Object.keys(content).length === 0) {
      if (response.body.length > 0) found.push(`has a body, which status ${status} does not document`)
      return found
    }
    const declared = content[media]
    if (declared === undefined) return [...found, `content type ${media || '(none)'} is not documented for ${status} (${Object.keys(content).join(', ')})`]
    if (declared.schema === undefined) return found
    let body: unknown = response.body
    if (/[/+]json$/.test(media)) {
      try {
        body = JSON.parse(response.body)
      } catch {
        return [...found, 'body is not JSON']
      }
    }
    const errors = await failures(at('content', media, 'schema'), body)
    if (errors.length > 0) found.push(`body does not match the ${media} schema: ${errors.join('; ')}`)
    return found
  }

  return {
    /** The document against the official OpenAPI 3.1 schema (with the 3.1 schema dialect). */
    documentIsValid: async () => (await validate('https://spec.openapis.org/oas/3.1/schema-base'))(document as never, BASIC),
    problems,
    /** One assertion per response: it conforms, or the problems are the failure's message. */
    response: async (t: Test, operation: DocumentOperation, response: LightMyRequestResponse, label: string) => {
      const found = await problems(operation, response)
      t.same(found, [], `${label}: ${response.statusCode} conforms to the document`)
    }
  }
}
