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
    const row = db.$client
      .prepare(
        `SELECT (SELECT count(*) FROM __drizzle_migrations) AS migrations,
                (SELECT count(*) FROM events) AS events,
                (SELECT count(*) FROM participations) AS participations`
      )
      .get() as Omit<DatabaseHealth, 'status'>
    return { status: 'ok', ...row }
  } catch {
    return { status: 'unavailable', migrations: 0, events: 0, participations: 0 }
  }
}
