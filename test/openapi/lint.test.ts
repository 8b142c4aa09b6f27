// The committed document passes two linters: Spectral with the OWASP API Security Top 10 (2023)
// ruleset (openapi/.spectral.yaml) and Redocly's recommended rules (openapi/redocly.yaml). Each is
// also run on a document with a known fault, to show that it really checks something.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { packageRoot } from '../../src/paths.js'

const run = promisify(execFile)
const bin = (name: string) => join(packageRoot, 'node_modules', '.bin', name)
const openapiDir = join(packageRoot, 'openapi')

// The linters are not our code: keep them out of the coverage report, and offline.
const { NODE_V8_COVERAGE: _coverage, ...parentEnv } = process.env
const env = { ...parentEnv, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }

interface SpectralResult {
  code: string
  severity: number
  path: string[]
  message: string
}

async function spectral(documentPath: string): Promise<SpectralResult[]> {
  // Exit status 1 means "errors found": the JSON report says which, so read it either way.
  const result = await run(bin('spectral'), ['lint', '--ruleset', join(openapiDir, '.spectral.yaml'), '--format', 'json', '--quiet', documentPath], {
    env,
    maxBuffer: 64 * 1024 * 1024
  }).catch((error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }))
  return JSON.parse(result.stdout) as SpectralResult[]
}

async function redocly(documentPath: string): Promise<{ status: number; output: string }> {
  return run(bin('redocly'), ['lint', '--config', join(openapiDir, 'redocly.yaml'), '--format', 'stylish', documentPath], { env })
    .then(({ stdout, stderr }) => ({ status: 0, output: stdout + stderr }))
    .catch((error: { stdout: string; stderr: string; code: number }) => ({ status: error.code, output: error.stdout + error.stderr }))
}

const errorsOf = (results: SpectralResult[]) => results.filter((result) => result.severity === 0)

/** The committed document with one fault: a string with no length limit, an operation with no security. */
function faultyDocument(dir: string): string {
  const document = JSON.parse(readFileSync(join(openapiDir, 'openapi.json'), 'utf8'))
  delete document.components.schemas.Person.properties.name.maxLength
  delete document.paths['/v1/people'].get.security
  // The ruleset's overrides name openapi.json: keep the name, in another folder.
  const path = join(dir, 'openapi.json')
  writeFileSync(path, JSON.stringify(document))
  return path
}

t.test('Spectral (OWASP ruleset) reports no error on openapi/openapi.json', async (t) => {
  const [committed, faulty] = await Promise.all([spectral(join(openapiDir, 'openapi.json')), spectral(faultyDocument(t.testdir()))])
  t.same(
    errorsOf(committed).map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`),
    [],
    'no errors (warnings are allowed)'
  )
  t.ok(
    errorsOf(faulty).some((result) => result.code === 'owasp:api4:2023-string-limit' && result.path.join('.') === 'components.schemas.Person.properties.name'),
    'a string without maxLength is an error'
  )
})

t.test("Redocly's recommended rules pass on openapi/openapi.json", async (t) => {
  const [committed, faulty] = await Promise.all([redocly(join(openapiDir, 'openapi.json')), redocly(faultyDocument(t.testdir()))])
  t.equal(committed.status, 0, committed.status === 0 ? 'valid' : committed.output)
  t.not(faulty.status, 0, 'an operation with no security declared fails')
  t.match(faulty.output, /security-defined/)
})
