// `stakeholder-directory schema`: the JSON Schema of seed files, published as seeds/seed-file.schema.json.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { SeedFile } from '../seed/seed-file.schemas.js'
import type { CommandIo } from './command-io.js'

export const SCHEMA_USAGE = `Usage: stakeholder-directory schema [options]

Prints the JSON Schema (draft 2020-12) that seed files follow.

Options:
  --output FILE   Write it to FILE instead of standard output
  -h, --help      Show this help

Exit codes: 0 printed or written, 1 failure (FILE cannot be written), 2 usage error.`

export function seedFileJsonSchema(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...SeedFile }, null, 2)}\n`
}

export function runSchema(args: string[], io: CommandIo): number {
  const { values } = parseArgs({ args, options: { output: { type: 'string' } } })
  const schema = seedFileJsonSchema()
  if (values.output === undefined) io.stdout.write(schema)
  else {
    writeFileSync(resolve(io.cwd, values.output), schema)
    io.stdout.write(`Wrote ${values.output}\n`)
  }
  return 0
}
