// Small SQL builders shared by the repositories.
import { and, sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { InvalidFilterError } from './filters.js'

/** `WHERE a AND b ...`, or nothing at all when there is no condition. */
export function whereAll(conditions: SQL[]): SQL {
  const condition = and(...conditions)
  return condition ? sql`WHERE ${condition}` : sql``
}

/** How many rows `SELECT ... <fromAndWhere>` would return: the `meta.total` of a list. */
export function countRows(db: DirectoryDatabase, fromAndWhere: SQL): number {
  return db.get<{ total: number }>(sql`SELECT count(*) AS total ${fromAndWhere}`).total
}

/** One facet: what to group by, and the label to show for each value. */
export interface FacetDefinition {
  value: SQL
  label: SQL
}

export interface FacetValue {
  value: string | null
  label: string
  count: number
}

/**
 * Counts of the records matching `fromAndWhere`, by each requested facet, the way Datasette does:
 * exact, for the current filters, most frequent first. Records with no value count under null.
 */
export function facetCounts(
  db: DirectoryDatabase,
  fromAndWhere: SQL,
  definitions: Record<string, FacetDefinition>,
  names: readonly string[]
): Record<string, FacetValue[]> {
  return Object.fromEntries(
    names.map((name) => {
      const { value, label } = definitions[name] as FacetDefinition
      const rows = db.all<FacetValue>(
        sql`SELECT ${value} AS value, COALESCE(${label}, 'None') AS label, count(*) AS count ${fromAndWhere} GROUP BY 1, 2 ORDER BY count DESC, label, value`
      )
      return [name, rows]
    })
  )
}

/**
 * `ORDER BY` from a `sort` value such as "-start_date,name": allow-listed fields, `-` for
 * descending, and always the id last so that equal values keep a stable order across pages.
 * Without `sort`, the resource's own default order.
 */
export function orderBy(raw: string | undefined, allowed: Record<string, SQL>, fallback: SQL, id: SQL): SQL {
  if (raw === undefined) return sql`ORDER BY ${fallback}, ${id}`
  const terms = raw.split(',').map((term) => {
    const descending = term.startsWith('-')
    const name = descending ? term.slice(1) : term
    const expression = Object.hasOwn(allowed, name) ? allowed[name] : undefined
    if (expression === undefined) throw new InvalidFilterError('sort', `cannot sort by "${name}" (expected ${Object.keys(allowed).join(', ')})`)
    return descending ? sql`${expression} DESC` : sql`${expression} ASC`
  })
  return sql`ORDER BY ${sql.join(terms, sql`, `)}, ${id}`
}
