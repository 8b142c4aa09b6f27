// The person_scopes table (see people.table.ts): how it is made from the tables, kept current by
// every write, and read by the people list's filters and facets.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { definitionVersion, rebuildIfRedefined, sqlText, writeSetting } from '../../db/settings.js'
import { statement } from '../../db/statements.js'
import type { TouchedRecord } from '../../search/refresh-search.js'
import { startsWith } from '../shared/sql.js'

const COUNTRY_SCOPE = 'country:'
const ORGANISATION_SCOPE = 'organisation:'
// As literals, not parameters, in the definition: they are part of its text (personScopesVersion).
const COUNTRY = sql.raw(`'${COUNTRY_SCOPE}'`)
const ORGANISATION = sql.raw(`'${ORGANISATION_SCOPE}'`)

/** Restricts the definition to some people (those whose rows a write changed), or not. */
type Only = SQL | undefined

/**
 * The positions (q) or participations (p) of everyone, or of the people `only` lists, each
 * person's looked up by the person index (CROSS JOIN, INDEXED BY). Otherwise SQLite read the whole
 * table, or the whole of a covering index that has the person second, checking the list or once a
 * person, wherever its statistics found the table small.
 */
const ofPeople = (only: Only, table: 'positions' | 'participations'): SQL => {
  const alias = sql.raw(table === 'positions' ? 'q' : 'p')
  if (only === undefined) return sql`${sql.raw(table)} ${alias}`
  return sql`${only} m CROSS JOIN ${sql.raw(table)} ${alias} INDEXED BY ${sql.raw(`${table}_person_id_idx`)} ON ${alias}.person_id = m.value`
}

// Each (scope, person) once: the DISTINCT over all the pairs. For everyone, the represented
// organisations are read first (CROSS JOIN), each with its people from the covering index
// participations_on_behalf_of_person_idx, rather than every participation looked up in turn.
const everyScope = (only?: Only): SQL => sql`INSERT INTO person_scopes (scope, person_id)
  SELECT DISTINCT scope, person_id FROM (
    SELECT ${COUNTRY} || o.country_code AS scope, q.person_id FROM ${ofPeople(only, 'positions')} JOIN organisations o ON o.id = q.organisation_id
      WHERE o.country_code IS NOT NULL
    UNION ALL SELECT ${COUNTRY} || p.country_code, p.person_id FROM ${ofPeople(only, 'participations')}
      WHERE p.person_id IS NOT NULL AND p.country_code IS NOT NULL
    UNION ALL SELECT ${COUNTRY} || o.country_code, p.person_id FROM ${only === undefined ? sql`organisations o CROSS JOIN participations p` : sql`${ofPeople(only, 'participations')} JOIN organisations o`}
      ON o.id = p.on_behalf_of_id WHERE p.person_id IS NOT NULL AND o.country_code IS NOT NULL
    UNION ALL SELECT ${ORGANISATION} || q.organisation_id, q.person_id FROM ${ofPeople(only, 'positions')}
    UNION ALL SELECT ${ORGANISATION} || p.on_behalf_of_id, p.person_id FROM ${ofPeople(only, 'participations')}
      WHERE p.person_id IS NOT NULL AND p.on_behalf_of_id IS NOT NULL)`

/** Identifies the table's definition: when it changes, open databases rebuild it. */
export const personScopesVersion = (): string => definitionVersion([sqlText(everyScope())])

/** Refills the table from the tables (inside the transaction of the write). */
export function rebuildPersonScopes(db: DirectoryDatabase): void {
  db.run(sql`DELETE FROM person_scopes`)
  db.run(everyScope())
  writeSetting(db.$client, 'person_scopes_version', personScopesVersion())
}

/** Rebuilds the table of a database whose table was built by another definition, or never built. */
export function refreshPersonScopes(db: DirectoryDatabase): boolean {
  return rebuildIfRedefined(db.$client, 'person_scopes_version', personScopesVersion(), () => rebuildPersonScopes(db))
}

/** Deletes and makes again the rows of these people (inside the write's transaction). */
export function refreshPersonScopeRows(db: DirectoryDatabase, personIds: Iterable<string>): void {
  const list = JSON.stringify([...personIds])
  if (list === '[]') return
  const only = sql`(SELECT value FROM json_each(${list}))`
  // The index is named: with few rows in the table, SQLite's statistics chose to scan it.
  db.run(sql`DELETE FROM person_scopes INDEXED BY person_scopes_person_idx WHERE person_id IN ${only}`)
  db.run(everyScope(only))
}

// The people affiliated with these organisations, whose countries follow theirs: each
// organisation's, found by positions_organisation_id_idx and the covering
// participations_on_behalf_of_person_idx (CROSS JOIN: see ofPeople). UNION ALL: a UNION read both
// tables whole in person order, to merge them; the caller's Set drops the people found twice.
const PEOPLE_AFFILIATED_WITH = `WITH organisation(id) AS (SELECT value FROM json_each(?))
  SELECT q.person_id FROM organisation o CROSS JOIN positions q ON q.organisation_id = o.id
  UNION ALL SELECT p.person_id FROM organisation o CROSS JOIN participations p ON p.on_behalf_of_id = o.id WHERE p.person_id IS NOT NULL`

/**
 * The people whose rows a write of these records can change: the person of a position or
 * participation, before and after, and the people affiliated with an organisation whose country
 * changed (at 1,000,000 participations, a ministry's 2,000 people took 0.8 s to refresh, which a
 * new name or note does not need). A person's own fields are in no row, and a person or an
 * organisation with rows cannot be deleted before the positions and participations that make them.
 * A write that changes countries rebuilds every derived table.
 */
export function peopleMovedBy(db: DirectoryDatabase, touched: readonly TouchedRecord[]): Set<string> {
  const moved = new Set<string>()
  const organisations: string[] = []
  for (const { collection, id, before, after } of touched) {
    if (collection === 'organisations') {
      if (before?.country !== after?.country) organisations.push(id)
    } else if (collection === 'positions' || collection === 'participations') {
      for (const person of [before?.person, after?.person]) if (typeof person === 'string') moved.add(person)
    }
  }
  if (organisations.length > 0) {
    for (const person of statement(db.$client, PEOPLE_AFFILIATED_WITH).pluck().all(JSON.stringify(organisations)) as string[]) moved.add(person)
  }
  return moved
}

/** The people under one scope, as a subquery of ids. */
const peopleUnder = (scope: SQL): SQL => sql`(SELECT person_id FROM person_scopes WHERE scope = ${scope})`

/** The people of a country: holding a position at one of its organisations, or taking part from it or on behalf of one. */
export const peopleOfCountry = (code: string): SQL => peopleUnder(sql`${COUNTRY_SCOPE + code}`)

/**
 * The people holding a position at, or taking part on behalf of, one of the organisations: each
 * organisation's rows looked up in turn (CROSS JOIN), not a scan of the table checking its scopes.
 */
export const peopleAffiliatedWith = (organisationIds: SQL): SQL =>
  sql`(SELECT s.person_id FROM ${organisationIds} o CROSS JOIN person_scopes s ON s.scope = ${ORGANISATION_SCOPE} || o.id)`

/**
 * The (record_id, value) pairs of a facet: each person's rows under the prefix, the value being the
 * rest of the scope. A facet joins its matching people to them by person_scopes_person_idx.
 */
const pairsUnder = (prefix: string): SQL =>
  sql`(SELECT person_id AS record_id, substr(scope, ${prefix.length + 1}) AS value FROM person_scopes WHERE ${startsWith(sql`scope`, prefix)})`

/**
 * Everyone's facet: the people under each value of the prefix, counted down the table's key (a
 * person is under a scope once), then those under none of them. At 1,000,000 participations
 * (125,000 people) everyone's countries took 8 ms, and those with none 55, where joining every
 * person to their pairs took 420 ms.
 */
const everyoneUnder = (prefix: string): SQL =>
  sql`SELECT substr(scope, ${prefix.length + 1}) AS value, count(*) AS count FROM person_scopes WHERE ${startsWith(sql`scope`, prefix)} GROUP BY scope
    UNION ALL SELECT NULL, count(*) FROM people pe
      WHERE NOT EXISTS (SELECT 1 FROM person_scopes s WHERE s.person_id = pe.id AND ${startsWith(sql`s.scope`, prefix)}) HAVING count(*) > 0`

/** Each person's countries, and each person's organisations (what the facets count), and everyone's counts of them. */
export const PERSON_COUNTRY_PAIRS = pairsUnder(COUNTRY_SCOPE)
export const PERSON_ORGANISATION_PAIRS = pairsUnder(ORGANISATION_SCOPE)
export const EVERYONE_BY_COUNTRY = everyoneUnder(COUNTRY_SCOPE)
export const EVERYONE_BY_ORGANISATION = everyoneUnder(ORGANISATION_SCOPE)
