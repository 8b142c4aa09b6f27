// The seed importer in process: every check that rejects a file (located by file, JSON pointer and
// line, with nothing written), every way a file is read, and every way a record is written.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { parse } from 'yaml'
import { openDatabase, type DirectoryDatabase } from '../../src/db/connection.js'
import { bundledSeedsFolder } from '../../src/paths.js'
import { idHash } from '../../src/seed/check-seed-records.js'
import { isoCountryList } from '../../src/seed/iso-countries.js'
import { isEmpty, seedDatabase, type SeedOptions } from '../../src/seed/seed-database.js'
import { SeedValidationError, type SeedProblem } from '../../src/seed/seed-problem.js'
import { seededDatabase } from '../helpers.js'

const ARTICLE = 'seesac-2015-06-03-sarajevo-roundtable'
const QUOTE = 'SEESAC participated at the Regional Roundtable'
const ARTICLE_TEXT = readFileSync(join(bundledSeedsFolder, 'sources', `${ARTICLE}.txt`), 'utf8')

/** Other names that the ISO package itself provides (GB: "UK", "Great Britain"; ...). */
const PACKAGE_NAMES = isoCountryList().reduce((n, c) => n + c.otherNames.length, 0)

/** The bundled records, to write files that differ from them in exactly one respect. */
const bundled = parse(readFileSync(join(bundledSeedsFolder, 'sarajevo-roundtable-2015.yaml'), 'utf8')) as Record<string, any[]>
const bundledNames = parse(readFileSync(join(bundledSeedsFolder, 'country-names.yaml'), 'utf8')).country_names as any[]
const bundledPerson = (id: string) => structuredClone(bundled.people!.find((p) => p.id === id))
const bundledName = (country: string, name: string) => structuredClone(bundledNames.find((n) => n.country === country && n.name === name))

/** A YAML document written indented in the test: the first line of the text is line 1 of the file. */
function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => (/^ */.exec(l) as RegExpExecArray)[0].length))
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`
}
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** A digest of every row of every table of an in-memory database, to prove that nothing was written. */
function digest(db: DirectoryDatabase): string {
  const sqlite = db.$client
  // FTS5 shadow tables (search_people_data, ...) hold what the search_* tables show.
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !/^search_\w+_(data|idx|content|docsize|config)$/.test(name)
  )
  // Rows sorted as text: a WITHOUT ROWID table has no rowid to order by.
  const rows = tables.map((table) => [table, (sqlite.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[]).map((row) => JSON.stringify(row)).sort()])
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}

const count = (db: DirectoryDatabase, from: string): number => db.$client.prepare(`SELECT count(*) FROM ${from}`).pluck().get() as number
const row = (db: DirectoryDatabase, sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as Record<string, unknown> | undefined
const rows = (db: DirectoryDatabase, sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as Record<string, unknown>[]

/** Runs a seed that must be rejected: a SeedValidationError, and not one row written. */
function rejected(t: Test, db: DirectoryDatabase, options: SeedOptions): { problems: SeedProblem[]; message: string } {
  const before = digest(db)
  let result = { problems: [] as SeedProblem[], message: '' }
  try {
    seedDatabase(db, options)
    t.fail('the seed was accepted')
  } catch (error) {
    t.type(error, SeedValidationError, 'rejected with a SeedValidationError')
    if (error instanceof SeedValidationError) result = { problems: error.problems, message: error.message }
    else throw error
  }
  t.equal(digest(db), before, 'nothing was written')
  return result
}

interface Expected {
  file?: string
  pointer: string
  line?: number | undefined
  message: string | RegExp
}

/** Exactly these problems, each at its pointer (and line, and file, where given). */
function expectProblems(t: Test, problems: SeedProblem[], expected: Expected[]) {
  const describe = (e: Expected) => `${e.file ?? ''} ${e.pointer || '/'}: ${e.message}`
  t.equal(problems.length, expected.length, `${expected.length} problem(s)`, { found: problems })
  for (const e of expected) {
    const found = problems.find(
      (p) =>
        p.pointer === e.pointer &&
        (e.file === undefined || p.file === e.file) &&
        (typeof e.message === 'string' ? p.message === e.message : e.message.test(p.message))
    )
    if (!found) {
      t.fail(`missing problem ${describe(e)}`, { found: problems })
      continue
    }
    t.pass(describe(e))
    if ('line' in e) t.equal(found.line, e.line, `line of ${e.pointer || '/'}`)
  }
}

/** One database seeded with the bundled seeds, shared by the rejections (which write nothing). */
const shared = seededDatabase()
t.teardown(() => shared.$client.close())

// ---------------------------------------------------------------------------------------------
// isEmpty and the bundled seeds

t.test('isEmpty: true on a fresh migrated database, false once seeded; the bundled seeds load once', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  t.equal(isEmpty(db), true)

  const first = seedDatabase(db)
  t.equal(isEmpty(db), false)
  t.same(
    first.files.map((f) => f.replace(/^.*\//, '')),
    ['country-names.yaml', 'sarajevo-roundtable-2015.yaml']
  )
  t.equal(first.dryRun, false)
  t.equal(first.reset, false)
  t.same(first.changes.events, { created: 2, updated: 0, unchanged: 0, deleted: 0 })
  t.same(first.changes.people, { created: 4, updated: 0, unchanged: 0, deleted: 0 })
  t.equal(first.changes.countries.created, 249)
  t.equal(first.total, 369)

  const afterFirst = digest(db)
  const second = seedDatabase(db)
  t.equal(second.total, 0, 'a second identical run changes nothing')
  t.same(second.changes.people, { created: 0, updated: 0, unchanged: 4, deleted: 0 })
  t.same(second.changes.organisations, { created: 0, updated: 0, unchanged: first.changes.organisations.created, deleted: 0 })
  t.equal(digest(db), afterFirst)
})

t.test('an empty list of files means the bundled seeds', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const before = digest(db)
  const result = seedDatabase(db, { files: [], dryRun: true })
  t.equal(result.files.length, 2)
  t.equal(result.total, 369)
  t.equal(digest(db), before)
  t.equal(isEmpty(db), true)
})

// ---------------------------------------------------------------------------------------------
// Rejections: sources and citations

t.test('sources: an article needs its text, a dataset does not; unreadable texts and impossible dates', async (t) => {
  const dir = t.testdir({
    'sources.yaml': yaml(`
      sources:
        - id: article-without-text
          kind: article
          title: An article
          publisher: Someone
        - id: dataset-without-text
          kind: dataset
          title: A register
          publisher: Someone
          published_on: '2015-02-29'
        - id: article-with-lost-text
          kind: article
          title: Another article
          publisher: Someone
          text_file: texts/lost.txt
    `)
  })
  const { problems, message } = rejected(t, shared, { files: [join(dir, 'sources.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { file: 'sources.yaml', pointer: '/sources/0', line: 2, message: 'an article source needs "text_file", its full text' },
    { file: 'sources.yaml', pointer: '/sources/1/published_on', line: 10, message: '"2015-02-29" is not a date on the calendar' },
    {
      file: 'sources.yaml',
      pointer: '/sources/2/text_file',
      line: 15,
      message: `cannot read "texts/lost.txt" (looked for ${join(dir, 'texts', 'lost.txt')})`
    }
  ])
  t.notOk(problems.some((p) => p.pointer === '/sources/1'), 'a dataset needs no text')
  t.match(message, /^3 problems in the seed files:\nsources\.yaml:2 \/sources\/0: an article source needs "text_file"/)
})

t.test('citations: unknown source, missing quote, quote not verbatim (in a file text or the database text)', async (t) => {
  const dir = t.testdir({
    texts: { 'fox.txt': 'The quick brown fox jumps over the lazy dog.\n' },
    'cite.yaml': yaml(`
      sources:
        - id: fox-article
          kind: article
          title: Fox
          publisher: Someone
          text_file: texts/fox.txt
        - id: fox-register
          kind: dataset
          title: Register
          publisher: Someone
      events:
        - id: fox-meeting-2016
          name: Fox meeting
          classification: meeting
          start_date: '2016'
          sources:
            - source: no-such-source
            - source: fox-article
            - source: fox-article
              quote: The slow brown fox
            - source: fox-article
              quote: quick brown fox
            - source: fox-register
            - source: ${ARTICLE}
              quote: SEESAC did not participate
            - source: ${ARTICLE}
            - source: ${ARTICLE}
              quote: ${QUOTE}
            - source: iso-3166-1
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'cite.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { pointer: '/events/0/sources/0/source', line: 17, message: 'unknown source "no-such-source"' },
    { pointer: '/events/0/sources/1', line: 18, message: '"quote" is required when citing the text of "fox-article"' },
    { pointer: '/events/0/sources/2/quote', line: 20, message: 'quote not found verbatim in source "fox-article"' },
    { pointer: '/events/0/sources/5/quote', line: 25, message: `quote not found verbatim in source "${ARTICLE}"` },
    { pointer: '/events/0/sources/6', line: 26, message: `"quote" is required when citing the text of "${ARTICLE}"` }
  ])
})

// ---------------------------------------------------------------------------------------------
// Rejections: records

t.test('country names: unknown country, duplicate name, reversed and impossible dates', async (t) => {
  const dir = t.testdir({
    'names.yaml': yaml(`
      country_names:
        - country: XX
          name: Nowhere
          sources:
            - source: iso-3166-1
        - country: GB
          name: Albion
          sources:
            - source: iso-3166-1
        - country: GB
          name: Albion
          sources:
            - source: iso-3166-1
        - country: FR
          name: Gaul
          start_date: '2010'
          end_date: '2009-12'
          sources:
            - source: iso-3166-1
        - country: FR
          name: Francia
          start_date: '2015-02-29'
          sources:
            - source: no-such-source
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'names.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { pointer: '/country_names/0/country', line: 2, message: 'unknown ISO 3166-1 alpha-2 country code "XX"' },
    { pointer: '/country_names/2/name', line: 11, message: 'duplicate other name "Albion" for GB' },
    { pointer: '/country_names/3/end_date', line: 17, message: 'ends (2009-12) before it starts (2010)' },
    { pointer: '/country_names/4/start_date', line: 22, message: '"2015-02-29" is not a date on the calendar' },
    { pointer: '/country_names/4/sources/0/source', line: 24, message: 'unknown source "no-such-source"' }
  ])
})

t.test('organisations: country, parent, own parent, parent cycle, portfolio, other names', async (t) => {
  const dir = t.testdir({
    'organisations.yaml': yaml(`
      organisations:
        - id: org-everything-wrong
          name: Everything wrong
          classification: armed-forces
          portfolio: defence
          country: XX
          parent: no-such-org
          sources:
            - source: iso-3166-1
        - id: org-own-parent
          name: Own parent
          classification: government-agency
          parent: org-own-parent
          sources:
            - source: iso-3166-1
        - id: org-cycle-a
          name: Cycle A
          classification: government-agency
          parent: org-cycle-b
          sources:
            - source: iso-3166-1
        - id: org-cycle-b
          name: Cycle B
          classification: government-agency
          parent: org-cycle-a
          sources:
            - source: iso-3166-1
        - id: org-below-cycle
          name: Below the cycle
          classification: government-agency
          parent: org-cycle-a
          sources:
            - source: iso-3166-1
        - id: org-below-seesac
          name: Below SEESAC
          classification: regional-initiative
          parent: seesac
          sources:
            - source: iso-3166-1
        - id: org-with-names
          name: With names
          classification: ministry
          portfolio: defence
          country: BA
          other_names:
            - name: Old name
              start_date: '2010'
              end_date: '2009'
            - name: Old name
            - name: Odd name
              start_date: '2015-04-31'
            - name: Cited name
              sources:
                - source: no-such-source
            - name: Plain name
          sources:
            - source: iso-3166-1
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'organisations.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { pointer: '/organisations/0/country', line: 6, message: 'unknown ISO 3166-1 alpha-2 country code "XX"' },
    { pointer: '/organisations/0/parent', line: 7, message: 'unknown parent organisation "no-such-org"' },
    { pointer: '/organisations/0/portfolio', line: 5, message: 'only ministries have a portfolio (classification is "armed-forces")' },
    { pointer: '/organisations/1/parent', line: 13, message: 'an organisation cannot be its own parent' },
    { pointer: '/organisations/2/parent', line: 19, message: '"parent" links form a cycle: org-cycle-a -> org-cycle-b -> org-cycle-a' },
    { pointer: '/organisations/3/parent', line: 25, message: '"parent" links form a cycle: org-cycle-b -> org-cycle-a -> org-cycle-b' },
    { pointer: '/organisations/6/other_names/0/end_date', line: 48, message: 'ends (2009) before it starts (2010)' },
    { pointer: '/organisations/6/other_names/1/name', line: 49, message: 'duplicate other name "Old name"' },
    { pointer: '/organisations/6/other_names/2/start_date', line: 51, message: '"2015-04-31" is not a date on the calendar' },
    { pointer: '/organisations/6/other_names/3/sources/0/source', line: 54, message: 'unknown source "no-such-source"' }
  ])
})

t.test('people and positions: duplicate id across files, other names, unknown references, impossible as_of', async (t) => {
  const dir = t.testdir({
    'a.yaml': yaml(`
      people:
        - id: twice-named
          name: First
          sort_name: First
          other_names:
            - name: Alias
            - name: Alias
          sources:
            - source: iso-3166-1
    `),
    'b.yaml': yaml(`
      people:
        - id: twice-named
          name: Second
          sort_name: Second
          sources:
            - source: no-such-source
      positions:
        - id: position-of-nobody
          person: no-such-person
          organisation: no-such-org
          as_of: '2015-02-29'
          sources:
            - source: iso-3166-1
        - id: position-of-mesetovic
          person: mersida-mesetovic
          organisation: ba-armed-forces
          as_of: '2016'
          sources:
            - source: iso-3166-1
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'a.yaml'), join(dir, 'b.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { file: 'a.yaml', pointer: '/people/0/other_names/1/name', line: 7, message: 'duplicate other name "Alias"' },
    { file: 'b.yaml', pointer: '/people/0/id', line: 2, message: 'duplicate person id "twice-named" (first defined in a.yaml:2)' },
    { file: 'b.yaml', pointer: '/people/0/sources/0/source', line: 6, message: 'unknown source "no-such-source"' },
    { file: 'b.yaml', pointer: '/positions/0/person', line: 9, message: 'unknown person "no-such-person"' },
    { file: 'b.yaml', pointer: '/positions/0/organisation', line: 10, message: 'unknown organisation "no-such-org"' },
    { file: 'b.yaml', pointer: '/positions/0/as_of', line: 11, message: '"2015-02-29" is not a date on the calendar' }
  ])
})

t.test('events and sessions: country, continuation (unknown, itself, cycle), reversed dates, unknown event', async (t) => {
  const dir = t.testdir({
    'events.yaml': yaml(`
      events:
        - id: event-everything-wrong
          name: Everything wrong
          classification: meeting
          start_date: '2016-05-12'
          end_date: '2016-05-01'
          country: XX
          continuation_of: no-such-event
          sources:
            - source: iso-3166-1
        - id: event-continues-itself
          name: Continues itself
          classification: meeting
          start_date: '2016'
          continuation_of: event-continues-itself
          sources:
            - source: iso-3166-1
        - id: event-cycle-a
          name: Cycle A
          classification: meeting
          start_date: '2016'
          continuation_of: event-cycle-b
          sources:
            - source: iso-3166-1
        - id: event-cycle-b
          name: Cycle B
          classification: meeting
          start_date: '2017'
          continuation_of: event-cycle-c
          sources:
            - source: iso-3166-1
        - id: event-cycle-c
          name: Cycle C
          classification: meeting
          start_date: '2018'
          continuation_of: event-cycle-a
          sources:
            - source: iso-3166-1
        - id: event-after-sarajevo
          name: After Sarajevo
          classification: meeting
          start_date: '2016'
          continuation_of: sarajevo-roundtable-2015
          sources:
            - source: iso-3166-1
      sessions:
        - id: session-of-nothing
          event: no-such-event
          name: Nowhere panel
          classification: panel
          sources:
            - source: no-such-source
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'events.yaml')], cwd: dir })
  const cycle = (ids: string) => `"continuation_of" links form a cycle: ${ids} -> ${ids.split(' -> ')[0]}`
  expectProblems(t, problems, [
    { pointer: '/events/0/end_date', line: 6, message: 'ends (2016-05-01) before it starts (2016-05-12)' },
    { pointer: '/events/0/country', line: 7, message: 'unknown ISO 3166-1 alpha-2 country code "XX"' },
    { pointer: '/events/0/continuation_of', line: 8, message: 'unknown event "no-such-event"' },
    { pointer: '/events/1/continuation_of', line: 15, message: 'an event cannot continue itself' },
    { pointer: '/events/2/continuation_of', line: 22, message: cycle('event-cycle-a -> event-cycle-b -> event-cycle-c') },
    { pointer: '/events/3/continuation_of', line: 29, message: cycle('event-cycle-b -> event-cycle-c -> event-cycle-a') },
    { pointer: '/events/4/continuation_of', line: 36, message: cycle('event-cycle-c -> event-cycle-a -> event-cycle-b') },
    { pointer: '/sessions/0/event', line: 48, message: 'unknown event "no-such-event"' },
    { pointer: '/sessions/0/sources/0/source', line: 52, message: 'unknown source "no-such-source"' }
  ])
})

t.test('participations: unknown references, a session of another event, none or two participants', async (t) => {
  const dir = t.testdir({
    'participations.yaml': yaml(`
      events:
        - id: other-event-2016
          name: Other event
          classification: workshop
          start_date: '2016'
          sources:
            - source: iso-3166-1
      sessions:
        - id: other-event-2016-panel
          event: other-event-2016
          name: Panel
          classification: panel
          sources:
            - source: iso-3166-1
      participations:
        - id: p-unknown-event
          event: no-such-event
          person: mersida-mesetovic
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-unknown-session
          event: sarajevo-roundtable-2015
          session: no-such-session
          person: mersida-mesetovic
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-session-of-another-event
          event: other-event-2016
          session: sarajevo-2015-regional-cooperation-panel
          person: mersida-mesetovic
          role: panellist
          sources:
            - source: iso-3166-1
        - id: p-nobody
          event: other-event-2016
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-two-participants
          event: other-event-2016
          person: mersida-mesetovic
          organisation: ba-armed-forces
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-unknown-person
          event: other-event-2016
          person: no-such-person
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-unknown-organisation
          event: other-event-2016
          organisation: no-such-org
          on_behalf_of: no-such-principal
          role: participant
          sources:
            - source: iso-3166-1
        - id: p-unknown-delegation
          event: other-event-2016
          delegation: XX
          country: XY
          role: participant
          sources:
            - source: no-such-source
        - id: p-all-good
          event: other-event-2016
          session: other-event-2016-panel
          sector: academia
          country: BA
          role: participant
          sources:
            - source: iso-3166-1
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'participations.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { pointer: '/participations/0/event', line: 17, message: 'unknown event "no-such-event"' },
    { pointer: '/participations/1/session', line: 24, message: 'unknown session "no-such-session"' },
    {
      pointer: '/participations/2/session',
      line: 31,
      message: 'session "sarajevo-2015-regional-cooperation-panel" belongs to event "sarajevo-roundtable-2015", not "other-event-2016"'
    },
    { pointer: '/participations/3', line: 36, message: 'name exactly one participant (person, organisation, delegation or sector); found none' },
    {
      pointer: '/participations/4',
      line: 41,
      message: 'name exactly one participant (person, organisation, delegation or sector); found person, organisation'
    },
    { pointer: '/participations/5/person', line: 50, message: 'unknown person "no-such-person"' },
    { pointer: '/participations/6/organisation', line: 56, message: 'unknown organisation "no-such-org"' },
    { pointer: '/participations/6/on_behalf_of', line: 57, message: 'unknown organisation "no-such-principal"' },
    { pointer: '/participations/7/delegation', line: 63, message: 'unknown ISO 3166-1 alpha-2 country code "XX"' },
    { pointer: '/participations/7/country', line: 64, message: 'unknown ISO 3166-1 alpha-2 country code "XY"' },
    { pointer: '/participations/7/sources/0/source', line: 67, message: 'unknown source "no-such-source"' }
  ])
})

t.test('participations and positions: every repeat of an id is reported, ids that only share a hash are not', async (t) => {
  // Their ids are checked by hash first, and in full only where a hash is shared (check-seed-records.ts).
  const [colliding, alike] = ['p-38mb7', 'p-6uiw8']
  t.equal(idHash(colliding), idHash(alike), 'the two ids share the 48 bits of their hash')
  const participation = (id: string) => `
        - id: ${id}
          event: sarajevo-roundtable-2015
          person: mersida-mesetovic
          role: participant
          sources:
            - source: iso-3166-1`
  const position = (id: string) => `
      positions:
        - id: ${id}
          person: mersida-mesetovic
          organisation: ba-armed-forces
          as_of: '2016'
          sources:
            - source: iso-3166-1`
  const dir = t.testdir({
    'a.yaml': yaml(`${position('pos-twice')}
      participations:${participation('p-twice')}${participation('p-once')}${participation('p-twice')}
    `),
    'b.yaml': yaml(`${position('pos-twice')}
      participations:${participation('p-twice')}${participation(colliding)}${participation(alike)}
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'a.yaml'), join(dir, 'b.yaml')], cwd: dir })
  expectProblems(t, problems, [
    { file: 'b.yaml', pointer: '/positions/0/id', line: 2, message: 'duplicate position id "pos-twice" (first defined in a.yaml:2)' },
    { file: 'a.yaml', pointer: '/participations/2/id', line: 21, message: 'duplicate participation id "p-twice" (first defined in a.yaml:9)' },
    { file: 'b.yaml', pointer: '/participations/0/id', line: 9, message: 'duplicate participation id "p-twice" (first defined in a.yaml:9)' }
  ])
})

t.test('with reset, records that exist only in the database cannot be referred to', async (t) => {
  const dir = t.testdir({
    'operator.yaml': yaml(`
      participations:
        - id: operator-mesetovic
          event: sarajevo-roundtable-2015
          person: mersida-mesetovic
          role: participant
          sources:
            - source: ${ARTICLE}
              quote: ${QUOTE}
    `)
  })
  const files = [join(dir, 'operator.yaml')]
  const { problems } = rejected(t, shared, { files, cwd: dir, reset: true })
  expectProblems(t, problems, [
    { pointer: '/participations/0/event', line: 3, message: 'unknown event "sarajevo-roundtable-2015"' },
    { pointer: '/participations/0/person', line: 4, message: 'unknown person "mersida-mesetovic"' },
    { pointer: '/participations/0/sources/0/source', line: 7, message: `unknown source "${ARTICLE}"` }
  ])
  t.equal(rejected(t, shared, { files, cwd: dir, reset: true, dryRun: true }).problems.length, 3, 'the same in a dry run')
})

// ---------------------------------------------------------------------------------------------
// Reading files

t.test('every problem of every file is collected: unreadable, invalid YAML or JSON, schema violations', async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'events:\n  - id: misaligned\n   name: Misaligned\n',
    'bad.json': '{\n  "events": []\n  "people": []\n}\n',
    'single-quotes.json': "{ 'events': [] }\n",
    'commented.json': '{ "events": [] } # a comment\n',
    'plain.yaml': 'events: []\n',
    'schema.yaml': yaml(`
      people:
        - id: no-sort-name
          name: No sort name
          sources:
            - source: iso-3166-1
      "odd/key~": 1
    `),
    'list.yaml': '- not a mapping\n',
    'record.yaml': yaml(`
      events:
        - id: undated-event
          name: Undated
          classification: meeting
          start_date: '2016-02-30'
          sources:
            - source: iso-3166-1
    `)
  })
  const files = [
    'bad.yaml',
    'bad.json',
    'single-quotes.json',
    'commented.json',
    'missing.yaml',
    'plain.yaml/inner.yaml',
    'schema.yaml',
    'list.yaml',
    'record.yaml'
  ].map((f) => join(dir, f))
  const { problems } = rejected(t, shared, { files, cwd: dir })
  expectProblems(t, problems, [
    { file: 'bad.yaml', pointer: '', line: 3, message: 'invalid YAML: Sequence item without - indicator' },
    { file: 'bad.json', pointer: '', line: 3, message: 'invalid JSON: Missing , between flow map items' },
    // Valid YAML, but not JSON: located by the line of the character JSON.parse refuses.
    { file: 'single-quotes.json', pointer: '', line: 1, message: /^invalid JSON: Expected property name/ },
    { file: 'commented.json', pointer: '', line: 1, message: /^invalid JSON: Unexpected non-whitespace character/ },
    { file: 'missing.yaml', pointer: '', line: undefined, message: 'cannot read: file not found' },
    { file: join('plain.yaml', 'inner.yaml'), pointer: '', line: undefined, message: /^cannot read: ENOTDIR/ },
    // A missing property has no line of its own: it is located at its record.
    { file: 'schema.yaml', pointer: '/people/0/sort_name', line: 2, message: 'is required' },
    { file: 'schema.yaml', pointer: '/odd~1key~0', line: 6, message: 'unknown property' },
    { file: 'list.yaml', pointer: '', line: 1, message: 'must be object' },
    { file: 'record.yaml', pointer: '/events/0/start_date', line: 5, message: '"2016-02-30" is not a date on the calendar' }
  ])
})

t.test('files outside the working directory are named in full', async (t) => {
  const dir = t.testdir({
    elsewhere: {},
    'first.yaml': yaml(`
      events:
        - id: twice-2016
          name: Twice
          classification: meeting
          start_date: '2016'
          sources:
            - source: iso-3166-1
    `),
    'second.yaml': yaml(`
      # the same event again
      events:
        - id: twice-2016
          name: Twice
          classification: meeting
          start_date: '2016'
          sources:
            - source: iso-3166-1
    `)
  })
  const first = join(dir, 'first.yaml')
  const second = join(dir, 'second.yaml')
  const { problems } = rejected(t, shared, { files: [first, second], cwd: join(dir, 'elsewhere') })
  expectProblems(t, problems, [{ file: second, pointer: '/events/0/id', line: 3, message: `duplicate event id "twice-2016" (first defined in ${first}:2)` }])
})

t.test("a name the package now gives as a country's own is no longer one of its other names, unless another source cites it", async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const sqlite = db.$client
  // As a database seeded before MK was named by ISO's short name holds it, citing the package only;
  // and GM's former first name, cited by the article too.
  const otherName = (code: string, name: string, sources: string[]) => {
    const id = sqlite.prepare('INSERT INTO other_names (country_code, name) VALUES (?, ?) RETURNING id').pluck().get(code, name)
    for (const source of sources) sqlite.prepare('INSERT INTO citations (other_name_id, source_id) VALUES (?, ?)').run(id, source)
  }
  otherName('MK', 'North Macedonia', ['iso-3166-1'])
  otherName('GM', 'Gambia', ['iso-3166-1', 'seesac-2015-06-03-sarajevo-roundtable'])
  const namesOf = (code: string) => sqlite.prepare('SELECT name FROM other_names WHERE country_code = ? ORDER BY name').pluck().all(code)
  const result = seedDatabase(db)
  t.equal(result.changes.country_names.deleted, 1, 'one name deleted')
  t.notOk(namesOf('MK').includes('North Macedonia'), "MK's name is not among its other names")
  t.ok(namesOf('GM').includes('Gambia'), 'a name another source cites stays')
  t.equal(seedDatabase(db).changes.country_names.deleted, 0, 'and the next run deletes nothing')
})

t.test('a folder with no seed file is refused, alone or beside other files', async (t) => {
  const dir = t.testdir({ empty: {}, 'only-notes': { 'notes.txt': 'events: [ not a seed file' }, 'only-a-comment.yaml': '# nothing here yet\n' })
  const folder = join(dir, 'empty')
  const { problems, message } = rejected(t, shared, { files: [folder], cwd: dir })
  expectProblems(t, problems, [{ file: folder, pointer: '', line: undefined, message: 'no seed files (.yaml, .yml, .json) in this folder' }])
  t.equal(message, `1 problem in the seed files:\n${folder} /: no seed files (.yaml, .yml, .json) in this folder`)

  const beside = rejected(t, shared, { files: [join(dir, 'only-a-comment.yaml'), join(dir, 'only-notes'), folder], cwd: dir })
  expectProblems(t, beside.problems, [
    { file: join(dir, 'only-notes'), pointer: '', line: undefined, message: 'no seed files (.yaml, .yml, .json) in this folder' },
    { file: folder, pointer: '', line: undefined, message: 'no seed files (.yaml, .yml, .json) in this folder' }
  ])
})

t.test('a folder loads its .yaml, .yml and .json files in name order, skipping schemas, other files and subfolders', async (t) => {
  const dir = t.testdir({
    seeds: {
      'a-sources.yaml': yaml(`
        sources:
          - id: folder-register
            kind: dataset
            title: Folder register
            publisher: Someone
            published_on: '2016-02-29'
      `),
      'b-event.yml': yaml(`
        events:
          - id: folder-event-2016
            name: Folder event
            classification: workshop
            start_date: '2016-03'
            sources:
              - source: folder-register
      `),
      'c-session.json': json({
        sessions: [
          { id: 'folder-event-2016-panel', event: 'folder-event-2016', name: 'Panel', classification: 'panel', sources: [{ source: 'folder-register' }] }
        ]
      }),
      'seed-file.schema.json': '{ this is not a seed file',
      'notes.txt': 'events: [ not a seed file either',
      nested: { 'd.yaml': 'events: [ not loaded' }
    }
  })
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const result = seedDatabase(db, { files: [join(dir, 'seeds')], cwd: dir })
  t.same(result.files, [join('seeds', 'a-sources.yaml'), join('seeds', 'b-event.yml'), join('seeds', 'c-session.json')])
  t.same(result.changes.sources, { created: 2, updated: 0, unchanged: 0, deleted: 0 }, 'the ISO dataset and the register')
  t.same(result.changes.events, { created: 1, updated: 0, unchanged: 0, deleted: 0 })
  t.same(result.changes.sessions, { created: 1, updated: 0, unchanged: 0, deleted: 0 })
  t.same(row(db, 'SELECT kind, published_on, content FROM sources WHERE id = ?', 'folder-register'), {
    kind: 'dataset',
    published_on: '2016-02-29',
    content: null
  })
  t.same(row(db, 'SELECT event_id, name FROM sessions WHERE id = ?', 'folder-event-2016-panel'), { event_id: 'folder-event-2016', name: 'Panel' })
})

t.test('an empty file, or one that is null, is refused; one of comments alone or {} holds no records', async (t) => {
  const dir = t.testdir({
    'empty.yaml': '',
    'blank.yml': ' \n\t\n',
    'tilde.yaml': '~\n',
    'null.json': 'null',
    'only-a-comment.yml': '# nothing here yet\n',
    'marked-comment.yaml': '---\n# nothing here yet\n',
    'no-records.json': '{}'
  })
  const { problems } = rejected(t, shared, { files: ['empty.yaml', 'blank.yml', 'tilde.yaml', 'null.json'].map((f) => join(dir, f)), cwd: dir })
  expectProblems(t, problems, [
    { file: 'empty.yaml', pointer: '', line: 1, message: 'the file is empty: a seed file maps collections (sources, people, events...) to their records' },
    { file: 'blank.yml', pointer: '', line: 1, message: 'the file is empty: a seed file maps collections (sources, people, events...) to their records' },
    { file: 'tilde.yaml', pointer: '', line: 1, message: 'the file holds null: a seed file maps collections (sources, people, events...) to their records (a file meant to hold none is {} or a comment)' },
    { file: 'null.json', pointer: '', line: 1, message: 'the file holds null: a seed file maps collections (sources, people, events...) to their records (a file meant to hold none is {} or a comment)' }
  ])

  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const result = seedDatabase(db, { files: [join(dir, 'only-a-comment.yml'), join(dir, 'marked-comment.yaml'), join(dir, 'no-records.json')], cwd: dir })
  t.same(result.files, ['only-a-comment.yml', 'marked-comment.yaml', 'no-records.json'])
  t.equal(result.changes.countries.created, 249, 'the country list is always written')
  t.same(result.changes.sources, { created: 1, updated: 0, unchanged: 0, deleted: 0 }, 'the ISO dataset')
  t.equal(result.changes.country_names.created, PACKAGE_NAMES)
  t.equal(result.changes.events.created, 0)
  t.equal(result.total, 249 + 1 + PACKAGE_NAMES)
})

// ---------------------------------------------------------------------------------------------
// Accepted against the database

t.test('files may refer to records that exist only in the database; quotes are checked against its texts', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const dir = t.testdir({
    'operator.yaml': yaml(`
      sources:
        - id: operator-register
          kind: dataset
          title: Operator register
          publisher: Operator
          published_on: '2016-02-29'
      positions:
        - id: mersida-mesetovic-ba-armed-forces-2016
          person: mersida-mesetovic
          organisation: ba-armed-forces
          title: Colonel
          as_of: '2016'
          sources:
            - source: operator-register
      participations:
        - id: sarajevo-2015-mersida-mesetovic-panellist
          event: sarajevo-roundtable-2015
          session: sarajevo-2015-regional-cooperation-panel
          person: mersida-mesetovic
          role: panellist
          on_behalf_of: ba-armed-forces
          country: BA
          sources:
            - source: ${ARTICLE}
              quote: ${QUOTE}
            - source: operator-register
              note: Listed as a panellist in the register.
    `)
  })
  t.ok(ARTICLE_TEXT.includes(QUOTE))
  const files = [join(dir, 'operator.yaml')]
  const ukBefore = rows(db, "SELECT n.note, c.source_id, c.quote FROM other_names n JOIN citations c ON c.other_name_id = n.id WHERE n.country_code = 'GB' AND n.name = 'UK' ORDER BY c.id")
  const result = seedDatabase(db, { files, cwd: dir })
  t.same(result.files, ['operator.yaml'])
  t.equal(result.total, 3, 'only the three new records are written')
  t.equal(result.changes.country_names.updated, 0, 'names the bundled files described keep their notes and citations')
  t.same(
    rows(db, "SELECT n.note, c.source_id, c.quote FROM other_names n JOIN citations c ON c.other_name_id = n.id WHERE n.country_code = 'GB' AND n.name = 'UK' ORDER BY c.id"),
    ukBefore
  )
  t.equal(ukBefore.length, 2, 'UK cites the ISO dataset and the article')
  t.same(result.changes.sources, { created: 1, updated: 0, unchanged: 1, deleted: 0 }, 'the register is new, the ISO dataset unchanged')
  t.same(result.changes.positions, { created: 1, updated: 0, unchanged: 0, deleted: 0 })
  t.same(result.changes.participations, { created: 1, updated: 0, unchanged: 0, deleted: 0 })
  t.same(result.changes.events, { created: 0, updated: 0, unchanged: 0, deleted: 0 }, 'records not in the files are not touched')
  t.equal(count(db, 'participations'), 42)

  t.same(row(db, 'SELECT * FROM participations WHERE id = ?', 'sarajevo-2015-mersida-mesetovic-panellist'), {
    id: 'sarajevo-2015-mersida-mesetovic-panellist',
    event_id: 'sarajevo-roundtable-2015',
    session_id: 'sarajevo-2015-regional-cooperation-panel',
    participant_type: 'person',
    person_id: 'mersida-mesetovic',
    organisation_id: null,
    delegation_country_code: null,
    sector: null,
    role: 'panellist',
    role_as_worded: null,
    on_behalf_of_id: 'ba-armed-forces',
    country_code: 'BA',
    note: null,
    version: 1
  })
  t.same(rows(db, 'SELECT source_id, quote, note FROM citations WHERE participation_id = ? ORDER BY id', 'sarajevo-2015-mersida-mesetovic-panellist'), [
    { source_id: ARTICLE, quote: QUOTE, note: null },
    { source_id: 'operator-register', quote: null, note: 'Listed as a panellist in the register.' }
  ])
  t.same(row(db, 'SELECT person_id, organisation_id, title, as_of FROM positions WHERE id = ?', 'mersida-mesetovic-ba-armed-forces-2016'), {
    person_id: 'mersida-mesetovic',
    organisation_id: 'ba-armed-forces',
    title: 'Colonel',
    as_of: '2016'
  })
  t.same(row(db, 'SELECT kind, content FROM sources WHERE id = ?', 'operator-register'), { kind: 'dataset', content: null })

  const again = seedDatabase(db, { files, cwd: dir })
  t.equal(again.total, 0, 'a second identical run changes nothing')
  t.same(again.changes.participations, { created: 0, updated: 0, unchanged: 1, deleted: 0 })
  t.same(again.changes.sources, { created: 0, updated: 0, unchanged: 2, deleted: 0 })
})

// ---------------------------------------------------------------------------------------------
// Writing

t.test('an existing record is updated for a changed field, for changed citations alone, for changed other names alone', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const person = bundledPerson('mersida-mesetovic')
  t.ok(person, 'the bundled person')
  const changedNote = { ...person, note: 'A changed note.' }
  const extraCitation = { ...changedNote, sources: [...person.sources, { source: ARTICLE, quote: QUOTE, note: 'The event she moderated at.' }] }
  const otherName = {
    ...extraCitation,
    other_names: [
      { name: 'Mersida Mesetovic', note: 'Without diacritics.', sources: [{ source: 'iso-3166-1' }] },
      { name: 'M. Mesetović', start_date: '2015', end_date: '2016-06' }
    ]
  }
  const dir = t.testdir({
    'field.json': json({ people: [changedNote] }),
    'citations.json': json({ people: [extraCitation] }),
    'names.json': json({ people: [otherName] })
  })
  const seed = (file: string) => seedDatabase(db, { files: [join(dir, file)], cwd: dir }).changes.people
  const citationsOfPerson = () => rows(db, 'SELECT source_id, quote, note FROM citations WHERE person_id = ? ORDER BY id', 'mersida-mesetovic')

  t.same(seed('field.json'), { created: 0, updated: 1, unchanged: 0, deleted: 0 }, 'a changed field')
  t.equal(row(db, 'SELECT note FROM people WHERE id = ?', 'mersida-mesetovic')?.note, 'A changed note.')
  t.same(citationsOfPerson(), [{ source_id: ARTICLE, quote: person.sources[0].quote, note: null }])

  t.same(seed('citations.json'), { created: 0, updated: 1, unchanged: 0, deleted: 0 }, 'changed citations alone')
  t.same(citationsOfPerson(), [
    { source_id: ARTICLE, quote: person.sources[0].quote, note: null },
    { source_id: ARTICLE, quote: QUOTE, note: 'The event she moderated at.' }
  ])

  t.same(seed('names.json'), { created: 0, updated: 1, unchanged: 0, deleted: 0 }, 'changed other names alone')
  const names = rows(db, 'SELECT id, name, start_date, end_date, note FROM other_names WHERE person_id = ? ORDER BY id', 'mersida-mesetovic')
  t.same(
    names.map(({ id: _id, ...rest }) => rest),
    [
      { name: 'Mersida Mesetovic', start_date: null, end_date: null, note: 'Without diacritics.' },
      { name: 'M. Mesetović', start_date: '2015', end_date: '2016-06', note: null }
    ]
  )
  t.same(rows(db, 'SELECT source_id, quote FROM citations WHERE other_name_id = ?', names[0]?.id), [{ source_id: 'iso-3166-1', quote: null }])
  t.same(rows(db, 'SELECT source_id FROM citations WHERE other_name_id = ?', names[1]?.id), [], 'a name may cite nothing')

  const before = digest(db)
  t.same(seed('names.json'), { created: 0, updated: 0, unchanged: 1, deleted: 0 }, 'the same again')
  t.equal(digest(db), before)

  t.same(seed('field.json'), { created: 0, updated: 1, unchanged: 0, deleted: 0 }, 'other names and citations removed')
  t.equal(count(db, "other_names WHERE person_id = 'mersida-mesetovic'"), 0)
  t.equal(citationsOfPerson().length, 1)
})

t.test('country names are upserted one by one; a name the ISO package also has is merged into its row', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const uk = { ...bundledName('GB', 'UK'), note: 'A changed note.' }
  const us = bundledName('US', 'US')
  const fyrom = { ...bundledName('MK', 'FYROM'), end_date: '2019-02-13' }
  t.ok(us && fyrom.note, 'the bundled names')
  const greatBritain = {
    country: 'GB',
    name: 'Great Britain',
    note: 'The island, often used for the whole country.',
    sources: [{ source: ARTICLE, quote: 'UK and US' }]
  }
  const bosnian = { country: 'BA', name: 'Bosna i Hercegovina', note: 'The name in the local languages.', sources: [{ source: 'iso-3166-1' }] }
  const dir = t.testdir({ 'names.json': json({ country_names: [bosnian, uk, us, fyrom, greatBritain] }) })
  const gbBefore = row(db, "SELECT id FROM other_names WHERE country_code = 'GB' AND name = 'Great Britain'")
  t.ok(gbBefore, 'the ISO package provides "Great Britain"')

  const result = seedDatabase(db, { files: [join(dir, 'names.json')], cwd: dir })
  // Iterated: every name of the package, and the file's names that the package does not have.
  t.same(result.changes.country_names, { created: 1, updated: 3, unchanged: PACKAGE_NAMES + 2 - 4, deleted: 0 })
  t.same(result.changes.countries, { created: 0, updated: 0, unchanged: 249, deleted: 0 })

  const name = (country: string, text: string) =>
    rows(db, 'SELECT id, start_date, end_date, note FROM other_names WHERE country_code = ? AND name = ?', country, text)
  const citations = (otherNameId: unknown) => rows(db, 'SELECT source_id, quote FROM citations WHERE other_name_id = ? ORDER BY id', otherNameId)

  const [ba] = name('BA', 'Bosna i Hercegovina')
  t.equal(ba?.note, 'The name in the local languages.', 'a new name is created')
  t.equal(name('GB', 'UK')[0]?.note, 'A changed note.', 'a changed note is updated')
  t.equal(name('MK', 'FYROM')[0]?.end_date, '2019-02-13', 'a changed end date is updated')
  t.equal(name('MK', 'Macedonia').length, 1, 'a name not in the file is kept')

  const gb = name('GB', 'Great Britain')
  t.equal(gb.length, 1, 'one row for the package name and the file name')
  t.equal(gb[0]?.id, gbBefore?.id, 'the same row')
  t.equal(gb[0]?.note, 'The island, often used for the whole country.')
  t.same(citations(gb[0]?.id), [
    { source_id: 'iso-3166-1', quote: null },
    { source_id: ARTICLE, quote: 'UK and US' }
  ], "the ISO dataset's citation, then the file's")

  const again = seedDatabase(db, { files: [join(dir, 'names.json')], cwd: dir })
  t.equal(again.total, 0)
})

t.test('reset deletes every record absent from the files and counts them', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const dir = t.testdir({
    'world.json': json({
      sources: [{ id: 'reset-register', kind: 'dataset', title: 'Register', publisher: 'Someone' }],
      country_names: [{ country: 'GB', name: 'Great Britain', sources: [{ source: 'reset-register' }] }],
      events: [{ id: 'reset-event-2016', name: 'The only event', classification: 'meeting', start_date: '2016', sources: [{ source: 'reset-register' }] }]
    })
  })
  const before = {
    participations: count(db, 'participations'),
    sessions: count(db, 'sessions'),
    positions: count(db, 'positions'),
    events: count(db, 'events'),
    people: count(db, 'people'),
    organisations: count(db, 'organisations'),
    country_names: count(db, 'other_names WHERE country_code IS NOT NULL'),
    sources: count(db, 'sources'),
    countries: count(db, 'countries')
  }
  t.same(before, { ...before, participations: 41, events: 2, people: 4, sources: 2, countries: 249 })

  const result = seedDatabase(db, { files: [join(dir, 'world.json')], cwd: dir, reset: true })
  t.equal(result.reset, true)
  for (const [table, deleted] of Object.entries(before)) t.equal(result.changes[table as keyof typeof before].deleted, deleted, `${table} deleted`)
  t.same(result.changes.events, { created: 1, updated: 0, unchanged: 0, deleted: 2 })
  t.same(result.changes.sources, { created: 2, updated: 0, unchanged: 0, deleted: 2 })
  t.same(result.changes.countries, { created: 249, updated: 0, unchanged: 0, deleted: 249 })
  t.equal(result.changes.country_names.created, PACKAGE_NAMES, 'Great Britain is one of the package names')

  t.same(rows(db, 'SELECT id FROM events'), [{ id: 'reset-event-2016' }])
  for (const table of ['participations', 'sessions', 'positions', 'people', 'organisations']) t.equal(count(db, table), 0, `no ${table} left`)
  t.equal(count(db, 'sources'), 2)
  t.equal(count(db, 'countries'), 249)
  const gb = rows(db, "SELECT id FROM other_names WHERE country_code = 'GB' AND name = 'Great Britain'")
  t.equal(gb.length, 1)
  t.same(rows(db, 'SELECT source_id FROM citations WHERE other_name_id = ? ORDER BY id', gb[0]?.id), [
    { source_id: 'iso-3166-1' },
    { source_id: 'reset-register' }
  ])
})

t.test('a dry run reports the changes and writes nothing, with or without reset', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const person = bundledPerson('mersida-mesetovic')
  const dir = t.testdir({
    'person.json': json({ people: [{ ...person, note: 'A changed note.' }] }),
    // With reset the files must stand alone: the database's records are about to go.
    'alone.json': json({
      sources: [{ id: 'dry-register', kind: 'dataset', title: 'Register', publisher: 'Someone' }],
      people: [{ ...person, sources: [{ source: 'dry-register' }] }]
    })
  })
  const before = digest(db)

  const dry = seedDatabase(db, { files: [join(dir, 'person.json')], cwd: dir, dryRun: true })
  t.equal(dry.dryRun, true)
  t.equal(dry.reset, false)
  t.same(dry.changes.people, { created: 0, updated: 1, unchanged: 0, deleted: 0 })
  t.ok(dry.total >= 1)
  t.equal(digest(db), before, 'nothing written')
  t.not(row(db, 'SELECT note FROM people WHERE id = ?', 'mersida-mesetovic')?.note, 'A changed note.')

  const dryReset = seedDatabase(db, { files: [join(dir, 'alone.json')], cwd: dir, dryRun: true, reset: true })
  t.equal(dryReset.dryRun, true)
  t.equal(dryReset.reset, true)
  t.same(dryReset.changes.people, { created: 1, updated: 0, unchanged: 0, deleted: 4 })
  t.same(dryReset.changes.participations, { created: 0, updated: 0, unchanged: 0, deleted: 41 })
  t.same(dryReset.changes.countries, { created: 249, updated: 0, unchanged: 0, deleted: 249 })
  t.equal(digest(db), before, 'nothing deleted')
  t.equal(count(db, 'participations'), 41)
})

t.test('a failure while writing rolls everything back and is thrown as it is', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  db.$client.exec("CREATE TRIGGER frozen BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'events are frozen'); END")
  const dir = t.testdir({
    'event.yaml': yaml(`
      sources:
        - id: frozen-register
          kind: dataset
          title: Register
          publisher: Someone
      events:
        - id: frozen-event-2016
          name: Frozen
          classification: meeting
          start_date: '2016'
          sources:
            - source: frozen-register
    `)
  })
  const before = digest(db)
  try {
    seedDatabase(db, { files: [join(dir, 'event.yaml')], cwd: dir })
    t.fail('the seed was accepted')
  } catch (error) {
    t.notOk(error instanceof SeedValidationError, 'not a validation error')
    t.match(error, { message: 'events are frozen' })
  }
  t.equal(digest(db), before, 'the source written before the event is rolled back')
  t.equal(row(db, 'SELECT id FROM sources WHERE id = ?', 'frozen-register'), undefined)
})

// ---------------------------------------------------------------------------------------------
// The ISO dataset's id, YAML alias bombs, cycles through the database

t.test('the ISO dataset id is reserved, but may be cited (with --reset too)', async (t) => {
  const dir = t.testdir({
    'reserved.yaml': yaml(`
      sources:
        - id: iso-3166-1
          kind: dataset
          title: My own country list
          publisher: Me
    `),
    'cites-iso.yaml': yaml(`
      country_names:
        - country: BA
          name: Bosnia-Herzegovina
          sources:
            - source: iso-3166-1
              note: A spelling seen in older lists.
    `)
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'reserved.yaml')], cwd: dir })
  expectProblems(t, problems, [{ pointer: '/sources/0/id', line: 2, message: 'source id "iso-3166-1" is reserved for the ISO 3166-1 dataset the country list comes from' }])
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const result = seedDatabase(db, { files: [join(dir, 'cites-iso.yaml')], reset: true, cwd: dir })
  t.equal(result.changes.country_names.created, PACKAGE_NAMES + 1)
  t.same(
    rows(db, "SELECT c.source_id, c.note FROM other_names n JOIN citations c ON c.other_name_id = n.id WHERE n.name = 'Bosnia-Herzegovina'"),
    [{ source_id: 'iso-3166-1', note: 'A spelling seen in older lists.' }]
  )
})

t.test('a file whose aliases expand beyond reason is refused, not expanded', async (t) => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
  for (let i = 1; i <= 6; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
  const dir = t.testdir({ 'bomb.yaml': `${lines.join('\n')}\n` })
  const { problems } = rejected(t, shared, { files: [join(dir, 'bomb.yaml')], cwd: dir })
  expectProblems(t, problems, [{ pointer: '', message: /^invalid YAML: Excessive alias count/ }])
})

t.test('a parent or continuation cycle through records already in the database is refused', async (t) => {
  // In the bundled seeds, rssrp's parent is seesac: making seesac's parent rssrp closes a cycle.
  const seesac = structuredClone(bundled.organisations!.find((o) => o.id === 'seesac'))
  const sarajevo = structuredClone(bundled.events!.find((e) => e.id === 'sarajevo-roundtable-2015'))
  const belgrade = structuredClone(bundled.events!.find((e) => e.id === 'belgrade-being-a-peacekeeper-roundtable-2014'))
  const dir = t.testdir({
    'cycle.json': json({
      organisations: [{ ...seesac, parent: 'rssrp' }],
      events: [{ ...belgrade, continuation_of: sarajevo.id }]
    })
  })
  const { problems } = rejected(t, shared, { files: [join(dir, 'cycle.json')], cwd: dir })
  expectProblems(t, problems, [
    { pointer: '/organisations/0/parent', message: '"parent" links form a cycle: seesac -> rssrp -> seesac' },
    {
      pointer: '/events/0/continuation_of',
      message: '"continuation_of" links form a cycle: belgrade-being-a-peacekeeper-roundtable-2014 -> sarajevo-roundtable-2015 -> belgrade-being-a-peacekeeper-roundtable-2014'
    }
  ])
})
