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
    q: Type.Optional({ ...SearchParameter, description: 'Search in names, other names (`fyrom`, `UK`) and codes.', examples: ['macedonia'] }),
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
