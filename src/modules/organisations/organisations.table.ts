// Organisations: ministries, armed forces, UN bodies, intergovernmental organisations and initiatives.
import { integer, sqliteTable, text, index, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import { countries } from '../countries/countries.table.js'
import { checkInVocabulary } from '../../db/constraints.js'
import { MINISTRY_PORTFOLIOS, ORGANISATION_CLASSIFICATIONS } from '../../vocabularies.js'

export const organisations = sqliteTable(
  'organisations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    abbreviation: text('abbreviation'),
    classification: text('classification', { enum: ORGANISATION_CLASSIFICATIONS }).notNull(),
    portfolio: text('portfolio', { enum: MINISTRY_PORTFOLIOS }),
    countryCode: text('country_code').references(() => countries.code),
    parentId: text('parent_id').references((): AnySQLiteColumn => organisations.id),
    note: text('note'),
    /** Increased by every write that changes the record (or its names and citations). */
    version: integer('version').notNull().default(1)
  },
  (t) => [
    checkInVocabulary('organisations_classification_check', t.classification, ORGANISATION_CLASSIFICATIONS),
    checkInVocabulary('organisations_portfolio_check', t.portfolio, MINISTRY_PORTFOLIOS),
    check('organisations_portfolio_only_for_ministries', sql.raw(`portfolio IS NULL OR classification = 'ministry'`)),
    index('organisations_parent_id_idx').on(t.parentId),
    index('organisations_country_code_idx').on(t.countryCode),
    index('organisations_portfolio_idx').on(t.portfolio)
  ]
)
