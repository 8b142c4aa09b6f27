// What finds a participation: the participant's names (a person's or organisation's other names
// too) and the organisation represented first; then the role (the vocabulary's word, which the
// source may not use, and as worded), the note, the event, its city and the session, and every name
// of the participation's country ("former yugoslav" finds the MK delegation).
import { sql } from 'drizzle-orm'
import { countrySearchText, otherNamesText, type SearchIndex } from '../../search/search-index.js'
import { PARTICIPATIONS_FROM, participantName } from './participations.repository.js'

export const PARTICIPATIONS_SEARCH: SearchIndex = {
  name: 'search_participations',
  table: 'participations',
  rows: sql`SELECT p.rowid AS record_rowid, p.id AS record_id,
    concat_ws(' ', ${participantName}, po.abbreviation, ${otherNamesText('person_id', sql`p.person_id`)},
      ${otherNamesText('organisation_id', sql`p.organisation_id`)}, bo.name, bo.abbreviation) AS names,
    concat_ws(' ', p.role, p.role_as_worded, p.note, e.name, e.city, s.name, ${countrySearchText(sql`c.code`)}) AS text
    ${PARTICIPATIONS_FROM}`
}
