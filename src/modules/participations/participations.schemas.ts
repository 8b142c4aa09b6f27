// Participations: request parameters and the response shapes, defined once.
import { writeBodySchemas } from '../shared/merge-patch.schemas.js'
import { SeedParticipation } from '../../seed/seed-file.schemas.js'
import { Type, type Static } from 'typebox'
import { PARTICIPANT_TYPES, PARTICIPATION_ROLES } from '../../vocabularies.js'
import { Citation, CountryRef, EventRef, Nullable, OrganisationRef, SessionRef, listOf, ref } from '../shared/common.schemas.js'
import { FacetParameters, IncludeParameter } from '../../http/facets.js'
import { Event } from '../events/events.schemas.js'
import { Organisation } from '../organisations/organisations.schemas.js'
import { Person } from '../people/people.schemas.js'
import { SortParameter, CountryParameter, MinistryParameter, ListParameters, SearchParameter } from '../shared/query.schemas.js'
import { IdString, LIMITS, NoteString, TextString } from '../shared/fields.schemas.js'

/** The facets of participations (their SQL is in the repository). */
export const PARTICIPATION_FACET_NAMES = ['country', 'role', 'event', 'participant_type'] as const
export const PARTICIPATION_INCLUDES = ['person', 'organisation', 'on_behalf_of', 'event'] as const
export const PARTICIPATION_SORT_FIELDS = ['event_start_date', 'event', 'role', 'participant', 'country'] as const

export const Participant = Type.Object(
  {
    type: Type.Enum([...PARTICIPANT_TYPES], { description: 'A person, an organisation, a country\'s delegation or an unnamed sector.' }),
    id: IdString({
      description: 'Person or organisation id, alpha-2 country code of a delegation, or sector.',
      examples: ['mersida-mesetovic']
    }),
    name: TextString({ examples: ['Mersida Mesetović'] })
  },
  { $id: 'Participant' }
)

export const ParticipationIncluded = Type.Object(
  {
    person: Type.Optional(Nullable(ref(Person), { description: 'The participant, when a person takes part.' })),
    organisation: Type.Optional(Nullable(ref(Organisation), { description: 'The participant, when an organisation takes part.' })),
    on_behalf_of: Type.Optional(Nullable(ref(Organisation), { description: 'The organisation represented.' })),
    event: Type.Optional(ref(Event))
  },
  { $id: 'ParticipationIncluded', description: 'The related records asked for with `include`, in full.' }
)

export const Participation = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-2015-mersida-mesetovic-moderator'] }),
    event: ref(EventRef),
    session: Nullable(ref(SessionRef)),
    participant: ref(Participant),
    role: Type.Enum([...PARTICIPATION_ROLES], { description: 'The part played, from a controlled list.', examples: ['moderator'] }),
    role_as_worded: Nullable(TextString({ description: 'The role in the words of the source.', examples: ['moderated by'] })),
    on_behalf_of: Nullable(ref(OrganisationRef)),
    country: Nullable(ref(CountryRef)),
    note: Nullable(NoteString({ description: 'How the source was read where it is ambiguous.' })),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources }),
    included: Type.Optional(ref(ParticipationIncluded))
  },
  { $id: 'Participation', description: 'Who took part in an event (and session), in what role, on behalf of whom.' }
)

export const ParticipationList = listOf(Participation, 'ParticipationList')

const ParticipationIncludeParameter = IncludeParameter(
  PARTICIPATION_INCLUDES,
  'the participant (`person` or `organisation`, null for other kinds), the organisation represented and the event'
)

/** The query of a single participation: only what to embed. */
export const ParticipationQuery = Type.Object({ include: Type.Optional(ParticipationIncludeParameter) }, { additionalProperties: false })

const filters = {
  country: Type.Optional(CountryParameter),
  ministry: Type.Optional(MinistryParameter),
  session: Type.Optional(Type.String({ maxLength: 200, description: 'Session id.', examples: ['sarajevo-2015-regional-cooperation-panel'] })),
  role: Type.Optional(Type.Enum([...PARTICIPATION_ROLES], { description: 'Role from the controlled list.', examples: ['panellist'] })),
  participant_type: Type.Optional(Type.Enum([...PARTICIPANT_TYPES], { description: 'Kind of participant.', examples: ['person'] })),
  person: Type.Optional(Type.String({ maxLength: 200, description: 'Person id.', examples: ['peter-due'] })),
  organisation: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Organisation id: participations of it or one of its sub-organisations, on their behalf, or of a person holding a position at one of them.',
      examples: ['undp']
    })
  ),
  q: Type.Optional(SearchParameter),
  ...FacetParameters(PARTICIPATION_FACET_NAMES),
  include: Type.Optional(ParticipationIncludeParameter),
  sort: Type.Optional(SortParameter(PARTICIPATION_SORT_FIELDS, 'role,participant')),
  ...ListParameters
}

export const EventParticipationsQuery = Type.Object(filters, { additionalProperties: false })
export const ParticipationsQuery = Type.Object(
  { event: Type.Optional(Type.String({ maxLength: 200, description: 'Event id.', examples: ['sarajevo-roundtable-2015'] })), ...filters },
  { additionalProperties: false }
)

export type Participation = Static<typeof Participation>
export type ParticipationsQuery = Static<typeof ParticipationsQuery>

/** The bodies of a POST and a PATCH of a participation. */
export const { input: ParticipationInput, patch: ParticipationPatch } = writeBodySchemas(SeedParticipation, 'Participation', 'participation')
