// The committed client types (openapi/schema.d.ts) are what openapi-typescript makes of the committed
// document today: `npm run client` regenerates them. And a client typed by them calls the API as the
// README documents it: a parameter with a default (`limit`) may be left out.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript'
import { openApiDocument } from '../../src/http/openapi-document.js'
import { packageRoot } from '../../src/paths.js'

const committedDocument = pathToFileURL(join(packageRoot, 'openapi', 'openapi.json'))
const committedTypes = join(packageRoot, 'openapi', 'schema.d.ts')

t.test('openapi/schema.d.ts equals the types generated from openapi/openapi.json', async (t) => {
  // The CLI that `npm run client` runs writes COMMENT_HEADER, then the printed syntax tree.
  const generated = COMMENT_HEADER + astToString(await openapiTS(committedDocument))
  t.equal(readFileSync(committedTypes, 'utf8'), generated)
})

interface DocumentParameter {
  name: string
  in: string
}
type Document = { paths: Record<string, Record<string, { parameters?: DocumentParameter[] }>> }

/** Type errors of a file in a program of the given files, as TypeScript prints them. */
function typeErrors(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: []
  })
  const errors = new Map<string, string[]>(files.map((file) => [file, []]))
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? ''
    errors.get(file)?.push(`TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`)
  }
  return errors
}

t.test('an openapi-fetch client calls every list without `limit`, which defaults to 20', async (t) => {
  const document = JSON.parse(await openApiDocument()) as Document
  const lists = Object.entries(document.paths).filter(([, item]) => item.get?.parameters?.some((parameter) => parameter.name === 'limit'))
  t.equal(lists.length, 8, 'the list operations')
  const folder = t.testdir()
  // The types of the document the app serves now, and the committed ones (equal, by the test above).
  writeFileSync(join(folder, 'served.d.ts'), COMMENT_HEADER + astToString(await openapiTS(JSON.stringify(document))))
  writeFileSync(join(folder, 'committed.d.ts'), readFileSync(committedTypes, 'utf8'))
  const call = (path: string, query: string) => {
    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => `${name}: 'x'`)
    const params = [`query: ${query}`, ...(pathParameters.length ? [`path: { ${pathParameters.join(', ')} }`] : [])]
    return `void client.GET('${path}', { params: { ${params.join(', ')} } })`
  }
  const calls = (types: string, query: string) =>
    [
      "import createClient from 'openapi-fetch'",
      `import type { paths } from './${types}.js'`,
      "const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' })",
      ...lists.map(([path]) => call(path, query)),
      ''
    ].join('\n')
  const files = {
    served: join(folder, 'served-calls.ts'),
    committed: join(folder, 'committed-calls.ts'),
    // A control: the same calls with a limit of the wrong type must fail, or nothing was checked.
    wrongLimit: join(folder, 'wrong-limit-calls.ts')
  }
  writeFileSync(files.served, calls('served', '{}'))
  writeFileSync(files.committed, calls('committed', '{}'))
  writeFileSync(files.wrongLimit, calls('served', "{ limit: '20' }"))
  const errors = typeErrors(Object.values(files))
  t.same(errors.get(files.served), [], 'the types of the served document')
  t.same(errors.get(files.committed), [], 'the committed types (openapi/schema.d.ts)')
  t.equal(errors.get(files.wrongLimit)?.length, lists.length, 'a limit of the wrong type is a type error in every call')
})
