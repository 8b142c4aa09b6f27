// People: request parameters and the response shapes, defined once.
import { writeBodySchemas } from '../shared/merge-patch.schemas.js'
import { SeedPerson, SeedPosition } from '../../seed/seed-file.schemas.js'
import { Type, type Static } from 'typebox'
import { FacetParameters } from '../../http/facets.js'
import { Citation, PersonRef, Nullable, OrganisationRef, OtherName, listOf, ref } from '../shared/common.schemas.js'
import { CountryParameter, MinistryParameter, ListParameters, SearchParameter, SortParameter } from '../shared/query.schemas.js'
import { IdString, LIMITS, NoteString, PartialDateString, TextString } from '../shared/fields.schemas.js'

/** The fields `sort` accepts (their SQL is in the repository). */
export const PERSON_SORT_FIELDS = ['sort_name', 'name'] as const
/** The facets of people: by country and by organisation (a person may count under several). */
export const PERSON_FACET_NAMES = ['country', 'organisation'] as const

export const Position = Type.Object(
  {
    id: IdString({ examples: ['mark-pedersen-un-dpet-2015'] }),
    title: Nullable(
      TextString({ description: 'The post as the source words it; null where the source names none.', examples: ['Chief of Integrated Training Service'] })
    ),
    organisation: ref(OrganisationRef),
    as_of: PartialDateString({ description: 'ISO 8601 date, possibly partial, on which the source shows the position held.', examples: ['2015-06-03'] }),
    note: Nullable(NoteString({ description: 'How the source was read where it is ambiguous.' })),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'Position', description: 'A post held at an organisation as of a date (Popolo `memberships`).' }
)

export const Person = Type.Object(
  {
    id: IdString({ examples: ['mersida-mesetovic'] }),
    name: TextString({ description: 'The name exactly as written, diacritics kept.', examples: ['Mersida Mesetović'] }),
    honorific_prefix: Nullable(TextString({ description: 'A title or rank as the source writes it.', examples: ['Colonel'] })),
    given_name: Nullable(TextString({ examples: ['Mersida'] })),
    family_name: Nullable(TextString({ examples: ['Mesetović'] })),
    sort_name: TextString({ description: 'The name to sort by.', examples: ['Mesetović, Mersida'] }),
    other_names: Type.Array(ref(OtherName), { maxItems: LIMITS.otherNames }),
    positions: Type.Array(ref(Position), { description: 'The posts the person is recorded as holding, most recent first.' }),
    note: Nullable(NoteString({ description: 'How the source was read where it is ambiguous, and what is enrichment.' })),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'Person', description: 'A named person, with the posts they held and the sources that name them.' }
)

export const PersonList = listOf(Person, 'PersonList')

export const PeopleQuery = Type.Object(
  {
    country: Type.Optional(CountryParameter),
    ministry: Type.Optional(MinistryParameter),
    organisation: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Organisation id: people holding a position at it or at one of its sub-organisations, or taking part on behalf of one of them.',
        examples: ['undp']
      })
    ),
    event: Type.Optional(Type.String({ maxLength: 200, description: 'Event id: people who took part in it.', examples: ['sarajevo-roundtable-2015'] })),
    q: Type.Optional(SearchParameter),
    ...FacetParameters(PERSON_FACET_NAMES),
    sort: Type.Optional(SortParameter(PERSON_SORT_FIELDS, 'name')),
    ...ListParameters
  },
  { additionalProperties: false }
)

export type Position = Static<typeof Position>
export type Person = Static<typeof Person>
export type PeopleQuery = Static<typeof PeopleQuery>

/** The bodies of a POST and a PATCH of a person. */
export const { input: PersonInput, patch: PersonPatch } = writeBodySchemas(SeedPerson, 'Person', 'person')

/** A position on its own (GET /v1/positions/{id}): a position with the person who holds it. */
export const PositionRecord = Type.Object(
  { ...Position.properties, person: ref(PersonRef) },
  { $id: 'PositionRecord', description: 'A post held at an organisation as of a date, with its holder named.' }
)

/** The bodies of a POST and a PATCH of a position. */
export const { input: PositionInput, patch: PositionPatch } = writeBodySchemas(SeedPosition, 'Position', 'position')

export type PositionRecord = Static<typeof PositionRecord>
