// Countries: the response shapes and query parameters.
import { Type, type Static } from 'typebox'
import { Citation, OtherName, listOf, ref } from '../shared/common.schemas.js'
import { ListParameters, SearchParameter } from '../shared/query.schemas.js'
import { CountryCodeString, LIMITS, TextString } from '../shared/fields.schemas.js'

export const Country = Type.Object(
  {
    code: CountryCodeString({ description: 'ISO 3166-1 alpha-2 code, the id of the country.', examples: ['BA'] }),
    alpha3: Type.String({ pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3, description: 'ISO 3166-1 alpha-3 code.', examples: ['BIH'] }),
    numeric: Type.String({ pattern: '^[0-9]{3}$', minLength: 3, maxLength: 3, description: 'ISO 3166-1 numeric code, three digits.', examples: ['070'] }),
    name: TextString({ description: 'English name.', examples: ['Bosnia and Herzegovina'] }),
    other_names: Type.Array(ref(OtherName), { maxItems: LIMITS.otherNames, description: 'Other and former names, such as "BiH" or "the Former Yugoslav Republic of Macedonia".' }),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'Country', description: 'A country of ISO 3166-1 (a Popolo area).' }
)

export const CountryList = listOf(Country, 'CountryList')

export const CountriesQuery = Type.Object(
  {
    q: Type.Optional({
      ...SearchParameter,
      description:
        'Search in names and other names (`fyrom`, `UK`), as `q` searches other lists: every word must match, as a word or the start of one, whatever the case, accents or script (`curacao`, `djibouti`, `Малта`); punctuation is plain text, and a `q` with no letter or digit is a 400. A single word also finds the country with that alpha-2 or alpha-3 code (`bih`). Matches come in name order.',
      examples: ['macedonia']
    }),
    ...ListParameters
  },
  { additionalProperties: false }
)

export const CountryCodeParameter = Type.Object(
  {
    code: Type.String({
      minLength: 2,
      maxLength: 3,
      description: 'ISO 3166-1 alpha-2 or alpha-3 code, any case.',
      examples: ['BA']
    })
  },
  { additionalProperties: false }
)

export type Country = Static<typeof Country>
export type CountriesQuery = Static<typeof CountriesQuery>
