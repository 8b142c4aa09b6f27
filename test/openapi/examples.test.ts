// The component schemas' examples: one for every schema, each valid against it, and the committed
// openapi/examples.json equal to what the seeded service gives today (npm run openapi regenerates it).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { EXAMPLES_PATH } from '../../src/http/openapi.js'
import { schemaExamplesText } from '../../src/http/openapi-examples.js'
import { packageRoot } from '../../src/paths.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
const document = JSON.parse(readFileSync(`${packageRoot}/openapi/openapi.json`, 'utf8'))
const schemas = document.components.schemas as Record<string, { examples?: unknown[] }>

t.test('every component schema has one example, and each is valid against its schema', async (t) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  ajv.addSchema({ $id: 'openapi', components: document.components })
  for (const [name, schema] of Object.entries(schemas)) {
    t.equal(schema.examples?.length, 1, `${name}: one example`)
    const validate = ajv.getSchema(`openapi#/components/schemas/${name}`) as NonNullable<ReturnType<typeof ajv.getSchema>>
    t.ok(validate(schema.examples?.[0]), `${name}: example valid ${JSON.stringify(validate.errors)}`)
  }
  const committed = JSON.parse(readFileSync(EXAMPLES_PATH, 'utf8'))
  t.same(Object.keys(committed).sort(), Object.keys(schemas).sort(), 'examples.json has an example for each component, and no other')
})

t.test('the committed openapi/examples.json equals what the seeded service gives (npm run openapi regenerates it)', async (t) => {
  t.equal(readFileSync(EXAMPLES_PATH, 'utf8'), await schemaExamplesText())
})
