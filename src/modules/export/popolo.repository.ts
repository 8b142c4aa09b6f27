// The whole directory as one Popolo JSON document: plain functions over the database that read it a
// page of records at a time, in the document's order, so that it can be sent as it is read. At
// 1,000,000 participations the document is about 440 MB: built whole, it took the server to 4.7 GB
// of memory and kept it from answering anything else for 43 s.
//
// How our records map onto Popolo (https://www.popoloproject.com/specs/), and why:
//
// - Countries -> areas. Popolo's Area has `id`, `name`, one `identifier` ("An issued identifier, e.g.
//   an Open Civic Data Division Identifier"; "The use of Open Civic Data Division Identifiers is
//   recommended"), `classification` ("An area category, e.g. city") and `parent_id`. So: id = alpha-2
//   code (the id of /v1/countries), identifier = ocd-division/country:xx, classification "country".
//   Area has no `other_names` nor `identifiers`, so the other and former names of a country are kept
//   only in the notes of its source links (below); alpha-3 and numeric codes are not exported.
// - Organisations -> organizations: `classification` ("An organization category"), `parent_id`,
//   `area_id` ("The ID of the geographic area to which this organization is related") for the
//   country. Popolo has no abbreviation: it is the first of `other_names`, with note "abbreviation".
//   The ministry portfolio has no Popolo term and is not exported (ministry names carry it).
// - People -> persons, name components as Popolo names them (name, sort_name, given_name,
//   family_name, honorific_prefix).
// - Positions -> memberships: "a person is a member of an organization, and may optionally hold a
//   post in that organization through their membership". A titled position also gives a post ("A
//   position in an organization that exists independently of the person holding it"), keyed by
//   organisation and title so that successive holders share it; the membership's `role` is the
//   title. A position's date says as of when the source attests it, not "The date on which the
//   relationship began", so it is not a `start_date`: each of its source links says "As of <date>".
// - Events -> events; sessions -> events with `parent_id` ("The ID of an event that this event is a
//   part of"), each after its event.
// - Participations. The Event spec restricts ranges: "only organizations can organize events, and
//   only people can attend events". So a person's participation makes them one of the `attendees` of
//   the session, or of the event, it is recorded on (and of the event a session belongs to, since
//   they attended it too). An organisation is the event's `organization_id` ("The ID of the
//   organization organizing the event") when it is the one participant recorded as organiser; co-hosts
//   and co-organisers are not "the" organiser. Nothing else in Popolo says who played what part in an
//   event: a Membership is "a relationship between a member and an organization", and neither an event
//   nor a session is an organization, so a role at an event is not a membership (nor a post), and a
//   delegation or a sector is neither a person nor an organization. Every participation therefore also
//   becomes source links of the event or session it is recorded on, whose notes name the participant,
//   the role and on whose behalf ("Mersida Mesetović: moderator, on behalf of ..."): nothing is lost,
//   and the verbatim quote stays next to the fact it backs.
// - Sources: Popolo's `sources` are links ({url, note}) "to documents from which the resource is
//   derived", and the JSON serialization "must ... cite only URIs". A citation becomes a link to its
//   source's URL or, for a source without one, to the source's record in this API (an absolute URL,
//   hence `apiUrl`); the note holds the quote and names the source. The citations of other names
//   become links of the record that has the name (Popolo's other name has no `sources`).
// - Record notes (how a source was read) have no Popolo term whose meaning fits (`description` and
//   `biography` describe the thing itself), so they are not exported; /v1 serves them.
// - Unknown values are null, which every one of these Popolo properties allows.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { ExportRead } from '../../http/export-stream.js'
import type { PARTICIPATION_ROLES } from '../../vocabularies.js'
import { sectorLabel } from '../participations/participations.repository.js'
import { fold } from '../../text/fold.js'
import type { Citation, OtherName } from '../shared/common.schemas.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import type { PopoloEvent, PopoloExport, PopoloLink, PopoloOtherName, PopoloPost } from './popolo.schemas.js'

export interface PopoloExportOptions {
  /** Absolute URL of this API (scheme and host), to link sources that have no URL of their own. */
  apiUrl: string
  /** How many people, organisations, positions, events or countries a page reads (POPOLO_PAGE). */
  pageSize?: number
}

/** The document's collections, in its order. */
export const POPOLO_SECTIONS = ['persons', 'organizations', 'memberships', 'posts', 'events', 'areas'] as const
export type PopoloSection = (typeof POPOLO_SECTIONS)[number]

/** Records of one collection of the document, in the document's order. */
export type PopoloPage = { [S in PopoloSection]: { section: S; records: PopoloExport[S] } }[PopoloSection]

/**
 * Records a page reads. A page of 1,000 people, with their sources and other names, took about
 * 12 ms at 1,000,000 participations (25 at most): the time the server answers nothing else while
 * it reads one.
 */
export const POPOLO_PAGE = 1000

const present = <T>(value: T | null): value is T => value !== null

/** "Sector Leader, Justice and Security" -> sector-leader-justice-and-security. */
const slug = (text: string): string => fold(text).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

/** A citation as a Popolo link; `backs` says what it is the source of, when not the whole record. */
function toLink(citation: Citation, apiUrl: string, backs: string | null = null): PopoloLink {
  const source = [citation.title, citation.publisher, citation.published_on].filter(present).join(', ')
  const passage = citation.quote === null ? source : `“${citation.quote}” (${source})`
  return {
    url: citation.url ?? `${apiUrl}/v1/sources/${encodeURIComponent(citation.source_id)}`,
    note: [backs, passage, citation.note].filter(present).join(' — ')
  }
}

const toOtherName = ({ name, start_date, end_date, note }: OtherName): PopoloOtherName => ({ name, start_date, end_date, note })

/** The links of a record's other names: Popolo's other name has no sources of its own. */
function otherNameLinks(names: OtherName[], apiUrl: string): PopoloLink[] {
  return names.flatMap((n) => {
    const fact = [`Other name “${n.name}”`, n.start_date === null ? null : `from ${n.start_date}`, n.end_date === null ? null : `until ${n.end_date}`]
    return n.sources.map((citation) => toLink(citation, apiUrl, fact.filter(present).join(', ')))
  })
}

/** Adds items to the list a key maps to, starting the list on the key's first items. */
function append<T>(map: Map<string, T[]>, key: string, items: T[]): void {
  const list = map.get(key)
  if (list) list.push(...items)
  else map.set(key, items)
}

/**
 * The rows of a table in pages of `size`, each read on its own (`read`) after the last key of the
 * one before: `page` selects the rows after a key in the key's order. A page shorter than `size`
 * is the last.
 */
function* pagesAfter<T, K>(read: ExportRead, size: number, page: (db: DirectoryDatabase, after: K | undefined) => T[], keyOf: (row: T) => K): Generator<T[]> {
  let after: K | undefined
  for (;;) {
    const rows = read((db) => page(db, after))
    if (rows.length > 0) yield rows
    const last = rows.at(-1)
    if (last === undefined || rows.length < size) return
    after = keyOf(last)
  }
}

/** Pages of a table's rows in the order of their `id` (a text primary key: every id is after ''). */
const pagesById = <T extends { id: string }>(read: ExportRead, size: number, select: (after: string) => SQL) =>
  pagesAfter<T, string>(read, size, (db, after) => db.all<T>(select(after ?? '')), (row) => row.id)

/** People with their sources and other names. */
function* exportPeople(read: ExportRead, apiUrl: string, size: number): Generator<PopoloPage> {
  type Row = Omit<PopoloExport['persons'][number], 'other_names' | 'sources'>
  const select = (after: string) =>
    sql`SELECT id, name, sort_name, given_name, family_name, honorific_prefix FROM people WHERE id > ${after} ORDER BY id LIMIT ${size}`
  for (const people of pagesById<Row>(read, size, select)) {
    const records = read((db) => {
      const ids = people.map((p) => p.id)
      const sources = citationsFor(db, 'person', ids)
      const otherNames = otherNamesFor(db, 'person', ids)
      return people.map((p) => {
        const names = otherNames.get(p.id) ?? []
        return {
          ...p,
          other_names: names.map(toOtherName),
          sources: [...(sources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(names, apiUrl)]
        }
      })
    })
    yield { section: 'persons', records }
  }
}

/** Organisations with their sources, abbreviation and other names. */
function* exportOrganisations(read: ExportRead, apiUrl: string, size: number): Generator<PopoloPage> {
  type Row = Omit<PopoloExport['organizations'][number], 'other_names' | 'sources'> & { abbreviation: string | null }
  const select = (after: string) =>
    sql`SELECT id, name, abbreviation, classification, parent_id, country_code AS area_id FROM organisations WHERE id > ${after} ORDER BY id LIMIT ${size}`
  for (const organisations of pagesById<Row>(read, size, select)) {
    const records = read((db) => {
      const ids = organisations.map((o) => o.id)
      const sources = citationsFor(db, 'organisation', ids)
      const otherNames = otherNamesFor(db, 'organisation', ids)
      return organisations.map(({ abbreviation, ...o }) => {
        const names = otherNames.get(o.id) ?? []
        const abbreviated = abbreviation === null ? [] : [{ name: abbreviation, start_date: null, end_date: null, note: 'abbreviation' }]
        return {
          ...o,
          other_names: [...abbreviated, ...names.map(toOtherName)],
          sources: [...(sources.get(o.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(names, apiUrl)]
        }
      })
    })
    yield { section: 'organizations', records }
  }
}

interface PositionRow {
  id: string
  person_id: string
  organisation_id: string
  organisation_name: string
  title: string | null
  as_of: string
}

const POSITION_COLUMNS = sql`ps.id, ps.person_id, ps.organisation_id, o.name AS organisation_name, ps.title, ps.as_of`

/** Positions with their links: their citations, each saying as of when it attests the position. */
function withLinks<P extends PositionRow>(db: DirectoryDatabase, positions: P[], apiUrl: string): (P & { links: PopoloLink[] })[] {
  const sources = citationsFor(db, 'position', positions.map((p) => p.id))
  return positions.map((p) => ({ ...p, links: (sources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl, `As of ${p.as_of}`)) }))
}

/** The post a titled position is held in: one per organisation and title, whoever holds it. */
const postOf = (p: PositionRow & { title: string }) => ({ id: `${p.organisation_id}/${slug(p.title)}`, label: `${p.title}, ${p.organisation_name}`, role: p.title })

/** Positions as memberships. */
function* exportMemberships(read: ExportRead, apiUrl: string, size: number): Generator<PopoloPage> {
  const select = (after: string) =>
    sql`SELECT ${POSITION_COLUMNS} FROM positions ps JOIN organisations o ON o.id = ps.organisation_id WHERE ps.id > ${after} ORDER BY ps.id LIMIT ${size}`
  for (const positions of pagesById<PositionRow>(read, size, select)) {
    const records = read((db) => withLinks(db, positions, apiUrl)).map((p) => {
      const membership = { id: p.id, person_id: p.person_id, organization_id: p.organisation_id, sources: p.links }
      if (p.title === null) return { ...membership, post_id: null, role: null, label: null }
      const post = postOf({ ...p, title: p.title })
      return { ...membership, post_id: post.id, role: post.role, label: post.label }
    })
    yield { section: 'memberships', records }
  }
}

/**
 * The titles of positions as posts, a page per organisation (its posts in the order of their first
 * holder's position id), so that every holder of a post is on its page. A post's label and role are
 * its first holder's; its links are every holder's.
 */
function* exportPosts(read: ExportRead, apiUrl: string): Generator<PopoloPage> {
  const nextOrganisation = (after: string) =>
    sql`SELECT organisation_id AS id FROM positions WHERE organisation_id > ${after} AND title IS NOT NULL ORDER BY organisation_id LIMIT 1`
  for (const organisations of pagesById<{ id: string }>(read, 1, nextOrganisation)) {
    for (const { id: organisation } of organisations) {
      const records = read((db) => {
        const positions = db.all<PositionRow & { title: string }>(sql`SELECT ${POSITION_COLUMNS}
          FROM positions ps JOIN organisations o ON o.id = ps.organisation_id
          WHERE ps.organisation_id = ${organisation} AND ps.title IS NOT NULL ORDER BY ps.id`)
        const posts = new Map<string, PopoloPost>()
        for (const p of withLinks(db, positions, apiUrl)) {
          const { id, label, role } = postOf(p)
          const post = posts.get(id) ?? { id, label, role, organization_id: p.organisation_id, sources: [] }
          post.sources.push(...p.links)
          posts.set(id, post)
        }
        return [...posts.values()]
      })
      yield { section: 'posts', records }
    }
  }
}

type Role = (typeof PARTICIPATION_ROLES)[number]

interface ParticipationRow {
  id: string
  session_id: string | null
  person_id: string | null
  organisation_id: string | null
  role: Role
  participant: string
  on_behalf_of: string | null
}

type EventRow = Omit<PopoloEvent, 'attendees' | 'organization_id' | 'sources'>

/**
 * An event and its sessions (in the order of their ids), with their attendees, organiser and the
 * links of the participations recorded on each: what one event's participations give.
 */
function eventWithSessions(db: DirectoryDatabase, event: EventRow, apiUrl: string): PopoloEvent[] {
  const sessions = db.all<EventRow>(sql`
    SELECT id, name, classification, NULL AS start_date, NULL AS end_date, NULL AS location, event_id AS parent_id
    FROM sessions WHERE event_id = ${event.id} ORDER BY id`)
  const participations = db.all<ParticipationRow>(sql`
    SELECT p.id, p.session_id, p.person_id, p.organisation_id, p.role,
      COALESCE(pe.name, po.name, 'Delegation of ' || dc.name, ${sectorLabel}) AS participant,
      bo.name AS on_behalf_of
    FROM participations p
    LEFT JOIN people pe ON pe.id = p.person_id
    LEFT JOIN organisations po ON po.id = p.organisation_id
    LEFT JOIN countries dc ON dc.code = p.delegation_country_code
    LEFT JOIN organisations bo ON bo.id = p.on_behalf_of_id
    WHERE p.event_id = ${event.id}
    ORDER BY p.id`)
  const own = new Map([...citationsFor(db, 'event', [event.id]), ...citationsFor(db, 'session', sessions.map((s) => s.id))])
  const participationSources = citationsFor(db, 'participation', participations.map((p) => p.id))

  const attendees = new Map<string, Set<string>>()
  const attend = (eventId: string, personId: string) => attendees.set(eventId, (attendees.get(eventId) ?? new Set()).add(personId))
  const links = new Map<string, PopoloLink[]>()
  const organisers = new Map<string, string[]>()
  for (const p of participations) {
    const recordedOn = p.session_id ?? event.id
    if (p.person_id !== null) {
      attend(recordedOn, p.person_id)
      attend(event.id, p.person_id)
    }
    if (p.role === 'organiser' && p.organisation_id !== null) append(organisers, recordedOn, [p.organisation_id])
    const fact = `${p.participant}: ${p.role}${p.on_behalf_of === null ? '' : `, on behalf of ${p.on_behalf_of}`}`
    const backing = (participationSources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl, fact))
    append(links, recordedOn, backing)
  }

  return [event, ...sessions].map((e) => {
    const organiser = organisers.get(e.id) ?? []
    return {
      ...e,
      organization_id: organiser.length === 1 ? (organiser[0] as string) : null,
      attendees: [...(attendees.get(e.id) ?? [])].map((id) => ({ id })),
      sources: [...(own.get(e.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...(links.get(e.id) ?? [])]
    }
  })
}

/**
 * The events by start date, each followed by its sessions: a page per event, whose participations
 * (a few hundred, some thousands) are read with it.
 */
function* exportEvents(read: ExportRead, apiUrl: string, size: number): Generator<PopoloPage> {
  const select = (db: DirectoryDatabase, after: EventRow | undefined) =>
    db.all<EventRow>(sql`
      SELECT e.id, e.name, e.classification, e.start_date, e.end_date,
        COALESCE(e.city || ', ' || c.name, e.city, c.name) AS location, NULL AS parent_id
      FROM events e LEFT JOIN countries c ON c.code = e.country_code
      WHERE ${after === undefined ? sql`TRUE` : sql`(e.start_date, e.id) > (${after.start_date}, ${after.id})`}
      ORDER BY e.start_date, e.id LIMIT ${size}`)
  for (const events of pagesAfter(read, size, select, (event) => event)) {
    for (const event of events) yield { section: 'events', records: read((db) => eventWithSessions(db, event, apiUrl)) }
  }
}

/** Countries as areas, with their sources and other names. */
function* exportAreas(read: ExportRead, apiUrl: string, size: number): Generator<PopoloPage> {
  const select = (after: string) => sql`SELECT code AS id, name FROM countries WHERE code > ${after} ORDER BY code LIMIT ${size}`
  for (const countries of pagesById<{ id: string; name: string }>(read, size, select)) {
    const records = read((db) => {
      const codes = countries.map((c) => c.id)
      const sources = citationsFor(db, 'country', codes)
      const otherNames = otherNamesFor(db, 'country', codes)
      return countries.map(({ id, name }) => ({
        id,
        name,
        identifier: `ocd-division/country:${id.toLowerCase()}`,
        classification: 'country' as const,
        sources: [...(sources.get(id) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(otherNames.get(id) ?? [], apiUrl)]
      }))
    })
    yield { section: 'areas', records }
  }
}

/**
 * The whole directory as Popolo records, a page at a time, every collection in the document's order
 * (POPOLO_SECTIONS). Each page is read with `read`: for one document, every read must see the same
 * state of the database (an export's snapshot, or one transaction).
 */
export function* exportPopolo(read: ExportRead, { apiUrl, pageSize = POPOLO_PAGE }: PopoloExportOptions): Generator<PopoloPage> {
  yield* exportPeople(read, apiUrl, pageSize)
  yield* exportOrganisations(read, apiUrl, pageSize)
  yield* exportMemberships(read, apiUrl, pageSize)
  yield* exportPosts(read, apiUrl)
  yield* exportEvents(read, apiUrl, pageSize)
  yield* exportAreas(read, apiUrl, pageSize)
}
