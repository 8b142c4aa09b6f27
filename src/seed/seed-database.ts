// Seeding, as the CLI and the server's first start both run it: read and check every file
// completely, then write everything in one transaction (or, in a dry run, roll it back).
import type { DirectoryDatabase } from '../db/connection.js'
import { bundledSeedsFolder } from '../paths.js'
import { checkSeedRecords, gatherRecords, type ExistingRecords } from './check-seed-records.js'
import { expandSeedPaths, readSeedFile, type ParsedSeedFile } from './read-seed-files.js'
import { SeedValidationError, type SeedProblem } from './seed-problem.js'
import { isoCountryList } from './iso-countries.js'
import { SUMMARY_TABLES, writeSeed, type EditableCollection, type SeedChanges, type WriteOptions } from './write-seed.js'
import { readSeedRecord, type SeedRecord } from './read-seed-record.js'
import { recordChange } from '../modules/changes/changes.repository.js'
import { bumpDataVersion } from '../db/settings.js'
import { SEARCH_INDEXES } from '../search/indexes.js'
import { rebuildSearchIndexes } from '../search/search-index.js'
import { rebuildParticipationScopes } from '../modules/participations/participations.scopes.js'

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

function existingRecords(db: DirectoryDatabase): ExistingRecords {
  const sqlite = db.$client
  const links = (query: string) => new Map(sqlite.prepare(query).raw().all() as [string, string | null][])
  return {
    sources: new Map(sqlite.prepare('SELECT id, content FROM sources').raw().all() as [string, string | null][]),
    organisations: links('SELECT id, parent_id FROM organisations'),
    people: new Set(sqlite.prepare('SELECT id FROM people').pluck().all() as string[]),
    events: links('SELECT id, continuation_of_id FROM events'),
    sessions: new Map(sqlite.prepare('SELECT id, event_id FROM sessions').raw().all() as [string, string][])
  }
}

const NOTHING_EXISTING: ExistingRecords = {
  sources: new Map(),
  organisations: new Map(),
  people: new Set(),
  events: new Map(),
  sessions: new Map()
}

const changedRows = (changes: SeedChanges): number =>
  SUMMARY_TABLES.reduce((sum, t) => sum + changes[t].created + changes[t].updated + changes[t].deleted, 0)

/** Throws SeedValidationError (with every problem) before writing anything if any input is bad. */
export function seedDatabase(db: DirectoryDatabase, options: SeedOptions = {}): SeedResult {
  const cwd = options.cwd ?? process.cwd()
  const requested = options.files && options.files.length > 0 ? options.files : [bundledSeedsFolder]
  const paths = expandSeedPaths(requested)
  const problems: SeedProblem[] = []
  const files: ParsedSeedFile[] = []
  for (const path of paths) {
    const { file, problems: fileProblems } = readSeedFile(path, cwd)
    if (file) files.push(file)
    problems.push(...fileProblems)
  }
  if (paths.length === 0) problems.push({ file: requested.join(', '), pointer: '', message: 'no seed files found' })
  const { changes, total } = applySeedFiles(db, files, problems, options)
  return { files: files.map((f) => f.displayPath), dryRun: options.dryRun ?? false, reset: options.reset ?? false, changes, total }
}

interface PendingChange {
  collection: EditableCollection
  id: string
  action: 'create' | 'update' | 'delete'
  before: unknown
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
  options: Pick<SeedOptions, 'dryRun' | 'reset' | 'actor' | 'onProgress'>
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
    const pending: PendingChange[] = []
    const onRecordChange = (collection: EditableCollection, id: string, action: PendingChange['action']) => {
      const before = action === 'create' ? null : (readSeedRecord(sqlite, collection, id) as { record: SeedRecord }).record
      pending.push({ collection, id, action, before })
    }
    const changes = writeSeed(sqlite, checked, { reset, onRecordChange, onProgress: options.onProgress })
    recordChanges(db, pending, options.actor ?? 'seed')
    if (changedRows(changes) > 0) {
      // In the same transaction: readers see new data with its index and data version, or neither.
      rebuildSearchIndexes(db, SEARCH_INDEXES)
      rebuildParticipationScopes(db)
      bumpDataVersion(db.$client)
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

/** Writes the audit trail of a transaction's changes: the records before (read before the write) and after. */
function recordChanges(db: DirectoryDatabase, pending: PendingChange[], actor: string): void {
  const at = new Date()
  for (const { collection, id, action, before } of pending) {
    const after = action === 'delete' ? null : (readSeedRecord(db.$client, collection, id) as { record: SeedRecord }).record
    recordChange(db.$client, { actor, action, resource: collection, recordId: id, before, after }, at)
  }
}

/** Whether the directory holds no data yet (the server seeds it on first start). */
export function isEmpty(db: DirectoryDatabase): boolean {
  return db.$client.prepare('SELECT NOT EXISTS (SELECT 1 FROM countries) AND NOT EXISTS (SELECT 1 FROM events)').pluck().get() === 1
}
