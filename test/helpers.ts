// Shared test set-up: the app built by the same factory as the server, over an in-memory
// database migrated with the real migrations and seeded with the real seed files.
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { openDatabase, type DirectoryDatabase } from '../src/db/connection.js'
import { seedDatabase } from '../src/seed/seed-database.js'

export function seededDatabase(): DirectoryDatabase {
  const db = openDatabase(':memory:')
  seedDatabase(db)
  return db
}

/** A seeded app and its database (for tests that write behind the app), closed when the test ends. */
export async function seededAppWithDatabase(t: Test): Promise<{ app: FastifyInstance; db: DirectoryDatabase }> {
  const db = seededDatabase()
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  return { app, db }
}

/** A seeded app, closed (with its database) when the test ends. */
export async function seededApp(t: Test): Promise<FastifyInstance> {
  return (await seededAppWithDatabase(t)).app
}

/** GET a path and parse its JSON body. */
export async function getJson<T = any>(app: FastifyInstance, url: string): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
  const response = await app.inject({ method: 'GET', url })
  return { status: response.statusCode, body: response.json() as T, headers: response.headers }
}
