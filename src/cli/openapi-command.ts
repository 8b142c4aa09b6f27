// `stakeholder-directory openapi`: the OpenAPI document the server serves, for committing and clients.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openApiDocument } from '../http/openapi-document.js'
import { schemaExamplesText } from '../http/openapi-examples.js'
import type { CommandIo } from './command-io.js'

export const OPENAPI_USAGE = `Usage: stakeholder-directory openapi [options]

Prints the OpenAPI 3.1 document of the API (the one served at /openapi.json).

Options:
  --output FILE     Write it to FILE instead of standard output
  --examples FILE   First regenerate the component schemas' examples from a seeded in-memory
                    service into FILE (the document carries those of openapi/examples.json:
                    \`npm run openapi\` passes that file)
  -h, --help        Show this help

Exit codes: 0 printed or written, 1 failure (FILE cannot be written), 2 usage error.`

export async function runOpenapi(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { output: { type: 'string' }, examples: { type: 'string' } } })
  if (values.examples !== undefined) {
    writeFileSync(resolve(io.cwd, values.examples), await schemaExamplesText())
    io.stderr.write(`Wrote ${values.examples}\n`)
  }
  const document = await openApiDocument()
  if (values.output === undefined) io.stdout.write(document)
  else {
    writeFileSync(resolve(io.cwd, values.output), document)
    io.stdout.write(`Wrote ${values.output}\n`)
  }
  return 0
}
