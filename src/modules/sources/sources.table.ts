// Sources (documents and datasets), the citations that tie every record to a verbatim quote of one,
// and the other names of countries, organisations and people (which cite their sources too).
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { countries } from '../countries/countries.table.js'
import { events, sessions } from '../events/events.table.js'
import { organisations } from '../organisations/organisations.table.js'
import { participations } from '../participations/participations.table.js'
import { people, positions } from '../people/people.table.js'
import { checkExactlyOne, checkInVocabulary, checkPartialDate } from '../../db/constraints.js'
import { SOURCE_KINDS } from '../../vocabularies.js'

export const sources = sqliteTable(
  'sources',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: SOURCE_KINDS }).notNull(),
    title: text('title').notNull(),
    publisher: text('publisher').notNull(),
    publishedOn: text('published_on'),
    place: text('place'),
    url: text('url'),
    content: text('content'),
    note: text('note')
  },
  (t) => [
    checkInVocabulary('sources_kind_check', t.kind, SOURCE_KINDS),
    checkPartialDate('sources_published_on_check', t.publishedOn)
  ]
)

export const otherNames = sqliteTable(
  'other_names',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    countryCode: text('country_code').references(() => countries.code, { onDelete: 'cascade' }),
    organisationId: text('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    personId: text('person_id').references(() => people.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    startDate: text('start_date'),
    endDate: text('end_date'),
    note: text('note')
  },
  (t) => [
    checkExactlyOne('other_names_one_owner', [t.countryCode, t.organisationId, t.personId]),
    checkPartialDate('other_names_start_date_check', t.startDate),
    checkPartialDate('other_names_end_date_check', t.endDate),
    index('other_names_country_code_idx').on(t.countryCode),
    index('other_names_organisation_id_idx').on(t.organisationId),
    index('other_names_person_id_idx').on(t.personId)
  ]
)

export const citations = sqliteTable(
  'citations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    quote: text('quote'),
    note: text('note'),
    countryCode: text('country_code').references(() => countries.code, { onDelete: 'cascade' }),
    otherNameId: integer('other_name_id').references(() => otherNames.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    personId: text('person_id').references(() => people.id, { onDelete: 'cascade' }),
    positionId: text('position_id').references(() => positions.id, { onDelete: 'cascade' }),
    eventId: text('event_id').references(() => events.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    participationId: text('participation_id').references(() => participations.id, { onDelete: 'cascade' })
  },
  (t) => [
    checkExactlyOne('citations_one_owner', [
      t.countryCode,
      t.otherNameId,
      t.organisationId,
      t.personId,
      t.positionId,
      t.eventId,
      t.sessionId,
      t.participationId
    ]),
    index('citations_source_id_idx').on(t.sourceId),
    index('citations_country_code_idx').on(t.countryCode),
    index('citations_other_name_id_idx').on(t.otherNameId),
    index('citations_organisation_id_idx').on(t.organisationId),
    index('citations_person_id_idx').on(t.personId),
    index('citations_position_id_idx').on(t.positionId),
    index('citations_event_id_idx').on(t.eventId),
    index('citations_session_id_idx').on(t.sessionId),
    index('citations_participation_id_idx').on(t.participationId)
  ]
)
