// What finds an organisation: its name, abbreviation and other names first; then its note and every
// name its country has had ("fyrom" finds the North Macedonian ministries).
import { sql } from 'drizzle-orm'
import { countrySearchText, otherNamesText, type SearchIndex } from '../../search/search-index.js'

export const ORGANISATIONS_SEARCH: SearchIndex = {
  name: 'search_organisations',
  table: 'organisations',
  rows: sql`SELECT o.rowid AS record_rowid, o.id AS record_id,
    concat_ws(' ', o.name, o.abbreviation, ${otherNamesText('organisation_id', sql`o.id`)}) AS names,
    concat_ws(' ', o.note, ${countrySearchText(sql`o.country_code`)}) AS text
    FROM organisations o`
}
