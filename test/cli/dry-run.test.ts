// `seed --dry-run` writes nothing, whatever state the database is in: a path with no database is
// checked against an empty one in memory (no folder or file made), and a database that would need a
// migration or a rebuilt derived table is refused rather than upgraded.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { runMain, snapshot } from './cli-helpers.js'
import { packageRoot } from '../../src/paths.js'

/** Every row of the tables snapshot() leaves out: the migrations applied and the settings. */
const bookkeeping = (path: string) => {
  const db = new Database(path, { readonly: true })
  try {
    return JSON.stringify([db.prepare('SELECT * FROM __drizzle_migrations ORDER BY created_at').all(), db.prepare('SELECT * FROM settings ORDER BY name').all()])
  } finally {
    db.close()
  }
}

t.test('a dry run into a database that does not exist reports every record as new and makes no file', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'not-yet', 'directory.sqlite')
  const result = await runMain(['seed', '--dry-run', '--db', path])
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, `Dry run: would seed ${path} from`)
  t.match(result.stdout, /people\s+4\s+0\s+0\s+0/)
  t.match(result.stdout, /\nChanges that would be made: 369; nothing was written\.\n$/, 'as many changes as a dry run into an empty file')
  t.equal(existsSync(join(dir, 'not-yet')), false, 'no folder, no file')
})

t.test('a dry run refuses a database that needs a migration or a rebuilt derived table, and leaves it as it was', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'directory.sqlite')
  t.equal((await runMain(['seed', '--db', path])).status, 0)
  const cases: [string, string, RegExp][] = [
    ['DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)', 'the last migration pending', /\(1 pending migration\)/],
    ["UPDATE settings SET value = 'older' WHERE name = 'participation_scopes_version'", 'the scopes built by another definition', /\(the participation scopes to rebuild\)/],
    [
      "UPDATE settings SET value = 'older' WHERE name IN ('search_index_version', 'participation_csv_version', 'person_scopes_version')",
      'three derived tables built by other definitions',
      /\(the search index to rebuild; the participations' CSV lines to rebuild; the person scopes to rebuild\)/
    ]
  ]
  for (const [change, what, reason] of cases) {
    const db = new Database(path)
    db.exec(change)
    db.close()
    const [rows, kept] = [snapshot(path), bookkeeping(path)]
    const result = await runMain(['seed', '--dry-run', '--db', path])
    t.equal(result.status, 1, what)
    t.match(result.stderr, new RegExp(`^Dry run: ${path} needs upgrading first ${reason.source}: run "stakeholder-directory migrate"; nothing was written\\.\\n$`), what)
    t.equal(result.stdout, '')
    t.equal(snapshot(path), rows, `${what}: the records are as they were`)
    t.equal(bookkeeping(path), kept, `${what}: no migration applied, no definition rebuilt`)
    t.equal((await runMain(['migrate', '--db', path])).status, 0, 'migrate upgrades it')
    const after = await runMain(['seed', '--dry-run', '--db', path])
    t.equal(after.status, 0, `${what}: a dry run then checks the files`)
    t.match(after.stdout, /\nChanges that would be made: 0; nothing was written\.\n$/)
  }
})

t.test('a dry run refuses an empty file as a database that needs every migration, and reports a file that is no database', async (t) => {
  const dir = t.testdir()
  const empty = join(dir, 'empty.sqlite')
  writeFileSync(empty, '')
  const refused = await runMain(['seed', '--dry-run', '--db', empty])
  t.equal(refused.status, 1)
  const migrations = readdirSync(join(packageRoot, 'migrations')).filter((name) => name.endsWith('.sql')).length
  t.match(refused.stderr, `needs upgrading first (${migrations} pending migrations)`)
  t.equal(statSync(empty).size, 0, 'the file is still empty')
  const garbage = join(dir, 'garbage.sqlite')
  writeFileSync(garbage, 'not a database, but a file of some other kind that happens to have this name\n'.repeat(20))
  const failed = await runMain(['seed', '--dry-run', '--db', garbage])
  t.equal(failed.status, 1)
  t.equal(failed.stderr, `stakeholder-directory seed: ${garbage}: file is not a database\n`, 'names the file')
  for (const command of ['stats', 'check', 'migrate']) {
    for (const db of [garbage, dir]) {
      const result = await runMain([command, '--db', db])
      t.equal(result.status, 1, `${command} ${db}`)
      t.match(result.stderr, `stakeholder-directory ${command}: ${db}: `, `${command} ${db}: names the file`)
    }
  }
})
