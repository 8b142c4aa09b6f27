// Countries: every ISO 3166-1 country, keyed by its alpha-2 code.
import { sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const countries = sqliteTable('countries', {
  code: text('code').primaryKey(),
  alpha3: text('alpha3').notNull().unique(),
  numeric: text('numeric').notNull().unique(),
  name: text('name').notNull()
})
