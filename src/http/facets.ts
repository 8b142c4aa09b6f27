// The `facet` and `include` parameters: comma-separated names from a resource's allow-list.
import { Type } from 'typebox'
import { InvalidFilterError } from '../modules/shared/filters.js'

/**
 * How many values of each facet an answer shows by default (Datasette shows 30), and at most. A
 * facet has as many values as the matching records have: at 1M participations a country's
 * participations are at some 5,000 events, an answer of 750 KB that a filter menu does not show.
 */
export const DEFAULT_FACET_SIZE = 30
export const MAX_FACET_SIZE = 1000

/** The query parameters of a list with facets: which to count, and how many values of each to show. */
export function FacetParameters(names: readonly string[]) {
  return {
    facet: Type.Optional(
      Type.String({
        pattern: '^[a-z_]+(,[a-z_]+)*$',
        maxLength: 200,
        description: `Comma-separated facets to count in \`meta.facets\` (${names.join(', ')}): for each, the most frequent values of the matching records with their labels and exact counts, most frequent first.`,
        examples: [names.slice(0, 2).join(',')]
      })
    ),
    facet_size: Type.Optional(
      Type.Integer({
        format: 'int32',
        minimum: 1,
        maximum: MAX_FACET_SIZE,
        default: DEFAULT_FACET_SIZE,
        description: `How many values of each facet \`meta.facets\` shows, the most frequent first; \`meta.facet_value_totals\` tells how many there are in all. Used only with \`facet\` (ignored without it, so that clients and the docs page that send every default are answered).`,
        examples: [10]
      })
    )
  }
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
