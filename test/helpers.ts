// Shared test set-up: the app built by the same factory as the server, over an in-memory
// database migrated with the real migrations and seeded with the real seed files.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp, type AppOptions } from '../src/app.js'
import { openDatabase, type DirectoryDatabase } from '../src/db/connection.js'
import { withPragma } from '../src/db/pragma.js'
import { seedDatabase, type SeedOptions } from '../src/seed/seed-database.js'
import { SeedValidationError, type SeedProblem } from '../src/seed/seed-problem.js'
import { SEARCH_INDEXES } from '../src/search/indexes.js'
import { rebuildSearchIndexes } from '../src/search/search-index.js'
import { rebuildParticipationScopes } from '../src/modules/participations/participations.scopes.js'
import { rebuildParticipationCsv } from '../src/modules/participations/participations.csv.js'
import { rebuildPersonScopes } from '../src/modules/people/people.scopes.js'

export function seededDatabase(): DirectoryDatabase {
  const db = openDatabase(':memory:')
  seedDatabase(db)
  return db
}

/**
 * A seeded app and its database (for tests that write behind the app), closed when the test ends;
 * built with `options` as the server passes them (a rate limit, CORS origins, trusted proxies...).
 */
export async function seededAppWithDatabase(t: Test, options: Omit<AppOptions, 'db'> = {}): Promise<{ app: FastifyInstance; db: DirectoryDatabase }> {
  const db = seededDatabase()
  const app = await buildApp({ db, ...options })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  return { app, db }
}

/** A seeded app, closed (with its database) when the test ends. */
export async function seededApp(t: Test, options: Omit<AppOptions, 'db'> = {}): Promise<FastifyInstance> {
  return (await seededAppWithDatabase(t, options)).app
}

/**
 * Two connections to one seeded database file, as the server and an operator's CLI (or a seed run)
 * hold them in two processes: `served` and `operator`, closed when the test ends.
 */
export function twoConnections(t: Test): { served: DirectoryDatabase; operator: DirectoryDatabase } {
  const path = join(t.testdir(), 'directory.sqlite')
  const served = openDatabase(path)
  seedDatabase(served)
  const operator = openDatabase(path)
  t.teardown(() => {
    served.$client.close()
    operator.$client.close()
  })
  return { served, operator }
}

/**
 * Whether a checkpoint can copy the whole WAL into the file: it cannot while a reader holds a
 * snapshot older than the last write, if the WAL held frames when that reader began.
 */
export const noReaderHoldsASnapshot = (db: DirectoryDatabase) =>
  withPragma(db.$client, 'busy_timeout', 0, () => (db.$client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy === 0)

/** GET a path and parse its JSON body. */
export async function getJson<T = any>(app: FastifyInstance, url: string): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
  const response = await app.inject({ method: 'GET', url })
  return { status: response.statusCode, body: response.json() as T, headers: response.headers }
}

/**
 * A valid new record for each editable collection (keyed by its path, /v1/<collection>), its id and
 * names starting with `label`: what write tests POST.
 */
export function newRecords(label: string): Record<string, Record<string, unknown>> {
  const id = label.toLowerCase()
  const sources = [{ source: 'iso-3166-1' }]
  return {
    people: { id: `${id}-person`, name: `${label} Person`, sort_name: `Person, ${label}`, sources },
    organisations: { id: `${id}-organisation`, name: `${label} Organisation`, classification: 'ministry', portfolio: 'defence', country: 'BA', sources },
    positions: { id: `${id}-position`, person: 'peter-due', organisation: 'undp', as_of: '2015', sources },
    events: { id: `${id}-event`, name: `${label} Event`, classification: 'meeting', start_date: '2016-01', sources },
    sessions: { id: `${id}-session`, event: 'sarajevo-roundtable-2015', name: `${label} Session`, classification: 'panel', sources },
    participations: { id: `${id}-participation`, event: 'sarajevo-roundtable-2015', person: 'peter-due', role: 'participant', sources }
  }
}

/** The problems a seed run reports, or a failure if it accepts its input. */
export function problemsOf(run: () => unknown): SeedProblem[] {
  try {
    run()
  } catch (error) {
    if (error instanceof SeedValidationError) return error.problems
    throw error
  }
  throw new Error('accepted')
}

/** Every row of every table (search indexes aside), to prove that a refused seed wrote nothing. */
export function digest(db: DirectoryDatabase): string {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]
  const rows = tables.map((table) => db.$client.prepare(`SELECT * FROM "${table}"`).raw().all().map((row) => JSON.stringify(row)).sort())
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}

/** The problems a seed run is refused with, having checked that it wrote nothing. */
export function refusedSeed(t: Test, db: DirectoryDatabase, options: SeedOptions): SeedProblem[] {
  const before = digest(db)
  const problems = problemsOf(() => seedDatabase(db, options))
  t.equal(digest(db), before, 'nothing was written')
  return problems
}

const indexRows = (db: DirectoryDatabase) =>
  SEARCH_INDEXES.map((index) => db.$client.prepare(`SELECT rowid, record_id, names, text FROM ${index.name} ORDER BY record_id`).all())
const scopeRows = (db: DirectoryDatabase) =>
  db.$client.prepare('SELECT * FROM participation_scopes ORDER BY scope, participation_id').all()
const scopeTotals = (db: DirectoryDatabase) => db.$client.prepare('SELECT scope, total FROM participation_scope_totals ORDER BY scope').all()
const csvLines = (db: DirectoryDatabase) => db.$client.prepare('SELECT * FROM participation_csv_lines ORDER BY participation_id').all()
const personScopeRows = (db: DirectoryDatabase) => db.$client.prepare('SELECT * FROM person_scopes ORDER BY scope, person_id').all()

/** The derived tables as the write left them equal those a full rebuild makes. */
export function sameAsRebuilt(t: Test, db: DirectoryDatabase, what: string) {
  const written = { search: indexRows(db), scopes: scopeRows(db), totals: scopeTotals(db), lines: csvLines(db), personScopes: personScopeRows(db) }
  rebuildSearchIndexes(db, SEARCH_INDEXES)
  rebuildParticipationScopes(db)
  rebuildParticipationCsv(db)
  rebuildPersonScopes(db)
  t.same(written.search, indexRows(db), `${what}: search indexes`)
  t.same(written.scopes, scopeRows(db), `${what}: participation scopes`)
  t.same(written.totals, scopeTotals(db), `${what}: the totals of the scopes`)
  t.same(written.lines, csvLines(db), `${what}: the CSV lines`)
  t.same(written.personScopes, personScopeRows(db), `${what}: person scopes`)
}
