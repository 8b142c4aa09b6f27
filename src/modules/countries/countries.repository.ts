// Countries: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ListQuery } from '../../http/lists.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import { foldedContains } from '../shared/filters.js'
import { selectPage, type ListResult, type Page } from '../shared/sql.js'
import type { CountriesQuery, Country } from './countries.schemas.js'

export type CountryFilters = Omit<CountriesQuery, keyof ListQuery> & { code?: string }

type CountryRow = Pick<Country, 'code' | 'alpha3' | 'numeric' | 'name'>

export function listCountries(db: DirectoryDatabase, filters: CountryFilters, page: Page): ListResult<Country> {
  const where: SQL[] = []
  if (filters.code !== undefined) {
    const code = filters.code.toUpperCase()
    where.push(sql`(c.code = ${code} OR c.alpha3 = ${code})`)
  }
  if (filters.q !== undefined) {
    const q = filters.q
    where.push(sql`(${foldedContains(sql`c.name`, q)} OR upper(${q}) IN (c.code, c.alpha3)
      OR c.code IN (SELECT country_code FROM other_names WHERE country_code IS NOT NULL AND ${foldedContains(sql`name`, q)}))`)
  }
  const { rows, total, next } = selectPage<CountryRow>(
    db,
    {
      columns: sql`c.code, c.alpha3, c.numeric, c.name`,
      from: sql`FROM countries c`,
      conditions: where,
      order: [{ expression: sql`fold(c.name)` }, { expression: sql`c.code` }]
    },
    page
  )
  const codes = rows.map((r) => r.code)
  const otherNames = otherNamesFor(db, 'country', codes)
  const sources = citationsFor(db, 'country', codes)
  return {
    data: rows.map((r) => ({ ...r, other_names: otherNames.get(r.code) ?? [], sources: sources.get(r.code) ?? [] })),
    total,
    next
  }
}

/** A country by alpha-2 or alpha-3 code, in any case. */
export function getCountry(db: DirectoryDatabase, code: string): Country | undefined {
  return listCountries(db, { code }, { limit: 1, withTotal: false }).data[0]
}
