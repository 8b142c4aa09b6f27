// The whole directory as one Popolo JSON document: a plain function over the database, shared by the
// HTTP route and the CLI. A fixed number of queries, whatever the size of the directory.
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
//   part of").
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
import { sql } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { PARTICIPATION_ROLES } from '../../vocabularies.js'
import { sectorLabel } from '../participations/participations.repository.js'
import { fold } from '../../text/fold.js'
import type { Citation, OtherName } from '../shared/common.schemas.js'
import { citationsFor, otherNamesFor } from '../sources/citations.repository.js'
import type { PopoloEvent, PopoloExport, PopoloLink, PopoloOtherName, PopoloPost } from './popolo.schemas.js'

export interface PopoloExportOptions {
  /** Absolute URL of this API (scheme and host), to link sources that have no URL of their own. */
  apiUrl: string
}

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

type Role = (typeof PARTICIPATION_ROLES)[number]

interface ParticipationRow {
  id: string
  event_id: string
  session_id: string | null
  person_id: string | null
  organisation_id: string | null
  role: Role
  participant: string
  on_behalf_of: string | null
}

/** The events and sessions, with their attendees, organiser and the links of their participations. */
function exportEvents(db: DirectoryDatabase, apiUrl: string): PopoloEvent[] {
  const events = db.all<Omit<PopoloEvent, 'attendees' | 'organization_id' | 'sources'>>(sql`
    SELECT e.id, e.name, e.classification, e.start_date, e.end_date,
      COALESCE(e.city || ', ' || c.name, e.city, c.name) AS location, NULL AS parent_id
    FROM events e LEFT JOIN countries c ON c.code = e.country_code
    ORDER BY e.start_date, e.id`)
  const sessions = db.all<Omit<PopoloEvent, 'attendees' | 'organization_id' | 'sources'>>(sql`
    SELECT id, name, classification, NULL AS start_date, NULL AS end_date, NULL AS location, event_id AS parent_id
    FROM sessions ORDER BY event_id, id`)
  const participations = db.all<ParticipationRow>(sql`
    SELECT p.id, p.event_id, p.session_id, p.person_id, p.organisation_id, p.role,
      COALESCE(pe.name, po.name, 'Delegation of ' || dc.name, ${sectorLabel}) AS participant,
      bo.name AS on_behalf_of
    FROM participations p
    LEFT JOIN people pe ON pe.id = p.person_id
    LEFT JOIN organisations po ON po.id = p.organisation_id
    LEFT JOIN countries dc ON dc.code = p.delegation_country_code
    LEFT JOIN organisations bo ON bo.id = p.on_behalf_of_id
    ORDER BY p.id`)
  const own = new Map([...citationsFor(db, 'event', events.map((e) => e.id)), ...citationsFor(db, 'session', sessions.map((s) => s.id))])
  const participationSources = citationsFor(db, 'participation', participations.map((p) => p.id))

  const attendees = new Map<string, Set<string>>()
  const attend = (eventId: string, personId: string) => attendees.set(eventId, (attendees.get(eventId) ?? new Set()).add(personId))
  const links = new Map<string, PopoloLink[]>()
  const organisers = new Map<string, string[]>()
  for (const p of participations) {
    const recordedOn = p.session_id ?? p.event_id
    if (p.person_id !== null) {
      attend(recordedOn, p.person_id)
      attend(p.event_id, p.person_id)
    }
    if (p.role === 'organiser' && p.organisation_id !== null) append(organisers, recordedOn, [p.organisation_id])
    const fact = `${p.participant}: ${p.role}${p.on_behalf_of === null ? '' : `, on behalf of ${p.on_behalf_of}`}`
    const backing = (participationSources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl, fact))
    append(links, recordedOn, backing)
  }

  return [...events, ...sessions].map((e) => {
    const organiser = organisers.get(e.id) ?? []
    return {
      ...e,
      organization_id: organiser.length === 1 ? (organiser[0] as string) : null,
      attendees: [...(attendees.get(e.id) ?? [])].map((id) => ({ id })),
      sources: [...(own.get(e.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...(links.get(e.id) ?? [])]
    }
  })
}

interface PositionRow {
  id: string
  person_id: string
  organisation_id: string
  organisation_name: string
  title: string | null
  as_of: string
}

/** Positions as memberships, and their titles as posts shared by every holder. */
function exportPositions(db: DirectoryDatabase, apiUrl: string): Pick<PopoloExport, 'memberships' | 'posts'> {
  const positions = db.all<PositionRow>(sql`
    SELECT ps.id, ps.person_id, ps.organisation_id, o.name AS organisation_name, ps.title, ps.as_of
    FROM positions ps JOIN organisations o ON o.id = ps.organisation_id
    ORDER BY ps.id`)
  const sources = citationsFor(db, 'position', positions.map((p) => p.id))
  const posts = new Map<string, PopoloPost>()
  const memberships = positions.map((p) => {
    const links = (sources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl, `As of ${p.as_of}`))
    if (p.title === null) {
      return { id: p.id, person_id: p.person_id, organization_id: p.organisation_id, post_id: null, role: null, label: null, sources: links }
    }
    const label = `${p.title}, ${p.organisation_name}`
    const postId = `${p.organisation_id}/${slug(p.title)}`
    const post = posts.get(postId) ?? { id: postId, label, role: p.title, organization_id: p.organisation_id, sources: [] }
    post.sources.push(...links)
    posts.set(postId, post)
    return { id: p.id, person_id: p.person_id, organization_id: p.organisation_id, post_id: postId, role: p.title, label, sources: links }
  })
  return { memberships, posts: [...posts.values()] }
}

export function exportPopolo(db: DirectoryDatabase, options: PopoloExportOptions): PopoloExport {
  // One read transaction, so that every query sees the same state of the database.
  return db.$client.transaction(() => exportSnapshot(db, options))()
}

function exportSnapshot(db: DirectoryDatabase, { apiUrl }: PopoloExportOptions): PopoloExport {
  const countries = db.all<{ code: string; name: string }>(sql`SELECT code, name FROM countries ORDER BY code`)
  const codes = countries.map((c) => c.code)
  const countrySources = citationsFor(db, 'country', codes)
  const countryNames = otherNamesFor(db, 'country', codes)
  const areas = countries.map(({ code, name }) => ({
    id: code,
    name,
    identifier: `ocd-division/country:${code.toLowerCase()}`,
    classification: 'country' as const,
    sources: [...(countrySources.get(code) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(countryNames.get(code) ?? [], apiUrl)]
  }))

  const organisations = db.all<{
    id: string
    name: string
    abbreviation: string | null
    classification: PopoloExport['organizations'][number]['classification']
    parent_id: string | null
    area_id: string | null
  }>(sql`SELECT id, name, abbreviation, classification, parent_id, country_code AS area_id FROM organisations ORDER BY id`)
  const organisationIds = organisations.map((o) => o.id)
  const organisationSources = citationsFor(db, 'organisation', organisationIds)
  const organisationNames = otherNamesFor(db, 'organisation', organisationIds)
  const organizations = organisations.map(({ abbreviation, ...o }) => {
    const names = organisationNames.get(o.id) ?? []
    const abbreviated = abbreviation === null ? [] : [{ name: abbreviation, start_date: null, end_date: null, note: 'abbreviation' }]
    return {
      ...o,
      other_names: [...abbreviated, ...names.map(toOtherName)],
      sources: [...(organisationSources.get(o.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(names, apiUrl)]
    }
  })

  const people = db.all<Omit<PopoloExport['persons'][number], 'other_names' | 'sources'>>(
    sql`SELECT id, name, sort_name, given_name, family_name, honorific_prefix FROM people ORDER BY id`
  )
  const personIds = people.map((p) => p.id)
  const personSources = citationsFor(db, 'person', personIds)
  const personNames = otherNamesFor(db, 'person', personIds)
  const persons = people.map((p) => {
    const names = personNames.get(p.id) ?? []
    return {
      ...p,
      other_names: names.map(toOtherName),
      sources: [...(personSources.get(p.id) ?? []).map((citation) => toLink(citation, apiUrl)), ...otherNameLinks(names, apiUrl)]
    }
  })

  return { persons, organizations, ...exportPositions(db, apiUrl), events: exportEvents(db, apiUrl), areas }
}
