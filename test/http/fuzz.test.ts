// Property-based fuzzing of every operation the OpenAPI document declares: thousands of generated
// requests (valid and invalid parameters, bodies, headers and tokens), each of which must answer a
// status the document declares for that operation, never a 5xx, with a body matching the declared
// schema. The document is the oracle, so the service and its contract cannot drift apart unseen.
import t from 'tap'
import fc from 'fast-check'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { newRecords, seededAppWithDatabase } from '../helpers.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

interface Operation {
  method: string
  path: string
  parameters: { name: string; in: string; schema?: { examples?: unknown[]; enum?: unknown[] }; example?: unknown }[]
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
  body?: string
}

const REAL_IDS = ['mersida-mesetovic', 'ba-ministry-of-defence', 'sarajevo-roundtable-2015', 'sarajevo-2015-mersida-mesetovic-moderator', 'BA', 'seesac-2015-06-03-sarajevo-roundtable', 'mersida-mesetovic-ba-armed-forces-2015', 'sarajevo-2015-regional-cooperation-panel', 'undp', 'peter-due']
const NASTY = ['', ' ', '%', '_', '"', "'", '*', '\\', '../..', 'NEAR(a b)', '-1', '0', '101', '1.5', 'null', 'true', '[]', '{}', 'x'.repeat(250), 'Đurić', 'Мешетовић', '\u0000', '😀', 'a,b', ',', 'BA', 'bih', 'defence', '2015-06-03', 'csv', 'json', 'country', '-role']
const BODIES = newRecords('Fuzz')

const json = fc.jsonValue({ maxDepth: 2 })

/** A path id standing for a record the fuzzer itself created (fuzz-<resource>-<idSuffix>): one nothing refers to, which a delete can remove. */
const CREATED = Symbol('created')

t.test('5,000 generated requests: every status declared, no 5xx, every body as declared', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const tokens = {
    write: `Bearer ${createToken(db, 'fuzz-writer', 'write').token}`,
    admin: `Bearer ${createToken(db, 'fuzz-admin', 'admin').token}`,
    read: `Bearer ${createToken(db, 'fuzz-reader', 'read').token}`
  }
  const document = (await app.inject('/openapi.json')).json()
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true })
  addFormats(ajv)
  ajv.addSchema({ $id: 'openapi', components: document.components })
  const validators = new Map<unknown, ReturnType<typeof ajv.compile>>()
  const validatorFor = (schema: unknown) => {
    let validate = validators.get(schema)
    if (!validate) {
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'))
      validators.set(schema, (validate = ajv.compile(rewritten)))
    }
    return validate
  }

  const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, Omit<Operation, 'method' | 'path'> & { requestBody?: unknown }>>).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method,
        path,
        parameters: (operation.parameters ?? []).filter((p) => 'name' in p),
        responses: operation.responses,
        body: operation.requestBody === undefined ? undefined : (path.split('/')[2] as string)
      }))
  )
  t.equal(operations.length, 39, 'every operation of the document is fuzzed')

  const requestFor = (operation: Operation) => {
    const parameterValues = operation.parameters
      .filter((p) => p.in === 'query')
      .map((p) => {
        const examples = [...(p.schema?.examples ?? []), ...(p.example === undefined ? [] : [p.example]), ...(p.schema?.enum ?? [])].map(String)
        return fc.option(fc.tuple(fc.constant(p.name), fc.oneof(fc.constantFrom(...examples, ...NASTY), fc.string({ maxLength: 12 }))), { freq: 2 })
      })
    return fc.record({
      pathId: fc.oneof(fc.constantFrom(...REAL_IDS), fc.constantFrom(...NASTY), fc.string({ minLength: 1, maxLength: 20 }), fc.constant<typeof CREATED>(CREATED)),
      query: fc.tuple(...parameterValues),
      unknownParameter: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('bogus', 'offset', 'id', '__proto__') }),
      token: fc.constantFrom<keyof typeof tokens | 'none' | 'junk'>('write', 'write', 'admin', 'read', 'none', 'junk'),
      ifMatch: fc.constantFrom('current', 'current', 'stale', 'none', 'list'),
      accept: fc.constantFrom(undefined, 'application/json', 'text/csv', '*/*', 'image/png'),
      body: fc.oneof(
        { weight: 3, arbitrary: fc.constant('valid') },
        { weight: 2, arbitrary: fc.record({ key: fc.constantFrom('name', 'id', 'sources', 'role', 'country', 'start_date', 'other_names', 'extra'), value: json }) },
        { weight: 1, arbitrary: json }
      ),
      idSuffix: fc.nat({ max: 50 })
    })
  }

  let sent = 0
  const statuses = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...operations).chain((operation) => fc.tuple(fc.constant(operation), requestFor(operation))), async ([operation, r]) => {
      const pathId = r.pathId === CREATED ? `fuzz-${operation.path.split('/')[2]}-${r.idSuffix}` : r.pathId
      const path = operation.path.replace(/\{[a-z]+\}/, encodeURIComponent(pathId))
      const search = new URLSearchParams()
      for (const entry of r.query) if (entry !== null) search.append(entry[0], entry[1])
      if (r.unknownParameter !== null) search.append(r.unknownParameter, '1')
      const headers: Record<string, string> = {}
      if (r.token === 'junk') headers.authorization = 'Bearer sdt_junk'
      else if (r.token !== 'none') headers.authorization = tokens[r.token]
      if (r.accept !== undefined) headers.accept = r.accept
      if (operation.method === 'patch' || operation.method === 'delete') {
        const current = (await app.inject(path)).headers.etag as string | undefined
        if (r.ifMatch === 'current' && current) headers['if-match'] = current
        if (r.ifMatch === 'list' && current) headers['if-match'] = `"x", ${current}`
        if (r.ifMatch === 'stale') headers['if-match'] = '"stale"'
      }
      let payload: unknown
      if (operation.body !== undefined) {
        const valid = { ...BODIES[operation.body], id: `fuzz-${operation.body}-${r.idSuffix}` }
        if (r.body === 'valid') payload = operation.method === 'patch' ? { note: `Fuzzed ${r.idSuffix}.` } : valid
        else if (typeof r.body === 'object' && r.body !== null && 'key' in r.body && 'value' in r.body && Object.keys(r.body).length === 2) {
          payload = { ...(operation.method === 'patch' ? {} : valid), [r.body.key as string]: r.body.value }
        } else payload = r.body
      }
      const response = await app.inject({
        method: operation.method.toUpperCase() as 'GET',
        url: `/${path.replace(/^\//, '')}${search.size > 0 ? `?${search}` : ''}`,
        headers,
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { ...headers, 'content-type': 'application/json' } })
      })
      sent++
      const status = String(response.statusCode)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      const where = `${operation.method.toUpperCase()} ${response.raw.req.url} -> ${status}: ${response.body.slice(0, 300)}`
      if (response.statusCode >= 500) throw new Error(`a 5xx: ${where}`)
      const declared = operation.responses[status]
      if (declared === undefined) throw new Error(`an undeclared status: ${where}`)
      const type = String(response.headers['content-type'] ?? '').split(';')[0] as string
      if (status === '204' || status === '304') return true
      const content = declared.content?.[type]
      if (content === undefined) throw new Error(`an undeclared content type ${type}: ${where}`)
      if (type === 'text/csv' || type === 'text/plain') return true
      const validate = validatorFor(content.schema)
      if (!validate(response.json())) throw new Error(`a body not matching its schema (${ajv.errorsText(validate.errors)}): ${where}`)
      return true
    }),
    { numRuns: 5000, seed: 20150603, endOnFailure: true }
  )
  t.equal(sent, 5000, '5,000 requests')
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
  for (const status of ['200', '201', '204', '400', '401', '403', '404', '409', '412', '428']) t.ok(statuses.has(status), `some requests were answered ${status}`)
})
