// Cross-file checks of parsed seed files: duplicate ids, references to records that exist neither
// in the files nor in the database, unknown countries, impossible dates, citations whose quote is
// not in the source text. Every problem is collected; nothing stops at the first.
import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { SEED_COLLECTIONS, type ParsedSeedFile, type SeedCollection } from './read-seed-files.js'
import type { SeedProblem } from './seed-problem.js'
import type { SeedCitation, SeedFile, SeedOtherName } from './seed-file.schemas.js'
import { endsBeforeStart, isRealPartialDate } from '../validation/partial-date.js'
import { ISO_SOURCE } from './iso-countries.js'

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
      sourceTexts.set(record.id, readFileSync(path, 'utf8'))
    } catch {
      report(at, '/text_file', `cannot read "${record.text_file}" (looked for ${path})`)
    }
  }
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
  }

  for (const at of records.events) {
    const { record } = at
    checkCountry(at, 'country', record.country)
    checkReference(at, 'continuation_of', record.continuation_of, 'event', events, existing.events)
    if (record.continuation_of === record.id) report(at, '/continuation_of', 'an event cannot continue itself')
    checkDates(at, '', { start_date: record.start_date, end_date: record.end_date })
    checkCitations(at, '', record.sources)
  }
  reportCycles(records.events, (r) => r.continuation_of, existing.events, 'continuation_of', report)

  for (const at of records.sessions) {
    checkReference(at, 'event', at.record.event, 'event', events, existing.events)
    checkCitations(at, '', at.record.sources)
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
  if (!text.includes(quote)) return `quote not found verbatim in source "${source}"`
  return undefined
}
