// Events (with partial-precision dates and a "continuation of" link) and the sessions within them.
import { integer, sqliteTable, text, index, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import { countries } from '../countries/countries.table.js'
import { checkInVocabulary, checkPartialDate } from '../../db/constraints.js'
import { EVENT_CLASSIFICATIONS, SESSION_CLASSIFICATIONS } from '../../vocabularies.js'

export const events = sqliteTable(
  'events',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    classification: text('classification', { enum: EVENT_CLASSIFICATIONS }).notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    city: text('city'),
    countryCode: text('country_code').references(() => countries.code),
    continuationOfId: text('continuation_of_id').references((): AnySQLiteColumn => events.id),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [
    checkInVocabulary('events_classification_check', t.classification, EVENT_CLASSIFICATIONS),
    checkPartialDate('events_start_date_check', t.startDate),
    checkPartialDate('events_end_date_check', t.endDate),
    check('events_end_after_start', sql.raw(`end_date IS NULL OR end_date >= start_date`)),
    index('events_start_date_idx').on(t.startDate),
    index('events_country_code_idx').on(t.countryCode),
    index('events_continuation_of_id_idx').on(t.continuationOfId)
  ]
)

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    name: text('name').notNull(),
    classification: text('classification', { enum: SESSION_CLASSIFICATIONS }).notNull(),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [
    checkInVocabulary('sessions_classification_check', t.classification, SESSION_CLASSIFICATIONS),
    index('sessions_event_id_idx').on(t.eventId)
  ]
)
