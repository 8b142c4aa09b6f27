// Participations: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import { PARTICIPATION_ROLES, SECTOR_LABELS, SECTORS } from '../../vocabularies.js'
import type { ListQuery } from '../../http/lists.js'
import type { Event } from '../events/events.schemas.js'
import type { Organisation } from '../organisations/organisations.schemas.js'
import { SEARCH_RANK, searchJoin } from '../../search/search-index.js'
import { citationsFor } from '../sources/citations.repository.js'
import { allRows } from '../../db/statements.js'
import { listEvents } from '../events/events.repository.js'
import { listOrganisations } from '../organisations/organisations.repository.js'
import { listPeople } from '../people/people.repository.js'
import { eventScope, participantTypeScope, roleScope, scopedFacetCounts, selectScopedPage, selectScopedSortedPage, type IdPage } from './participations.scopes.js'
import {
  countryOrganisations,
  involvingOrganisations,
  ministryOrganisations,
  ministryScope,
  organisationAndBelow,
  organisationScope,
  peopleAt,
  requireExisting,
  resolveCountry
} from '../shared/filters.js'
import { facetCounts, recordsById, selectPage, sortTerms, whereAll, type FacetDefinition, type FacetRequest, type ListResult, type Page } from '../shared/sql.js'
import {
  PARTICIPATION_FACET_NAMES,
  PARTICIPATION_SORT_FIELDS,
  type PARTICIPATION_INCLUDES,
  type Participation,
  type ParticipationsQuery
} from './participations.schemas.js'

export type ParticipationFilters = Omit<ParticipationsQuery, keyof ListQuery>

const roleRank = sql.raw(`CASE p.role ${PARTICIPATION_ROLES.map((r, i) => `WHEN '${r}' THEN ${i}`).join(' ')} END`)
/** The label of a participation's sector (the table is aliased `p`). */
export const sectorLabel = sql.raw(`CASE p.sector ${SECTORS.map((s) => `WHEN '${s}' THEN '${SECTOR_LABELS[s]}'`).join(' ')} END`)

export const PARTICIPATIONS_FROM = sql`
  FROM participations p
  JOIN events e ON e.id = p.event_id
  LEFT JOIN sessions s ON s.id = p.session_id
  LEFT JOIN people pe ON pe.id = p.person_id
  LEFT JOIN organisations po ON po.id = p.organisation_id
  LEFT JOIN countries dc ON dc.code = p.delegation_country_code
  LEFT JOIN organisations bo ON bo.id = p.on_behalf_of_id
  LEFT JOIN countries c ON c.code = COALESCE(p.country_code, p.delegation_country_code, po.country_code, bo.country_code)`

export const participantName = sql`COALESCE(pe.name, po.name, dc.name, ${sectorLabel})`
const participantSortKey = sql`fold(COALESCE(pe.sort_name, ${participantName}))`

/** The fields `sort` accepts. */
export const PARTICIPATION_SORTS = {
  event_start_date: sql`e.start_date`,
  event: sql`fold(e.name)`,
  role: roleRank,
  participant: participantSortKey,
  country: sql`fold(c.name)`
} satisfies Record<(typeof PARTICIPATION_SORT_FIELDS)[number], SQL>

/**
 * Whether a participation (aliased `p`) is in a country, as the `country` filter means it: its own
 * country or its delegation's, or that of the participating organisation, of the one it is on behalf
 * of, or of one where the participating person holds a position. The CLI's `stats` counts the same way.
 */
export function participationInCountry(code: string | SQL): SQL {
  const organisations = countryOrganisations(code)
  return sql`(p.country_code = ${code} OR p.delegation_country_code = ${code}
      OR p.organisation_id IN ${organisations} OR p.on_behalf_of_id IN ${organisations}
      OR p.person_id IN ${peopleAt(organisations)})`
}

/** The FROM (with the search hits when there is a `q`) and the conditions; throws InvalidFilterError for values that name nothing. */
function selectionFor(db: DirectoryDatabase, filters: ParticipationFilters): { from: SQL; conditions: SQL[] } {
  const where: SQL[] = []
  if (filters.event !== undefined) where.push(sql`p.event_id = ${requireExisting(db, 'events', filters.event, 'event', 'event')}`)
  if (filters.session !== undefined) where.push(sql`p.session_id = ${requireExisting(db, 'sessions', filters.session, 'session', 'session')}`)
  if (filters.person !== undefined) where.push(sql`p.person_id = ${requireExisting(db, 'people', filters.person, 'person', 'person')}`)
  if (filters.role !== undefined) where.push(sql`p.role = ${filters.role}`)
  if (filters.participant_type !== undefined) where.push(sql`p.participant_type = ${filters.participant_type}`)
  if (filters.country !== undefined) {
    where.push(participationInCountry(resolveCountry(db, filters.country)))
  }
  if (filters.ministry !== undefined) where.push(involvingOrganisations(ministryOrganisations(db, filters.ministry)))
  if (filters.organisation !== undefined) where.push(involvingOrganisations(organisationAndBelow(db, filters.organisation)))
  const from = filters.q === undefined ? PARTICIPATIONS_FROM : sql`${PARTICIPATIONS_FROM} ${searchJoin('search_participations', filters.q, sql`p.id`)}`
  return { from, conditions: where }
}

interface ParticipationRow {
  id: string
  role: Participation['role']
  role_as_worded: string | null
  note: string | null
  participant_type: Participation['participant']['type']
  participant_id: string
  participant_name: string
  event_id: string
  event_name: string
  event_start_date: string
  session_id: string | null
  session_name: string | null
  on_behalf_of_id: string | null
  on_behalf_of_name: string | null
  on_behalf_of_abbreviation: string | null
  country_code: string | null
  country_name: string | null
}

/** The default order's keys (the first descending), which participation_scopes stores per participation. */
export const DEFAULT_ORDER_KEYS = [sql`e.start_date`, sql`e.id`, roleRank, participantSortKey]
const DEFAULT_ORDER = DEFAULT_ORDER_KEYS.map((expression, i) => ({ expression, descending: i === 0 }))

/**
 * The scopes of participation_scopes that select exactly what the filters select, the most
 * selective first, when the list is filtered by nothing else; otherwise undefined. A participant
 * type is no scope of its own but a condition on the rows of the others' (participantTypeScope),
 * so it comes last, after '' (every participation) when it is the only filter. Values that name
 * nothing are a 400, checked in the same order as selectionFor checks them.
 */
export function indexedScopes(db: DirectoryDatabase, filters: ParticipationFilters): [string, ...string[]] | undefined {
  const { event, person, role, country, ministry, organisation, participant_type: participantType, ...others } = filters
  if (Object.values(others).some((value) => value !== undefined)) return undefined
  const scope = <T>(value: T | undefined, name: (value: T) => string) => (value === undefined ? [] : [name(value)])
  const events = scope(event, (id) => eventScope(requireExisting(db, 'events', id, 'event', 'event')))
  const people = scope(person, (id) => `person:${requireExisting(db, 'people', id, 'person', 'person')}`)
  const countries = scope(country, (code) => `country:${resolveCountry(db, code)}`)
  const ministries = scope(ministry, (value) => ministryScope(db, value))
  const organisations: string[] = []
  if (organisation !== undefined) {
    const { scope: ofOrganisation, ofMinistry } = organisationScope(db, organisation)
    if (ofMinistry) ministries.push(ofOrganisation)
    else organisations.push(ofOrganisation)
  }
  // A country and a ministry together are one scope of their own (see everyScope). Another
  // organisation is read before a country, as it is usually the smaller of the two.
  const places =
    countries.length > 0 && ministries.length > 0
      ? [`${countries[0]}&${ministries[0]}`, ...ministries.slice(1), ...organisations]
      : [...ministries, ...organisations, ...countries]
  const [first = '', ...rest] = [...people, ...events, ...places, ...scope(role, roleScope)]
  return [first, ...rest, ...scope(participantType, participantTypeScope)]
}

export const PARTICIPATION_COLUMNS = sql`p.id, p.role, p.role_as_worded, p.note, p.participant_type,
  COALESCE(p.person_id, p.organisation_id, p.delegation_country_code, p.sector) AS participant_id,
  ${participantName} AS participant_name,
  e.id AS event_id, e.name AS event_name, e.start_date AS event_start_date,
  s.id AS session_id, s.name AS session_name,
  bo.id AS on_behalf_of_id, bo.name AS on_behalf_of_name, bo.abbreviation AS on_behalf_of_abbreviation,
  c.code AS country_code, c.name AS country_name`

/** Participations as the API shows them, with their citations, from their rows (in the rows' order). */
function participationsOf(db: DirectoryDatabase, rows: ParticipationRow[]): Participation[] {
  const sources = citationsFor(
    db,
    'participation',
    rows.map((r) => r.id)
  )
  return rows.map(
    (r): Participation => ({
      id: r.id,
      event: { id: r.event_id, name: r.event_name, start_date: r.event_start_date },
      session: r.session_id === null ? null : { id: r.session_id, name: r.session_name as string },
      participant: { type: r.participant_type, id: r.participant_id, name: r.participant_name },
      role: r.role,
      role_as_worded: r.role_as_worded,
      on_behalf_of:
        r.on_behalf_of_id === null ? null : { id: r.on_behalf_of_id, name: r.on_behalf_of_name as string, abbreviation: r.on_behalf_of_abbreviation },
      country: r.country_code === null ? null : { code: r.country_code, name: r.country_name as string },
      note: r.note,
      sources: sources.get(r.id) ?? []
    })
  )
}

/**
 * The participations with these ids, in the order of the ids (those that exist): the page of an
 * indexed list and a single record read with one prepared statement, no sorting and no count.
 */
function participationsById(db: DirectoryDatabase, ids: readonly string[]): Participation[] {
  // One statement for any number of ids (json_each), prepared once (statements.ts).
  const query = sql`SELECT ${PARTICIPATION_COLUMNS} ${PARTICIPATIONS_FROM} WHERE p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
  const rows = new Map(allRows<ParticipationRow>(db.$client, query).map((row) => [row.id, row]))
  return participationsOf(
    db,
    ids.flatMap((id) => rows.get(id) ?? [])
  )
}

/**
 * The ids of one page of the participations the filters select, in the list's order, with the
 * total and the sort key where the next page starts: what a page of JSON shows and what a chunk of
 * the CSV export renders.
 */
export function selectParticipationIds(db: DirectoryDatabase, filters: ParticipationFilters, page: Page): IdPage {
  // Filtered only by what the index holds, the page's ids come from participation_scopes: in the
  // default order (after relevance for a search), or in the order `sort` asks for.
  const scopes = indexedScopes(db, { ...filters, q: undefined, sort: undefined })
  if (scopes !== undefined) return filters.sort === undefined ? selectScopedPage(db, scopes, page, filters.q) : selectScopedSortedPage(db, scopes, filters.sort, page, filters.q)
  const { from, conditions } = selectionFor(db, filters)
  const fallback = filters.q === undefined ? DEFAULT_ORDER : [{ expression: SEARCH_RANK }, ...DEFAULT_ORDER]
  const order = sortTerms(filters.sort, PARTICIPATION_SORTS, fallback, sql`p.id`)
  const { rows, total, next } = selectPage<{ id: string }>(db, { columns: sql`p.id AS id`, from, conditions, order }, page)
  return { ids: rows.map((row) => row.id), total, next }
}

export function listParticipations(db: DirectoryDatabase, filters: ParticipationFilters, page: Page): ListResult<Participation> {
  const { ids, total, next } = selectParticipationIds(db, filters, page)
  // Joined even when there is no id: the page reads the tables it shows, whatever it finds.
  return { data: participationsById(db, ids), total, next }
}

export const PARTICIPATION_FACETS = {
  country: { value: sql`c.code`, label: sql`c.name` },
  role: { value: sql`p.role`, label: sql`p.role` },
  event: { value: sql`e.id`, label: sql`e.name` },
  participant_type: { value: sql`p.participant_type`, label: sql`p.participant_type` }
} satisfies Record<(typeof PARTICIPATION_FACET_NAMES)[number], FacetDefinition>

/** Counts of the matching participations by country (the one shown), role, event or participant type. */
export function countParticipationFacets(db: DirectoryDatabase, filters: ParticipationFilters, request: FacetRequest) {
  // The order of a list does not change its counts: filters the index holds are counted from it.
  const scopes = indexedScopes(db, { ...filters, q: undefined, sort: undefined })
  if (scopes !== undefined) return scopedFacetCounts(db, scopes, request, filters.q)
  const { from, conditions } = selectionFor(db, filters)
  return facetCounts(db, sql`${from} ${whereAll(conditions)}`, PARTICIPATION_FACETS, request)
}

export function getParticipation(db: DirectoryDatabase, id: string): Participation | undefined {
  return participationsById(db, [id])[0]
}

type ParticipationInclude = (typeof PARTICIPATION_INCLUDES)[number]

/**
 * The participations with the related records asked for, in full: one query per kind of record
 * for the whole page, however many participations it holds.
 */
export function embedInParticipations(db: DirectoryDatabase, records: Participation[], names: readonly string[]): Participation[] {
  const wanted = new Set(names as ParticipationInclude[])
  const participants = (type: 'person' | 'organisation') => (wanted.has(type) ? records.filter((r) => r.participant.type === type).map((r) => r.participant.id) : [])
  const people = recordsById((filters, page) => listPeople(db, filters, page), participants('person'))
  const representedIds = wanted.has('on_behalf_of') ? records.flatMap((r) => (r.on_behalf_of === null ? [] : [r.on_behalf_of.id])) : []
  const organisations = recordsById((filters, page) => listOrganisations(db, filters, page), [...participants('organisation'), ...representedIds])
  const events = recordsById((filters, page) => listEvents(db, filters, page), wanted.has('event') ? records.map((r) => r.event.id) : [])
  return records.map((record) => {
    const participant = (type: 'person' | 'organisation') => (record.participant.type === type ? record.participant.id : null)
    const included: NonNullable<Participation['included']> = {}
    if (wanted.has('person')) included.person = people.get(participant('person') as string) ?? null
    if (wanted.has('organisation')) included.organisation = organisations.get(participant('organisation') as string) ?? null
    if (wanted.has('on_behalf_of')) included.on_behalf_of = record.on_behalf_of === null ? null : (organisations.get(record.on_behalf_of.id) as Organisation)
    if (wanted.has('event')) included.event = events.get(record.event.id) as Event
    return { ...record, included }
  })
}
