// What finds an event: its name first; then its note, city, country names and its sessions.
import { sql } from 'drizzle-orm'
import { countrySearchText, type SearchIndex } from '../../search/search-index.js'

export const EVENTS_SEARCH: SearchIndex = {
  name: 'search_events',
  table: 'events',
  rows: sql`SELECT e.rowid AS record_rowid, e.id AS record_id, e.name AS names,
    concat_ws(' ', e.note, e.city, ${countrySearchText(sql`e.country_code`)},
      (SELECT group_concat(concat_ws(' ', s.name, s.note), ' ') FROM sessions s WHERE s.event_id = e.id)) AS text
    FROM events e`
}
