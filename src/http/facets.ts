// The `facet` and `include` parameters: comma-separated names from a resource's allow-list.
import { Type } from 'typebox'
import { InvalidFilterError } from '../modules/shared/filters.js'

export function FacetParameter(names: readonly string[]) {
  return Type.String({
    pattern: '^[a-z_]+(,[a-z_]+)*$',
    maxLength: 200,
    description: `Comma-separated facets to count in \`meta.facets\` (${names.join(', ')}): for each, the values of the matching records with their labels and exact counts, most frequent first.`,
    examples: [names.slice(0, 2).join(',')]
  })
}

export function IncludeParameter(names: readonly string[], what: string) {
  return Type.String({
    pattern: '^[a-z_]+(,[a-z_]+)*$',
    maxLength: 200,
    description: `Comma-separated related records to embed in each record's \`included\` (${names.join(', ')}): ${what}. Embedded records are loaded for the whole page at once and do not embed further.`,
    examples: [names.join(',')]
  })
}

/** The requested names, each checked against the allow-list (an unknown one is a 400). */
export function parseNames(parameter: 'facet' | 'include', raw: string, allowed: readonly string[]): string[] {
  const names = [...new Set(raw.split(','))]
  for (const name of names) {
    if (!allowed.includes(name)) throw new InvalidFilterError(parameter, `unknown ${parameter} "${name}" (expected ${allowed.join(', ')})`)
  }
  return names
}
