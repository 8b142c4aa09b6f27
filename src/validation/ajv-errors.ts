// Turns Ajv's errors into a JSON pointer at the value at fault and a sentence a person can act on.
// Shared by the seed validator and the HTTP error handler so both speak the same way.
import type { ErrorObject } from 'ajv'

/** The pointer names the value at fault, so the detail does not repeat its name. */
export interface FieldProblem {
  /** JSON pointer (RFC 6901) to the value at fault, within the document or the query string. */
  pointer: string
  detail: string
}

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1')

export function describeAjvError(error: ErrorObject): FieldProblem {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        pointer: `${error.instancePath}/${escapeToken(String(params.additionalProperty))}`,
        detail: 'unknown property'
      }
    case 'required':
      return {
        pointer: `${error.instancePath}/${escapeToken(String(params.missingProperty))}`,
        detail: 'is required'
      }
    case 'enum':
      return {
        pointer: error.instancePath,
        detail: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`
      }
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description
      return { pointer: error.instancePath, detail: description ? `must be ${lowerFirst(description)}` : `${error.message}` }
    }
    default:
      return { pointer: error.instancePath, detail: error.message ?? error.keyword }
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '')

/** Ajv reports a failed union once per branch and then once for the union: keep the most useful. */
export function describeAjvErrors(errors: ErrorObject[]): FieldProblem[] {
  const seen = new Set<string>()
  const problems: FieldProblem[] = []
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue
    const problem = describeAjvError(error)
    const key = `${problem.pointer}\u0000${problem.detail}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return problems
}
