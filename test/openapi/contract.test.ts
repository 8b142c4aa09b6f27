// The contract: a request for every operation of the committed openapi/openapi.json (found by walking
// the document, not listed here), successes and errors alike, and every response (status, headers
// and body) checked against that document by @hyperjump/json-schema's OpenAPI 3.1 dialect.
import t from 'tap'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { newRecords, seededAppWithDatabase } from '../helpers.js'
import { committedDocument, contractChecker, operationsOf, type DocumentOperation } from './contract-helpers.js'

/** A valid new record for each editable collection. */
const NEW_RECORDS = newRecords('Contract')
const UNKNOWN_ID = 'no-such-record-anywhere'

/** The collection a path belongs to: /v1/people/{id} -> people. */
const collectionOf = (path: string) => path.split('/')[2] ?? ''
/** A path with its parameters filled: each by `values`, else by its documented example. */
function fill(operation: DocumentOperation, values: Record<string, string> = {}): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name)
    return encodeURIComponent(values[name] ?? String(parameter?.example ?? ''))
  })
}

/** The token a read operation's security requirement asks for (the audit trail needs admin). */
function readHeaders(operation: DocumentOperation, tokens: Record<string, string>): Record<string, string> {
  const scope = operation.security?.flatMap((requirement) => Object.values(requirement).flat())[0]
  return scope === undefined ? {} : { authorization: tokens[scope] as string }
}

t.test('every operation of the committed document, replayed: each response conforms to it', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const tokens = Object.fromEntries(
    (['read', 'write', 'admin'] as const).map((scope) => [scope, `Bearer ${createToken(db, `contract-${scope}`, scope).token}`])
  )
  const document = committedDocument()
  const check = await contractChecker(document)
  t.ok((await check.documentIsValid()).valid, 'the document itself is valid OpenAPI 3.1 (its official schema)')
  const operations = operationsOf(document)
  t.ok(operations.length >= 37, `the document has operations to replay (${operations.length})`)

  /** (operation, status) pairs answered and checked, to show every operation was reached. */
  const seen = new Map<DocumentOperation, Set<number>>(operations.map((operation) => [operation, new Set()]))
  const send = async (operation: DocumentOperation, request: InjectOptions, expected: number | null, label: string): Promise<LightMyRequestResponse> => {
    const response = await app.inject({ method: operation.method.toUpperCase() as 'GET', ...request })
    const where = `${label}: ${operation.method.toUpperCase()} ${request.url}`
    if (expected === null) t.ok(response.statusCode < 500, `${where} answers ${response.statusCode}, not a 5xx`)
    else t.equal(response.statusCode, expected, `${where} answers ${expected}`)
    await check.response(t, operation, response, where)
    seen.get(operation)?.add(response.statusCode)
    return response
  }

  for (const operation of operations.filter((o) => o.method === 'get')) {
    const headers = readHeaders(operation, tokens)
    const url = fill(operation)
    const ok = await send(operation, { url, headers }, 200, 'a read')
    // 304, unless the answer changed in between (a counter, a clock), when a 200 must say so with a new ETag.
    const again = await send(operation, { url, headers: { ...headers, 'if-none-match': ok.headers.etag as string } }, null, 'a read of a copy still current')
    if (again.statusCode === 200) t.not(again.headers.etag, ok.headers.etag, `GET ${url}: a 200 to If-None-Match carries a new ETag`)
    else t.equal(again.statusCode, 304, `GET ${url}: answers 304 Not Modified`)
    if (operation.path.includes('{')) await send(operation, { url: fill(operation, { id: UNKNOWN_ID, code: 'XX' }), headers }, 404, 'an unknown id')
    await send(operation, { url: `${url}?bogus=1`, headers }, 400, 'an unknown parameter')
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
      if (parameter.example !== undefined) await send(operation, { url: `${url}?${parameter.name}=${encodeURIComponent(String(parameter.example))}`, headers }, null, `its example ${parameter.name}`)
      const bad = parameter.schema?.enum ? 'not-in-the-list' : parameter.schema?.minimum !== undefined ? String(parameter.schema.minimum - 1) : undefined
      if (bad !== undefined) await send(operation, { url: `${url}?${parameter.name}=${bad}`, headers }, 400, `a bad ${parameter.name}`)
    }
  }

  const writes = operations.filter((o) => o.method !== 'get')
  for (const operation of writes) {
    await send(operation, { url: fill(operation), payload: {} }, 401, 'a write without a token')
    await send(operation, { url: fill(operation), payload: {}, headers: { authorization: tokens.read as string } }, 403, 'a write with a read token')
  }
  const writer = { authorization: tokens.write as string }
  // Per collection: create, then patch and delete the new record, with and without If-Match.
  for (const collection of new Set(writes.map((o) => collectionOf(o.path)))) {
    const record = NEW_RECORDS[collection]
    if (record === undefined) {
      t.fail(`the contract test has no new record for /v1/${collection}: add one to NEW_RECORDS`)
      continue
    }
    const of = (method: string) => writes.find((o) => o.method === method && collectionOf(o.path) === collection)
    const [post, patch, remove] = [of('post'), of('patch'), of('delete')]
    const id = { id: record.id as string }
    let etag: string | undefined
    if (post) {
      etag = (await send(post, { url: fill(post), payload: record, headers: writer }, 201, 'a create')).headers.etag as string
      await send(post, { url: fill(post), payload: record, headers: writer }, 409, 'a create of an existing id')
      await send(post, { url: fill(post), payload: { ...record, id: 'Not An Id' }, headers: writer }, 400, 'a create with a bad id')
    }
    if (patch) {
      const patchRequest = (headers: Record<string, string>, values = id) => ({
        url: fill(patch, values),
        payload: JSON.stringify({ note: 'Edited by the contract test.' }),
        headers: { ...writer, 'content-type': 'application/merge-patch+json', ...headers }
      })
      await send(patch, patchRequest({}), 428, 'a patch without If-Match')
      await send(patch, patchRequest({ 'if-match': '"stale"' }), 412, 'a patch of a changed record')
      await send(patch, patchRequest({ 'if-match': '"any"' }, { id: UNKNOWN_ID }), 404, 'a patch of an unknown id')
      etag = (await send(patch, patchRequest({ 'if-match': etag ?? '' }), 200, 'a patch')).headers.etag as string
    }
    if (remove) {
      await send(remove, { url: fill(remove, id), headers: writer }, 428, 'a delete without If-Match')
      await send(remove, { url: fill(remove, { id: UNKNOWN_ID }), headers: { ...writer, 'if-match': '"any"' } }, 404, 'a delete of an unknown id')
      await send(remove, { url: fill(remove, id), headers: { ...writer, 'if-match': etag ?? '' } }, 204, 'a delete')
    }
  }

  for (const [operation, statuses] of seen) {
    const success = { get: 200, post: 201, patch: 200, delete: 204 }[operation.method]
    t.ok(success !== undefined && statuses.has(success), `${operation.method.toUpperCase()} ${operation.path}: its success (${success}) was replayed and checked; answered ${[...statuses].join(', ')}`)
  }
})

t.test('the checker rejects what the document does not allow', async (t) => {
  const document = committedDocument()
  const check = await contractChecker(document)
  const list = operationsOf(document).find((o) => o.operationId === 'listParticipations') as DocumentOperation
  const person = operationsOf(document).find((o) => o.method === 'get' && o.path === '/v1/people/{id}') as DocumentOperation
  const response = (statusCode: number, headers: Record<string, string>, body: string) => ({ statusCode, headers, body }) as unknown as LightMyRequestResponse
  const json = { 'content-type': 'application/json; charset=utf-8' }
  const problems = async (operation: DocumentOperation, answer: LightMyRequestResponse) => check.problems(operation, answer)

  t.same(await problems(list, response(200, json, JSON.stringify({ data: [], meta: { total: 0, limit: 20, next: null, next_cursor: null } }))), [], 'an empty page conforms')
  t.match(await problems(list, response(200, json, JSON.stringify({ data: [] }))), [/body does not match/], 'a page without meta')
  t.match(await problems(list, response(418, json, '{}')), [/status 418 is not documented/], 'an undocumented status')
  t.match(await problems(list, response(200, { 'content-type': 'text/html' }, '<p>')), [/content type text\/html is not documented/], 'an undocumented content type')
  t.match(await problems(list, response(200, json, 'not json')), [/body is not JSON/], 'a body that does not parse')
  t.match(await problems(person, response(304, { etag: '"x"' }, 'unexpected')), [/has a body/], 'a body where none is documented')
  const tooSoon = operationsOf(document).find((o) => o.responses['429']?.headers?.['Retry-After']) as DocumentOperation
  const problem = JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down.', instance: '/v1/people', code: 'RATE_LIMITED', request_id: 'contract-test' })
  t.match(await problems(tooSoon, response(429, { 'content-type': 'application/problem+json', 'retry-after': 'soon' }, problem)), [/header Retry-After does not match/], 'a header that breaks its schema')
  t.same(await problems(tooSoon, response(429, { 'content-type': 'application/problem+json', 'retry-after': '5' }, problem)), [], 'a well-formed problem with its header')
})

t.test('a parameter with a default is optional in the document: a client need not send it', async (t) => {
  const operations = operationsOf(committedDocument())
  const defaulted = operations.flatMap((operation) =>
    operation.parameters
      .filter((parameter) => (parameter.schema as { default?: unknown } | undefined)?.default !== undefined)
      .map((parameter) => ({ where: `${operation.method.toUpperCase()} ${operation.path} ${parameter.name}`, parameter }))
  )
  t.ok(defaulted.filter(({ parameter }) => parameter.name === 'limit').length >= 8, 'limit, on every list')
  t.ok(defaulted.some(({ parameter }) => parameter.name === 'facet_size'), 'facet_size, on the lists with facets')
  for (const { where, parameter } of defaulted) t.not(parameter.required, true, `${where}: not required`)
})
