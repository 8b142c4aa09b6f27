// What finds a person: names and other names first; then honorific, note, and each position's
// title and organisation.
import { sql } from 'drizzle-orm'
import { otherNamesText, type SearchIndex } from '../../search/search-index.js'

export const PEOPLE_SEARCH: SearchIndex = {
  name: 'search_people',
  table: 'people',
  rows: sql`SELECT pe.rowid AS record_rowid, pe.id AS record_id,
    concat_ws(' ', pe.name, pe.sort_name, pe.given_name, pe.family_name, ${otherNamesText('person_id', sql`pe.id`)}) AS names,
    concat_ws(' ', pe.honorific_prefix, pe.note,
      (SELECT group_concat(concat_ws(' ', po.title, o.name, o.abbreviation, po.note), ' ')
        FROM positions po JOIN organisations o ON o.id = po.organisation_id WHERE po.person_id = pe.id)) AS text
    FROM people pe`
}
