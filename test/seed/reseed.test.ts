// Seeding again over a seeded database: files that change a record the database's other records
// depend on (a session's event, a source's text) are refused unless they change those records too,
// with nothing written; `check` then finds the database as sound as before.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse, stringify } from 'yaml'
import { checkDatabase } from '../../src/cli/check-command.js'
import type { DirectoryDatabase } from '../../src/db/connection.js'
import { patchRecord } from '../../src/editing/records.js'
import { bundledSeedsFolder } from '../../src/paths.js'
import { readSeedRecord, type SeedRecord } from '../../src/seed/read-seed-record.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { digest, problemsOf, refusedSeed, seededDatabase } from '../helpers.js'

const ARTICLE = 'seesac-2015-06-03-sarajevo-roundtable'
const PANEL = 'sarajevo-2015-regional-cooperation-panel'
const SARAJEVO = 'sarajevo-roundtable-2015'
const BELGRADE = 'belgrade-being-a-peacekeeper-roundtable-2014'
/** The participations at the panel, in id order. */
const PANELLISTS = [
  'sarajevo-2015-amela-cosovic-medic-panellist',
  'sarajevo-2015-mark-pedersen-panellist',
  'sarajevo-2015-mersida-mesetovic-moderator',
  'sarajevo-2015-seesac-presenter'
]

const bundled = parse(readFileSync(join(bundledSeedsFolder, 'sarajevo-roundtable-2015.yaml'), 'utf8')) as Record<string, any[]>
const bundledNames = parse(readFileSync(join(bundledSeedsFolder, 'country-names.yaml'), 'utf8')).country_names as any[]
/** A bundled record, to change in a file of the test's own. */
const record = (collection: string, id: string) => structuredClone(bundled[collection]!.find((r) => r.id === id))
const isoCited = { sources: [{ source: 'iso-3166-1' }] }


const count = (db: DirectoryDatabase, sql: string, ...params: unknown[]) => db.$client.prepare(sql).pluck().get(...params) as number

t.test('a session moved to another event is refused while participations at it would stay at the old one', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const movedPanel = { ...record('sessions', PANEL), event: BELGRADE }
  const panellistsAt = (event: string, ids: string[]) => ids.map((id) => ({ ...record('participations', id), event }))
  const dir = t.testdir({
    // The session twice: its repeated id is reported, and its move once.
    'moved.yaml': stringify({ sessions: [movedPanel, { ...movedPanel }] }),
    'three-follow.yaml': stringify({ sessions: [movedPanel], participations: panellistsAt(BELGRADE, PANELLISTS.slice(0, 3)) }),
    'all-follow.yaml': stringify({ sessions: [movedPanel], participations: panellistsAt(BELGRADE, PANELLISTS) }),
    'one-stays-behind.yaml': stringify({ sessions: [movedPanel], participations: panellistsAt(SARAJEVO, PANELLISTS) })
  })
  const seed = (file: string) => ({ files: [join(dir, file)], cwd: dir })

  t.match(refusedSeed(t, db, seed('moved.yaml')), [
    { pointer: '/sessions/1/id', message: /^duplicate session id/ },
    {
      file: 'moved.yaml',
      pointer: '/sessions/0/event',
      line: 3,
      message: `session "${PANEL}" moves from event "${SARAJEVO}" to "${BELGRADE}", but 4 participations at it would stay at "${SARAJEVO}": "${PANELLISTS[0]}", "${PANELLISTS[1]}", "${PANELLISTS[2]}" and 1 more; redefine them alongside it with event "${BELGRADE}" (or at another session), or leave the session at "${SARAJEVO}"`
    }
  ])
  t.equal(refusedSeed(t, db, seed('moved.yaml')).length, 2, 'and nothing else')

  const oneLeft = refusedSeed(t, db, seed('three-follow.yaml'))
  t.match(oneLeft, [{ pointer: '/sessions/0/event', message: new RegExp(`, but 1 participation at it would stay at "${SARAJEVO}": "${PANELLISTS[3]}"; redefine them`) }])
  t.equal(oneLeft.length, 1)

  // Participations the files redefine at the old event are refused by their own check, not twice.
  const redefinedBehind = refusedSeed(t, db, seed('one-stays-behind.yaml'))
  t.same(
    redefinedBehind.map((p) => p.pointer),
    PANELLISTS.map((_, index) => `/participations/${index}/session`)
  )
  t.match(redefinedBehind[0], { message: `session "${PANEL}" belongs to event "${BELGRADE}", not "${SARAJEVO}"` })

  // The API's writes come through the same check: a session cannot be patched away from its participations.
  const before = digest(db)
  const panel = (readSeedRecord(db.$client, 'sessions', PANEL) as { record: SeedRecord }).record
  t.match(problemsOf(() => patchRecord(db, 'sessions', panel, { event: BELGRADE }, 'tester')), [
    { file: 'request body', pointer: '/event', message: /^session ".*" moves from event ".*" to ".*", but 4 participations at it would stay/ }
  ])
  t.equal(digest(db), before, 'nothing was written')

  const moved = seedDatabase(db, seed('all-follow.yaml'))
  t.same([moved.changes.sessions.updated, moved.changes.participations.updated], [1, 4])
  t.same(db.$client.prepare('SELECT DISTINCT event_id FROM participations WHERE session_id = ?').pluck().all(PANEL), [BELGRADE])
  t.same(checkDatabase(db.$client).problems, [], 'check finds nothing wrong')
})

t.test('a source text that no longer holds quotes the database cites is refused, unless their records change too', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const article = { ...record('sources', ARTICLE), text_file: 'texts/new.txt' }
  // Every kind of record that cites the article, redefined without it: their citations are not the database's.
  const redefined = {
    sources: [article],
    country_names: [{ ...structuredClone(bundledNames.find((n) => n.country === 'MK' && n.name === 'FYROM')), ...isoCited }],
    organisations: [{ ...record('organisations', 'seesac'), ...isoCited }],
    people: [{ ...record('people', 'mersida-mesetovic'), ...isoCited }],
    positions: [
      { ...record('positions', 'mersida-mesetovic-ba-armed-forces-2015'), ...isoCited },
      { id: 'mersida-mesetovic-osce-2016', person: 'mersida-mesetovic', organisation: 'osce', as_of: '2016', ...isoCited }
    ],
    events: [{ ...record('events', BELGRADE), ...isoCited }],
    sessions: [{ ...record('sessions', PANEL), ...isoCited }],
    participations: [
      { ...record('participations', PANELLISTS[0] as string), ...isoCited },
      { id: 'belgrade-2014-mersida-mesetovic-participant', event: BELGRADE, person: 'mersida-mesetovic', role: 'participant', ...isoCited }
    ]
  }
  const dir = t.testdir({
    texts: { 'new.txt': 'Another text altogether.\n' },
    'new-text.yaml': stringify(redefined)
  })
  const problems = refusedSeed(t, db, { files: [join(dir, 'new-text.yaml')], cwd: dir })
  // The database's citations of the article, but for those of the records the file redefines.
  const kept = count(
    db,
    `SELECT count(*) FROM citations ci LEFT JOIN other_names n ON n.id = ci.other_name_id
     WHERE ci.source_id = ? AND ci.session_id IS NOT ? AND ci.event_id IS NOT ? AND ci.position_id IS NOT ? AND ci.participation_id IS NOT ?
       AND ci.person_id IS NOT ? AND coalesce(ci.organisation_id, n.organisation_id) IS NOT ? AND (n.country_code IS NOT 'MK' OR n.name IS NOT 'FYROM')`,
    ARTICLE,
    PANEL,
    BELGRADE,
    'mersida-mesetovic-ba-armed-forces-2015',
    PANELLISTS[0],
    'mersida-mesetovic',
    'seesac'
  )
  t.ok(kept > 80 && kept < count(db, 'SELECT count(*) FROM citations WHERE source_id = ?', ARTICLE), `${kept} citations are not redefined`)
  t.same(problems, [
    {
      file: 'new-text.yaml',
      pointer: '/sources/0/text_file',
      line: 9,
      message:
        // The first three, in the order they were written (the countries' names first), each with the beginning of its quote.
        `the new text breaks ${kept} citations of this source in the database: other name "BiH" of country "BA" ("co-hosted by the Bosnia and Herzegovina (BiH) Ministries of…"), ` +
        'other name "UK" of country "GB" ("representatives from Austria, France, Slovenia, Switzerland…"), ' +
        `other name "the Former Yugoslav Republic of Macedonia" of country "MK" ("The Sarajevo Roundtable gathered officials from ministries…") and ${kept - 3} more; ` +
        'keep the quoted words in the text, or give those records quotes of the new text in these files'
    }
  ])
})

t.test('a dataset that becomes an article with a text: its citations must quote it; a text that keeps every quote is accepted', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const register = { id: 'ops-register', kind: 'dataset', title: 'Operations register', publisher: 'Someone' }
  const meeting = { id: 'ops-meeting-2016', name: 'Operations meeting', classification: 'meeting', start_date: '2016', sources: [{ source: 'ops-register' }] }
  const panel = { id: 'ops-meeting-2016-panel', event: 'ops-meeting-2016', name: 'Panel', classification: 'panel', sources: [{ source: 'ops-register', quote: 'Panel on operations' }] }
  const asArticle = (text: string) => ({ ...register, kind: 'article', text_file: text })
  const dir = t.testdir({
    'register.txt': 'The Panel on operations met in 2016.\n',
    'longer.txt': 'The Panel on operations met in 2016 and in 2017.\n',
    'dataset.yaml': stringify({ sources: [register], events: [meeting], sessions: [panel] }),
    'article.yaml': stringify({ sources: [asArticle('register.txt')] }),
    'article-quoted.yaml': stringify({ sources: [asArticle('register.txt')], events: [{ ...meeting, sources: [{ source: 'ops-register', quote: 'met in 2016' }] }] }),
    'longer.yaml': stringify({ sources: [asArticle('longer.txt')] })
  })
  const seed = (file: string) => ({ files: [join(dir, file)], cwd: dir })
  t.equal(seedDatabase(db, seed('dataset.yaml')).changes.events.created, 1)

  t.same(refusedSeed(t, db, seed('article.yaml')), [
    {
      file: 'article.yaml',
      pointer: '/sources/0/text_file',
      line: 6,
      message:
        'the new text breaks 1 citation of this source in the database: event "ops-meeting-2016" (no quote); keep the quoted words in the text, or give those records quotes of the new text in these files'
    }
  ])

  const quoted = seedDatabase(db, seed('article-quoted.yaml'))
  t.same([quoted.changes.sources.updated, quoted.changes.events.updated], [1, 1], 'the event quotes the new text: accepted')
  const longer = seedDatabase(db, seed('longer.yaml'))
  t.equal(longer.changes.sources.updated, 1, 'a text that still holds every quote: accepted')
  t.equal(db.$client.prepare('SELECT content FROM sources WHERE id = ?').pluck().get('ops-register'), 'The Panel on operations met in 2016 and in 2017.\n')
  t.same(checkDatabase(db.$client).problems, [])
})
