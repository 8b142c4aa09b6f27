// Seeding, as the CLI and the server's first start both run it: read and check every file
// completely, then write everything in one transaction (or, in a dry run, roll it back).
import type { DirectoryDatabase } from '../db/connection.js'
import { bundledSeedsFolder } from '../paths.js'
import { checkSeedRecords, gatherRecords, type ExistingCitation, type ExistingRecords, type Lookup } from './check-seed-records.js'
import { statement } from '../db/statements.js'
import { expandSeedPaths, KeptContent, readSeedFile, type ParsedSeedFile } from './read-seed-files.js'
import { SeedValidationError, type SeedProblem } from './seed-problem.js'
import { isoCountryList } from './iso-countries.js'
import { EDITABLE_COLLECTIONS, SUMMARY_TABLES, writeSeed, type EditableCollection, type RecordAction, type SeedChanges, type SummaryTable, type WriteOptions } from './write-seed.js'
import { everyRecordJson, readSeedRecord, type SeedRecord } from './read-seed-record.js'
import { recordChange, recordCreations } from '../modules/changes/changes.repository.js'
import { afterWrite } from '../db/after-write.js'
import { refillWithoutIndexes } from '../db/refill.js'
import { INCREMENTAL_LIMIT, type TouchedRecord } from '../search/refresh-search.js'

export interface SeedOptions {
  /** Files or folders to load; the bundled seeds/ folder when empty. */
  files?: string[]
  dryRun?: boolean
  reset?: boolean
  cwd?: string
  /** Who is writing, as the audit trail names them; "seed" by default. */
  actor?: string
  /** Told as each record is written, with how many of how many (the CLI draws a progress bar). */
  onProgress?: WriteOptions['onProgress']
  /** The time the audit trail records; the clock by default (the OpenAPI examples pin it). */
  now?: Date
}

export interface SeedResult {
  files: string[]
  dryRun: boolean
  reset: boolean
  changes: SeedChanges
  /** Rows created, updated or deleted, all tables together. */
  total: number
}

class DryRunRollback extends Error {
  constructor(readonly changes: SeedChanges) {
    super('dry run: rolled back')
  }
}

/**
 * What the database holds, looked up by id as the checks ask (a write of one record asks for a
 * few ids; loading every id of a large directory cost more than the write itself).
 */
function existingRecords(db: DirectoryDatabase): ExistingRecords {
  const lookup = <V>(query: string): Lookup<V> => {
    const found = new Map<string, [V] | undefined>()
    const row = (id: string) => {
      if (!found.has(id)) found.set(id, statement(db.$client, query).raw().get(id) as [V] | undefined)
      return found.get(id)
    }
    return { has: (id) => row(id) !== undefined, get: (id) => row(id)?.[0] }
  }
  return {
    sources: lookup('SELECT content FROM sources WHERE id = ?'),
    organisations: lookup('SELECT parent_id FROM organisations WHERE id = ?'),
    people: lookup('SELECT 1 FROM people WHERE id = ?'),
    events: lookup('SELECT continuation_of_id FROM events WHERE id = ?'),
    sessions: lookup('SELECT event_id FROM sessions WHERE id = ?'),
    participationsAtSession: (sessionId) => statement(db.$client, 'SELECT id FROM participations WHERE session_id = ? ORDER BY id').pluck().all(sessionId) as string[],
    *citationsOfSource(sourceId) {
      const rows = statement(db.$client, CITATIONS_OF_SOURCE).raw().iterate(sourceId) as Iterable<[ExistingCitation['owner'], string, string | null, string | null]>
      for (const [owner, ownerId, otherName, quote] of rows) yield { owner, ownerId, otherName, quote }
    }
  }
}

/**
 * A source's citations with the record each backs: its owner column, or for an other name's
 * citation, the other name's (each row of either has exactly one, by their CHECK constraints).
 */
const CITATIONS_OF_SOURCE = `
  SELECT CASE
      WHEN ci.country_code IS NOT NULL OR n.country_code IS NOT NULL THEN 'countries'
      WHEN ci.organisation_id IS NOT NULL OR n.organisation_id IS NOT NULL THEN 'organisations'
      WHEN ci.person_id IS NOT NULL OR n.person_id IS NOT NULL THEN 'people'
      WHEN ci.position_id IS NOT NULL THEN 'positions'
      WHEN ci.event_id IS NOT NULL THEN 'events'
      WHEN ci.session_id IS NOT NULL THEN 'sessions'
      ELSE 'participations'
    END,
    COALESCE(ci.country_code, n.country_code, ci.organisation_id, n.organisation_id, ci.person_id, n.person_id,
      ci.position_id, ci.event_id, ci.session_id, ci.participation_id),
    n.name,
    ci.quote
  FROM citations ci LEFT JOIN other_names n ON n.id = ci.other_name_id
  WHERE ci.source_id = ?
  ORDER BY ci.id`

const NOTHING_EXISTING: ExistingRecords = {
  sources: new Map(),
  organisations: new Map(),
  people: new Set(),
  events: new Map(),
  sessions: new Map(),
  // Asked only of a session or source that the database holds, and this holds none.
  /* c8 ignore next 2 -- unreachable, as said */
  participationsAtSession: () => [],
  citationsOfSource: () => []
}

const changedRows = (changes: SeedChanges, tables: readonly SummaryTable[] = SUMMARY_TABLES): number =>
  tables.reduce((sum, t) => sum + changes[t].created + changes[t].updated + changes[t].deleted, 0)

/** Throws SeedValidationError (with every problem) before writing anything if any input is bad. */
export function seedDatabase(db: DirectoryDatabase, options: SeedOptions = {}): SeedResult {
  const cwd = options.cwd ?? process.cwd()
  const requested = options.files && options.files.length > 0 ? options.files : [bundledSeedsFolder]
  const { files: paths, problems } = expandSeedPaths(requested)
  const files: ParsedSeedFile[] = []
  const kept = new KeptContent()
  for (const path of paths) {
    const { file, problems: fileProblems } = readSeedFile(path, cwd, kept)
    if (file) files.push(file)
    problems.push(...fileProblems)
  }
  const { changes, total } = applySeedFiles(db, files, problems, options)
  return { files: files.map((f) => f.displayPath), dryRun: options.dryRun ?? false, reset: options.reset ?? false, changes, total }
}

/**
 * Checks parsed seed records against each other and the database, then writes them in one
 * transaction with their audit trail, search index and data version (or, in a dry run, rolls it
 * all back). The seed command and the API's writes both come through here. Throws
 * SeedValidationError with every problem (those given plus those found) before writing anything.
 */
export function applySeedFiles(
  db: DirectoryDatabase,
  files: ParsedSeedFile[],
  problems: SeedProblem[],
  options: Pick<SeedOptions, 'dryRun' | 'reset' | 'actor' | 'onProgress' | 'now'> & Pick<WriteOptions, 'isoCountries'>
): { changes: SeedChanges; total: number } {
  const existing = options.reset ? NOTHING_EXISTING : existingRecords(db)
  const countryCodes = new Set(isoCountryList().map((c) => c.code))
  const { checked, problems: recordProblems } = checkSeedRecords(gatherRecords(files), existing, countryCodes)
  problems.push(...recordProblems)
  if (problems.length > 0) throw new SeedValidationError(problems)

  const reset = options.reset ?? false
  const dryRun = options.dryRun ?? false
  const sqlite = db.$client
  const run = sqlite.transaction(() => {
    const audit = auditTrail(db, options.actor ?? 'seed', options.now ?? new Date())
    // Into a directory with no record yet, every record is a creation: see WriteOptions.bulk.
    const bulk = reset || holdsNoRecords(db)
    const changes = writeSeed(sqlite, checked, {
      reset,
      bulk,
      onRecordChange: audit.before,
      onRecordChanged: audit.after,
      onProgress: options.onProgress,
      isoCountries: options.isoCountries
    })
    if (bulk) audit.createdAll()
    // Country names are search words of many records: a change to them rebuilds every index, as
    // do many changed records (whose before and after the audit trail then stopped keeping).
    const rebuild = reset || changedRows(changes, ['countries', 'country_names']) > 0 || audit.touched === undefined
    if (changedRows(changes) > 0) {
      // In the same transaction: readers see new data with its index and data version, or neither.
      afterWrite(db, rebuild ? [] : (audit.touched as TouchedRecord[]), { rebuild })
    }
    if (dryRun) throw new DryRunRollback(changes)
    return changes
  })
  let changes: SeedChanges
  try {
    changes = run.immediate()
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error
    changes = error.changes
  }
  return { changes, total: changedRows(changes) }
}

/**
 * Writes the audit trail of a write as it goes: each record as it was before its change and as it
 * is after. Keeps the records changed (for the search indexes to refresh only their rows) until
 * there are more than are worth following one by one; `touched` is then undefined.
 */
function auditTrail(db: DirectoryDatabase, actor: string, at: Date) {
  let before: SeedRecord | null = null // the record whose change is under way
  const trail = {
    touched: [] as TouchedRecord[] | undefined,
    /** After a bulk write: every record of the collections it created, in the order they were written. */
    createdAll: () => {
      const recordAll = () => {
        for (const collection of EDITABLE_COLLECTIONS) recordCreations(db.$client, { actor, resource: collection, records: everyRecordJson(collection) }, at)
      }
      // Into an empty trail (a first seed), with its indexes made afterwards in one sorted pass: the
      // records' ids come in no order. The first seed of 1,000,000 participations recorded its
      // creations in 16 s while the index by record id took them one by one, and in 10.6 s with
      // the index made afterwards. (A reset has recorded its deletions: its trail is not empty.)
      if (trailIsEmpty(db)) refillWithoutIndexes(db.$client, ['changes'], recordAll)
      else recordAll()
      trail.touched = undefined
    },
    before: (collection: EditableCollection, id: string, action: RecordAction) => {
      before = action === 'create' ? null : (readSeedRecord(db.$client, collection, id) as { record: SeedRecord }).record
    },
    after: (collection: EditableCollection, id: string, action: RecordAction) => {
      const after = action === 'delete' ? null : (readSeedRecord(db.$client, collection, id) as { record: SeedRecord }).record
      recordChange(db.$client, { actor, action, resource: collection, recordId: id, before, after }, at)
      trail.touched?.push({ collection, id, before, after })
      if ((trail.touched?.length ?? 0) > INCREMENTAL_LIMIT) trail.touched = undefined
    }
  }
  return trail
}

/** Whether the audit trail holds no change (asked once by a bulk write). */
const trailIsEmpty = (db: DirectoryDatabase): boolean => db.$client.prepare('SELECT NOT EXISTS (SELECT 1 FROM changes)').pluck().get() === 1

const HOLDS_NO_RECORDS = `SELECT ${EDITABLE_COLLECTIONS.map((c) => `NOT EXISTS (SELECT 1 FROM ${c})`).join(' AND ')}`

/** Whether no collection that the API can edit holds a record (asked by every write: a kept statement). */
const holdsNoRecords = (db: DirectoryDatabase): boolean => statement(db.$client, HOLDS_NO_RECORDS).pluck().get() === 1

/** Whether the directory holds no data yet (the server seeds it on first start). */
export function isEmpty(db: DirectoryDatabase): boolean {
  return db.$client.prepare('SELECT NOT EXISTS (SELECT 1 FROM countries) AND NOT EXISTS (SELECT 1 FROM events)').pluck().get() === 1
}
