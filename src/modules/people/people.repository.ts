// People: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ListQuery } from '../../http/lists.js'
import { SEARCH_RANK, searchJoin } from '../../search/search-index.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import {
  ministryOrganisations,
  oneOf,
  organisationAndBelow,
  peopleAt,
  requireExisting,
  resolveCountry
} from '../shared/filters.js'
import { countRows, pairedFacetCounts, selectPage, sortTerms, whereAll, type FacetRequest, type ListResult, type Page, type PairedFacetDefinition, type SortField, type SortTerm } from '../shared/sql.js'
import { PERSON_FACET_NAMES, PERSON_SORT_FIELDS, type PeopleQuery, type Person, type Position, type PositionRecord } from './people.schemas.js'

export type PersonFilters = Omit<PeopleQuery, keyof ListQuery> & { ids?: readonly string[] }

/** Restricts a person's pairs to the people whose ids `ids` selects, when given. */
const ofPeople = (column: SQL, ids?: SQL): SQL => (ids === undefined ? sql`` : sql` AND ${column} IN ${ids}`)

/**
 * Pairs (record_id, value) from several SELECTs. For every person (a facet of everyone, the
 * country filter), each SELECT is made distinct on its own, from its covering index, and their
 * rows appended. A UNION merged them in person order, reading the participations row by row
 * through the person index: at 1M participations the country facet of everyone took 3.7 s (now
 * 1.0) and the organisation facet 3.0 s (now 0.8). A pair may come twice, which neither a facet's
 * count(DISTINCT) nor a filter's IN minds. For fewer people (`ids`: the facet of a filtered list
 * of fewer than EVERYONES_PAIRS_FROM), the UNION of their rows, looked up by person, stays faster
 * (an event's people: 23 ms against 50).
 */
const unionOfPairs = (ids: SQL | undefined, selects: SQL[]): SQL =>
  ids === undefined
    ? sql`(${sql.join(selects.map((select) => sql`SELECT DISTINCT ${select}`), sql` UNION ALL `)})`
    : sql`(${sql.join(selects.map((select) => sql`SELECT ${select}`), sql` UNION `)})`

/**
 * Each person's countries: those of the organisations where they hold a position or on whose
 * behalf they take part, and the country of their participations. The `country` filter and facet
 * both read it, so a facet count is what the filter returns. A facet of a filtered list of few
 * people reads the pairs of its people only: made for everyone first, they took 3 s at 1M
 * participations whatever the filter (with q=ivana, 899 people, now 35 ms). For everyone, the
 * represented organisations are read first (CROSS JOIN), each with its people from the covering
 * index, so that the country filter reads only its own country's organisations.
 */
const personCountries = (ids?: SQL): SQL =>
  unionOfPairs(ids, [
    sql`ps.person_id AS record_id, o.country_code AS value FROM positions ps JOIN organisations o ON o.id = ps.organisation_id
      WHERE o.country_code IS NOT NULL${ofPeople(sql`ps.person_id`, ids)}`,
    sql`person_id, country_code FROM participations WHERE person_id IS NOT NULL AND country_code IS NOT NULL${ofPeople(sql`person_id`, ids)}`,
    sql`p.person_id, o.country_code FROM ${ids === undefined ? sql`organisations o CROSS JOIN participations p` : sql`participations p JOIN organisations o`}
      ON o.id = p.on_behalf_of_id WHERE p.person_id IS NOT NULL AND o.country_code IS NOT NULL${ofPeople(sql`p.person_id`, ids)}`
  ])

/** Each person's organisations: where they hold a position, or on whose behalf they take part. */
const personOrganisations = (ids?: SQL): SQL =>
  unionOfPairs(ids, [
    sql`person_id AS record_id, organisation_id AS value FROM positions WHERE TRUE${ofPeople(sql`person_id`, ids)}`,
    sql`person_id, on_behalf_of_id FROM participations WHERE person_id IS NOT NULL AND on_behalf_of_id IS NOT NULL${ofPeople(sql`person_id`, ids)}`
  ])

export const PERSON_FACETS = {
  country: { pairs: personCountries, label: (code) => sql`(SELECT name FROM countries WHERE code = ${code})` },
  organisation: { pairs: personOrganisations, label: (id) => sql`(SELECT name FROM organisations WHERE id = ${id})` }
} satisfies Record<(typeof PERSON_FACET_NAMES)[number], PairedFacetDefinition>

/** People holding a position at, or taking part on behalf of, one of the organisations. */
const affiliatedWith = (organisationIds: SQL): SQL =>
  sql`(pe.id IN ${peopleAt(organisationIds)} OR pe.id IN (SELECT person_id FROM participations WHERE on_behalf_of_id IN ${organisationIds}))`

/** The FROM (with the search hits when there is a `q`) and the conditions; throws InvalidFilterError for values that name nothing. */
function selectionFor(db: DirectoryDatabase, filters: PersonFilters): { from: SQL; conditions: SQL[] } {
  const where: SQL[] = []
  if (filters.ids !== undefined) where.push(oneOf(sql`pe.id`, filters.ids))
  if (filters.event !== undefined) {
    // The index is named, as in the organisations' event filter (organisations.repository.ts).
    const event = requireExisting(db, 'events', filters.event, 'event', 'event')
    where.push(sql`pe.id IN (SELECT person_id FROM participations INDEXED BY participations_event_id_idx WHERE event_id = ${event})`)
  }
  if (filters.country !== undefined) {
    where.push(sql`pe.id IN (SELECT record_id FROM ${personCountries()} WHERE value = ${resolveCountry(db, filters.country)})`)
  }
  if (filters.ministry !== undefined) where.push(affiliatedWith(ministryOrganisations(db, filters.ministry)))
  if (filters.organisation !== undefined) where.push(affiliatedWith(organisationAndBelow(db, filters.organisation)))
  const from = filters.q === undefined ? sql`FROM people pe` : sql`FROM people pe ${searchJoin('search_people', filters.q, sql`pe.id`)}`
  return { from, conditions: where }
}

/**
 * From how many matching people a facet joins them to everyone's pairs rather than making theirs.
 * At 1M participations, both facets of the people of Montenegro (4,469) took 538 ms from theirs
 * against 1,220 from everyone's; of Serbia (12,061), 1,118 and 1,336; of Bosnia and Herzegovina
 * (25,940), 2,208 and 1,544; of the ministries of defence (61,588), 5,151 and 2,067.
 */
const EVERYONES_PAIRS_FROM = 15_000

/** Counts of the matching people by country or organisation; someone with two counts under both. */
export function countPersonFacets(db: DirectoryDatabase, filters: PersonFilters, request: FacetRequest) {
  const { from, conditions } = selectionFor(db, filters)
  const fromAndWhere = sql`${from} ${whereAll(conditions)}`
  // The count is the list's total, which the count cache has kept when the page came first.
  const everyone = conditions.length === 0 && filters.q === undefined
  return pairedFacetCounts(db, sql`SELECT pe.id ${fromAndWhere}`, PERSON_FACETS, request, everyone || countRows(db, fromAndWhere) >= EVERYONES_PAIRS_FROM)
}

// By sort_key (the folded sort name), read in order from people_order_idx: by default and for sort=sort_name.
const SORT_NAME_ORDER = [
  { expression: sql`pe.sort_key`, notNull: true },
  { expression: sql`pe.sort_name`, notNull: true }
] as const satisfies readonly SortTerm[]

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
  sort_name: SORT_NAME_ORDER,
  name: sql`fold(pe.name)`
} satisfies Record<(typeof PERSON_SORT_FIELDS)[number], SortField>

export function listPeople(db: DirectoryDatabase, filters: PersonFilters, page: Page): ListResult<Person> {
  const { from, conditions } = selectionFor(db, filters)
  const { rows, total, next } = selectPage<PersonRow>(
    db,
    {
      columns: sql`pe.id, pe.name, pe.honorific_prefix, pe.given_name, pe.family_name, pe.sort_name, pe.note`,
      from,
      conditions,
      order: sortTerms(filters.sort, PERSON_SORTS, filters.q === undefined ? SORT_NAME_ORDER : [{ expression: SEARCH_RANK }, ...SORT_NAME_ORDER], sql`pe.id`)
    },
    page
  )
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
  return { data, total, next }
}

export function getPerson(db: DirectoryDatabase, id: string): Person | undefined {
  return listPeople(db, { ids: [id] }, { limit: 1, withTotal: false }).data[0]
}

/** One position with the person who holds it, or undefined. */
export function getPosition(db: DirectoryDatabase, id: string): PositionRecord | undefined {
  const holder = db.get<{ person_id: string; person_name: string } | undefined>(
    sql`SELECT p.id AS person_id, p.name AS person_name FROM positions ps JOIN people p ON p.id = ps.person_id WHERE ps.id = ${id}`
  )
  if (holder === undefined) return undefined
  const position = (positionsOf(db, [holder.person_id]).get(holder.person_id) as Position[]).find((p) => p.id === id) as Position
  return { ...position, person: { id: holder.person_id, name: holder.person_name } }
}
