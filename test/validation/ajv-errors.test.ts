// How Ajv's errors become a pointer and a sentence, for shapes the seed and HTTP schemas rarely produce.
import t, { type Test } from 'tap'
import { Ajv, type ErrorObject } from 'ajv'
import { Type } from 'typebox'
import { AJV_OPTIONS } from '../../src/http/compilers.js'
import { Nullable } from '../../src/modules/shared/common.schemas.js'
import { describeAjvError, describeAjvErrors } from '../../src/validation/ajv-errors.js'

const error = (overrides: Partial<ErrorObject>): ErrorObject => ({
  keyword: 'type',
  instancePath: '/a',
  schemaPath: '#/properties/a/type',
  params: {},
  message: 'must be string',
  ...overrides
})

t.test('a pattern is explained by its schema description when there is one', async (t) => {
  t.same(describeAjvError(error({ keyword: 'pattern', parentSchema: { description: 'A stable id: lower-case letters.' } })), {
    pointer: '/a',
    detail: 'must be a stable id: lower-case letters'
  })
  t.same(describeAjvError(error({ keyword: 'pattern', parentSchema: { description: 'ISO 3166-1 alpha-2 code.' } })).detail, 'must be ISO 3166-1 alpha-2 code', 'an acronym keeps its case')
  t.same(describeAjvError(error({ keyword: 'pattern', message: 'must match pattern "^x$"' })), { pointer: '/a', detail: 'must match pattern "^x$"' })
})

t.test('other keywords keep Ajv message, or name the keyword when there is none', async (t) => {
  t.same(describeAjvError(error({})), { pointer: '/a', detail: 'must be string' })
  t.same(describeAjvError(error({ keyword: 'custom', message: undefined })), { pointer: '/a', detail: 'custom' })
})

t.test('property names are escaped into the pointer (RFC 6901)', async (t) => {
  t.same(describeAjvError(error({ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'a/b~c' } })), {
    pointer: '/a~1b~0c',
    detail: 'unknown property'
  })
})

t.test('repeated errors and if summaries are dropped, the rest kept in order', async (t) => {
  const errors = [
    error({ keyword: 'type', message: 'must be string' }),
    error({ keyword: 'if', message: 'must match "then" schema' }),
    error({ keyword: 'type', message: 'must be string' }),
    error({ keyword: 'required', instancePath: '', params: { missingProperty: 'b' } })
  ]
  t.same(describeAjvErrors(errors), [
    { pointer: '/a', detail: 'must be string' },
    { pointer: '/b', detail: 'is required' }
  ])
})

// Real errors, from Ajv as the app configures it, over unions as TypeBox makes them.
const Named = Type.Object({ name: Type.String() }, { $id: 'Named', additionalProperties: false })
const Body = Type.Object(
  {
    note: Nullable(Type.String({ minLength: 1 })),
    other_names: Nullable(Type.Array(Type.Ref('Named'))),
    code: Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.String({ pattern: '^[A-Z]{3}$' })]),
    count: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()]))
  },
  { additionalProperties: false }
)
const ajv = new Ajv({ ...AJV_OPTIONS, coerceTypes: false })
ajv.addSchema(Named)
const validateBody = ajv.compile(Body)
const problemsOf = (t: Test, body: unknown) => {
  t.notOk(validateBody(body), 'the body is refused')
  return describeAjvErrors(validateBody.errors ?? [])
}

t.test('a union names the branch that took the value, not the others (no "must be null" for a list)', async (t) => {
  t.same(problemsOf(t, { note: 'x', other_names: [{ name: 'A', bogus: 1 }, { name: 3 }], code: 'BA' }), [
    { pointer: '/other_names/0/bogus', detail: 'unknown property' },
    { pointer: '/other_names/1/name', detail: 'must be string' }
  ])
  t.same(problemsOf(t, { note: '', other_names: null, code: 'BA' }), [{ pointer: '/note', detail: 'must NOT have fewer than 1 characters' }], 'a string too short, not "must be null"')
})

t.test('a union that no branch took the type of says which types would do, once', async (t) => {
  t.same(problemsOf(t, { note: 5, other_names: 'x', code: 5, count: true }), [
    { pointer: '/note', detail: 'must be string or null' },
    { pointer: '/other_names', detail: 'must be array or null' },
    { pointer: '/code', detail: 'must be string' },
    { pointer: '/count', detail: 'must be integer, string or null' }
  ])
  t.same(problemsOf(t, { note: null, other_names: null, code: 'B' }), [
    { pointer: '/code', detail: 'must match pattern "^[A-Z]{2}$"' },
    { pointer: '/code', detail: 'must match pattern "^[A-Z]{3}$"' }
  ], 'branches that took the type and failed otherwise are all kept')
})

t.test('a oneOf that more than one branch matches keeps its own message', async (t) => {
  const validate = ajv.compile({ oneOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] })
  t.notOk(validate('x'))
  t.same(describeAjvErrors(validate.errors ?? []), [{ pointer: '', detail: 'must match exactly one schema in oneOf' }])
})
