// The committed client types (openapi/schema.d.ts) are what openapi-typescript makes of the committed
// document today: `npm run client` regenerates them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript'
import { packageRoot } from '../../src/paths.js'

t.test('openapi/schema.d.ts equals the types generated from openapi/openapi.json', async (t) => {
  // The CLI that `npm run client` runs writes COMMENT_HEADER, then the printed syntax tree.
  const generated = COMMENT_HEADER + astToString(await openapiTS(pathToFileURL(join(packageRoot, 'openapi', 'openapi.json'))))
  t.equal(readFileSync(join(packageRoot, 'openapi', 'schema.d.ts'), 'utf8'), generated)
})
