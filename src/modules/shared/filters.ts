// Turns filter values into SQL conditions, always through bound parameters. Values that name
// nothing (an unknown country, a portfolio that does not exist) raise InvalidFilterError, which
// the HTTP layer turns into a 400 naming the parameter.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { MINISTRY_PORTFOLIOS } from '../../vocabularies.js'

export class InvalidFilterError extends Error {
  override name = 'InvalidFilterError'
  constructor(
    readonly parameter: string,
    readonly detail: string
  ) {
    super(`Invalid query parameter "${parameter}": ${detail}`)
  }
}

/** Resolves an ISO alpha-2 or alpha-3 code, in any case, to the alpha-2 code of a known country. */
export function resolveCountry(db: DirectoryDatabase, raw: string, parameter = 'country'): string {
  const code = raw.toUpperCase()
  const found = db.$client.prepare('SELECT code FROM countries WHERE code = ? OR alpha3 = ?').pluck().get(code, code) as string | undefined
  if (found === undefined) throw new InvalidFilterError(parameter, `unknown country code "${raw}" (expected ISO 3166-1 alpha-2 or alpha-3)`)
  return found
}

/**
 * The ids of the organisations a `ministry` value covers: the ministries with that portfolio (or
 * the ministry with that id) and every organisation under them, at any depth.
 */
export function ministryOrganisations(db: DirectoryDatabase, raw: string): SQL {
  const ministry = resolveMinistry(db, raw)
  return organisationTree(
    'portfolio' in ministry
      ? sql`SELECT id FROM organisations WHERE classification = 'ministry' AND portfolio = ${ministry.portfolio}`
      : sql`SELECT id FROM organisations WHERE id = ${ministry.id}`
  )
}

/** A `ministry` value as a portfolio (any case) or the id of a ministry; anything else is a 400. */
function resolveMinistry(db: DirectoryDatabase, raw: string): { portfolio: string } | { id: string } {
  const value = raw.toLowerCase()
  if ((MINISTRY_PORTFOLIOS as readonly string[]).includes(value)) return { portfolio: value }
  const classification = db.$client.prepare('SELECT classification FROM organisations WHERE id = ?').pluck().get(raw)
  if (classification === undefined) {
    throw new InvalidFilterError('ministry', `"${raw}" is neither a portfolio (${MINISTRY_PORTFOLIOS.join(', ')}) nor an organisation id`)
  }
  if (classification !== 'ministry') throw new InvalidFilterError('ministry', `organisation "${raw}" is not a ministry`)
  return { id: raw }
}

/** The participation_scopes scope of a `ministry` value: 'portfolio:<portfolio>', or the ministry's own (organisationScope). */
export function ministryScope(db: DirectoryDatabase, raw: string): string {
  const ministry = resolveMinistry(db, raw)
  return 'portfolio' in ministry ? `portfolio:${ministry.portfolio}` : `organisation:${ministry.id}`
}

/**
 * The participation_scopes scope of an `organisation` value, 'organisation:<id>' (the participations
 * involving it or an organisation under it, which the `ministry` filter reads too for a ministry's
 * id), and whether it is a ministry's: those alone are paired with countries (see everyScope in participations.scopes.ts). An
 * unknown id is a 400.
 */
export function organisationScope(db: DirectoryDatabase, id: string): { scope: string; ofMinistry: boolean } {
  const classification = db.$client.prepare('SELECT classification FROM organisations WHERE id = ?').pluck().get(id)
  // No such organisation: requireExisting throws its 400.
  if (classification === undefined) requireExisting(db, 'organisations', id, 'organisation', 'organisation')
  return { scope: `organisation:${id}`, ofMinistry: classification === 'ministry' }
}

/** The ids of an organisation and every organisation under it; unknown ids are a 400. */
export function organisationAndBelow(db: DirectoryDatabase, id: string, parameter = 'organisation'): SQL {
  requireExisting(db, 'organisations', id, parameter, 'organisation')
  return organisationTree(sql`SELECT id FROM organisations WHERE id = ${id}`)
}

const organisationTree = (roots: SQL): SQL =>
  sql`(WITH RECURSIVE covered(id) AS (${roots} UNION SELECT o.id FROM organisations o JOIN covered c ON o.parent_id = c.id) SELECT id FROM covered)`

// Table names are spliced into SQL text: the type admits only these four literals.
type FilterableTable = 'organisations' | 'people' | 'events' | 'sessions'

export const recordExists = (db: DirectoryDatabase, table: FilterableTable, id: string): boolean =>
  db.$client.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined

/** A filter naming a record that does not exist is an error, not an empty result. */
export function requireExisting(db: DirectoryDatabase, table: FilterableTable, id: string, parameter: string, what: string): string {
  if (!recordExists(db, table, id)) {
    throw new InvalidFilterError(parameter, `unknown ${what} "${id}"`)
  }
  return id
}

/** The ids of the organisations of a country. */
export const countryOrganisations = (code: string | SQL): SQL => sql`(SELECT id FROM organisations WHERE country_code = ${code})`

/** The ids of the people holding a position at one of the given organisations. */
export const peopleAt = (organisationIds: SQL): SQL =>
  sql`(SELECT person_id FROM positions WHERE organisation_id IN ${organisationIds})`

/**
 * Whether a participation (aliased `p`) involves one of the organisations, as the `organisation`
 * and `ministry` filters mean it: the organisation takes part, or someone on its behalf, or a person
 * holding a position at it.
 */
export const involvingOrganisations = (organisationIds: SQL): SQL =>
  sql`(p.organisation_id IN ${organisationIds} OR p.on_behalf_of_id IN ${organisationIds} OR p.person_id IN ${peopleAt(organisationIds)})`

/** `column IN (ids)` for a list of ids bound as one JSON parameter, however many there are. */
export const oneOf = (column: SQL, ids: readonly string[]): SQL => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
