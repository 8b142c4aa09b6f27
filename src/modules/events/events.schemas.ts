// Events and their sessions: the response shapes and query parameters.
import { FacetParameters } from '../../http/facets.js'
import { writeBodySchemas } from '../shared/merge-patch.schemas.js'
import { SeedEvent, SeedSession } from '../../seed/seed-file.schemas.js'
import { Type, type Static } from 'typebox'
import { EVENT_CLASSIFICATIONS, SESSION_CLASSIFICATIONS } from '../../vocabularies.js'
import { Citation, CountryRef, EventRef, Nullable, listOf, ref } from '../shared/common.schemas.js'
import { CountryParameter, ListParameters, SearchParameter, SortParameter } from '../shared/query.schemas.js'
import { IdString, LIMITS, NoteString, PartialDateString, TextString } from '../shared/fields.schemas.js'

const PartialDate = (description: string, example: string) =>
  PartialDateString({ description: `${description} ISO 8601 with partial precision: YYYY, YYYY-MM or YYYY-MM-DD.`, examples: [example] })

/** The facets of events (their SQL is in the repository). */
export const EVENT_FACET_NAMES = ['country', 'classification'] as const
export const EVENT_SORT_FIELDS = ['start_date', 'name', 'country'] as const

export const Session = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: TextString(),
    classification: Type.Enum([...SESSION_CLASSIFICATIONS], { examples: ['panel'] }),
    note: Nullable(NoteString()),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'Session', description: 'A session (a panel, a plenary) within an event.' }
)

export const Event = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-roundtable-2015'] }),
    name: TextString(),
    classification: Type.Enum([...EVENT_CLASSIFICATIONS], { examples: ['roundtable'] }),
    start_date: PartialDate('First day.', '2015-06-02'),
    end_date: Nullable(PartialDate('Last day, if known.', '2015-06-03')),
    city: Nullable(TextString({ examples: ['Sarajevo'] })),
    country: Nullable(ref(CountryRef)),
    continuation_of: Nullable(ref(EventRef)),
    continued_by: Type.Array(ref(EventRef), { description: 'Events that are a continuation of this one.' }),
    sessions: Type.Array(ref(Session)),
    note: Nullable(NoteString()),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'Event', description: 'An event (a Popolo event), with its sessions and the events it continues or that continue it.' }
)

export const EventList = listOf(Event, 'EventList')

export const EventsQuery = Type.Object(
  {
    country: Type.Optional({ ...CountryParameter, description: 'Where the event took place: ISO 3166-1 alpha-2 or alpha-3 code, any case.' }),
    classification: Type.Optional(Type.Enum([...EVENT_CLASSIFICATIONS], { description: 'Kind of event.', examples: ['roundtable'] })),
    organisation: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Organisation id: the events it or one of its sub-organisations took part in, as `organisation` selects participations (itself, someone on its behalf, or a person holding a position there).',
        examples: ['seesac']
      })
    ),
    person: Type.Optional(Type.String({ maxLength: 200, description: 'Person id: the events the person took part in.', examples: ['peter-due'] })),
    q: Type.Optional({ ...SearchParameter, description: 'Search in event names and cities.', examples: ['peacekeeper'] }),
    ...FacetParameters(EVENT_FACET_NAMES),
    sort: Type.Optional(SortParameter(EVENT_SORT_FIELDS, '-start_date')),
    ...ListParameters
  },
  { additionalProperties: false }
)

export type Event = Static<typeof Event>
export type Session = Static<typeof Session>
export type EventsQuery = Static<typeof EventsQuery>

/** The bodies of a POST and a PATCH of a event. */
export const { input: EventInput, patch: EventPatch } = writeBodySchemas(SeedEvent, 'Event', 'event')

/** A session on its own (GET /v1/sessions/{id}): a session with the event it belongs to. */
export const SessionRecord = Type.Object(
  { ...Session.properties, event: ref(EventRef) },
  { $id: 'SessionRecord', description: 'A session within an event, with the event named.' }
)

/** The bodies of a POST and a PATCH of a session. */
export const { input: SessionInput, patch: SessionPatch } = writeBodySchemas(SeedSession, 'Session', 'session')

export type SessionRecord = Static<typeof SessionRecord>
