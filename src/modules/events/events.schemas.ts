// Events and their sessions: the response shapes and query parameters.
import { FacetParameter } from '../../http/facets.js'
import { mergePatchSchema } from '../shared/merge-patch.schemas.js'
import { SeedEvent, SeedSession } from '../../seed/seed-file.schemas.js'
import { Type, type Static } from 'typebox'
import { EVENT_CLASSIFICATIONS, SESSION_CLASSIFICATIONS } from '../../vocabularies.js'
import { Citation, CountryRef, EventRef, Nullable, listOf, ref } from '../shared/common.schemas.js'
import { CountryParameter, ListParameters, SearchParameter, SortParameter } from '../shared/query.schemas.js'

const PartialDate = (description: string, example: string) =>
  Type.String({ description: `${description} ISO 8601 with partial precision: YYYY, YYYY-MM or YYYY-MM-DD.`, examples: [example] })

/** The facets of events (their SQL is in the repository). */
export const EVENT_FACET_NAMES = ['country', 'classification'] as const
export const EVENT_SORT_FIELDS = ['start_date', 'name', 'country'] as const

export const Session = Type.Object(
  {
    id: Type.String({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: Type.String(),
    classification: Type.Enum([...SESSION_CLASSIFICATIONS], { examples: ['panel'] }),
    note: Nullable(Type.String()),
    sources: Type.Array(ref(Citation))
  },
  { $id: 'Session', description: 'A session (a panel, a plenary) within an event.' }
)

export const Event = Type.Object(
  {
    id: Type.String({ examples: ['sarajevo-roundtable-2015'] }),
    name: Type.String(),
    classification: Type.Enum([...EVENT_CLASSIFICATIONS], { examples: ['roundtable'] }),
    start_date: PartialDate('First day.', '2015-06-02'),
    end_date: Nullable(PartialDate('Last day, if known.', '2015-06-03')),
    city: Nullable(Type.String({ examples: ['Sarajevo'] })),
    country: Nullable(ref(CountryRef)),
    continuation_of: Nullable(ref(EventRef)),
    continued_by: Type.Array(ref(EventRef), { description: 'Events that are a continuation of this one.' }),
    sessions: Type.Array(ref(Session)),
    note: Nullable(Type.String()),
    sources: Type.Array(ref(Citation))
  },
  { $id: 'Event', description: 'An event (a Popolo event), with its sessions and the events it continues or that continue it.' }
)

export const EventList = listOf(Event, 'EventList')

export const EventsQuery = Type.Object(
  {
    country: Type.Optional({ ...CountryParameter, description: 'Where the event took place: ISO 3166-1 alpha-2 or alpha-3 code, any case.' }),
    classification: Type.Optional(Type.Enum([...EVENT_CLASSIFICATIONS], { description: 'Kind of event.', examples: ['roundtable'] })),
    q: Type.Optional({ ...SearchParameter, description: 'Search in event names and cities.', examples: ['peacekeeper'] }),
    facet: Type.Optional(FacetParameter(EVENT_FACET_NAMES)),
    sort: Type.Optional(SortParameter(EVENT_SORT_FIELDS, '-start_date')),
    ...ListParameters
  },
  { additionalProperties: false }
)

export type Event = Static<typeof Event>
export type Session = Static<typeof Session>
export type EventsQuery = Static<typeof EventsQuery>

/** A event as a write request gives it: the record of a seed file, checked the same way. */
export const EventInput = Type.Object(SeedEvent.properties, {
  $id: 'EventInput',
  additionalProperties: false,
  description: 'The event as a seed file holds it (see seeds/seed-file.schema.json): the same properties, checks and sources.'
})

/** The body of a PATCH of a event. */
export const EventPatch = mergePatchSchema(EventInput, 'EventPatch')

/** A session on its own (GET /v1/sessions/{id}): a session with the event it belongs to. */
export const SessionRecord = Type.Object(
  { ...Session.properties, event: ref(EventRef) },
  { $id: 'SessionRecord', description: 'A session within an event, with the event named.' }
)

export const SessionInput = Type.Object(SeedSession.properties, {
  $id: 'SessionInput',
  additionalProperties: false,
  description: 'The session as a seed file holds it (see seeds/seed-file.schema.json): the same properties, checks and sources.'
})

export const SessionPatch = mergePatchSchema(SessionInput, 'SessionPatch')

export type SessionRecord = Static<typeof SessionRecord>
