// The database layer: the native driver works, migrations match the schema, constraints hold.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { generateSQLiteDrizzleJson, generateSQLiteMigration, type DrizzleSQLiteSnapshotJSON } from 'drizzle-kit/api'
import { join } from 'node:path'
import t from 'tap'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { addFunctions } from '../../src/db/sql-functions.js'
import { openDatabase, PAGE_CACHE_KIB, withRollbackJournal } from '../../src/db/connection.js'
import { withRebuildPageCache } from '../../src/db/refill.js'
import * as schema from '../../src/db/schema.js'
import { migrationsFolder } from '../../src/paths.js'
import { dataVersion, readSetting } from '../../src/db/settings.js'
import { SEARCH_INDEXES } from '../../src/search/indexes.js'
import { refreshSearchIndexes } from '../../src/search/search-index.js'
import { refreshParticipationCsv } from '../../src/modules/participations/participations.csv.js'
import { seedDatabase } from '../../src/seed/seed-database.js'

t.test('better-sqlite3 opens a database file and applies the migrations (the native addon built)', async (t) => {
  const path = join(t.testdir(), 'nested', 'directory.sqlite')
  const db = openDatabase(path)
  t.teardown(() => db.$client.close())
  t.equal(db.$client.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.$client.pragma('foreign_keys', { simple: true }), 1)
  t.equal(db.$client.pragma('cache_size', { simple: true }), -PAGE_CACHE_KIB, 'a page cache in KiB (negative), not in pages')
  const server = openDatabase(join(t.testdir(), 'server.sqlite'), { pageCacheKib: 8192 })
  t.teardown(() => server.$client.close())
  t.equal(server.$client.pragma('cache_size', { simple: true }), -8192, 'or the one asked for (the server passes PAGE_CACHE_MB)')
  // A rebuild runs with a small page cache, and the connection gets its own back, even when the work fails.
  const inside = withRebuildPageCache(server.$client, () => server.$client.pragma('cache_size', { simple: true }))
  t.equal(inside, -2048, 'a rebuild runs with 2 MiB of page cache')
  const failing = () => {
    throw new Error('failed')
  }
  t.throws(() => withRebuildPageCache(server.$client, failing), /failed/)
  t.equal(server.$client.pragma('cache_size', { simple: true }), -8192, 'and the connection gets its own size back after, even when the rebuild throws')
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
  // FTS5 keeps each index in shadow tables named after it (search_people_data, ...).
  const isShadow = (name: string) => /^search_\w+_(data|idx|content|docsize|config)$/.test(name)
  t.same(tables.filter((name) => !name.startsWith('__') && name !== 'sqlite_sequence' && !isShadow(name)), [
    'api_tokens',
    'changes',
    'citations',
    'countries',
    'events',
    'organisations',
    'other_names',
    'participation_csv_lines',
    'participation_scope_totals',
    'participation_scopes',
    'participations',
    'people',
    'person_scopes',
    'positions',
    'search_events',
    'search_organisations',
    'search_participations',
    'search_people',
    'sessions',
    'settings',
    'sources'
  ])
  t.equal(db.$client.prepare("SELECT fold('Đurić Čosović-Medić')").pluck().get(), 'duric cosovic-medic')
})

t.test('withRollbackJournal: a connection alone writes with a rollback journal, then goes back to WAL', async (t) => {
  const path = join(t.testdir(), 'directory.sqlite')
  const db = openDatabase(path)
  t.teardown(() => db.$client.close())
  const journalMode = () => db.$client.pragma('journal_mode', { simple: true })
  const synchronous = () => db.$client.pragma('synchronous', { simple: true })
  t.same(
    withRollbackJournal(db.$client, () => [journalMode(), synchronous()]),
    ['delete', 2],
    'alone: the work runs with a rollback journal, synced in full (NORMAL is safe in WAL mode only)'
  )
  t.same([journalMode(), synchronous()], ['wal', 1], 'and the file is in WAL mode again after, synced as NORMAL')
  const failing = () => {
    throw new Error('failed')
  }
  t.throws(() => withRollbackJournal(db.$client, failing), /failed/)
  t.equal(journalMode(), 'wal', 'after a failing work too')

  const other = new Database(path)
  t.teardown(() => other.close())
  other.prepare('SELECT count(*) FROM settings').get()
  t.equal(withRollbackJournal(db.$client, journalMode), 'wal', 'with another connection open, the work runs in WAL mode')
  t.equal(db.$client.pragma('busy_timeout', { simple: true }), 5000, 'and the connection has its busy timeout back (the attempt waits for nothing)')

  // A connection that opens the file meanwhile and reads past the busy timeout keeps it from going back.
  other.close()
  db.$client.pragma('busy_timeout = 0')
  const reader = new Database(path)
  t.teardown(() => reader.close())
  let rows: IterableIterator<unknown> | undefined
  const readDuringWork = () => {
    rows = reader.prepare('SELECT name FROM settings').iterate()
    rows.next()
  }
  withRollbackJournal(db.$client, readDuringWork)
  t.equal(journalMode(), 'delete', 'a reader holding the file: it stays in rollback mode...')
  rows?.return?.()
  reader.close()
  db.$client.close()
  const reopened = openDatabase(path)
  t.teardown(() => reopened.$client.close())
  t.equal(reopened.$client.pragma('journal_mode', { simple: true }), 'wal', '...until the next openDatabase asks for WAL')

  const memory = openDatabase(':memory:')
  t.teardown(() => memory.$client.close())
  t.equal(withRollbackJournal(memory.$client, () => memory.$client.pragma('journal_mode', { simple: true })), 'memory', 'an in-memory database keeps its own journal')
})

t.test('the committed migrations match the schema (drizzle-kit would generate nothing new)', async (t) => {
  // drizzle-kit's own API, in process: the latest committed snapshot against the current schema.
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] }
  const latest = journal.entries.at(-1)
  t.ok(latest, 'there is a migration')
  for (const entry of journal.entries) t.ok(existsSync(join(migrationsFolder, `${entry.tag}.sql`)), `${entry.tag}.sql is committed`)
  const snapshotFile = join(migrationsFolder, 'meta', `${String(latest?.idx).padStart(4, '0')}_snapshot.json`)
  const committed = JSON.parse(readFileSync(snapshotFile, 'utf8')) as DrizzleSQLiteSnapshotJSON
  const current = await generateSQLiteDrizzleJson(schema as unknown as Record<string, unknown>, committed.id)
  t.same(await generateSQLiteMigration(committed, current), [], 'no statement to generate: run `npm run db:generate` after changing a table')
})

// Migration 0009 adds the people list's order column: people written before it get their key.
t.test('migration 0009 gives the people of an older database their sort keys', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'directory.sqlite')
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  const before = journal.entries.findIndex((entry) => entry.tag === '0009_people_sort_key')
  t.ok(before > 0, 'migration 0009 is in the journal')
  // The migrations up to 0008 alone, as an older release would have applied them.
  const older = join(dir, 'older-migrations')
  mkdirSync(join(older, 'meta'), { recursive: true })
  writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }))
  for (const { tag } of journal.entries.slice(0, before)) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(older, `${tag}.sql`))
  const sqlite = new Database(path)
  addFunctions(sqlite)
  migrate(drizzle(sqlite), { migrationsFolder: older })
  sqlite.exec("INSERT INTO people (id, name, sort_name) VALUES ('z', 'Zoran Đurić', 'Đurić, Zoran'), ('a', 'Ana Žic', 'Žic, Ana'), ('b', 'Bo Dahl', 'Dahl, Bo')")
  sqlite.close()

  const db = openDatabase(path)
  t.teardown(() => db.$client.close())
  t.same(db.$client.prepare('SELECT id, sort_key FROM people ORDER BY sort_key').all(), [
    { id: 'b', sort_key: 'dahl, bo' },
    { id: 'z', sort_key: 'duric, zoran' },
    { id: 'a', sort_key: 'zic, ana' }
  ])
})

t.test('the tables enforce the vocabularies and the one-owner rule themselves', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const sqlite = db.$client
  sqlite.prepare("INSERT INTO countries (code, alpha3, numeric, name) VALUES ('BA', 'BIH', '070', 'Bosnia and Herzegovina')").run()
  t.throws(() => sqlite.prepare("INSERT INTO organisations (id, name, classification) VALUES ('x', 'X', 'club')").run(), /CHECK constraint failed/)
  t.throws(
    () => sqlite.prepare("INSERT INTO organisations (id, name, classification, portfolio) VALUES ('x', 'X', 'armed-forces', 'defence')").run(),
    /organisations_portfolio_only_for_ministries/
  )
  t.throws(() => sqlite.prepare("INSERT INTO events (id, name, classification, start_date) VALUES ('e', 'E', 'meeting', '2015-6')").run(), /CHECK/)
  t.throws(
    () => sqlite.prepare("INSERT INTO events (id, name, classification, start_date, end_date) VALUES ('e', 'E', 'meeting', '2015-06', '2014')").run(),
    /events_end_after_start/
  )
  sqlite.prepare("INSERT INTO sources (id, kind, title, publisher) VALUES ('s', 'dataset', 'S', 'P')").run()
  t.throws(() => sqlite.prepare("INSERT INTO citations (source_id) VALUES ('s')").run(), /citations_one_owner/)
  t.throws(() => sqlite.prepare("INSERT INTO citations (source_id, country_code) VALUES ('s', 'XX')").run(), /FOREIGN KEY/)
})

t.test('a database indexed by other search definitions is reindexed when it is opened', async (t) => {
  const path = join(t.testdir(), 'directory.sqlite')
  const first = openDatabase(path)
  seedDatabase(first)
  const matches = (db: ReturnType<typeof openDatabase>) =>
    db.$client.prepare("SELECT record_id FROM search_people WHERE search_people MATCH 'mesetovic'").pluck().all()
  t.same(matches(first), ['mersida-mesetovic'])
  // As if an older release had indexed other words, and recorded its own definitions' version.
  first.$client.exec("DELETE FROM search_people; UPDATE settings SET value = 'older' WHERE name = 'search_index_version'")
  t.same(matches(first), [])
  first.$client.close()

  const reopened = openDatabase(path)
  t.teardown(() => reopened.$client.close())
  t.same(matches(reopened), ['mersida-mesetovic'], 'reindexed on open')
  t.not(readSetting(reopened.$client, 'search_index_version'), 'older')
  t.equal(refreshSearchIndexes(reopened, SEARCH_INDEXES), false, 'and only once')
})

t.test('a database whose CSV lines were rendered by another definition renders them again when it is opened', async (t) => {
  const path = join(t.testdir(), 'directory.sqlite')
  const first = openDatabase(path)
  seedDatabase(first)
  const lines = (db: ReturnType<typeof openDatabase>) => db.$client.prepare('SELECT participation_id, line FROM participation_csv_lines ORDER BY 1').all()
  const rendered = lines(first)
  t.ok(rendered.length > 0)
  first.$client.exec("UPDATE participation_csv_lines SET line = 'older'; UPDATE settings SET value = 'older' WHERE name = 'participation_csv_version'")
  const version = dataVersion(first.$client)
  first.$client.close()

  const reopened = openDatabase(path)
  t.teardown(() => reopened.$client.close())
  t.same(lines(reopened), rendered, 'rendered again on open')
  t.equal(dataVersion(reopened.$client), version + 1, 'as a write would: the data version went up, so CSV ETags and cached answers change')
  t.equal(refreshParticipationCsv(reopened), false, 'and only once')
})
