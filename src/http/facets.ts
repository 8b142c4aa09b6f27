// The `facet` parameter: which counts to add to a list's meta, from the resource's allow-list.
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

/** The requested facet names, each checked against the allow-list (an unknown one is a 400). */
export function parseFacets(raw: string, allowed: readonly string[]): string[] {
  const names = [...new Set(raw.split(','))]
  for (const name of names) {
    if (!allowed.includes(name)) throw new InvalidFilterError('facet', `unknown facet "${name}" (expected ${allowed.join(', ')})`)
  }
  return names
}
