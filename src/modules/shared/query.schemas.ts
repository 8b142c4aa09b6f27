// Query parameters shared by the list operations, defined once with their descriptions and examples.
import { Type } from 'typebox'
import { MINISTRY_PORTFOLIOS } from '../../vocabularies.js'
import { FormatParameter } from '../../http/csv.js'

export const MAX_LIMIT = 100
export const DEFAULT_LIMIT = 20

export const PaginationParameters = {
  limit: Type.Integer({
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
    description: `Records per page, 1 to ${MAX_LIMIT}.`,
    examples: [20]
  }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Records to skip (use `meta.next`).', examples: [0] })
}

/** The parameters every list takes: pagination, and the answer's format. */
export const ListParameters = {
  ...PaginationParameters,
  format: Type.Optional(FormatParameter)
}

export const CountryParameter = Type.String({
  minLength: 2,
  maxLength: 3,
  description:
    'ISO 3166-1 alpha-2 or alpha-3 code, any case (`BA`, `ba`, `BIH`). Matches records of that country: a participant or organisation of the country, or its delegation. International organisations match no country.',
  examples: ['BA']
})

export const MinistryParameter = Type.String({
  minLength: 1,
  maxLength: 120,
  description: `A ministry portfolio (${MINISTRY_PORTFOLIOS.join(', ')}) or the id of a ministry. Matches those ministries, the organisations under them and the people affiliated with them.`,
  examples: ['defence']
})

export const SearchParameter = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Case- and accent-insensitive search in names (`mesetovic` finds Mesetović).',
  examples: ['mesetovic']
})

export const IdParameter = (description: string, example: string) =>
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description, examples: [example] }) }, { additionalProperties: false })

/** For operations that take no query parameters: any parameter is an error, not silently ignored. */
export const NoQueryParameters = Type.Object({}, { additionalProperties: false })

/** The `sort` parameter of a list, naming its allow-listed fields. */
export function SortParameter(fields: readonly string[], example: string) {
  return Type.String({
    pattern: '^-?[a-z_]+(,-?[a-z_]+)*$',
    maxLength: 200,
    description: `Comma-separated fields to sort by (${fields.join(', ')}); \`-\` before a field sorts it in descending order. Ties are broken by id, so pages never overlap.`,
    examples: [example]
  })
}
