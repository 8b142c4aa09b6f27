// Turns Ajv's errors into a JSON pointer at the value at fault and a sentence a person can act on.
// Shared by the seed validator and the HTTP error handler so both speak the same way.
import type { ErrorObject } from 'ajv'
import { NOT_BLANK } from '../modules/shared/fields.schemas.js'

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
      if (params.pattern === NOT_BLANK) return { pointer: error.instancePath, detail: 'must not be blank' }
      const description = (error.parentSchema as { description?: string } | undefined)?.description
      return { pointer: error.instancePath, detail: description ? `must be ${lowerFirst(description)}` : `${error.message}` }
    }
    default:
      return { pointer: error.instancePath, detail: error.message ?? error.keyword }
  }
}

/** A description as the rest of a sentence: its first letter lowered, unless it starts an acronym ("ISO 8601 date"). */
const lowerFirst = (text: string) => (/^[A-Z][A-Z0-9]/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1)).replace(/\.$/, '')

const within = (path: string, root: string) => path === root || path.startsWith(`${root}/`)

/** "string or null", "string, integer or null". */
const oneOfWords = (words: string[]) => (words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`)

/** The `type` errors of every branch of a union, said once: "must be string or null". */
function mergedTypeError(branches: ErrorObject[]): ErrorObject {
  const types = [...new Set(branches.flatMap((branch) => String((branch.params as { type: unknown }).type).split(',')))]
  return { ...(branches[0] as ErrorObject), params: { type: types.join(',') }, message: `must be ${oneOfWords(types)}` }
}

/**
 * Ajv reports a failed union (anyOf, oneOf: TypeBox's Union, and Nullable) as the errors of each
 * branch, which come just before it and lie at or under the union's value, then once for the union.
 * A branch that failed only on the value's type (a nullable list's `must be null`) misleads when
 * another branch took the type and failed deeper: only the deeper errors are kept. When every branch
 * failed on the type, one error names the types that would do. Repeated errors are dropped.
 */
export function describeAjvErrors(errors: ErrorObject[]): FieldProblem[] {
  let kept: ErrorObject[] = []
  for (const error of errors) {
    if (error.keyword === 'if') continue
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      kept.push(error)
      continue
    }
    let start = kept.length
    while (start > 0 && within((kept[start - 1] as ErrorObject).instancePath, error.instancePath)) start--
    const branches = kept.slice(start)
    // A oneOf that more than one branch matched has no branch errors: its own message says so.
    if (branches.length === 0) {
      kept.push(error)
      continue
    }
    const deeper = branches.filter((branch) => branch.keyword !== 'type' || branch.instancePath !== error.instancePath)
    kept = [...kept.slice(0, start), ...(deeper.length > 0 ? deeper : [mergedTypeError(branches)])]
  }
  const seen = new Set<string>()
  const problems: FieldProblem[] = []
  for (const error of kept) {
    const problem = describeAjvError(error)
    const key = `${problem.pointer}\u0000${problem.detail}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return problems
}
