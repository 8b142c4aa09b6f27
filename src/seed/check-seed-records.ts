// Cross-file checks of parsed seed files: duplicate ids, references to records that exist neither
// in the files nor in the database, unknown countries, impossible dates, citations whose quote is
// not in the source text, and what the files would break in the database (a session moved away
// from its participations, a source text that no longer holds the quotes of it). Every problem is
// collected; nothing stops at the first.
import { hash } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { SEED_COLLECTIONS, type ParsedSeedFile, type SeedCollection } from './read-seed-files.js'
import type { SeedProblem } from './seed-problem.js'
import type { SeedCitation, SeedFile, SeedOtherName } from './seed-file.schemas.js'
import { endsBeforeStart, endsLessPreciselyThanStart, isRealPartialDate } from '../validation/partial-date.js'
import { ISO_SOURCE } from './iso-countries.js'
import { NotUtf8Error, readUtf8File } from './read-utf8-file.js'
import type { EditableCollection } from './write-seed.js'

type Collection = SeedCollection
type RecordOf<C extends Collection> = NonNullable<SeedFile[C]>[number]

export interface Located<T> {
  record: T
  file: ParsedSeedFile
  pointer: string
}

/**
 * The records of one collection in all files, in file order, each with where it came from. Each
 * pass over them reads the files that hold some (a large file is parsed again, see
 * ParsedSeedFile.content), so no pass holds more than one file's records beyond those kept.
 */
export interface SeedRecordList<T> extends Iterable<Located<T>> {
  readonly length: number
  /** Where the list's n-th record (from 0) is, without reading any file. */
  locate(ordinal: number): Omit<Located<T>, 'record'>
}

/** All records of all files, by collection. */
export type SeedRecords = { [C in Collection]: SeedRecordList<RecordOf<C>> }

/** Records by id: a Map, or a lookup in the database (which need not load every id). */
export interface Lookup<V> {
  has(id: string): boolean
  get(id: string): V | undefined
}

/** What the database already holds that seed records may refer to (empty with --reset). */
export interface ExistingRecords {
  sources: Lookup<string | null> // id -> full text (null for datasets)
  organisations: Lookup<string | null> // id -> parent id
  people: Pick<Lookup<unknown>, 'has'>
  events: Lookup<string | null> // id -> id of the event it continues
  sessions: Lookup<string> // id -> event id
  /** The ids of the participations at a session, in id order: asked only of a session that moves to another event. */
  participationsAtSession(sessionId: string): string[]
  /**
   * The citations of a source, in the order they were written: asked only of a source whose text
   * changes. Read as they are iterated (a source may be cited a million times), so nothing else
   * may be looked up until the iteration ends.
   */
  citationsOfSource(sourceId: string): Iterable<ExistingCitation>
}

/** A citation in the database, with the record it backs (for an other name's, the record that has the name). */
export interface ExistingCitation {
  owner: 'countries' | EditableCollection
  ownerId: string
  /** The other name it backs, if it backs one. */
  otherName: string | null
  quote: string | null
}

/** Each owner of a citation as a message names it. */
const OWNER_NAMES: Record<ExistingCitation['owner'], string> = {
  countries: 'country',
  organisations: 'organisation',
  people: 'person',
  positions: 'position',
  events: 'event',
  sessions: 'session',
  participations: 'participation'
}

/** A session of the files at another event than in the database, and the participations left at the one it leaves. */
interface MovedSession {
  at: Located<unknown>
  from: string
  to: string
  left: string[]
}

/** At most this many records are named in a problem that concerns many: the count tells the rest. */
const EXAMPLES = 3

/** The first few of a list, and how many more it holds, for a message. */
function someOf(list: string[]): string {
  const more = list.length - EXAMPLES
  return `${list.slice(0, EXAMPLES).join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

/** A quote as an example of a message shows it: its beginning, on one line. */
function quoted(quote: string | null): string {
  if (quote === null) return 'no quote'
  const line = quote.replace(/\s+/g, ' ')
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 59).trimEnd()}…` : line)
}

export interface CheckedSeed {
  records: SeedRecords
  /** Full texts of the sources defined in the files, read from their text_file. */
  sourceTexts: Map<string, string>
}

/** 48 bits of an id's SHA-1: ids that share it are compared in full (see `unique`). */
export const idHash = (id: string): number => hash('sha1', id, 'buffer').readUIntBE(0, 6)

function recordList<C extends Collection>(files: ParsedSeedFile[], collection: C): SeedRecordList<RecordOf<C>> {
  const holding = files.filter((file) => file.counts[collection] > 0)
  const sizes = holding.map((file) => file.counts[collection])
  return {
    length: sizes.reduce((sum, size) => sum + size, 0),
    locate(ordinal) {
      let index = ordinal
      let fileIndex = 0
      while (index >= (sizes[fileIndex] as number)) index -= sizes[fileIndex++] as number
      return { file: holding[fileIndex] as ParsedSeedFile, pointer: `/${collection}/${index}` }
    },
    *[Symbol.iterator]() {
      for (const file of holding) {
        const list = file.content()[collection] as RecordOf<C>[]
        for (let index = 0; index < list.length; index++) yield { record: list[index] as RecordOf<C>, file, pointer: `/${collection}/${index}` }
      }
    }
  }
}

export function gatherRecords(files: ParsedSeedFile[]): SeedRecords {
  return Object.fromEntries(SEED_COLLECTIONS.map((c) => [c, recordList(files, c)])) as unknown as SeedRecords
}

export function checkSeedRecords(
  records: SeedRecords,
  existing: ExistingRecords,
  countryCodes: ReadonlySet<string>
): { checked: CheckedSeed; problems: SeedProblem[] } {
  const problems: SeedProblem[] = []
  const report = (at: Located<unknown>, suffix: string, message: string) => {
    const pointer = `${at.pointer}${suffix}`
    problems.push({ file: at.file.displayPath, pointer, line: at.file.lineOf(pointer), message })
  }

  // Ids defined in the files, with a duplicate check per collection. Each id maps to its record's
  // place in the list, not to the record: a million ids take tens of MB, their records a GB.
  // `suspect`: only the ids it picks are checked (the others are known to be unique).
  const defined = <T extends { id: string }>(list: SeedRecordList<T>, what: string, remember?: (record: T) => void, suspect?: (id: string) => boolean) => {
    const firstSeen = new Map<string, number>()
    let ordinal = 0
    for (const at of list) {
      const { id } = at.record
      const checked = suspect?.(id) ?? true
      const previous = checked ? firstSeen.get(id) : undefined
      if (previous !== undefined) {
        const { file, pointer } = list.locate(previous)
        const line = file.lineOf(pointer) // a parsed record always has a line
        report(at, '/id', `duplicate ${what} id "${id}" (first defined in ${file.displayPath}:${line})`)
      } else {
        if (checked) firstSeen.set(id, ordinal)
        remember?.(at.record)
      }
      ordinal++
    }
    return firstSeen
  }
  // The duplicate check of a collection whose ids nothing looks up afterwards, without keeping them:
  // a Map of a million participation ids made the import's peak (110 MB), their hashes take 8 MB.
  // Only ids whose hash another shares (duplicates, or a rare collision) are then checked by id.
  const unique = <T extends { id: string }>(list: SeedRecordList<T>, what: string) => {
    const hashes = new Float64Array(list.length)
    let ordinal = 0
    for (const at of list) hashes[ordinal++] = idHash(at.record.id)
    hashes.sort()
    const shared = new Set<number>()
    for (let index = 1; index < hashes.length; index++) if (hashes[index] === hashes[index - 1]) shared.add(hashes[index] as number)
    if (shared.size > 0) defined(list, what, undefined, (id) => shared.has(idHash(id)))
  }
  const sessionEvents = new Map<string, string>()
  const sources = defined(records.sources, 'source')
  const organisations = defined(records.organisations, 'organisation')
  const people = defined(records.people, 'person')
  unique(records.positions, 'position')
  const events = defined(records.events, 'event')
  defined(records.sessions, 'session', (session) => sessionEvents.set(session.id, session.event))
  unique(records.participations, 'participation')

  // Source texts, needed to check quotes.
  const sourceTexts = new Map<string, string>()
  for (const at of records.sources) {
    const { record } = at
    if (record.id === ISO_SOURCE.id) report(at, '/id', `source id "${ISO_SOURCE.id}" is reserved for the ISO 3166-1 dataset the country list comes from`)
    if (record.text_file === undefined) {
      if (record.kind === 'article') report(at, '', 'an article source needs "text_file", its full text')
      continue
    }
    const path = resolve(dirname(at.file.absolutePath), record.text_file)
    try {
      sourceTexts.set(record.id, readUtf8File(path))
    } catch (error) {
      if (error instanceof NotUtf8Error) report(at, '/text_file', `"${record.text_file}" is ${error.message}: save it as UTF-8`)
      else report(at, '/text_file', `cannot read "${record.text_file}" (looked for ${path})`)
    }
  }
  // The database's citations of a source whose text the files change, that the new text breaks
  // (rechecked with the very function the files' citations are): unless the files redefine the
  // record that makes them (its citations are then replaced by those checked below), they stay.
  const brokenCitations: { at: Located<unknown>; citations: ExistingCitation[] }[] = []
  for (const at of records.sources) {
    const { id } = at.record
    const text = sourceTexts.get(id)
    if (text === undefined || !existing.sources.has(id) || existing.sources.get(id) === text) continue
    const citations: ExistingCitation[] = []
    for (const citation of existing.citationsOfSource(id)) {
      if (quoteProblem(text, id, citation.quote ?? undefined) !== undefined) citations.push(citation)
    }
    if (citations.length > 0) brokenCitations.push({ at, citations })
  }
  // Positions and participations keep no set of their ids (see `unique`): their loops below note
  // those of the records whose broken citations the files redefine.
  const brokenOwners = (owner: ExistingCitation['owner']) =>
    new Set(brokenCitations.flatMap(({ citations }) => citations.filter((c) => c.owner === owner).map((c) => c.ownerId)))
  const positionsWithBrokenCitations = brokenOwners('positions')
  const participationsWithBrokenCitations = brokenOwners('participations')
  const redefinedPositions = new Set<string>()
  const redefinedParticipations = new Set<string>()

  const sourceText = (id: string): string | null | undefined =>
    sources.has(id) ? (sourceTexts.get(id) ?? null) : existing.sources.get(id)
  // The ISO dataset is written by every seed run (with --reset too), so it may always be cited.
  const sourceKnown = (id: string) => sources.has(id) || existing.sources.has(id) || id === ISO_SOURCE.id

  const checkCitations = (at: Located<unknown>, base: string, citations: SeedCitation[] | undefined) => {
    citations?.forEach((citation, index) => {
      const suffix = `${base}/sources/${index}`
      if (!sourceKnown(citation.source)) {
        report(at, `${suffix}/source`, `unknown source "${citation.source}"`)
        return
      }
      const text = sourceText(citation.source)
      if (typeof text !== 'string') return
      const problem = quoteProblem(text, citation.source, citation.quote)
      if (problem) report(at, citation.quote === undefined ? suffix : `${suffix}/quote`, problem)
    })
  }
  const checkDates = (at: Located<unknown>, base: string, dates: Record<string, string | undefined>) => {
    for (const [field, value] of Object.entries(dates)) {
      if (value !== undefined && !isRealPartialDate(value)) report(at, `${base}/${field}`, `"${value}" is not a date on the calendar`)
    }
    const [startField, endField] = Object.keys(dates)
    if (endField && endsBeforeStart(dates[startField as string], dates[endField])) {
      report(at, `${base}/${endField}`, `ends (${dates[endField]}) before it starts (${dates[startField as string]})`)
    }
  }
  const checkCountry = (at: Located<unknown>, field: string, code: string | undefined) => {
    if (code !== undefined && !countryCodes.has(code)) report(at, `/${field}`, `unknown ISO 3166-1 alpha-2 country code "${code}"`)
  }
  const checkReference = (
    at: Located<unknown>,
    field: string,
    id: string | undefined,
    what: string,
    inFiles: Map<string, unknown>,
    inDatabase: { has(id: string): boolean }
  ) => {
    if (id !== undefined && !inFiles.has(id) && !inDatabase.has(id)) report(at, `/${field}`, `unknown ${what} "${id}"`)
  }
  const checkOtherNames = (at: Located<unknown>, names: SeedOtherName[] | undefined) => {
    const seen = new Set<string>()
    names?.forEach((name, index) => {
      const base = `/other_names/${index}`
      if (seen.has(name.name)) report(at, `${base}/name`, `duplicate other name "${name.name}"`)
      seen.add(name.name)
      checkDates(at, base, { start_date: name.start_date, end_date: name.end_date })
      checkCitations(at, base, name.sources)
    })
  }

  for (const at of records.sources) checkDates(at, '', { published_on: at.record.published_on })

  const countryNames = new Set<string>()
  for (const at of records.country_names) {
    const { record } = at
    checkCountry(at, 'country', record.country)
    const key = `${record.country}\u0000${record.name}`
    if (countryNames.has(key)) report(at, '/name', `duplicate other name "${record.name}" for ${record.country}`)
    countryNames.add(key)
    checkDates(at, '', { start_date: record.start_date, end_date: record.end_date })
    checkCitations(at, '', record.sources)
  }

  for (const at of records.organisations) {
    const { record } = at
    checkCountry(at, 'country', record.country)
    checkReference(at, 'parent', record.parent, 'parent organisation', organisations, existing.organisations)
    if (record.parent === record.id) report(at, '/parent', 'an organisation cannot be its own parent')
    if (record.portfolio !== undefined && record.classification !== 'ministry') {
      report(at, '/portfolio', `only ministries have a portfolio (classification is "${record.classification}")`)
    }
    checkOtherNames(at, record.other_names)
    checkCitations(at, '', record.sources)
  }
  reportCycles(records.organisations, (r) => r.parent, existing.organisations, 'parent', report)

  for (const at of records.people) {
    checkOtherNames(at, at.record.other_names)
    checkCitations(at, '', at.record.sources)
  }

  for (const at of records.positions) {
    const { record } = at
    checkReference(at, 'person', record.person, 'person', people, existing.people)
    checkReference(at, 'organisation', record.organisation, 'organisation', organisations, existing.organisations)
    checkDates(at, '', { as_of: record.as_of })
    checkCitations(at, '', record.sources)
    if (positionsWithBrokenCitations.has(record.id)) redefinedPositions.add(record.id)
  }

  for (const at of records.events) {
    const { record } = at
    checkCountry(at, 'country', record.country)
    checkReference(at, 'continuation_of', record.continuation_of, 'event', events, existing.events)
    if (record.continuation_of === record.id) report(at, '/continuation_of', 'an event cannot continue itself')
    checkDates(at, '', { start_date: record.start_date, end_date: record.end_date })
    // The events table refuses it (its CHECK compares the dates as text); other names' dates have no such rule.
    if (endsLessPreciselyThanStart(record.start_date, record.end_date)) {
      report(
        at,
        '/end_date',
        `ends (${record.end_date}) less precisely than it starts (${record.start_date}): ` +
          `give end_date at least as precisely as start_date (as ${'YYYY-MM-DD'.slice(0, record.start_date.length)}), or leave it out`
      )
    }
    checkCitations(at, '', record.sources)
  }
  reportCycles(records.events, (r) => r.continuation_of, existing.events, 'continuation_of', report)

  // A session that moves to another event takes none of the database's participations at it
  // along: those the files do not redefine (with its new event, as the participations' check
  // below requires) would be left at the old event. Their ids are looked up only for such a session.
  const movedSessions = new Map<string, MovedSession>()
  const leftBehind = new Map<string, string>() // participation id -> id of the moved session it is at
  for (const at of records.sessions) {
    const { id, event } = at.record
    checkReference(at, 'event', event, 'event', events, existing.events)
    checkCitations(at, '', at.record.sources)
    const from = existing.sessions.get(id)
    if (from === undefined || from === event || movedSessions.has(id)) continue // a repeated id is reported above
    movedSessions.set(id, { at, from, to: event, left: [] })
    for (const participation of existing.participationsAtSession(id)) leftBehind.set(participation, id)
  }

  const sessionEvent = (id: string) => sessionEvents.get(id) ?? existing.sessions.get(id)
  for (const at of records.participations) {
    const { record } = at
    checkReference(at, 'event', record.event, 'event', events, existing.events)
    checkReference(at, 'session', record.session, 'session', sessionEvents, existing.sessions)
    if (record.session !== undefined) {
      const eventOfSession = sessionEvent(record.session)
      if (eventOfSession !== undefined && eventOfSession !== record.event) {
        report(at, '/session', `session "${record.session}" belongs to event "${eventOfSession}", not "${record.event}"`)
      }
    }
    const named = (['person', 'organisation', 'delegation', 'sector'] as const).filter((f) => record[f] !== undefined)
    if (named.length !== 1) {
      report(at, '', `name exactly one participant (person, organisation, delegation or sector); found ${named.length === 0 ? 'none' : named.join(', ')}`)
    }
    checkReference(at, 'person', record.person, 'person', people, existing.people)
    checkReference(at, 'organisation', record.organisation, 'organisation', organisations, existing.organisations)
    checkReference(at, 'on_behalf_of', record.on_behalf_of, 'organisation', organisations, existing.organisations)
    checkCountry(at, 'delegation', record.delegation)
    checkCountry(at, 'country', record.country)
    checkCitations(at, '', record.sources)
    leftBehind.delete(record.id)
    if (participationsWithBrokenCitations.has(record.id)) redefinedParticipations.add(record.id)
  }

  for (const [participation, session] of leftBehind) (movedSessions.get(session) as MovedSession).left.push(participation)
  for (const [session, { at, from, to, left: participations }] of movedSessions) {
    if (participations.length === 0) continue
    const stay = `${participations.length} participation${participations.length === 1 ? '' : 's'} at it would stay at "${from}"`
    report(
      at,
      '/event',
      `session "${session}" moves from event "${from}" to "${to}", but ${stay}: ${someOf(participations.map((id) => `"${id}"`))}; ` +
        `redefine them alongside it with event "${to}" (or at another session), or leave the session at "${from}"`
    )
  }

  const redefined: Record<ExistingCitation['owner'], { has(id: string): boolean }> = {
    countries: countryNames, // by country and name: a country's own citations (of the ISO dataset) are never redefined
    organisations,
    people,
    positions: redefinedPositions,
    events,
    sessions: sessionEvents,
    participations: redefinedParticipations
  }
  for (const { at, citations } of brokenCitations) {
    const left = citations.filter((c) => !redefined[c.owner].has(c.owner === 'countries' ? `${c.ownerId}\u0000${c.otherName}` : c.ownerId))
    if (left.length === 0) continue
    const examples = left.map((c) => {
      const owner = `${OWNER_NAMES[c.owner]} "${c.ownerId}"`
      return `${c.otherName === null ? owner : `other name "${c.otherName}" of ${owner}`} (${quoted(c.quote)})`
    })
    report(
      at,
      '/text_file',
      `the new text breaks ${left.length} citation${left.length === 1 ? '' : 's'} of this source in the database: ${someOf(examples)}; ` +
        'keep the quoted words in the text, or give those records quotes of the new text in these files'
    )
  }

  return { checked: { records, sourceTexts }, problems }
}

/**
 * Reports each record of the files that lies on a cycle of links (parent, continuation_of),
 * following the files' links first and the database's for records the files do not define.
 */
function reportCycles<T extends { id: string }>(
  list: SeedRecordList<T>,
  next: (record: T) => string | undefined,
  existingLinks: Lookup<string | null>,
  field: string,
  report: (at: Located<unknown>, suffix: string, message: string) => void
) {
  const linksInFiles = new Map<string, string | undefined>()
  for (const at of list) linksInFiles.set(at.record.id, next(at.record))
  const linkOf = (id: string) => (linksInFiles.has(id) ? linksInFiles.get(id) : (existingLinks.get(id) ?? undefined))
  for (const at of list) {
    const path = [at.record.id]
    // A link back to the record itself is reported by the record's own check.
    for (let id = linkOf(at.record.id); id !== undefined && id !== at.record.id; id = linkOf(id)) {
      if (path.includes(id)) break // a cycle further up that this record does not lie on
      path.push(id)
      if (linkOf(id) === at.record.id) {
        report(at, `/${field}`, `"${field}" links form a cycle: ${[...path, at.record.id].join(' -> ')}`)
        break
      }
    }
  }
}

/**
 * What is wrong with a citation of a source's text: no quote, or one not found verbatim in it.
 * Seeding checks every citation with it, and the CLI's `check` rechecks what the database holds.
 */
export function quoteProblem(text: string, source: string, quote: string | undefined): string | undefined {
  if (quote === undefined) return `"quote" is required when citing the text of "${source}"`
  // Blank text occurs in every text: it would pass the verbatim check while quoting nothing.
  if (quote.trim() === '') return `"quote" is blank: quote the words of "${source}" that back this`
  if (!text.includes(quote)) return `quote not found verbatim in source "${source}"`
  return undefined
}
