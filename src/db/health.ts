// A cheap check that the database is open and readable.
import type { DirectoryDatabase } from './connection.js'

export interface DatabaseHealth {
  status: 'ok' | 'unavailable'
  migrations: number
  events: number
  participations: number
}

export function databaseHealth(db: DirectoryDatabase): DatabaseHealth {
  try {
    // Participations are not counted but read from the stored total of the index, which every write
    // keeps: probes come often, and counting 1M participations took 180 ms. One row is still read,
    // so that a participations table that cannot be read makes the database unavailable.
    db.$client.prepare('SELECT 1 FROM participations LIMIT 1').get()
    const row = db.$client
      .prepare(
        `SELECT (SELECT count(*) FROM __drizzle_migrations) AS migrations,
                (SELECT count(*) FROM events) AS events,
                IFNULL((SELECT total FROM participation_scope_totals WHERE scope = ''), 0) AS participations`
      )
      .get() as Omit<DatabaseHealth, 'status'>
    return { status: 'ok', ...row }
  } catch {
    return { status: 'unavailable', migrations: 0, events: 0, participations: 0 }
  }
}

export type DatabaseReadiness =
  | { ready: true; applied: number; expected: number }
  | { ready: false; reason: string }

/**
 * Ready when the database can be read and has every migration this code was built with: the same
 * rule as drizzle's migrator, which applies those newer than the last one recorded.
 */
export function databaseReadiness(db: DirectoryDatabase, migrations: readonly { folderMillis: number }[]): DatabaseReadiness {
  let recorded: { applied: number; last: number | null }
  try {
    recorded = db.$client.prepare('SELECT count(*) AS applied, max(created_at) AS last FROM __drizzle_migrations').get() as typeof recorded
  } catch (error) {
    return { ready: false, reason: `The database cannot be read: ${(error as Error).message}` }
  }
  const pending = migrations.filter((migration) => recorded.last === null || migration.folderMillis > Number(recorded.last)).length
  if (pending > 0) return { ready: false, reason: `${pending} of ${migrations.length} migrations are not applied yet` }
  return { ready: true, applied: recorded.applied, expected: migrations.length }
}
