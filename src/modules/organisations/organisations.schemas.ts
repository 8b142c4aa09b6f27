// Organisations: request parameters and the response shapes, defined once.
import { FacetParameters, IncludeParameter } from '../../http/facets.js'
import { writeBodySchemas } from '../shared/merge-patch.schemas.js'
import { SeedOrganisation } from '../../seed/seed-file.schemas.js'
import { Type, type Static, type TObject } from 'typebox'
import { MINISTRY_PORTFOLIOS, ORGANISATION_CLASSIFICATIONS } from '../../vocabularies.js'
import { Citation, CountryRef, Nullable, OrganisationRef, OtherName, listOf, ref } from '../shared/common.schemas.js'
import { CountryParameter, MinistryParameter, ListParameters, SearchParameter, SortParameter } from '../shared/query.schemas.js'
import { IdString, LIMITS, NoteString, TextString } from '../shared/fields.schemas.js'

/** The facets of organisations (their SQL is in the repository). */
export const ORGANISATION_FACET_NAMES = ['country', 'classification', 'portfolio'] as const
export const ORGANISATION_INCLUDES = ['parent', 'children'] as const
export const ORGANISATION_SORT_FIELDS = ['name', 'abbreviation', 'classification', 'country'] as const

const organisationProperties = {
    id: IdString({ examples: ['ba-ministry-of-defence'] }),
    name: TextString({ examples: ['Ministry of Defence of Bosnia and Herzegovina'] }),
    abbreviation: Nullable(TextString({ examples: ['MoD'] })),
    classification: Type.Enum([...ORGANISATION_CLASSIFICATIONS], { description: 'What kind of body it is, from a controlled list.', examples: ['ministry'] }),
    portfolio: Nullable(
      Type.Enum([...MINISTRY_PORTFOLIOS], { description: 'The portfolio of a ministry; null for every other organisation.', examples: ['defence'] })
    ),
    country: Nullable(ref(CountryRef)),
    parent: Nullable(ref(OrganisationRef)),
    children: Type.Array(ref(OrganisationRef), { description: 'The organisations directly under it.' }),
    other_names: Type.Array(ref(OtherName), { maxItems: LIMITS.otherNames }),
    note: Nullable(NoteString({ description: 'How the source was read where it is ambiguous, and what is enrichment.' })),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
}

// Embedded organisations are organisations too: the schema refers to itself by $id.
type EmbeddedOrganisation = Static<TObject<typeof organisationProperties>>
const embeddedOrganisation = Type.Unsafe<EmbeddedOrganisation>(Type.Ref('Organisation'))

export const OrganisationIncluded = Type.Object(
  {
    parent: Type.Optional(Nullable(embeddedOrganisation, { description: 'The organisation it is directly under, in full.' })),
    children: Type.Optional(Type.Array(embeddedOrganisation, { description: 'The organisations directly under it, in full.' }))
  },
  { $id: 'OrganisationIncluded', description: 'The related records asked for with `include`.' }
)

export const Organisation = Type.Object(
  { ...organisationProperties, included: Type.Optional(ref(OrganisationIncluded)) },
  {
    $id: 'Organisation',
    description:
      'A ministry, armed forces, UN body, intergovernmental organisation or initiative, with the organisation it is under and those directly under it. International organisations have no country.'
  }
)

export const OrganisationList = listOf(Organisation, 'OrganisationList')

const OrganisationIncludeParameter = IncludeParameter(ORGANISATION_INCLUDES, 'the organisation it is directly under, and those directly under it')

/** The query of a single organisation: only what to embed. */
export const OrganisationQuery = Type.Object({ include: Type.Optional(OrganisationIncludeParameter) }, { additionalProperties: false })

export const OrganisationsQuery = Type.Object(
  {
    country: Type.Optional(CountryParameter),
    ministry: Type.Optional(MinistryParameter),
    classification: Type.Optional(
      Type.Enum([...ORGANISATION_CLASSIFICATIONS], { description: 'Classification from the controlled list.', examples: ['ministry'] })
    ),
    parent: Type.Optional(
      Type.String({ maxLength: 200, description: 'Organisation id: the organisations directly under it.', examples: ['ba-ministry-of-defence'] })
    ),
    event: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Event id: the organisations that took part in it, themselves or through someone on their behalf (`ministry=defence&event=…`: the ministries of defence that attended, and the armed forces under them). Not those where a participant merely holds a position, which `/v1/events?organisation=` counts.',
        examples: ['sarajevo-roundtable-2015']
      })
    ),
    q: Type.Optional(SearchParameter),
    ...FacetParameters(ORGANISATION_FACET_NAMES),
    include: Type.Optional(OrganisationIncludeParameter),
    sort: Type.Optional(SortParameter(ORGANISATION_SORT_FIELDS, 'country,name')),
    ...ListParameters
  },
  { additionalProperties: false }
)

export type Organisation = Static<typeof Organisation>
export type OrganisationsQuery = Static<typeof OrganisationsQuery>

/** The bodies of a POST and a PATCH of a organisation. */
export const { input: OrganisationInput, patch: OrganisationPatch } = writeBodySchemas(SeedOrganisation, 'Organisation', 'organisation')
