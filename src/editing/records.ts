// Editing one record: create, merge-patch or delete it, through the same checks and the same
// writer as seed files, in one transaction with its audit trail. Plain functions: the HTTP write
// routes call them; so could the CLI.
import createError from '@fastify/error'
import type { DirectoryDatabase } from '../db/connection.js'
import { afterWrite } from '../db/after-write.js'
import { recordChange } from '../modules/changes/changes.repository.js'
import { checkSeedContent } from '../seed/read-seed-files.js'
import { readSeedRecord, type SeedRecord } from '../seed/read-seed-record.js'
import { applySeedFiles } from '../seed/seed-database.js'
import { SeedValidationError } from '../seed/seed-problem.js'
import type { EditableCollection } from '../seed/write-seed.js'
import { LIMITS } from '../modules/shared/fields.schemas.js'
import { ISO_SOURCE } from '../seed/iso-countries.js'

export const RecordExistsError = createError<[string, string]>('RECORD_EXISTS', 'A record of %s with id "%s" exists already: change it with PATCH', 409)

/** A delete refused because other records refer to this one; lists them (at most 100). */
export class ReferencedRecordError extends Error {
  override name = 'ReferencedRecordError'
  readonly statusCode = 409
  readonly code = 'RECORD_REFERENCED'
  constructor(
    readonly collection: EditableCollection,
    readonly id: string,
    readonly referencedBy: { resource: string; id: string }[]
  ) {
    super(`The record of ${collection} "${id}" cannot be deleted while ${referencedBy.length} record(s) refer to it (see referenced_by): change or delete them first`)
  }
}

/** Which records refer to a record of each collection, and by which column. */
const REFERENCES: Record<EditableCollection, [resource: EditableCollection, column: string][]> = {
  organisations: [
    ['organisations', 'parent_id'],
    ['positions', 'organisation_id'],
    ['participations', 'organisation_id'],
    ['participations', 'on_behalf_of_id']
  ],
  people: [
    ['positions', 'person_id'],
    ['participations', 'person_id']
  ],
  positions: [],
  events: [
    ['events', 'continuation_of_id'],
    ['sessions', 'event_id'],
    ['participations', 'event_id']
  ],
  sessions: [['participations', 'session_id']],
  participations: []
}

/** The records referring to one, in a stable order, at most LIMITS.references. */
export function referencesTo(db: DirectoryDatabase, collection: EditableCollection, id: string): { resource: string; id: string }[] {
  const found: { resource: string; id: string }[] = []
  for (const [resource, column] of REFERENCES[collection]) {
    const ids = db.$client.prepare(`SELECT id FROM "${resource}" WHERE "${column}" = ? ORDER BY id LIMIT ?`).pluck().all(id, LIMITS.references) as string[]
    found.push(...ids.map((referrer) => ({ resource, id: referrer })))
  }
  return found.slice(0, LIMITS.references)
}

/** Checks (like a seed file's) and writes one record; problems are located in the request body. */
function writeRecord(db: DirectoryDatabase, collection: EditableCollection, record: SeedRecord, actor: string): void {
  const prefix = `/${collection}/0`
  const { file, problems } = checkSeedContent({ [collection]: [record] }, 'request body', process.cwd())
  try {
    // A record of the API is never a country name: the ISO countries stay as the last seed run wrote
    // them, unless no seed run ever did (a database only migrated), when the first write adds them.
    const isoCountriesWritten = db.$client.prepare('SELECT 1 FROM sources WHERE id = ?').get(ISO_SOURCE.id) !== undefined
    applySeedFiles(db, file === undefined ? [] : [file], problems, { actor, isoCountries: !isoCountriesWritten })
  } catch (error) {
    if (!(error instanceof SeedValidationError)) throw error
    // Pointers into the one-record "file" (all of them start with its prefix) become pointers into the body.
    throw new SeedValidationError(error.problems.map((p) => ({ ...p, pointer: p.pointer.slice(prefix.length) })))
  }
}

export function createRecord(db: DirectoryDatabase, collection: EditableCollection, record: SeedRecord, actor: string): void {
  if (readSeedRecord(db.$client, collection, record.id) !== undefined) throw new RecordExistsError(collection, record.id)
  writeRecord(db, collection, record, actor)
}

/** RFC 7396 JSON Merge Patch: objects merge, null removes, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch
  const merged: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else merged[key] = mergePatch(merged[key], value)
  }
  return merged
}

/** Applies a merge patch to an existing record (whose id it cannot change). */
export function patchRecord(db: DirectoryDatabase, collection: EditableCollection, current: SeedRecord, patch: Record<string, unknown>, actor: string): void {
  writeRecord(db, collection, { ...(mergePatch(current, patch) as SeedRecord), id: current.id }, actor)
}

/** Deletes a record that nothing refers to, with its names and citations, in one audited transaction. */
export function deleteRecord(db: DirectoryDatabase, collection: EditableCollection, id: string, actor: string): void {
  const sqlite = db.$client
  sqlite
    .transaction(() => {
      const referencedBy = referencesTo(db, collection, id)
      if (referencedBy.length > 0) throw new ReferencedRecordError(collection, id, referencedBy)
      const before = readSeedRecord(sqlite, collection, id) as { record: SeedRecord }
      // Citations and other names go with their record (ON DELETE CASCADE).
      const deletedRowid = sqlite.prepare(`DELETE FROM "${collection}" WHERE id = ? RETURNING rowid`).pluck().get(id) as number
      recordChange(sqlite, { actor, action: 'delete', resource: collection, recordId: id, before: before.record, after: null })
      afterWrite(db, [{ collection, id, before: before.record, after: null, deletedRowid }], { rebuild: false })
    })
    .immediate()
}
