// People and their positions (a title held at an organisation as of a date).
import { integer, sqliteTable, text, index, primaryKey } from 'drizzle-orm/sqlite-core'
import { organisations } from '../organisations/organisations.table.js'
import { checkPartialDate } from '../../db/constraints.js'

export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    honorificPrefix: text('honorific_prefix'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    sortName: text('sort_name').notNull(),
    /** fold(sort_name), written with it: the people list's default order, read from people_order_idx. */
    sortKey: text('sort_key').notNull(),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [index('people_order_idx').on(t.sortKey, t.sortName, t.id)]
)

export const positions = sqliteTable(
  'positions',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title'),
    asOf: text('as_of').notNull(),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [
    checkPartialDate('positions_as_of_check', t.asOf),
    index('positions_person_id_idx').on(t.personId),
    index('positions_organisation_id_idx').on(t.organisationId)
  ]
)

/**
 * Derived from the tables, never written directly: each person once under each country and each
 * organisation they are affiliated with ('country:BA', 'organisation:<id>'). Their organisations are
 * those where they hold a position and those on whose behalf they take part; their countries, those
 * organisations' countries and the countries of their participations. The people list's country,
 * ministry and organisation filters and its two facets read these rows instead of gathering them from
 * the positions and participations at every request (at 1,000,000 participations, the people of a
 * country took 0.31 s that way, both facets of everyone 2.6 s). Kept current in the transaction of
 * every write: the rows of the people a write can move are made again (people.scopes.ts).
 */
export const personScopes = sqliteTable(
  'person_scopes',
  {
    scope: text('scope').notNull(),
    personId: text('person_id').notNull()
  },
  (t) => [primaryKey({ columns: [t.scope, t.personId] }), index('person_scopes_person_idx').on(t.personId, t.scope)]
)
