// Countries: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ListQuery } from '../../http/lists.js'
import { countrySearchText, searchTerms } from '../../search/search-index.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
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
  if (filters.q !== undefined) where.push(countriesMatching(filters.q))
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

/**
 * The countries `q` finds, as full-text search finds records elsewhere: every word of `q` starts a
 * word of the country's name or other names, both made into words by search_key() (so case,
 * accents, đ/dj and Cyrillic fold alike). 249 countries need no index of their own: their words are
 * made once per query. A `q` of one word also finds the country with that alpha-2 or alpha-3 code.
 */
function countriesMatching(q: string): SQL {
  const words = searchTerms(q)
  const startsAWord = words.map((word) => sql`instr(words, ${` ${word}`}) > 0`)
  const byCode = words.length === 1 ? sql` OR upper(${words[0]}) IN (c.code, c.alpha3)` : sql``
  return sql`(c.code IN (SELECT code FROM (SELECT code, ' ' || search_key(${countrySearchText(sql`k.code`)}) AS words FROM countries k)
    WHERE ${sql.join(startsAWord, sql` AND `)})${byCode})`
}

/** A country by alpha-2 or alpha-3 code, in any case. */
export function getCountry(db: DirectoryDatabase, code: string): Country | undefined {
  return listCountries(db, { code }, { limit: 1, withTotal: false }).data[0]
}
