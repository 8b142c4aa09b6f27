// The seed command over a real database file: once as a real process, as an operator runs it, and
// otherwise in-process through main(), the same code without a Node start-up per case.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import Database from 'better-sqlite3'
import { bundledSeedsFolder } from '../../src/paths.js'
import { runCli, runMain, snapshot } from './cli-helpers.js'

const count = (path: string, table: string) => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  } finally {
    db.close()
  }
}

const ARTICLE = 'seesac-2015-06-03-sarajevo-roundtable'
const QUOTE = 'SEESAC participated at the Regional Roundtable'

t.test('seeding loads the bundled seeds once; a second run changes nothing', async (t) => {
  const db = join(t.testdir(), 'directory.sqlite')
  const first = runCli(['seed', '--db', db])
  t.equal(first.status, 0, first.stderr)
  t.match(first.stdout, /^Seeded .*directory\.sqlite from .*seeds\/country-names\.yaml, .*seeds\/sarajevo-roundtable-2015\.yaml/)
  t.match(first.stdout, /countries\s+249\s+0\s+0\s+0/)
  t.match(first.stdout, /participations\s+41\s+0\s+0\s+0/)
  const afterFirst = snapshot(db)

  const second = await runMain(['seed', '--db', db])
  t.equal(second.status, 0, second.stderr)
  t.match(second.stdout, /participations\s+0\s+0\s+41\s+0/)
  t.match(second.stdout, /\nChanges: 0\.\n$/)
  t.equal(snapshot(db), afterFirst, 'no row changed')
})

t.test('an import into an empty file writes with a rollback journal, one into a seeded file with the WAL', async (t) => {
  const connection = await import('../../src/db/connection.js')
  const journalModes: unknown[] = []
  const { runSeed } = await t.mockImport<typeof import('../../src/cli/seed-command.js')>('../../src/cli/seed-command.js', {
    '../../src/db/connection.js': {
      ...connection,
      withRollbackJournal: <T>(sqlite: Database.Database, work: () => T): T =>
        connection.withRollbackJournal(sqlite, () => {
          journalModes.push(sqlite.pragma('journal_mode', { simple: true }))
          return work()
        })
    }
  })
  const dir = t.testdir()
  const db = join(dir, 'directory.sqlite')
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: dir }
  t.equal(runSeed(['--db', db], io), 0, 'seeded')
  t.same(journalModes, ['delete'], 'the first import, into the empty file, ran with a rollback journal')
  t.equal(runSeed(['--db', db], io), 0, 'seeded again')
  t.same(journalModes, ['delete'], 'the second, into the seeded file, did not ask for one')
  const file = new Database(db, { readonly: true })
  t.equal(file.pragma('journal_mode', { simple: true }), 'wal', 'and the file is in WAL mode after both')
  file.close()
})

t.test('--dry-run reports what would change and writes nothing', async (t) => {
  const db = join(t.testdir(), 'directory.sqlite')
  t.equal((await runMain(['migrate', '--db', db])).status, 0)
  const empty = snapshot(db)
  const result = await runMain(['seed', '--dry-run', '--db', db])
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /^Dry run: would seed/)
  t.match(result.stdout, /people\s+4\s+0\s+0\s+0/)
  t.match(result.stdout, /\nChanges that would be made: 369; nothing was written\.\n$/)
  t.equal(snapshot(db), empty)
})

t.test('--json prints the summary for scripts; DATABASE_PATH is the default database', async (t) => {
  const dir = t.testdir()
  const result = await runMain(['seed', '--json'], { cwd: dir, env: { DATABASE_PATH: 'custom.sqlite' } })
  t.equal(result.status, 0, result.stderr)
  const summary = JSON.parse(result.stdout)
  t.equal(summary.database, join(dir, 'custom.sqlite'))
  t.equal(summary.changes.events.created, 2)
  t.equal(summary.dryRun, false)
  t.equal(count(join(dir, 'custom.sqlite'), 'events'), 2)
})

t.test('an operator adds an event from a file of their own; --reset is the only way to delete', async (t) => {
  const dir = t.testdir({
    sources: { 'vienna-notes.txt': 'Vienna, 12 May 2016. Colonel Mersida Mesetović chaired the follow-up meeting in Vienna.\n' },
    'vienna.yaml': `
sources:
  - id: vienna-notes-2016
    kind: article
    title: Follow-up meeting notes
    publisher: Example publisher
    published_on: "2016-05-12"
    text_file: sources/vienna-notes.txt
events:
  - id: vienna-follow-up-2016
    name: Follow-up meeting
    classification: meeting
    start_date: "2016-05-12"
    city: Vienna
    country: AT
    continuation_of: sarajevo-roundtable-2015
    sources:
      - source: vienna-notes-2016
        quote: chaired the follow-up meeting in Vienna
participations:
  - id: vienna-2016-mesetovic-moderator
    event: vienna-follow-up-2016
    person: mersida-mesetovic
    role: moderator
    role_as_worded: chaired
    on_behalf_of: ba-armed-forces
    sources:
      - source: vienna-notes-2016
        quote: Colonel Mersida Mesetović chaired the follow-up meeting
`
  })
  const db = join(dir, 'directory.sqlite')
  t.equal((await runMain(['seed', '--db', db])).status, 0)
  const added = await runMain(['seed', join(dir, 'vienna.yaml'), '--db', db])
  t.equal(added.status, 0, added.stderr)
  t.match(added.stdout, /events\s+1\s+0\s+0\s+0/)
  t.match(added.stdout, /participations\s+1\s+0\s+0\s+0/)
  t.equal(count(db, 'events'), 3)
  t.equal(count(db, 'participations'), 42)

  const again = await runMain(['seed', '--db', db])
  t.equal(again.status, 0)
  t.equal(count(db, 'events'), 3, 'seeding without --reset deletes nothing')

  const reset = await runMain(['seed', '--reset', '--db', db])
  t.equal(reset.status, 0, reset.stderr)
  t.match(reset.stdout, /\(reset first\)/)
  t.match(reset.stdout, /events\s+2\s+0\s+0\s+3/)
  t.equal(count(db, 'events'), 2)
  t.equal(count(db, 'participations'), 41)
})

const validEvent = (id: string, extra = '') => `
  - id: ${id}
    name: Some meeting
    classification: meeting
    start_date: "2016-05-12"${extra}
    sources:
      - source: ${ARTICLE}
        quote: ${QUOTE}
`

interface BadCase {
  name: string
  /** Seed files, given to the command. */
  files: Record<string, string | Buffer>
  /** Source texts beside them, which are not. */
  texts?: Record<string, string | Buffer>
  expect: RegExp[]
}

/** The bundled source record of the article, with another text. */
const ARTICLE_RECORD = `sources:
  - id: ${ARTICLE}
    kind: article
    title: Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations
    publisher: SEESAC
    published_on: '2015-06-03'
    text_file: changed.txt
`
const ARTICLE_TEXT = readFileSync(join(bundledSeedsFolder, 'sources', `${ARTICLE}.txt`), 'utf8')

const BAD_INPUT: BadCase[] = [
  { name: 'invalid YAML', files: { 'bad.yaml': 'events:\n  - id: [unclosed\n' }, expect: [/bad\.yaml:\d+ \/: invalid YAML/] },
  { name: 'invalid JSON', files: { 'bad.json': '{\n  "events": [],\n}\n' }, expect: [/bad\.json:3 \/: invalid JSON/] },
  {
    name: 'a file that is not UTF-8',
    files: { 'latin1.yaml': Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\nevents: []\n')]) },
    expect: [/latin1\.yaml:1 \/: not valid UTF-8: the byte at offset 5 \(line 1\) is not part of a UTF-8 character: save the file as UTF-8/]
  },
  { name: 'a duplicate key', files: { 'bad.yaml': `events:${validEvent('x-2016')}events: []\n` }, expect: [/bad\.yaml:\d+ \/: invalid YAML: Map keys must be unique/] },
  {
    name: 'schema violations',
    files: { 'bad.yaml': `events:${validEvent('x-2016', '\n    colour: blue')}people:\n  - id: nobody-at-all\n    name: Nobody\n    sources: []\n` },
    expect: [
      /bad\.yaml:6 \/events\/0\/colour: unknown property/,
      /bad\.yaml:\d+ \/people\/0\/sort_name: is required/,
      /\/people\/0\/sources: must NOT have fewer than 1 items/
    ]
  },
  {
    name: 'a value outside a vocabulary',
    files: { 'bad.yaml': `events:${validEvent('x-2016').replace('classification: meeting', 'classification: party')}` },
    expect: [/bad\.yaml:4 \/events\/0\/classification: must be one of: roundtable, conference/]
  },
  {
    name: 'an unknown reference',
    files: {
      'bad.yaml': `participations:\n  - id: ghost-participation\n    event: sarajevo-roundtable-2015\n    person: nobody-at-all\n    role: participant\n    sources:\n      - source: ${ARTICLE}\n        quote: ${QUOTE}\n`
    },
    expect: [/bad\.yaml:4 \/participations\/0\/person: unknown person "nobody-at-all"/]
  },
  {
    name: 'a duplicate id across files',
    files: { 'a.yaml': `events:${validEvent('twice-2016')}`, 'b.yaml': `events:${validEvent('twice-2016')}` },
    expect: [/b\.yaml:2 \/events\/0\/id: duplicate event id "twice-2016" \(first defined in \/.*a\.yaml:2\)/]
  },
  {
    name: 'an unknown country code',
    files: { 'bad.yaml': `events:${validEvent('x-2016', '\n    country: XX')}` },
    expect: [/bad\.yaml:6 \/events\/0\/country: unknown ISO 3166-1 alpha-2 country code "XX"/]
  },
  {
    name: 'an impossible date',
    files: { 'bad.yaml': `events:${validEvent('x-2016').replace('"2016-05-12"', '"2015-02-30"')}` },
    expect: [/bad\.yaml:5 \/events\/0\/start_date: "2015-02-30" is not a date on the calendar/]
  },
  {
    name: 'an event that ends before it starts',
    files: { 'bad.yaml': `events:${validEvent('x-2016', '\n    end_date: "2016-05"').replace('"2016-05-12"', '"2016-06-01"')}` },
    expect: [/\/events\/0\/end_date: ends \(2016-05\) before it starts \(2016-06-01\)/]
  },
  {
    name: 'an event that ends less precisely than it starts',
    files: { 'bad.yaml': `events:${validEvent('x-2016', '\n    end_date: "2016-05"').replace('"2016-05-12"', '"2016-05-15"')}` },
    expect: [/bad\.yaml:6 \/events\/0\/end_date: ends \(2016-05\) less precisely than it starts \(2016-05-15\): give end_date at least as precisely as start_date/]
  },
  {
    name: 'a session moved away from its participations',
    files: {
      'moved.yaml': `sessions:
  - id: sarajevo-2015-regional-cooperation-panel
    event: belgrade-being-a-peacekeeper-roundtable-2014
    name: moved
    classification: panel
    sources: [{source: iso-3166-1}]
`
    },
    expect: [/moved\.yaml:3 \/sessions\/0\/event: session "sarajevo-2015-regional-cooperation-panel" moves .* but 4 participations at it would stay at "sarajevo-roundtable-2015"/]
  },
  {
    name: 'a source text that no longer holds the quotes of it',
    files: { 'article.yaml': ARTICLE_RECORD },
    texts: { 'changed.txt': ARTICLE_TEXT.replace('SEESAC participated at', 'SEESAC attended') },
    expect: [/article\.yaml:7 \/sources\/0\/text_file: the new text breaks 3 citations of this source in the database: organisation "seesac" \("SEESAC participated at/]
  },
  {
    name: 'a source text that is not UTF-8',
    files: { 'article.yaml': ARTICLE_RECORD },
    texts: { 'changed.txt': Buffer.concat([Buffer.from([0xff]), Buffer.from(ARTICLE_TEXT)]) },
    expect: [/article\.yaml:7 \/sources\/0\/text_file: "changed\.txt" is not valid UTF-8: the byte at offset 0 \(line 1\) is not part of a UTF-8 character: save it as UTF-8/]
  },
  {
    name: 'a blank quote',
    files: { 'bad.yaml': `events:${validEvent('x-2016').replace(QUOTE, "' '")}` },
    expect: [/bad\.yaml:8 \/events\/0\/sources\/0\/quote: must not be blank/]
  },
  {
    name: 'a quote that is not in the source',
    files: { 'bad.yaml': `events:${validEvent('x-2016').replace(QUOTE, 'SEESAC did not participate')}` },
    expect: [/bad\.yaml:8 \/events\/0\/sources\/0\/quote: quote not found verbatim in source "seesac-2015-06-03-sarajevo-roundtable"/]
  },
  { name: 'a missing file', files: {}, expect: [/missing\.yaml \/: cannot read: file not found/] }
]

t.test('bad input is rejected with every problem located, and nothing is written', async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'seed-rejects-')), 'directory.sqlite')
  t.teardown(() => rmSync(dirname(db), { recursive: true, force: true }))
  t.equal((await runMain(['seed', '--db', db])).status, 0)
  const before = snapshot(db)
  for (const bad of BAD_INPUT) {
    const dir = mkdtempSync(join(tmpdir(), 'seed-input-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    for (const [name, content] of Object.entries({ ...bad.files, ...bad.texts })) writeFileSync(join(dir, name), content)
    const files = Object.keys(bad.files).length > 0 ? Object.keys(bad.files).map((f) => join(dir, f)) : [join(dir, 'missing.yaml')]
    // One case as a real process: the rejection reaches the operator's terminal the same way.
    const run = bad === BAD_INPUT[0] ? runCli : runMain
    const result = await run(['seed', ...files, '--db', db])
    t.equal(result.status, 1, `${bad.name}: exit 1`)
    t.equal(result.stdout, '', `${bad.name}: nothing on stdout`)
    t.match(result.stderr, /^Seed files rejected; nothing was written\.\n/, bad.name)
    for (const pattern of bad.expect) t.match(result.stderr, pattern, bad.name)
    t.equal(snapshot(db), before, `${bad.name}: nothing written`)
  }
})

t.test('a rejected seed into a database that did not exist leaves no database behind, nor the folders made for it', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'people:\n  - id: 7\n' })
  for (const db of [join(dir, 'new.sqlite'), join(dir, 'mistyped', 'deeper', 'new.sqlite')]) {
    const result = await runMain(['seed', join(dir, 'bad.yaml'), '--db', db])
    t.equal(result.status, 1, result.stderr)
    t.match(result.stderr, /^Seed files rejected; nothing was written\./)
    t.same(readdirSync(dir), ['bad.yaml'], `${db}: nothing left`)
  }
  // What was there before stays: a symbolic link to where a database would be.
  symlinkSync(join(dir, 'target.sqlite'), join(dir, 'link.sqlite'))
  t.equal((await runMain(['seed', join(dir, 'bad.yaml'), '--db', join(dir, 'link.sqlite')])).status, 1)
  t.ok(readdirSync(dir).includes('link.sqlite'), 'the link kept')
})

t.test('a failure in the middle of writing rolls everything back', async (t) => {
  const db = join(t.testdir(), 'directory.sqlite')
  t.equal((await runMain(['migrate', '--db', db])).status, 0)
  // A trigger makes the last table written (participations) refuse rows: countries, organisations,
  // people and events are written before it, and must all be rolled back.
  const sqlite = new Database(db)
  sqlite.exec("CREATE TRIGGER frozen BEFORE INSERT ON participations BEGIN SELECT RAISE(ABORT, 'participations are frozen'); END")
  sqlite.close()
  const before = snapshot(db)
  const result = await runMain(['seed', '--db', db])
  t.equal(result.status, 1)
  t.equal(result.stderr, 'stakeholder-directory seed: participations are frozen\n')
  t.equal(snapshot(db), before, 'nothing half-written')
  t.equal(count(db, 'countries'), 0)
})
