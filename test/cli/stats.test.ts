// `stats`, in-process through main(): counts per table and per country, read-only, over a seeded file.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { runMain, snapshot } from './cli-helpers.js'

const seeded = async (t: Test) => {
  const db = join(t.testdir(), 'directory.sqlite')
  t.equal((await runMain(['seed', '--db', db])).status, 0)
  return db
}

t.test('prints each table and each country that has records, and writes nothing', async (t) => {
  const db = await seeded(t)
  const before = snapshot(db)
  const result = await runMain(['stats', '--db', db])
  t.equal(result.status, 0, result.stderr)
  t.equal(result.stderr, '')
  t.match(result.stdout, new RegExp(`^${db}\n\ntable\\s+rows\n`))
  t.match(result.stdout, /\ncountries\s+249\n/)
  t.match(result.stdout, /\nparticipations\s+41\n/)
  t.match(result.stdout, /\npeople\s+4\n/)
  t.match(result.stdout, /\ncountry\s+organisations\s+people\s+participations\n/)
  t.match(result.stdout, /\nBA Bosnia and Herzegovina\s+4\s+1\s+7\n/)
  t.notMatch(result.stdout, /\nDE Germany/, 'a country with nothing is left out')
  t.equal(snapshot(db), before, 'nothing written')
})

t.test('--json counts as the API does: organisations and people of a country, and its participations by the country filter', async (t) => {
  const path = await seeded(t)
  const result = await runMain(['stats', '--json', '--db', path])
  t.equal(result.status, 0, result.stderr)
  const stats = JSON.parse(result.stdout) as {
    database: string
    tables: Record<string, number>
    countries: { code: string; name: string; organisations: number; people: number; participations: number }[]
  }
  t.equal(stats.database, path)
  const sqlite = new Database(path, { readonly: true })
  t.teardown(() => sqlite.close())
  for (const [table, rows] of Object.entries(stats.tables)) {
    t.equal(rows, sqlite.prepare(`SELECT count(*) FROM "${table}"`).pluck().get(), table)
  }
  const schemaTables = ['api_tokens', 'changes', 'citations', 'countries', 'events', 'organisations', 'other_names', 'participation_scope_totals', 'participation_scopes', 'participations', 'people', 'person_scopes', 'positions', 'sessions', 'settings', 'sources']
  t.same(Object.keys(stats.tables).sort(), schemaTables, 'every table of the schema')
  t.ok(stats.countries.length > 5)
  t.match(stats.countries.find((c) => c.code === 'BA'), { name: 'Bosnia and Herzegovina', organisations: 4, people: 1, participations: 7 })

  const db = openDatabase(path)
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  for (const country of stats.countries) {
    const response = await app.inject(`/v1/participations?country=${country.code}&limit=1`)
    t.equal(country.participations, response.json().meta.total, `${country.code}: as many participations as the API's country filter finds`)
    const organisations = sqlite.prepare('SELECT count(*) FROM organisations WHERE country_code = ?').pluck().get(country.code)
    t.equal(country.organisations, organisations, `${country.code}: organisations`)
    const people = sqlite
      .prepare('SELECT count(DISTINCT ps.person_id) FROM positions ps JOIN organisations o ON o.id = ps.organisation_id WHERE o.country_code = ?')
      .pluck()
      .get(country.code)
    t.equal(country.people, people, `${country.code}: people holding a position there`)
  }
})

t.test('a database with no records says so', async (t) => {
  const db = join(t.testdir(), 'empty.sqlite')
  t.equal((await runMain(['migrate', '--db', db])).status, 0)
  const result = await runMain(['stats', '--db', db])
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /\nparticipations\s+0\n/)
  t.match(result.stdout, /\nNo country has organisations, people or participations\.\n$/)
})

t.test('no database there, an in-memory one, or a bad option: a clear error and nothing created', async (t) => {
  const dir = t.testdir()
  const missing = join(dir, 'missing.sqlite')
  const result = await runMain(['stats', '--db', missing])
  t.equal(result.status, 1)
  t.equal(result.stderr, `stakeholder-directory stats: no database at ${missing}\n`)
  t.equal(result.stdout, '')
  t.notOk(existsSync(missing), 'stats does not create a database')

  const memory = await runMain(['stats', '--db', ':memory:'])
  t.equal(memory.status, 1)
  t.equal(memory.stderr, 'stakeholder-directory stats: no database at :memory:\n')

  const usage = await runMain(['stats', '--db'])
  t.equal(usage.status, 2)
  t.match(usage.stderr, /--db/)
  t.match(usage.stderr, /Usage: stakeholder-directory stats/)
})
