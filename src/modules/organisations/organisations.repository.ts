// Organisations: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { Page } from '../../http/pagination.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import { countriesNamed, foldedContains, ministryOrganisations, requireExisting, resolveCountry } from '../shared/filters.js'
import { countRows, facetCounts, orderBy, whereAll, type FacetDefinition } from '../shared/sql.js'
import { ORGANISATION_FACET_NAMES, ORGANISATION_SORT_FIELDS, type Organisation, type OrganisationsQuery } from './organisations.schemas.js'

export type OrganisationFilters = Omit<OrganisationsQuery, 'limit' | 'offset'> & { id?: string }

type OrganisationRef = Organisation['children'][number]

const FROM = sql`
  FROM organisations o
  LEFT JOIN countries c ON c.code = o.country_code
  LEFT JOIN organisations po ON po.id = o.parent_id`

/** Builds the WHERE clause; throws InvalidFilterError for values that name nothing. */
function whereClauseFor(db: DirectoryDatabase, filters: OrganisationFilters): SQL {
  const where: SQL[] = []
  if (filters.id !== undefined) where.push(sql`o.id = ${filters.id}`)
  if (filters.country !== undefined) where.push(sql`o.country_code = ${resolveCountry(db, filters.country)}`)
  if (filters.ministry !== undefined) where.push(sql`o.id IN ${ministryOrganisations(db, filters.ministry)}`)
  if (filters.classification !== undefined) where.push(sql`o.classification = ${filters.classification}`)
  if (filters.parent !== undefined) {
    where.push(sql`o.parent_id = ${requireExisting(db, 'organisations', filters.parent, 'parent', 'organisation')}`)
  }
  if (filters.q !== undefined) {
    const q = filters.q
    where.push(sql`(${foldedContains(sql`o.name`, q)} OR ${foldedContains(sql`o.abbreviation`, q)}
      OR EXISTS (SELECT 1 FROM other_names n WHERE n.organisation_id = o.id AND ${foldedContains(sql`n.name`, q)})
      OR o.country_code IN ${countriesNamed(q)})`)
  }
  return whereAll(where)
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

export function listOrganisations(db: DirectoryDatabase, filters: OrganisationFilters, page: Page): { data: Organisation[]; total: number } {
  const whereClause = whereClauseFor(db, filters)
  const total = countRows(db, sql`${FROM} ${whereClause}`)
  const rows = db.all<OrganisationRow>(sql`
    SELECT o.id, o.name, o.abbreviation, o.classification, o.portfolio, o.note,
      c.code AS country_code, c.name AS country_name,
      po.id AS parent_id, po.name AS parent_name, po.abbreviation AS parent_abbreviation
    ${FROM} ${whereClause}
    ${orderBy(filters.sort, ORGANISATION_SORTS, sql`fold(o.name)`, sql`o.id`)}
    LIMIT ${page.limit} OFFSET ${page.offset}`)
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
  return { data, total }
}

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

export function countOrganisationFacets(db: DirectoryDatabase, filters: OrganisationFilters, names: string[]) {
  return facetCounts(db, sql`${FROM} ${whereClauseFor(db, filters)}`, ORGANISATION_FACETS, names)
}

export function getOrganisation(db: DirectoryDatabase, id: string): Organisation | undefined {
  return listOrganisations(db, { id }, { limit: 1, offset: 0 }).data[0]
}
