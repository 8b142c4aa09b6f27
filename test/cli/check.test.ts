// `check`, in-process through main(): a sound database passes; each kind of damage is found and named.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { migrationsFolder } from '../../src/paths.js'
import { runMain, snapshot } from './cli-helpers.js'

/** The migrations this version ships. */
const MIGRATION_NAMES = readdirSync(migrationsFolder)
  .filter((name) => name.endsWith('.sql'))
  .map((name) => name.replace(/\.sql$/, ''))
  .sort()
const MIGRATIONS = MIGRATION_NAMES.length

const ARTICLE = 'seesac-2015-06-03-sarajevo-roundtable'

// Seeded once; each test damages a copy of its own.
const seededOnce = (async () => {
  const dir = t.testdir()
  const db = join(dir, 'seeded.sqlite')
  const result = await runMain(['seed', '--db', db])
  if (result.status !== 0) throw new Error(result.stderr)
  return db
})()

async function damagedCopy(t: Test, damage: (sqlite: Database.Database) => void): Promise<string> {
  const db = join(t.testdir(), 'directory.sqlite')
  copyFileSync(await seededOnce, db)
  const sqlite = new Database(db)
  damage(sqlite)
  sqlite.close()
  return db
}

t.test('a sound, current database passes every check, and check writes nothing', async (t) => {
  const db = await damagedCopy(t, () => {})
  const before = snapshot(db)
  const result = await runMain(['check', '--db', db])
  t.equal(result.status, 0, result.stdout)
  t.equal(result.stdout, `${db}: OK (integrity, foreign keys, ${MIGRATIONS} migrations current, participations at their sessions' events, 99 quoted citations verbatim).\n`)
  t.equal(result.stderr, '')
  const json = await runMain(['check', '--json', '--db', db])
  t.equal(json.status, 0)
  t.same(JSON.parse(json.stdout), { database: db, ok: true, migrations: MIGRATIONS, citations: 99, problems: [] })
  t.equal(snapshot(db), before, 'nothing written')
})

t.test('a source text that no longer holds a quote, and a quote that went missing, are each named', async (t) => {
  const db = await damagedCopy(t, (sqlite) => {
    sqlite.prepare("UPDATE sources SET content = replace(content, 'SEESAC participated at', 'SEESAC attended') WHERE id = ?").run(ARTICLE)
  })
  const result = await runMain(['check', '--db', db])
  t.equal(result.status, 1)
  const notFound = `quote not found verbatim in source "${ARTICLE}"`
  t.match(
    result.stdout,
    new RegExp(
      [
        `^quotes: citation \\d+ of organisation "seesac": ${notFound}`,
        `quotes: citation \\d+ of event "sarajevo-roundtable-2015": ${notFound}`,
        `quotes: citation \\d+ of participation "sarajevo-2015-seesac-participant": ${notFound}`,
        '.*: 3 problems found\\.\n$'
      ].join('\n')
    ),
    'each citation quoting the changed words, named by what it backs'
  )

  const unquoted = await damagedCopy(t, (sqlite) => {
    sqlite.prepare('UPDATE citations SET quote = NULL WHERE id = (SELECT min(id) FROM citations WHERE source_id = ?)').run(ARTICLE)
  })
  const json = await runMain(['check', '--json', '--db', unquoted])
  t.equal(json.status, 1)
  const report = JSON.parse(json.stdout)
  t.equal(report.ok, false)
  t.match(report.problems, [{ check: 'quotes', message: new RegExp(`^citation \\d+ of other name "[^"]+" of (country|organisation|person) "[^"]+": "quote" is required when citing the text of "${ARTICLE}"$`) }])
  t.equal(report.problems.length, 1)
})

t.test('a blank quote is named: it quotes nothing', async (t) => {
  const db = await damagedCopy(t, (sqlite) => {
    sqlite.prepare("UPDATE citations SET quote = ' ' WHERE id = (SELECT min(id) FROM citations WHERE event_id = 'sarajevo-roundtable-2015')").run()
  })
  const result = await runMain(['check', '--db', db])
  t.equal(result.status, 1)
  t.match(result.stdout, new RegExp(`^quotes: citation \\d+ of event "sarajevo-roundtable-2015": "quote" is blank: quote the words of "${ARTICLE}" that back this\n.*: 1 problem found\.\n$`))
})

t.test('participations at a session of another event are named', async (t) => {
  const db = await damagedCopy(t, (sqlite) => {
    // What a seed run that moved a session without its participations used to leave behind.
    sqlite.prepare("UPDATE sessions SET event_id = 'belgrade-being-a-peacekeeper-roundtable-2014' WHERE id = 'sarajevo-2015-regional-cooperation-panel'").run()
  })
  const result = await runMain(['check', '--json', '--db', db])
  t.equal(result.status, 1)
  const { problems } = JSON.parse(result.stdout) as { problems: { check: string; message: string }[] }
  t.same(
    problems.map((p) => p.message),
    [
      'sarajevo-2015-amela-cosovic-medic-panellist',
      'sarajevo-2015-mark-pedersen-panellist',
      'sarajevo-2015-mersida-mesetovic-moderator',
      'sarajevo-2015-seesac-presenter'
    ].map(
      (id) =>
        `participation "${id}" is at event "sarajevo-roundtable-2015", but its session "sarajevo-2015-regional-cooperation-panel" belongs to event "belgrade-being-a-peacekeeper-roundtable-2014"`
    )
  )
  t.same(new Set(problems.map((p) => p.check)), new Set(['sessions']))
})

t.test('a row referring to nothing fails the foreign key check', async (t) => {
  const db = await damagedCopy(t, (sqlite) => {
    sqlite.pragma('foreign_keys = OFF')
    sqlite.prepare("INSERT INTO citations (source_id, quote, event_id) VALUES ('no-such-source', 'x', 'sarajevo-roundtable-2015')").run()
  })
  const result = await runMain(['check', '--db', db])
  t.equal(result.status, 1)
  t.match(result.stdout, /^foreign_keys: citations row \d+ refers to a missing row of sources\n.*: 1 problem found\.\n$/)
})

t.test('a damaged index fails the integrity check', async (t) => {
  const db = await damagedCopy(t, (sqlite) => {
    // The index's definition no longer matches its content: what a torn write can leave behind.
    sqlite.unsafeMode(true)
    sqlite.pragma('writable_schema = ON')
    sqlite.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX citations_source_id_idx ON citations(quote)' WHERE name = 'citations_source_id_idx'").run()
  })
  const result = await runMain(['check', '--db', db])
  t.equal(result.status, 1)
  t.match(result.stdout, /^integrity: .*citations_source_id_idx/)
})

t.test('pending and unknown migrations fail, and quotes are then left unchecked', async (t) => {
  const pending = await damagedCopy(t, (sqlite) => {
    sqlite.prepare('DELETE FROM __drizzle_migrations WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)').run()
  })
  const result = await runMain(['check', '--db', pending])
  t.equal(result.status, 1)
  t.equal(
    result.stdout,
    [
      `migrations: pending migration ${MIGRATION_NAMES.at(-1)}: run "stakeholder-directory migrate"`,
      'sessions: not checked: the migrations are not current',
      'quotes: not checked: the migrations are not current',
      `${pending}: 3 problems found.`,
      ''
    ].join('\n')
  )

  const unknown = await damagedCopy(t, (sqlite) => {
    sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('0123456789abcdef0123', 1999999999999)").run()
  })
  const json = JSON.parse((await runMain(['check', '--json', '--db', unknown])).stdout)
  t.match(json.problems, [{ check: 'migrations', message: 'unknown migration applied (hash 0123456789ab, created 1999999999999): not in migrations/' }, { check: 'sessions' }, { check: 'quotes' }])

  const blank = join(t.testdir(), 'blank.sqlite')
  writeFileSync(blank, '')
  const never = await runMain(['check', '--db', blank])
  t.equal(never.status, 1)
  t.equal(never.stdout.match(/^migrations: pending migration \d{4}_\w+: /gm)?.length, MIGRATIONS, 'a database never migrated has every migration pending')
})

t.test('no database there: a clear error, exit 1', async (t) => {
  const missing = join(t.testdir(), 'missing.sqlite')
  const result = await runMain(['check', '--db', missing])
  t.equal(result.status, 1)
  t.equal(result.stderr, `stakeholder-directory check: no database at ${missing}\n`)
  t.equal(result.stdout, '')
})
