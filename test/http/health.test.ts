import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededApp, seededAppWithDatabase, seededDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

t.test('GET /health reports the service and database state', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const { status, body, headers } = await getJson(app, '/health')
  t.equal(status, 200)
  t.equal(headers['cache-control'], 'no-store')
  t.equal(body.status, 'ok')
  t.equal(body.database.status, 'ok')
  t.equal(body.database.events, 2)
  const participations = () => db.$client.prepare('SELECT count(*) FROM participations').pluck().get()
  t.ok(body.database.participations > 30)
  t.equal(body.database.participations, participations(), 'the stored total is the count')

  // The stored total follows a write.
  const id = (await getJson(app, '/v1/participations?limit=1')).body.data[0].id
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const etag = (await app.inject(`/v1/participations/${id}`)).headers.etag as string
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/participations/${id}`, headers: { ...writer, 'if-match': etag } })).statusCode, 204)
  t.equal((await getJson(app, '/health')).body.database.participations, body.database.participations - 1, 'one fewer after a delete')
  t.equal((await getJson(app, '/health')).body.database.participations, participations())
})

t.test('GET /ready: 200 on a database with every migration applied, never cached', async (t) => {
  const app = await seededApp(t)
  const { status, body, headers } = await getJson(app, '/ready')
  t.equal(status, 200)
  t.equal(headers['cache-control'], 'no-store')
  t.ok(body.migrations.expected >= 4, 'the shipped migrations')
  t.same(body, { status: 'ready', migrations: { applied: body.migrations.expected, expected: body.migrations.expected } })
})

const FORGET = {
  none: '',
  last: 'DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)',
  all: 'DELETE FROM __drizzle_migrations'
}

/** A seeded app whose database forgets it applied some migrations, as if they were pending. */
async function appWithUnappliedMigrations(t: Test, which: keyof typeof FORGET) {
  const db = seededDatabase()
  db.$client.exec(FORGET[which])
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    if (db.$client.open) db.$client.close()
  })
  return { app, db }
}

t.test('GET /ready: 503 problem with Retry-After while a migration is pending', async (t) => {
  for (const [which, detail] of [
    ['last', /1 of \d+ migrations are not applied yet/],
    ['all', /(\d+) of \1 migrations are not applied yet/]
  ] as const) {
    const { app } = await appWithUnappliedMigrations(t, which)
    const response = await app.inject('/ready')
    const body = assertProblem(t, response, { status: 503, code: 'NOT_READY' }, `${which} migration(s) pending`)
    t.match(body.detail, detail)
    t.equal(response.headers['retry-after'], '5')
    t.equal(response.headers['cache-control'], 'no-store')
    t.equal((await app.inject('/health')).statusCode, 200, 'alive all the same: liveness is not readiness')
  }
})

t.test('GET /ready: 503 when the database is closed', async (t) => {
  const { app, db } = await appWithUnappliedMigrations(t, 'none')
  t.equal((await app.inject('/ready')).statusCode, 200)
  db.$client.close()
  const response = await app.inject('/ready')
  const body = assertProblem(t, response, { status: 503, code: 'NOT_READY' })
  t.match(body.detail, /^The service is not ready: The database cannot be read: /)
  t.equal(response.headers['retry-after'], '5')
  t.equal((await app.inject('/health')).statusCode, 503)
})
