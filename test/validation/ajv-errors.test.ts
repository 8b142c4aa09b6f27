// How Ajv's errors become a pointer and a sentence, for shapes the seed and HTTP schemas rarely produce.
import t from 'tap'
import type { ErrorObject } from 'ajv'
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

t.test('union summaries and repeated errors are dropped, the rest kept in order', async (t) => {
  const errors = [
    error({ keyword: 'type', message: 'must be string' }),
    error({ keyword: 'type', message: 'must be null' }),
    error({ keyword: 'anyOf', message: 'must match a schema in anyOf' }),
    error({ keyword: 'type', message: 'must be string' }),
    error({ keyword: 'oneOf', message: 'must match exactly one schema in oneOf' }),
    error({ keyword: 'if', message: 'must match "then" schema' }),
    error({ keyword: 'required', instancePath: '', params: { missingProperty: 'b' } })
  ]
  t.same(describeAjvErrors(errors), [
    { pointer: '/a', detail: 'must be string' },
    { pointer: '/a', detail: 'must be null' },
    { pointer: '/b', detail: 'is required' }
  ])
})
