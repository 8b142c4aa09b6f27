// Participations: who took part in which event (and session), in what role, on behalf of whom.
import { integer, sqliteTable, text, index, check, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import { countries } from '../countries/countries.table.js'
import { events, sessions } from '../events/events.table.js'
import { organisations } from '../organisations/organisations.table.js'
import { people } from '../people/people.table.js'
import { checkExactlyOne, checkInVocabulary } from '../../db/constraints.js'
import { PARTICIPANT_TYPES, PARTICIPATION_ROLES, SECTORS } from '../../vocabularies.js'

export const participations = sqliteTable(
  'participations',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    sessionId: text('session_id').references(() => sessions.id),
    participantType: text('participant_type', { enum: PARTICIPANT_TYPES }).notNull(),
    personId: text('person_id').references(() => people.id),
    organisationId: text('organisation_id').references(() => organisations.id),
    delegationCountryCode: text('delegation_country_code').references(() => countries.code),
    sector: text('sector', { enum: SECTORS }),
    role: text('role', { enum: PARTICIPATION_ROLES }).notNull(),
    roleAsWorded: text('role_as_worded'),
    onBehalfOfId: text('on_behalf_of_id').references(() => organisations.id),
    countryCode: text('country_code').references(() => countries.code),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [
    checkInVocabulary('participations_participant_type_check', t.participantType, PARTICIPANT_TYPES),
    checkInVocabulary('participations_role_check', t.role, PARTICIPATION_ROLES),
    checkInVocabulary('participations_sector_check', t.sector, SECTORS),
    checkExactlyOne('participations_one_participant', [t.personId, t.organisationId, t.delegationCountryCode, t.sector]),
    check(
      'participations_participant_matches_type',
      sql.raw(
        `(participant_type = 'person' AND person_id IS NOT NULL) OR (participant_type = 'organisation' AND organisation_id IS NOT NULL) OR (participant_type = 'delegation' AND delegation_country_code IS NOT NULL) OR (participant_type = 'sector' AND sector IS NOT NULL)`
      )
    ),
    // With the participants: the people and the organisations of an event (their event filters)
    // are read from this index alone, not from a row of the table each (13,600 at the largest
    // event of the 1M benchmark).
    index('participations_event_id_idx').on(t.eventId, t.personId, t.organisationId, t.onBehalfOfId),
    index('participations_session_id_idx').on(t.sessionId),
    index('participations_person_id_idx').on(t.personId),
    index('participations_organisation_id_idx').on(t.organisationId),
    index('participations_delegation_country_code_idx').on(t.delegationCountryCode),
    // With the person: the people's countries and organisations (person_scopes, made again by
    // every large write) and the people who took part on behalf of an organisation (whose rows
    // follow its country) are read from these indexes alone, not from a row of the table each.
    index('participations_on_behalf_of_person_idx').on(t.onBehalfOfId, t.personId),
    index('participations_country_code_person_idx').on(t.countryCode, t.personId),
    index('participations_role_idx').on(t.role)
  ]
)

/**
 * Derived from the tables above, never written directly: each participation once under the scope
 * '' (every participation) and once under each filter value it matches ('country:BA',
 * 'organisation:<id>', 'portfolio:defence', 'event:<id>', 'person:<id>', 'role:<role>', and a
 * country with a ministry or portfolio, 'country:BA&portfolio:defence'), with the keys
 * of the default order, so that a filtered page is read in order from one index and counted from
 * it alone, and with the values its facets count (the country shown, the participant's type), so
 * that they are counted from it too. Kept current in the transaction of every write: the rows of
 * the participations a write can move are made again, and those that differ are written
 * (participations.scopes.ts).
 */
export const participationScopes = sqliteTable(
  'participation_scopes',
  {
    scope: text('scope').notNull(),
    participationId: text('participation_id').notNull(),
    startDate: text('start_date').notNull(),
    eventId: text('event_id').notNull(),
    roleRank: integer('role_rank').notNull(),
    participantKey: text('participant_key').notNull(),
    countryCode: text('country_code'),
    participantType: text('participant_type').notNull().default('')
  },
  (t) => [
    // The last two only so that the index holds every column of a row: a sort by country and the
    // country and participant type facets read the index range alone, not each match's row.
    index('participation_scopes_order_idx').on(
      t.scope,
      sql`${sql.identifier('start_date')} DESC`,
      t.eventId,
      t.roleRank,
      t.participantKey,
      t.participationId,
      t.countryCode,
      t.participantType
    ),
    uniqueIndex('participation_scopes_membership_idx').on(t.participationId, t.scope)
  ]
)

/**
 * How many participations each scope of participation_scopes holds: the total of a list filtered
 * by one scope is read here, not counted over its index range (100,000 rows for the unfiltered
 * list). Kept by the write that makes participation_scopes, in the same transaction: counted afresh
 * in a rebuild, adjusted by a write by the rows of the participations it moved
 * (participations.scopes.ts).
 */
export const participationScopeTotals = sqliteTable('participation_scope_totals', {
  scope: text('scope').primaryKey(),
  total: integer('total').notNull()
})

// participation_csv_lines, derived like participation_scopes, is made by hand-written SQL in
// migrations/0007_csv_lines.sql, not declared here: drizzle cannot declare a WITHOUT ROWID table or
// a descending key. Each participation's record of the CSV export, rendered by SQL in the
// transaction of every write that can change it (participations.csv.ts), is kept in the list's
// default order, so that an export reads its lines in order instead of joining seven tables and
// the citations and quoting 17 cells a row.
