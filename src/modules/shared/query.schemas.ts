// Query parameters shared by the list operations, defined once with their descriptions and examples.
import { Type } from 'typebox'
import { MINISTRY_PORTFOLIOS } from '../../vocabularies.js'
import { ByteOrderMarkParameter, FormatParameter } from '../../http/csv.js'
import { LIMITS } from './fields.schemas.js'

export const MAX_LIMIT = 100
export const DEFAULT_LIMIT = 20

export const PaginationParameters = {
  // Optional, as every parameter with a default: the document then does not make clients send it.
  // Ajv's useDefaults still fills it in before a handler runs.
  limit: Type.Optional(
    Type.Integer({
      format: 'int32',
      minimum: 1,
      maximum: MAX_LIMIT,
      default: DEFAULT_LIMIT,
      description: `Records per page, 1 to ${MAX_LIMIT}.`,
      examples: [20]
    })
  ),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: LIMITS.cursor,
      description:
        'Where the page starts: `meta.next_cursor` of the previous page, unchanged, with the same filters and sort (the `Link` header and `meta.next` carry it). Opaque and signed: an altered cursor, or one from another query, is a 400.',
      examples: ['eyJxIjoi…']
    })
  )
}

/** The parameters every list takes: pagination, and the answer's format. */
export const ListParameters = {
  ...PaginationParameters,
  format: Type.Optional(FormatParameter),
  bom: Type.Optional(ByteOrderMarkParameter)
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
  description:
    'Full-text search, ranked by relevance (best first, unless `sort` is given). Finds names, other and former names, abbreviations, titles and notes, whatever the case, accents or script: `mesetovic` finds Mesetović, `djuric` and `duric` find Đurić, `fyrom` finds North Macedonia. Every word must match, as a word or the start of one; punctuation and search operators are taken as plain text.',
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
