// People: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { Page } from '../../http/pagination.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import {
  countryOrganisations,
  foldedContains,
  ministryOrganisations,
  organisationAndBelow,
  peopleAt,
  requireExisting,
  resolveCountry
} from '../shared/filters.js'
import { countRows, orderBy, whereAll } from '../shared/sql.js'
import { PERSON_SORT_FIELDS, type PeopleQuery, type Person, type Position } from './people.schemas.js'

export type PersonFilters = Omit<PeopleQuery, 'limit' | 'offset'> & { id?: string }

/** People holding a position at, or taking part on behalf of, one of the organisations. */
const affiliatedWith = (organisationIds: SQL): SQL =>
  sql`(pe.id IN ${peopleAt(organisationIds)} OR pe.id IN (SELECT person_id FROM participations WHERE on_behalf_of_id IN ${organisationIds}))`

/** Builds the WHERE clause; throws InvalidFilterError for values that name nothing. */
function whereClauseFor(db: DirectoryDatabase, filters: PersonFilters): SQL {
  const where: SQL[] = []
  if (filters.id !== undefined) where.push(sql`pe.id = ${filters.id}`)
  if (filters.event !== undefined) {
    where.push(sql`pe.id IN (SELECT person_id FROM participations WHERE event_id = ${requireExisting(db, 'events', filters.event, 'event', 'event')})`)
  }
  if (filters.country !== undefined) {
    const code = resolveCountry(db, filters.country)
    const organisations = countryOrganisations(code)
    where.push(sql`(pe.id IN ${peopleAt(organisations)}
      OR pe.id IN (SELECT person_id FROM participations WHERE country_code = ${code} OR on_behalf_of_id IN ${organisations}))`)
  }
  if (filters.ministry !== undefined) where.push(affiliatedWith(ministryOrganisations(db, filters.ministry)))
  if (filters.organisation !== undefined) where.push(affiliatedWith(organisationAndBelow(db, filters.organisation)))
  if (filters.q !== undefined) {
    const q = filters.q
    where.push(sql`(${foldedContains(sql`pe.name`, q)}
      OR EXISTS (SELECT 1 FROM other_names n WHERE n.person_id = pe.id AND ${foldedContains(sql`n.name`, q)}))`)
  }
  return whereAll(where)
}

interface PersonRow {
  id: string
  name: string
  honorific_prefix: string | null
  given_name: string | null
  family_name: string | null
  sort_name: string
  note: string | null
}

interface PositionRow {
  id: string
  person_id: string
  title: string | null
  as_of: string
  note: string | null
  organisation_id: string
  organisation_name: string
  organisation_abbreviation: string | null
}

/** The positions of each of the given people, with their citations: two queries for the whole page. */
function positionsOf(db: DirectoryDatabase, personIds: readonly string[]): Map<string, Position[]> {
  const byPerson = new Map<string, Position[]>()
  if (personIds.length === 0) return byPerson
  const rows = db.all<PositionRow>(sql`
    SELECT ps.id, ps.person_id, ps.title, ps.as_of, ps.note,
      o.id AS organisation_id, o.name AS organisation_name, o.abbreviation AS organisation_abbreviation
    FROM positions ps
    JOIN organisations o ON o.id = ps.organisation_id
    WHERE ps.person_id IN (SELECT value FROM json_each(${JSON.stringify(personIds)}))
    ORDER BY ps.as_of DESC, o.name, ps.id`)
  const sources = citationsFor(
    db,
    'position',
    rows.map((r) => r.id)
  )
  for (const r of rows) {
    const position: Position = {
      id: r.id,
      title: r.title,
      organisation: { id: r.organisation_id, name: r.organisation_name, abbreviation: r.organisation_abbreviation },
      as_of: r.as_of,
      note: r.note,
      sources: sources.get(r.id) ?? []
    }
    const list = byPerson.get(r.person_id)
    if (list) list.push(position)
    else byPerson.set(r.person_id, [position])
  }
  return byPerson
}

/** The fields `sort` accepts. */
export const PERSON_SORTS = {
  sort_name: sql`fold(pe.sort_name)`,
  name: sql`fold(pe.name)`
} satisfies Record<(typeof PERSON_SORT_FIELDS)[number], SQL>

export function listPeople(db: DirectoryDatabase, filters: PersonFilters, page: Page): { data: Person[]; total: number } {
  const whereClause = whereClauseFor(db, filters)
  const total = countRows(db, sql`FROM people pe ${whereClause}`)
  const rows = db.all<PersonRow>(sql`
    SELECT pe.id, pe.name, pe.honorific_prefix, pe.given_name, pe.family_name, pe.sort_name, pe.note
    FROM people pe ${whereClause}
    ${orderBy(filters.sort, PERSON_SORTS, sql`fold(pe.sort_name), pe.sort_name`, sql`pe.id`)}
    LIMIT ${page.limit} OFFSET ${page.offset}`)
  const ids = rows.map((r) => r.id)
  const otherNames = otherNamesFor(db, 'person', ids)
  const positions = positionsOf(db, ids)
  const sources = citationsFor(db, 'person', ids)
  const data = rows.map(
    (r): Person => ({
      id: r.id,
      name: r.name,
      honorific_prefix: r.honorific_prefix,
      given_name: r.given_name,
      family_name: r.family_name,
      sort_name: r.sort_name,
      other_names: otherNames.get(r.id) ?? [],
      positions: positions.get(r.id) ?? [],
      note: r.note,
      sources: sources.get(r.id) ?? []
    })
  )
  return { data, total }
}

export function getPerson(db: DirectoryDatabase, id: string): Person | undefined {
  return listPeople(db, { id }, { limit: 1, offset: 0 }).data[0]
}
