// Organisations: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ListQuery } from '../../http/lists.js'
import { SEARCH_RANK, searchJoin } from '../../search/search-index.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import { ministryOrganisations, oneOf, requireExisting, resolveCountry } from '../shared/filters.js'
import { facetCounts, recordsById, selectPage, sortTerms, whereAll, type FacetDefinition, type FacetRequest, type ListResult, type Page } from '../shared/sql.js'
import {
  ORGANISATION_FACET_NAMES,
  ORGANISATION_SORT_FIELDS,
  type ORGANISATION_INCLUDES,
  type Organisation,
  type OrganisationsQuery
} from './organisations.schemas.js'

export type OrganisationFilters = Omit<OrganisationsQuery, keyof ListQuery> & { ids?: readonly string[] }

type OrganisationRef = Organisation['children'][number]

const FROM = sql`
  FROM organisations o
  LEFT JOIN countries c ON c.code = o.country_code
  LEFT JOIN organisations po ON po.id = o.parent_id`

/** The FROM (with the search hits when there is a `q`) and the conditions; throws InvalidFilterError for values that name nothing. */
function selectionFor(db: DirectoryDatabase, filters: OrganisationFilters): { from: SQL; conditions: SQL[] } {
  const where: SQL[] = []
  if (filters.ids !== undefined) where.push(oneOf(sql`o.id`, filters.ids))
  if (filters.country !== undefined) where.push(sql`o.country_code = ${resolveCountry(db, filters.country)}`)
  if (filters.ministry !== undefined) where.push(sql`o.id IN ${ministryOrganisations(db, filters.ministry)}`)
  if (filters.classification !== undefined) where.push(sql`o.classification = ${filters.classification}`)
  if (filters.parent !== undefined) {
    where.push(sql`o.parent_id = ${requireExisting(db, 'organisations', filters.parent, 'parent', 'organisation')}`)
  }
  if (filters.event !== undefined) {
    const event = requireExisting(db, 'events', filters.event, 'event', 'event')
    // The index is named: where a few events hold most participations, SQLite's statistics (the
    // average rows a key) make it scan every participation, and the filter is there to be selective.
    const atEvent = sql`FROM participations INDEXED BY participations_event_id_idx WHERE event_id = ${event}`
    where.push(sql`o.id IN (SELECT organisation_id ${atEvent} UNION ALL SELECT on_behalf_of_id ${atEvent})`)
  }
  const from = filters.q === undefined ? FROM : sql`${FROM} ${searchJoin('search_organisations', filters.q, sql`o.id`)}`
  return { from, conditions: where }
}

interface OrganisationRow {
  id: string
  name: string
  abbreviation: string | null
  classification: Organisation['classification']
  portfolio: Organisation['portfolio']
  note: string | null
  country_code: string | null
  country_name: string | null
  parent_id: string | null
  parent_name: string | null
  parent_abbreviation: string | null
}

/** The organisations directly under each of the given ones, in one query. */
function childrenOf(db: DirectoryDatabase, ids: readonly string[]): Map<string, OrganisationRef[]> {
  const byParent = new Map<string, OrganisationRef[]>()
  if (ids.length === 0) return byParent
  const rows = db.all<OrganisationRef & { parent_id: string }>(sql`
    SELECT id, name, abbreviation, parent_id FROM organisations
    WHERE parent_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    ORDER BY name, id`)
  for (const { parent_id: parent, ...child } of rows) {
    const list = byParent.get(parent)
    if (list) list.push(child)
    else byParent.set(parent, [child])
  }
  return byParent
}

export function listOrganisations(db: DirectoryDatabase, filters: OrganisationFilters, page: Page): ListResult<Organisation> {
  const { from, conditions } = selectionFor(db, filters)
  const { rows, total, next } = selectPage<OrganisationRow>(
    db,
    {
      columns: sql`o.id, o.name, o.abbreviation, o.classification, o.portfolio, o.note,
        c.code AS country_code, c.name AS country_name,
        po.id AS parent_id, po.name AS parent_name, po.abbreviation AS parent_abbreviation`,
      from,
      conditions,
      order: sortTerms(filters.sort, ORGANISATION_SORTS, filters.q === undefined ? DEFAULT_ORDER : [{ expression: SEARCH_RANK }, ...DEFAULT_ORDER], sql`o.id`)
    },
    page
  )
  const ids = rows.map((r) => r.id)
  const children = childrenOf(db, ids)
  const otherNames = otherNamesFor(db, 'organisation', ids)
  const sources = citationsFor(db, 'organisation', ids)
  const data = rows.map(
    (r): Organisation => ({
      id: r.id,
      name: r.name,
      abbreviation: r.abbreviation,
      classification: r.classification,
      portfolio: r.portfolio,
      country: r.country_code === null ? null : { code: r.country_code, name: r.country_name as string },
      parent: r.parent_id === null ? null : { id: r.parent_id, name: r.parent_name as string, abbreviation: r.parent_abbreviation },
      children: children.get(r.id) ?? [],
      other_names: otherNames.get(r.id) ?? [],
      note: r.note,
      sources: sources.get(r.id) ?? []
    })
  )
  return { data, total, next }
}

const DEFAULT_ORDER = [{ expression: sql`fold(o.name)` }]

/** The fields `sort` accepts. */
export const ORGANISATION_SORTS = {
  name: sql`fold(o.name)`,
  abbreviation: sql`fold(o.abbreviation)`,
  classification: sql`o.classification`,
  country: sql`fold(c.name)`
} satisfies Record<(typeof ORGANISATION_SORT_FIELDS)[number], SQL>

export const ORGANISATION_FACETS = {
  country: { value: sql`c.code`, label: sql`c.name` },
  classification: { value: sql`o.classification`, label: sql`o.classification` },
  portfolio: { value: sql`o.portfolio`, label: sql`o.portfolio` }
} satisfies Record<(typeof ORGANISATION_FACET_NAMES)[number], FacetDefinition>

export function countOrganisationFacets(db: DirectoryDatabase, filters: OrganisationFilters, request: FacetRequest) {
  const { from, conditions } = selectionFor(db, filters)
  return facetCounts(db, sql`${from} ${whereAll(conditions)}`, ORGANISATION_FACETS, request)
}

export function getOrganisation(db: DirectoryDatabase, id: string): Organisation | undefined {
  return listOrganisations(db, { ids: [id] }, { limit: 1, withTotal: false }).data[0]
}

/** The organisations with their parent and children in full, read for the whole page at once. */
export function embedInOrganisations(db: DirectoryDatabase, records: Organisation[], names: readonly string[]): Organisation[] {
  const wanted = new Set(names as (typeof ORGANISATION_INCLUDES)[number][])
  const parentIds = wanted.has('parent') ? records.flatMap((r) => (r.parent === null ? [] : [r.parent.id])) : []
  const childIds = wanted.has('children') ? records.flatMap((r) => r.children.map((child) => child.id)) : []
  const related = recordsById((filters, page) => listOrganisations(db, filters, page), [...parentIds, ...childIds])
  const full = (id: string) => related.get(id) as Organisation
  return records.map((record) => {
    const included: NonNullable<Organisation['included']> = {}
    if (wanted.has('parent')) included.parent = record.parent === null ? null : full(record.parent.id)
    if (wanted.has('children')) included.children = record.children.map((child) => full(child.id))
    return { ...record, included }
  })
}
