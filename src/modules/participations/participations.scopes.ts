// The participation_scopes index (see participations.table.ts): how it is rebuilt from the tables,
// and how a list of participations in the default order reads one page and its total from it.
import { isDeepStrictEqual } from 'node:util'
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { definitionVersion, rebuildIfRedefined, sqlText, writeSetting } from '../../db/settings.js'
import { refillWithoutIndexes } from '../../db/refill.js'
import { allRows, prepared, statement } from '../../db/statements.js'
import type { CsvChunk } from '../../http/csv.js'
import { cachedCount } from '../../db/count-cache.js'
import type { TouchedRecord } from '../../search/refresh-search.js'
import { rankedMatches, recordIdOfMatch, searchHits } from '../../search/search-index.js'
import { requireFittingCursor, selectPage, sortTerms, startsWith, topFacetValues, whereAll, type FacetCounts, type FacetRequest, type Page, type SortKey } from '../shared/sql.js'
import { PARTICIPATION_ROLES } from '../../vocabularies.js'
import type { PARTICIPATION_FACET_NAMES, PARTICIPATION_SORT_FIELDS } from './participations.schemas.js'
import { PARTICIPATIONS_FROM, PARTICIPATION_FACETS, DEFAULT_ORDER_KEYS } from './participations.repository.js'

/**
 * Restricts the index's definition to some participations (those whose rows a write changed), or
 * not. Restricted, the condition is behind a unary +, which no index serves: the participations
 * are then found by id, where SQLite's statistics could choose to read an index of the condition's
 * column whole (participations_country_code_person_idx for `p.country_code IS NOT NULL`).
 */
type Only = SQL | undefined
const where = (only: Only, condition = sql`1`): SQL => (only === undefined ? sql`WHERE ${condition}` : sql`WHERE p.id IN ${only} AND +(${condition})`)

/**
 * The rows of participation_scopes (x) of every participation, or of those `only` lists, each
 * looked up by the membership index: a condition on the list, with `x.scope = ''`, read every ''
 * row of the order index instead (at 1,000,000 participations a write of one participation spent
 * 0.37 s in each of three statements).
 */
export const scopeRowsOf = (only: Only): SQL =>
  only === undefined
    ? sql`participation_scopes x`
    : sql`${only} m CROSS JOIN participation_scopes x INDEXED BY participation_scopes_membership_idx ON x.participation_id = m.value`

/**
 * Where the rows of the participations a write moved are made (refreshParticipationScopeRows): a
 * table of this connection's, emptied before and after each use, which the write then compares
 * with participation_scopes. SQLite keeps temporary tables in a file of their own (this build's
 * default), which keeps its largest size, in pages it reuses, until the connection closes.
 */
const FRESH = 'fresh_participation_scopes'

/** The table the rows are made in: participation_scopes in a rebuild, FRESH for some participations. */
const madeIn = (only: Only): SQL => sql.raw(only === undefined ? 'participation_scopes' : `temp.${FRESH}`)

// Every participation under '', with the default order's keys computed exactly as the list computes them.
// (A function: the keys come from the repository, which imports this module.) Into an empty table,
// each row takes its participation's rowid: everyScope then finds a participation's keys by rowid
// (at 1,000,000 participations, 8.5 million rows: 37 s instead of 61 looking them up by id in a
// temporary index; the table has none during a rebuild).
const everyParticipation = (only?: Only): SQL => sql`INSERT INTO ${madeIn(only)} (rowid, scope, participation_id, start_date, event_id, role_rank, participant_key, country_code, participant_type)
  SELECT p.rowid, '', p.id, ${sql.join(
    DEFAULT_ORDER_KEYS.map((key) => sql`IFNULL(${key}, '')`),
    sql`, `
  )}, ${PARTICIPATION_FACETS.country.value}, ${PARTICIPATION_FACETS.participant_type.value} ${PARTICIPATIONS_FROM} ${where(only)}`

/** The '' row of the participation whose rowid is s.pid, `k`, by its rowid (see everyParticipation). */
const keysOf = (only: Only): SQL => sql`CROSS JOIN ${madeIn(only)} k ON k.rowid = s.pid`

// Each participation under every filter value it matches, as the filters define them: a country is
// the participation's own, its delegation's, or that of an organisation it involves (the participant,
// the one represented, or one where the participating person holds a position); an organisation
// (a ministry, a portfolio's ministries) covers those at or below it, at any depth. A participation
// matching both a country and a ministry (or portfolio) is also under the pair
// ('country:BA&portfolio:defence'), which a list filtered by both reads as one range: checking one
// filter row by row over the other's range cost the whole range when few rows have both. Other
// organisations ("bodies") are not paired: most belong to one country, and the pairs would add a
// row for each of their rows. Each participation's countries and offices are made
// distinct before they are paired, so every (scope, participation) comes out once: a DISTINCT over
// all the rows took 40 % of a rebuild. The CROSS JOINs keep the large side outside and look the
// small one up: in a rebuild, with the table's indexes dropped, SQLite otherwise built a temporary
// index over the large side (the involved organisations, three times over; every scope row).
// Each temporary index keeps up to 16 MB of pages: at 100,000 participations the import's peak
// RSS went from 284 to 248 MB without them, in the same time. For some participations, the
// organisations above are those of the organisations they involve alone: every organisation's
// took 16-35 ms at 1,000,000 participations (3,537 organisations), most of a write of one.
const everyScope = (only?: Only): SQL => sql`WITH RECURSIVE
  involved(pid, org) AS (
    SELECT p.rowid, p.organisation_id FROM participations p ${where(only, sql`p.organisation_id IS NOT NULL`)}
    UNION SELECT p.rowid, p.on_behalf_of_id FROM participations p ${where(only, sql`p.on_behalf_of_id IS NOT NULL`)}
    UNION SELECT p.rowid, q.organisation_id FROM participations p JOIN positions q ON q.person_id = p.person_id ${where(only)}),
  above(org, ancestor) AS (
    ${only === undefined ? sql`SELECT id, id FROM organisations` : sql`SELECT DISTINCT org, org FROM involved`}
    UNION SELECT a.org, o.parent_id FROM above a JOIN organisations o ON o.id = a.ancestor WHERE o.parent_id IS NOT NULL),
  ministries(org, id, portfolio) AS (
    SELECT a.org, m.id, m.portfolio FROM above a JOIN organisations m ON m.id = a.ancestor WHERE m.classification = 'ministry'),
  countries(pid, scope) AS MATERIALIZED (
    SELECT p.rowid, 'country:' || p.country_code FROM participations p ${where(only, sql`p.country_code IS NOT NULL`)}
    UNION SELECT p.rowid, 'country:' || p.delegation_country_code FROM participations p ${where(only, sql`p.delegation_country_code IS NOT NULL`)}
    UNION SELECT i.pid, 'country:' || o.country_code FROM involved i CROSS JOIN organisations o ON o.id = i.org WHERE o.country_code IS NOT NULL),
  offices(pid, scope) AS MATERIALIZED (
    SELECT i.pid, 'organisation:' || m.id FROM involved i CROSS JOIN ministries m ON m.org = i.org
    UNION SELECT i.pid, 'portfolio:' || m.portfolio FROM involved i CROSS JOIN ministries m ON m.org = i.org WHERE m.portfolio IS NOT NULL),
  bodies(pid, scope) AS (
    SELECT DISTINCT i.pid, 'organisation:' || a.ancestor FROM involved i CROSS JOIN above a ON a.org = i.org
    CROSS JOIN organisations o ON o.id = a.ancestor WHERE o.classification <> 'ministry'),
  scopes(pid, scope) AS (
    SELECT p.rowid, 'event:' || p.event_id FROM participations p ${where(only)}
    UNION ALL SELECT p.rowid, 'person:' || p.person_id FROM participations p ${where(only, sql`p.person_id IS NOT NULL`)}
    UNION ALL SELECT p.rowid, 'role:' || p.role FROM participations p ${where(only)}
    UNION ALL SELECT pid, scope FROM countries
    UNION ALL SELECT pid, scope FROM offices
    UNION ALL SELECT pid, scope FROM bodies
    UNION ALL SELECT c.pid, c.scope || '&' || m.scope FROM countries c JOIN offices m ON m.pid = c.pid)
  INSERT INTO ${madeIn(only)} (scope, participation_id, start_date, event_id, role_rank, participant_key, country_code, participant_type)
  SELECT s.scope, k.participation_id, k.start_date, k.event_id, k.role_rank, k.participant_key, k.country_code, k.participant_type
  FROM scopes s ${keysOf(only)}`

// The totals of every scope, counted afresh (a rebuild)...
const EVERY_TOTAL = sql`INSERT INTO participation_scope_totals (scope, total) SELECT scope, count(*) FROM participation_scopes GROUP BY scope`

// ...or changed by the rows of some participations: their rows' taken off (sign -1), and their
// fresh rows' (FRESH) added (+1).
const adjustTotals = (rows: SQL, sign: -1 | 1): SQL => sql`INSERT INTO participation_scope_totals (scope, total)
  SELECT scope, ${sign} * count(*) FROM ${rows} GROUP BY scope
  ON CONFLICT (scope) DO UPDATE SET total = total + excluded.total`

/**
 * Besides the scopes' totals, the table counts every participation by the two facet values that
 * are no scope: the country a participation shows ('facet:country:BA', '' after the prefix for
 * none) and its participant type ('facet:participant_type:person'). Those, with the totals of the
 * role and event scopes, are the facets of the unfiltered list (scopedFacetCounts): grouped over
 * the '' rows instead, its four facets took 4 s at 1,000,000 participations (0.25 s at 100,000),
 * while the server answered nothing else.
 */
const FACET_TOTAL = 'facet:'
const COUNTRY_FACET_TOTAL = `${FACET_TOTAL}country:`
const PARTICIPANT_TYPE_FACET_TOTAL = `${FACET_TOTAL}participant_type:`
const facetTotalRows = (rows: SQL = sql`participation_scopes x`): SQL => {
  const emptyScope = sql`FROM ${rows} WHERE x.scope = ''`
  // Literals, not parameters: they are part of the definition's text (participationScopesVersion).
  return sql`SELECT ${sql.raw(`'${COUNTRY_FACET_TOTAL}'`)} || IFNULL(x.country_code, '') AS scope ${emptyScope}
    UNION ALL SELECT ${sql.raw(`'${PARTICIPANT_TYPE_FACET_TOTAL}'`)} || x.participant_type ${emptyScope}`
}
const EVERY_FACET_TOTAL = sql`INSERT INTO participation_scope_totals (scope, total) SELECT scope, count(*) FROM (${facetTotalRows()}) GROUP BY scope`
const adjustFacetTotals = (rows: SQL, sign: -1 | 1): SQL => sql`INSERT INTO participation_scope_totals (scope, total)
  SELECT scope, ${sign} * count(*) FROM (${facetTotalRows(rows)}) GROUP BY scope
  ON CONFLICT (scope) DO UPDATE SET total = total + excluded.total`

/** Identifies the index's definition: when it changes, open databases rebuild it. */
export const participationScopesVersion = (): string => definitionVersion([everyParticipation(), everyScope(), EVERY_TOTAL, EVERY_FACET_TOTAL].map(sqlText))

/**
 * Refills the index from the tables (run inside the transaction of the write): for a write of many
 * records, a reset, or a change of country names (part of the participants' sort keys).
 */
export function rebuildParticipationScopes(db: DirectoryDatabase): void {
  // Filling the table first and making its indexes afterwards took 40 % less time than keeping
  // both indexes up to date row by row (at 100,000 participations, 854,000 rows).
  refillWithoutIndexes(db.$client, ['participation_scopes'], () => {
    db.run(sql`DELETE FROM participation_scopes`)
    db.run(everyParticipation())
    db.run(everyScope())
  })
  db.run(sql`DELETE FROM participation_scope_totals`)
  db.run(EVERY_TOTAL)
  db.run(EVERY_FACET_TOTAL)
  writeSetting(db.$client, 'participation_scopes_version', participationScopesVersion())
}

/**
 * What every row of a participation holds besides its scope: the participation's keys, which
 * everyScope copies from its '' row. (everyParticipation and everyScope name them in text of their
 * own, which the definition's version hashes.)
 */
const KEY_COLUMNS = ['start_date', 'event_id', 'role_rank', 'participant_key', 'country_code', 'participant_type'] as const

// A participation's '' row in FRESH (f) and in participation_scopes (x) hold the same keys (country_code may be null).
const SAME_FRESH_KEYS = sql.raw(KEY_COLUMNS.map((column) => `f.${column} IS x.${column}`).join(' AND '))

/** The participations among FRESH's whose keys changed (or that are new): every row of each is written again. */
const REKEYED = 'rekeyed_participations'

/**
 * Makes the index rows of these participations what the tables now make them (inside the write's
 * transaction), writing only the rows that differ. Their rows are made afresh in FRESH; the index
 * then loses the rows of each participation whose keys changed, and the rows of the others under
 * a scope they are no longer under, and gains the fresh rows under a scope it lacks. The rows a
 * write looks at are found by the membership index alone: what a row holds besides its scope is
 * its participation's keys, compared once, on the '' rows. A write can move many participations,
 * and few of each one's rows: deleting and inserting every row of each (a ministry moved to
 * another country at 1,000,000 participations: 88,700 participations, 890,000 rows, most
 * unchanged) wrote 13 GB in 205 s, in random places of the table and its two indexes.
 */
export function refreshParticipationScopeRows(db: DirectoryDatabase, participationIds: Iterable<string>): void {
  const list = JSON.stringify([...participationIds])
  if (list === '[]') return
  const only = sql`(SELECT value FROM json_each(${list}))`
  const fresh = sql.raw(`temp.${FRESH}`)
  const rekeyed = sql.raw(`temp.${REKEYED}`)
  db.run(sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.raw(FRESH)} AS SELECT * FROM participation_scopes WHERE FALSE`)
  db.run(sql`CREATE INDEX IF NOT EXISTS ${sql.raw(`temp.${FRESH}_membership_idx`)} ON ${sql.raw(FRESH)} (participation_id, scope)`)
  db.run(sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.raw(REKEYED)} (participation_id TEXT PRIMARY KEY) WITHOUT ROWID`)
  db.run(sql`DELETE FROM ${fresh}`)
  db.run(sql`DELETE FROM ${rekeyed}`)
  db.run(everyParticipation(only))
  db.run(everyScope(only))
  db.run(adjustTotals(scopeRowsOf(only), -1))
  db.run(adjustFacetTotals(scopeRowsOf(only), -1))
  db.run(adjustTotals(sql`${fresh} x`, 1))
  db.run(adjustFacetTotals(sql`${fresh} x`, 1))
  db.run(sql`DELETE FROM participation_scope_totals WHERE total = 0`)
  db.run(sql`INSERT INTO ${rekeyed} SELECT f.participation_id FROM ${fresh} f WHERE f.scope = '' AND NOT EXISTS (SELECT 1
    FROM participation_scopes x INDEXED BY participation_scopes_membership_idx WHERE x.participation_id = f.participation_id AND x.scope = '' AND ${SAME_FRESH_KEYS})`)
  db.run(sql`DELETE FROM participation_scopes WHERE rowid IN (SELECT x.rowid FROM ${scopeRowsOf(only)}
    WHERE x.participation_id IN ${rekeyed} OR NOT EXISTS (SELECT 1 FROM ${fresh} f WHERE f.participation_id = x.participation_id AND f.scope = x.scope))`)
  // What is left of a participation's rows under a scope is the same as its fresh row.
  db.run(sql`INSERT INTO participation_scopes (scope, participation_id, ${sql.raw(KEY_COLUMNS.join(', '))})
    SELECT f.scope, f.participation_id, ${sql.raw(KEY_COLUMNS.map((column) => `f.${column}`).join(', '))} FROM ${fresh} f
    WHERE NOT EXISTS (SELECT 1 FROM participation_scopes x INDEXED BY participation_scopes_membership_idx WHERE x.participation_id = f.participation_id AND x.scope = f.scope)`)
  db.run(sql`DELETE FROM ${fresh}`)
  db.run(sql`DELETE FROM ${rekeyed}`)
}

/** Rebuilds the index of a database whose index was built by another definition, or never built. */
export function refreshParticipationScopes(db: DirectoryDatabase): boolean {
  return rebuildIfRedefined(db.$client, 'participation_scopes_version', participationScopesVersion(), () => rebuildParticipationScopes(db))
}

const KEYS = sql`x.participation_id AS id, x.start_date, x.event_id, x.role_rank, x.participant_key`
const ORDER = sql`x.start_date DESC, x.event_id, x.role_rank, x.participant_key, x.participation_id`

/**
 * Rows strictly after `after` in the default order. The leading range on start_date lets the
 * index seek there; the rest only sorts out ties on the date.
 */
function afterKey([startDate, eventId, roleRank, participantKey, id]: SortKey): SQL {
  return sql`x.start_date <= ${startDate} AND (x.start_date < ${startDate}
    OR (x.start_date = ${startDate} AND (x.event_id, x.role_rank, x.participant_key, x.participation_id) > (${eventId}, ${roleRank}, ${participantKey}, ${id})))`
}

const PARTICIPANT_TYPE_SCOPE = 'participant_type:'

/**
 * The participations of one participant type, among the scopes a list reads (never the first): not
 * rows of the index (a scope per type would add a row per participation) but a condition on the
 * participant_type of the first scope's rows, which its order index holds. Every person at
 * 1,000,000 participations: 6.7 s over the tables, 0.42 s for the first page and the total counted
 * over the whole '' range; the total of a participant type alone is now kept (FACET_TOTAL).
 */
export const participantTypeScope = (type: string): string => `${PARTICIPANT_TYPE_SCOPE}${type}`

const ROLE_SCOPE = 'role:'
const EVENT_SCOPE = 'event:'

/** The participations of one event: a scope of their own. */
export const eventScope = (id: string): string => `${EVENT_SCOPE}${id}`

/**
 * The participations in one role: a scope of their own, read as a range when it comes first (the
 * role is the only filter of the index); after another, a condition on the role_rank of that
 * scope's rows, which its order index holds, rather than a lookup of each row's membership. At
 * 1,000,000 participations, the moderators of Serbia took 0.40 s with lookups, now 0.026 s (from
 * a cold cache 5.0 s, now 0.47 s); the moderators among ba-government's participations 0.67 s,
 * now 0.042 s.
 */
export const roleScope = (role: string): string => `${ROLE_SCOPE}${role}`

/**
 * The participations in every one of the scopes: read from the first scope's index range, the
 * others checked by membership, or on the row itself for a participant type or a role.
 */
function inScopes(scopes: readonly [string, ...string[]]): SQL {
  const [first, ...others] = scopes
  const conditions = others.map((scope) => {
    if (scope.startsWith(PARTICIPANT_TYPE_SCOPE)) return sql` AND x.participant_type = ${scope.slice(PARTICIPANT_TYPE_SCOPE.length)}`
    if (scope.startsWith(ROLE_SCOPE)) return sql` AND x.role_rank = ${(PARTICIPATION_ROLES as readonly string[]).indexOf(scope.slice(ROLE_SCOPE.length))}`
    return sql` AND EXISTS (SELECT 1 FROM participation_scopes y WHERE y.participation_id = x.participation_id AND y.scope = ${scope})`
  })
  return sql`x.scope = ${first}${sql.join(conditions, sql``)}`
}

/**
 * Rows strictly after `after` when the list is ranked by relevance first (a search): a larger rank
 * (FTS5's bm25: lower is better), or the same rank and after the rest of the key.
 */
function afterRankedKey([rank, ...rest]: SortKey, rankColumn: SQL): SQL {
  return sql`${rankColumn} >= ${rank} AND (${rankColumn} > ${rank} OR (${afterKey(rest)}))`
}

// A CSV line is kept under the same keys as the participation's rows in the index.
const SAME_KEYS = sql`(l.start_date, l.event_id, l.role_rank, l.participant_key, l.participation_id) = (x.start_date, x.event_id, x.role_rank, x.participant_key, x.participation_id)`

/** The SQL of a page's ids, with their sort keys. */
function scopedPageQuery(scopes: readonly [string, ...string[]], page: Page): SQL {
  const after = page.after === undefined ? sql`` : sql` AND ${afterKey(page.after)}`
  return sql`SELECT ${KEYS} FROM participation_scopes x WHERE ${inScopes(scopes)}${after} ORDER BY ${ORDER} LIMIT ${page.limit + 1}`
}

/** The columns a search keeps of each match: its rank and the keys of its row x of participation_scopes. */
const RANKED_ROW = sql`hit.rank, x.participation_id, x.start_date, x.event_id, x.role_rank, x.participant_key`

/**
 * A search's page (the CTE `page`, of RANKED_ROW) after one row holding `total`: the rows, each with
 * the total, or that row alone with a NULL id when the page is empty. The count and the page then
 * read the same matches in one statement: a count of its own found them again (at 1M
 * participations, "turk" took 40 ms with it, 30 without). The rows are read as x, the
 * alias the keys' SQL names (KEYS, ORDER, afterKey), through subqueries: plans then name the
 * table scanned, not x.
 */
const pageAfterTotal = (total: SQL): SQL =>
  sql`SELECT t.total, x.rank, ${KEYS} FROM (SELECT ${total} AS total) t LEFT JOIN (SELECT * FROM page) x ORDER BY x.rank, ${ORDER}`

/**
 * The SQL of a page of a search of every participation, with the total. Every match is ranked
 * once, into a table of ranks by index row (rankedMatches). The (limit + 1)-th best rank after the
 * cursor's bounds the page: it holds at most limit + 1 rows ranked after the cursor's, and any rows
 * tied with it. Only the matches ranked at or before the bound are joined to their ids and sort
 * keys (with no bound, fewer are left: all of them). At 1M participations "turk" matches 33,000:
 * joining every match took 243 ms; reading the bound, then the page, in two statements ranked them
 * twice (48 ms, 23 each); this takes 31 ms.
 */
function searchPageQuery(q: string, page: Page): SQL {
  const afterCursor = page.after === undefined ? sql`` : sql`WHERE rank > ${page.after[0]}`
  const after = page.after === undefined ? sql`` : sql` AND ${afterRankedKey(page.after, sql`hit.rank`)}`
  return sql`WITH ranked AS MATERIALIZED (${rankedMatches('search_participations', q)}),
    page AS (SELECT ${RANKED_ROW} FROM ranked hit
      CROSS JOIN participation_scopes x ON x.scope = '' AND x.participation_id = ${recordIdOfMatch('search_participations', sql`hit.match_rowid`)}
      WHERE hit.rank <= IFNULL((SELECT rank FROM ranked ${afterCursor} ORDER BY rank LIMIT 1 OFFSET ${page.limit}), hit.rank)${after}
      ORDER BY hit.rank, ${ORDER} LIMIT ${page.limit + 1})
    ${pageAfterTotal(sql`(SELECT count(*) FROM ranked)`)}`
}

// What a search within scopes costs, in µs, measured at 1M participations. Walking the matches
// reads each one's record id from the index's content, then looks it up in the first scope by the
// membership index: both at random. Walking the first scope's range reads its rows in order and
// looks each up among the matches, once they are read with their record ids; or, for many matches,
// once they are read with their rowids alone (a participation's, as its index row has), each row's
// id then looked up in the participations' own index: reading a match's record id cost more than
// that lookup does.
const WALKING_A_MATCH_US = 7
const READING_A_MATCH_US = 3
const WALKING_A_SCOPE_ROW_US = 0.3
const READING_A_MATCH_ROWID_US = 1
const WALKING_A_SCOPE_ROW_BY_ROWID_US = 1

/**
 * The matches `hit` of the search (the CTE's body) and the FROM of their index rows x in the first
 * scope, walking the cheapest way: "nowak" (27,800 matches) in Poland (2,100 rows) took 330 ms
 * walking the matches, 160 walking the range by record id and 48 by rowid; "bozic" (1,500) in
 * Bosnia and Herzegovina (203,000 rows) 25, 80 and 190 ms; "ministry" (587,000) there 4.7, 3.3
 * and 1.1 s.
 */
function matchesInFirstScope(db: DirectoryDatabase, scopes: readonly [string, ...string[]], q: string): { hit: SQL; from: SQL } {
  const matches = countOf(db, scopedTotalQuery(scopes, searchHits('search_participations', q)))
  const scopeRows = countOf(db, scopedTotalQuery([scopes[0]]))
  const walkingMatches = matches * WALKING_A_MATCH_US
  const walkingByRecordId = matches * READING_A_MATCH_US + scopeRows * WALKING_A_SCOPE_ROW_US
  const walkingByRowid = matches * READING_A_MATCH_ROWID_US + scopeRows * WALKING_A_SCOPE_ROW_BY_ROWID_US
  if (walkingByRowid < Math.min(walkingMatches, walkingByRecordId)) {
    return {
      hit: sql`(${rankedMatches('search_participations', q)})`,
      from: sql`participation_scopes x CROSS JOIN participations hp ON hp.id = x.participation_id CROSS JOIN hit ON hit.match_rowid = hp.rowid`
    }
  }
  const hit = searchHits('search_participations', q)
  return walkingByRecordId < walkingMatches
    ? { hit, from: sql`participation_scopes x CROSS JOIN hit ON hit.record_id = x.participation_id` }
    : { hit, from: sql`hit CROSS JOIN participation_scopes x ON x.participation_id = hit.record_id` }
}

/**
 * The index rows x of the participations in every one of the scopes, as a table and the conditions
 * that select them; with a search `q`, those of its matches only (matchesInFirstScope), unranked.
 */
function scopeRows(db: DirectoryDatabase, scopes: readonly [string, ...string[]], q: string | undefined): { rows: SQL; conditions: SQL[] } {
  if (q === undefined) return { rows: sql`participation_scopes x`, conditions: [inScopes(scopes)] }
  const { hit, from } = matchesInFirstScope(db, scopes, q)
  const matched = sql`WITH hit AS MATERIALIZED ${hit} SELECT x.* FROM ${from} WHERE ${inScopes(scopes)}`
  return { rows: sql`(${matched}) x`, conditions: [] }
}

/**
 * The SQL of a page of a search within scopes, with the total (one row with a NULL id when the
 * page is empty). The matches in the scopes are found once, then counted and paged: counting
 * them in a statement of their own found them twice (at 1M participations, "nowak" in Poland
 * took 345 ms that way).
 */
function scopedSearchQuery(db: DirectoryDatabase, scopes: readonly [string, ...string[]], page: Page, q: string): SQL {
  const after = page.after === undefined ? sql`` : sql`WHERE ${afterRankedKey(page.after, sql`x.rank`)}`
  const { hit, from } = matchesInFirstScope(db, scopes, q)
  return sql`WITH hit AS MATERIALIZED ${hit},
    matched AS MATERIALIZED (SELECT ${RANKED_ROW} FROM ${from} WHERE ${inScopes(scopes)}),
    page AS (SELECT * FROM (SELECT * FROM matched) x ${after} ORDER BY x.rank, ${ORDER} LIMIT ${page.limit + 1})
    ${pageAfterTotal(sql`(SELECT count(*) FROM matched)`)}`
}

/** The total that counts the participations in every one of the scopes, if one does: a single scope's, or a participant type's alone (FACET_TOTAL). */
function storedTotal([first, ...others]: readonly [string, ...string[]]): string | undefined {
  if (others.length === 0) return first
  const [type] = others as [string]
  if (first === '' && others.length === 1 && type.startsWith(PARTICIPANT_TYPE_SCOPE)) return PARTICIPANT_TYPE_FACET_TOTAL + type.slice(PARTICIPANT_TYPE_SCOPE.length)
  return undefined
}

/**
 * The SQL of the total. With `hits`: every match, counted without a join (what a search within
 * scopes weighs to choose its walk). One scope, or a participant type alone: it is stored
 * (storedTotal). Otherwise it is counted over the first scope's range.
 */
function scopedTotalQuery(scopes: readonly [string, ...string[]], hits?: SQL): SQL {
  if (hits !== undefined) return sql`SELECT count(*) AS total FROM ${hits} hit`
  const stored = storedTotal(scopes)
  if (stored !== undefined) return sql`SELECT IFNULL((SELECT total FROM participation_scope_totals WHERE scope = ${stored}), 0) AS total`
  return sql`SELECT count(*) AS total FROM participation_scopes x WHERE ${inScopes(scopes)}`
}

const countOf = (db: DirectoryDatabase, query: SQL): number => cachedCount(db.$client, query, (statement, params) => statement.pluck().get(...params) as number)

/** The scopes of an unfiltered list: every participation. */
const isEverything = (scopes: readonly string[]) => scopes.length === 1 && scopes[0] === ''

interface KeyRow {
  rank?: number
  id: string
  start_date: string
  event_id: string
  role_rank: number
  participant_key: string
}

const sortKey = (row: KeyRow): SortKey => [row.start_date, row.event_id, row.role_rank, row.participant_key, row.id]

/** A page of participations: their ids, the total and where the next page starts. */
export interface IdPage {
  ids: string[]
  total: number
  next: SortKey | null
}

/** The page's rows, the total, and the next page's start from the page's `limit + 1` rows. */
function idPage(rows: KeyRow[], page: Page, total: number): IdPage {
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined
  const next = last === undefined ? null : last.rank === undefined ? sortKey(last) : [last.rank, ...sortKey(last)]
  return { ids: rows.slice(0, page.limit).map((row) => row.id), total, next }
}

/**
 * One page of ids in the default order (after the search rank when there is a search `q`), the
 * sort key where the next page starts, and the total.
 */
export function selectScopedPage(db: DirectoryDatabase, scopes: readonly [string, ...string[]], page: Page, q?: string): IdPage {
  requireFittingCursor(page.after, DEFAULT_ORDER_KEYS.length + (q === undefined ? 1 : 2))
  // Only a CSV export counts nothing, and it reads these lists with scopedCsvChunk unless they are searched.
  if (q === undefined) return idPage(allRows<KeyRow>(db.$client, scopedPageQuery(scopes, page)), page, countOf(db, scopedTotalQuery(scopes)))
  const query = isEverything(scopes) ? searchPageQuery(q, page) : scopedSearchQuery(db, scopes, page, q)
  const rows = allRows<KeyRow & { total: number }>(db.$client, query)
  // The total's row is always there: the page is LEFT JOINed to it (pageAfterTotal).
  const { total } = rows[0] as { total: number }
  return idPage(
    rows.filter((row) => row.id !== null),
    page,
    total
  )
}

/**
 * What `sort` orders by, read from a participation's row x of participation_scopes (which keeps
 * the keys IFNULL'd, as a list's keys are) and from the folded names of events and countries:
 * the values PARTICIPATION_SORTS computes over the tables, so a page and its cursor are the same
 * either way.
 */
const SCOPED_SORTS = {
  event_start_date: sql`x.start_date`,
  event: sql`ek.sort_key`,
  role: sql`x.role_rank`,
  participant: sql`x.participant_key`,
  country: sql`ck.sort_key`
} satisfies Record<(typeof PARTICIPATION_SORT_FIELDS)[number], SQL>

// The folded name of every event and every country, joined only when the sort names them. The
// LIMIT keeps SQLite from flattening each into the join, which would fold a name for every match
// instead of once per event (at 1,000,000 participations, sorting every one by event: 1.2 s, 0.5 s).
const SORT_KEYS_OF = {
  event: sql` LEFT JOIN (SELECT id, fold(name) AS sort_key FROM events LIMIT -1) ek ON ek.id = x.event_id`,
  country: sql` LEFT JOIN (SELECT code, fold(name) AS sort_key FROM countries LIMIT -1) ck ON ck.code = x.country_code`
}

/**
 * One page of ids in the order `sort` asks for, the sort key where the next page starts, and the
 * total. The matches are read from the first scope's index range with their keys, and sorted
 * there: no join of every match to its records. At 1,000,000 participations, a country's list by
 * participant took 290 ms and takes 7; every participation by participant, role or start date,
 * 2.5-6.7 s and 0.2 s; by country 3.5 s and 0.46 s (the index holds each row's country). With a
 * search `q`, the rows are those of its matches (matchesInFirstScope), unranked: "ministry", which
 * 587,000 participations match, by participant took 13.9 s over the tables.
 */
export function selectScopedSortedPage(db: DirectoryDatabase, scopes: readonly [string, ...string[]], sort: string, page: Page, q?: string): IdPage {
  const order = sortTerms(sort, SCOPED_SORTS, [], sql`x.participation_id`)
  const sorted = (field: keyof typeof SORT_KEYS_OF) => order.some((term) => term.expression === SCOPED_SORTS[field])
  const joins = (Object.keys(SORT_KEYS_OF) as (keyof typeof SORT_KEYS_OF)[]).flatMap((field) => (sorted(field) ? [SORT_KEYS_OF[field]] : []))
  const { rows, conditions } = scopeRows(db, scopes, q)
  const from = sql`FROM ${rows}${sql.join(joins, sql``)}`
  const { rows: ids, next } = selectPage<{ id: string }>(db, { columns: sql`x.participation_id AS id`, from, conditions, order }, { ...page, withTotal: false })
  // Every participation is in '': a search of all of them counts its hits alone.
  const total =
    q === undefined
      ? scopedTotalQuery(scopes)
      : isEverything(scopes)
        ? scopedTotalQuery(scopes, searchHits('search_participations', q))
        : sql`SELECT count(*) AS total FROM ${rows}`
  return { ids: ids.map((row) => row.id), total: page.withTotal === false ? 0 : countOf(db, total), next }
}

/**
 * One chunk of the CSV export of the participations in every one of the scopes, in the default
 * order: their stored lines, which are kept in that order under the same keys. Every
 * participation's are read from the lines table itself; a scope's are joined on the keys.
 */
export function scopedCsvChunk(db: DirectoryDatabase, scopes: readonly [string, ...string[]], page: Page): CsvChunk {
  requireFittingCursor(page.after, DEFAULT_ORDER_KEYS.length + 1)
  const after = page.after === undefined ? sql`` : sql` AND ${afterKey(page.after)}`
  const lines = isEverything(scopes)
    ? sql`SELECT x.line FROM participation_csv_lines x WHERE TRUE${after}`
    : sql`SELECT l.line FROM participation_scopes x JOIN participation_csv_lines l ON ${SAME_KEYS} WHERE ${inScopes(scopes)}${after}`
  // SQLite joins the chunk's lines into one UTF-8 blob, which is sent as it is: making a string of
  // each line, then bytes of them again, took most of an export's time (620,000-800,000 rows/s
  // read this way at 1M participations, 170,000-260,000 as strings). The subquery's LIMIT keeps it
  // from being flattened, so its rows reach group_concat in their order; an ORDER BY inside
  // group_concat would sort the chunk again. csv.test.ts checks the order of every row.
  const text = sql`SELECT CAST(IFNULL(group_concat(line || char(13, 10), ''), '') AS BLOB) FROM (${lines} ORDER BY ${ORDER} LIMIT ${page.limit})`
  // The next chunk starts after this one's last row, if it is full (the one after may be empty).
  const last = sql`SELECT ${KEYS} FROM participation_scopes x WHERE ${inScopes(scopes)}${after} ORDER BY ${ORDER} LIMIT 1 OFFSET ${page.limit - 1}`
  return db.$client.transaction((): CsvChunk => {
    const { statement, params } = prepared(db.$client, text)
    const records = statement.pluck().get(...params) as Buffer
    const lastRow = allRows<KeyRow>(db.$client, last)[0]
    return { records, next: lastRow === undefined ? null : sortKey(lastRow), resortsEveryMatch: false }
  })()
}

const participationsOf = (column: 'person_id' | 'event_id' | 'session_id') => `SELECT id FROM participations WHERE ${column} IN (SELECT value FROM json_each(?))`

// The participations involving these organisations or any organisation below them, at any depth:
// as participant, as the one represented, or through a position of the participating person.
const PARTICIPATIONS_INVOLVING_ORGANISATIONS = `WITH RECURSIVE below(id) AS (
    SELECT value FROM json_each(?) UNION SELECT o.id FROM organisations o JOIN below b ON o.parent_id = b.id)
  SELECT id FROM participations WHERE organisation_id IN below
  UNION SELECT id FROM participations WHERE on_behalf_of_id IN below
  UNION SELECT p.id FROM participations p JOIN positions q ON q.person_id = p.person_id WHERE q.organisation_id IN below`

// The participations organisations take part in, whose sort keys (the participant's name) and CSV
// lines show their names, and those they are represented in, whose CSV lines show them.
const participationsOfOrganisations = (column: 'organisation_id' | 'on_behalf_of_id') => `WITH organisation(id) AS (SELECT value FROM json_each(?))
  SELECT p.id FROM organisation o CROSS JOIN participations p ON p.${column} = o.id`

/** An organisation's fields that no derived row of a participation reads, and those only its names are. */
const READ_BY_NO_PARTICIPATION_ROW = new Set(['note', 'other_names', 'sources'])
const NAMES = new Set(['name', 'abbreviation'])

/**
 * Which participations a write of an organisation can move: created or deleted, or moved in the
 * tree, to another country, classification or portfolio, every one involving it or an organisation
 * under it (their scopes); renamed, only those that show its name; otherwise none. Renaming a
 * ministry at 1,000,000 participations made again the rows of every participation involving it
 * (177 s), now the CSV lines of the 9,200 it takes part in or is represented in, and the scope
 * rows of the 530 it takes part in.
 */
function organisationChange({ before, after }: TouchedRecord): 'place' | 'names' | 'none' {
  if (before === null || after === null) return 'place'
  let change: 'names' | 'none' = 'none'
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (READ_BY_NO_PARTICIPATION_ROW.has(field) || isDeepStrictEqual(before[field], after[field])) continue
    if (!NAMES.has(field)) return 'place'
    change = 'names'
  }
  return change
}

/**
 * The participations whose derived rows a write of these records can change: `scopes`, those whose
 * rows of participation_scopes can (what everyScope, the sort keys and the facet values read from
 * each collection), and `lines`, those whose CSV lines can: those, and those that show a name only
 * their lines do (a session's, a represented organisation's). Country names are sort keys too, but a
 * write that changes them rebuilds every derived table.
 */
export function participationsMovedBy(db: DirectoryDatabase, touched: readonly TouchedRecord[]): { scopes: Set<string>; lines: Set<string> } {
  const keys = {
    participations: new Set<string>(),
    people: new Set<string>(),
    events: new Set<string>(),
    sessions: new Set<string>(),
    placedOrganisations: new Set<string>(),
    renamedOrganisations: new Set<string>()
  }
  const add = (set: Set<string>, values: unknown[]) => {
    for (const value of values) if (typeof value === 'string') set.add(value)
  }
  for (const record of touched) {
    const { collection, id, before, after } = record
    if (collection === 'positions') add(keys.people, [before?.person, after?.person])
    else if (collection !== 'organisations') keys[collection].add(id)
    else {
      const change = organisationChange(record)
      if (change !== 'none') keys[change === 'place' ? 'placedOrganisations' : 'renamedOrganisations'].add(id)
    }
  }
  const scopes = new Set(keys.participations)
  const read = (moved: Set<string>, query: string, ids: Set<string>) => {
    if (ids.size > 0) add(moved, statement(db.$client, query).pluck().all(JSON.stringify([...ids])))
  }
  read(scopes, participationsOf('person_id'), keys.people)
  read(scopes, participationsOf('event_id'), keys.events)
  read(scopes, PARTICIPATIONS_INVOLVING_ORGANISATIONS, keys.placedOrganisations)
  read(scopes, participationsOfOrganisations('organisation_id'), keys.renamedOrganisations)
  const lines = new Set(scopes)
  read(lines, participationsOf('session_id'), keys.sessions)
  read(lines, participationsOfOrganisations('on_behalf_of_id'), keys.renamedOrganisations)
  return { scopes, lines }
}

const roleOfRank = sql.raw(`CASE x.role_rank ${PARTICIPATION_ROLES.map((role, rank) => `WHEN ${rank} THEN '${role}'`).join(' ')} END`)

/**
 * Each facet on the index's columns, as PARTICIPATION_FACETS defines it on the tables: the value,
 * what the rows are grouped by (the value unless said), and where its label comes from (`g.value`
 * is the value, once per group). An event's rows are grouped by its start date and its id, which
 * is one group per event read in the order index's own order: grouped by the id alone, a scope's
 * rows were sorted first (the 202,649 of Bosnia and Herzegovina at 1,000,000 participations: 90 ms
 * instead of 45).
 */
const SCOPED_FACETS: Record<(typeof PARTICIPATION_FACET_NAMES)[number], { value: SQL; groupBy?: SQL; label: SQL; labels?: SQL; totals: string }> = {
  country: { value: sql`x.country_code`, label: sql`c.name`, labels: sql`LEFT JOIN countries c ON c.code = g.value`, totals: COUNTRY_FACET_TOTAL },
  role: { value: roleOfRank, label: sql`g.value`, totals: ROLE_SCOPE },
  event: { value: sql`x.event_id`, groupBy: sql`x.start_date, x.event_id`, label: sql`e.name`, labels: sql`LEFT JOIN events e ON e.id = g.value`, totals: EVENT_SCOPE },
  participant_type: { value: sql`x.participant_type`, label: sql`g.value`, totals: PARTICIPANT_TYPE_FACET_TOTAL }
}

/**
 * The totals whose scope starts with `prefix`, as (value, count): the value is the rest of the
 * scope, or null when nothing follows the prefix. Read as a range of the table's key.
 */
const totalsByValue = (prefix: string): SQL => sql`SELECT NULLIF(substr(scope, ${prefix.length + 1}), '') AS value, total AS count
  FROM participation_scope_totals WHERE ${startsWith(sql`scope`, prefix)}`

/**
 * Counts of the participations in every one of the scopes (and matching `q`, if given) by each
 * requested facet, grouped on the index rows, then labelled once per value: the same counts as
 * facetCounts over the tables.
 */
export function scopedFacetCounts(db: DirectoryDatabase, scopes: readonly [string, ...string[]], { names, size }: FacetRequest, q?: string): Record<string, FacetCounts> {
  // Every participation's are kept counted (FACET_TOTAL).
  const everyone = q === undefined && isEverything(scopes)
  const { rows, conditions } = scopeRows(db, scopes, q)
  return Object.fromEntries(
    names.map((name) => {
      const { value, groupBy = sql`1`, label, labels, totals } = SCOPED_FACETS[name as keyof typeof SCOPED_FACETS]
      const counts = everyone ? totalsByValue(totals) : sql`SELECT ${value} AS value, count(*) AS count FROM ${rows} ${whereAll(conditions)} GROUP BY ${groupBy}`
      const grouped = sql`SELECT g.value AS value, COALESCE(${label}, 'None') AS label, g.count AS count FROM (${counts}) g ${labels ?? sql``}`
      return [name, topFacetValues(db, grouped, size)]
    })
  )
}
