// People: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ListQuery } from '../../http/lists.js'
import { SEARCH_RANK, searchJoin } from '../../search/search-index.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import { ministryOrganisations, oneOf, organisationAndBelow, requireExisting, resolveCountry } from '../shared/filters.js'
import { pairedFacetCounts, selectPage, sortTerms, whereAll, type FacetRequest, type ListResult, type Page, type PairedFacetDefinition, type SortField, type SortTerm } from '../shared/sql.js'
import { EVERYONE_BY_COUNTRY, EVERYONE_BY_ORGANISATION, peopleAffiliatedWith, peopleOfCountry, PERSON_COUNTRY_PAIRS, PERSON_ORGANISATION_PAIRS } from './people.scopes.js'
import { PERSON_FACET_NAMES, PERSON_SORT_FIELDS, type PeopleQuery, type Person, type Position, type PositionRecord } from './people.schemas.js'

export type PersonFilters = Omit<PeopleQuery, keyof ListQuery> & { ids?: readonly string[] }

export const PERSON_FACETS = {
  country: { pairs: PERSON_COUNTRY_PAIRS, ofEveryRecord: EVERYONE_BY_COUNTRY, label: (code) => sql`(SELECT name FROM countries WHERE code = ${code})` },
  organisation: { pairs: PERSON_ORGANISATION_PAIRS, ofEveryRecord: EVERYONE_BY_ORGANISATION, label: (id) => sql`(SELECT name FROM organisations WHERE id = ${id})` }
} satisfies Record<(typeof PERSON_FACET_NAMES)[number], PairedFacetDefinition>

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
    where.push(sql`pe.id IN ${peopleOfCountry(resolveCountry(db, filters.country))}`)
  }
  if (filters.ministry !== undefined) where.push(sql`pe.id IN ${peopleAffiliatedWith(ministryOrganisations(db, filters.ministry))}`)
  if (filters.organisation !== undefined) where.push(sql`pe.id IN ${peopleAffiliatedWith(organisationAndBelow(db, filters.organisation))}`)
  const from = filters.q === undefined ? sql`FROM people pe` : sql`FROM people pe ${searchJoin('search_people', filters.q, sql`pe.id`)}`
  return { from, conditions: where }
}

/** Counts of the matching people by country or organisation; someone with two counts under both. */
export function countPersonFacets(db: DirectoryDatabase, filters: PersonFilters, request: FacetRequest) {
  const { from, conditions } = selectionFor(db, filters)
  const everyone = filters.q === undefined && conditions.length === 0
  return pairedFacetCounts(db, everyone ? undefined : sql`SELECT pe.id ${from} ${whereAll(conditions)}`, PERSON_FACETS, request)
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

/**
 * Whether the order is the sort names' alone (then the id, which sortTerms always adds last):
 * people_order_idx's, forwards, or backwards with the ties of a sort name by id, which SQLite sorts
 * as it walks the index backwards (a block at a time, up to the page's end).
 */
const inSortNameOrder = (order: readonly SortTerm[]): boolean =>
  order.length === SORT_NAME_ORDER.length + 1 &&
  SORT_NAME_ORDER.every((term, i) => order[i]?.expression === term.expression && order[i]?.descending === order[0]?.descending)

export function listPeople(db: DirectoryDatabase, filters: PersonFilters, page: Page): ListResult<Person> {
  const { from, conditions } = selectionFor(db, filters)
  const order = sortTerms(filters.sort, PERSON_SORTS, filters.q === undefined ? SORT_NAME_ORDER : [{ expression: SEARCH_RANK }, ...SORT_NAME_ORDER], sql`pe.id`)
  const { rows, total, next } = selectPage<PersonRow>(
    db,
    {
      columns: sql`pe.id, pe.name, pe.honorific_prefix, pe.given_name, pe.family_name, pe.sort_name, pe.note`,
      from,
      conditions,
      order,
      // A search is read from its matches (FTS5) whatever the order: no index to walk.
      everyRecordInOrder: filters.q === undefined && inSortNameOrder(order) ? sql`FROM people pe` : undefined
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
