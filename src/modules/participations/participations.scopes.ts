// The participation_scopes index (see participations.table.ts): how it is rebuilt from the tables,
// and how a list of participations in the default order reads one page and its total from it.
import { createHash } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type { DirectoryDatabase } from '../../db/connection.js'
import { readSetting, writeSetting } from '../../db/settings.js'
import { requireFittingCursor, type Page, type SortKey } from '../shared/sql.js'
import { PARTICIPATIONS_FROM, DEFAULT_ORDER_KEYS } from './participations.repository.js'

// Every participation under '', with the default order's keys computed exactly as the list computes them.
// (A function: the keys come from the repository, which imports this module.)
const everyParticipation = (): SQL => sql`INSERT INTO participation_scopes (scope, participation_id, start_date, event_id, role_rank, participant_key)
  SELECT '', p.id, ${sql.join(
    DEFAULT_ORDER_KEYS.map((key) => sql`IFNULL(${key}, '')`),
    sql`, `
  )} ${PARTICIPATIONS_FROM}`

// Each participation under every filter value it matches, as the filters define them: a country is
// the participation's own, its delegation's, or that of an organisation it involves (the participant,
// the one represented, or one where the participating person holds a position); a ministry covers
// the organisations at or below it, at any depth.
const EVERY_SCOPE = sql`WITH RECURSIVE
  involved(pid, org) AS (
    SELECT id, organisation_id FROM participations WHERE organisation_id IS NOT NULL
    UNION SELECT id, on_behalf_of_id FROM participations WHERE on_behalf_of_id IS NOT NULL
    UNION SELECT p.id, q.organisation_id FROM participations p JOIN positions q ON q.person_id = p.person_id),
  above(org, ancestor) AS (
    SELECT id, id FROM organisations
    UNION SELECT a.org, o.parent_id FROM above a JOIN organisations o ON o.id = a.ancestor WHERE o.parent_id IS NOT NULL),
  ministries(org, id, portfolio) AS (
    SELECT a.org, m.id, m.portfolio FROM above a JOIN organisations m ON m.id = a.ancestor WHERE m.classification = 'ministry'),
  pairs(pid, scope) AS (
    SELECT id, 'event:' || event_id FROM participations
    UNION ALL SELECT id, 'person:' || person_id FROM participations WHERE person_id IS NOT NULL
    UNION ALL SELECT id, 'role:' || role FROM participations
    UNION ALL SELECT id, 'country:' || country_code FROM participations WHERE country_code IS NOT NULL
    UNION ALL SELECT id, 'country:' || delegation_country_code FROM participations WHERE delegation_country_code IS NOT NULL
    UNION ALL SELECT i.pid, 'country:' || o.country_code FROM involved i JOIN organisations o ON o.id = i.org WHERE o.country_code IS NOT NULL
    UNION ALL SELECT i.pid, 'ministry:' || m.id FROM involved i JOIN ministries m ON m.org = i.org
    UNION ALL SELECT i.pid, 'portfolio:' || m.portfolio FROM involved i JOIN ministries m ON m.org = i.org WHERE m.portfolio IS NOT NULL)
  INSERT INTO participation_scopes (scope, participation_id, start_date, event_id, role_rank, participant_key)
  SELECT DISTINCT s.scope, k.participation_id, k.start_date, k.event_id, k.role_rank, k.participant_key
  FROM pairs s JOIN participation_scopes k ON k.scope = '' AND k.participation_id = s.pid`

const dialect = new SQLiteSyncDialect()

/** Identifies the index's definition: when it changes, open databases rebuild it. */
export const participationScopesVersion = (): string =>
  createHash('sha256')
    .update([everyParticipation(), EVERY_SCOPE].map((query) => dialect.sqlToQuery(query).sql).join('\n'))
    .digest('hex')
    .slice(0, 16)

/**
 * Refills the index from the tables (run inside the transaction of the write). All of it: a changed
 * organisation parent, country, event date or person name moves many participations at once, and a
 * full refill is one pass of set-based SQL that cannot miss one.
 */
export function rebuildParticipationScopes(db: DirectoryDatabase): void {
  db.run(sql`DELETE FROM participation_scopes`)
  db.run(everyParticipation())
  db.run(EVERY_SCOPE)
  writeSetting(db.$client, 'participation_scopes_version', participationScopesVersion())
}

/** Rebuilds the index of a database whose index was built by another definition, or never built. */
export function refreshParticipationScopes(db: DirectoryDatabase): boolean {
  if (readSetting(db.$client, 'participation_scopes_version') === participationScopesVersion()) return false
  db.$client.transaction(() => rebuildParticipationScopes(db)).immediate()
  return true
}

const ORDER = sql`x.start_date DESC, x.event_id, x.role_rank, x.participant_key, x.participation_id`

/**
 * Rows strictly after `after` in the default order. The leading range on start_date lets the
 * index seek there; the rest only sorts out ties on the date.
 */
function afterKey([startDate, eventId, roleRank, participantKey, id]: SortKey): SQL {
  return sql`x.start_date <= ${startDate} AND (x.start_date < ${startDate}
    OR (x.start_date = ${startDate} AND (x.event_id, x.role_rank, x.participant_key, x.participation_id) > (${eventId}, ${roleRank}, ${participantKey}, ${id})))`
}

/** The participations in every one of the scopes: read from the first scope's index range, the others checked by membership. */
function inScopes(scopes: readonly [string, ...string[]]): SQL {
  const [first, ...others] = scopes
  const memberships = others.map(
    (scope) => sql` AND EXISTS (SELECT 1 FROM participation_scopes y WHERE y.participation_id = x.participation_id AND y.scope = ${scope})`
  )
  return sql`x.scope = ${first}${sql.join(memberships, sql``)}`
}

/** The SQL of a page's ids (with their sort keys) and of the total, exported for the query-plan test. */
export function scopedPageQueries(scopes: readonly [string, ...string[]], page: Page): { ids: SQL; total: SQL } {
  const where = inScopes(scopes)
  const after = page.after === undefined ? sql`` : sql` AND ${afterKey(page.after)}`
  return {
    ids: sql`SELECT x.participation_id AS id, x.start_date, x.event_id, x.role_rank, x.participant_key
      FROM participation_scopes x WHERE ${where}${after} ORDER BY ${ORDER} LIMIT ${page.limit + 1}`,
    total: sql`SELECT count(*) AS total FROM participation_scopes x WHERE ${where}`
  }
}

interface KeyRow {
  id: string
  start_date: string
  event_id: string
  role_rank: number
  participant_key: string
}

/** One page of ids in the default order, the sort key where the next page starts, and the total. */
export function selectScopedPage(
  db: DirectoryDatabase,
  scopes: readonly [string, ...string[]],
  page: Page
): { ids: string[]; total: number; next: SortKey | null } {
  requireFittingCursor(page.after, DEFAULT_ORDER_KEYS.length + 1)
  const queries = scopedPageQueries(scopes, page)
  const rows = db.all<KeyRow>(queries.ids)
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined
  const next = last === undefined ? null : [last.start_date, last.event_id, last.role_rank, last.participant_key, last.id]
  const total = page.withTotal === false ? 0 : db.get<{ total: number }>(queries.total).total
  return { ids: rows.slice(0, page.limit).map((row) => row.id), total, next }
}
