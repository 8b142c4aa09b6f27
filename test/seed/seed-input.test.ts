// What a seed file may hold beyond its schema: bytes that are UTF-8 (a byte-order mark allowed),
// JSON errors located by line, event dates the events table accepts, quotes that quote something.
import { join } from 'node:path'
import t from 'tap'
import { stringify } from 'yaml'
import { createRecord } from '../../src/editing/records.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { digest, problemsOf, refusedSeed, seededDatabase } from '../helpers.js'

const ARTICLE = 'seesac-2015-06-03-sarajevo-roundtable'
const QUOTE = 'SEESAC participated at the Regional Roundtable'
const BOM = '\uFEFF'


const event = (id: string, dates: Record<string, string>, quote = QUOTE) => ({
  id,
  name: 'Some meeting',
  classification: 'meeting',
  ...dates,
  sources: [{ source: ARTICLE, quote }]
})

const shared = seededDatabase()
t.teardown(() => shared.$client.close())

t.test('an event may not end less precisely than it starts (the events table refuses it); other names may', async (t) => {
  const dir = t.testdir({
    'events.yaml': stringify({
      events: [
        event('month-end-2016', { start_date: '2016-06-15', end_date: '2016-06' }),
        event('year-end-2016', { start_date: '2016-06', end_date: '2016' }),
        event('more-precise-end-2016', { start_date: '2016', end_date: '2016-06-15' }),
        event('same-month-2016', { start_date: '2016-06', end_date: '2016-06' }),
        event('into-next-year-2016', { start_date: '2016-06-15', end_date: '2017' })
      ]
    }),
    'names.yaml': stringify({
      organisations: [
        {
          id: 'renamed-agency',
          name: 'Renamed agency',
          classification: 'government-agency',
          other_names: [{ name: 'Old agency', start_date: '2016-06-15', end_date: '2016-06', sources: [{ source: 'iso-3166-1' }] }],
          sources: [{ source: 'iso-3166-1' }]
        }
      ]
    })
  })
  const advice = (end: string, start: string, form: string) =>
    `ends (${end}) less precisely than it starts (${start}): give end_date at least as precisely as start_date (as ${form}), or leave it out`
  t.same(refusedSeed(t, shared, { files: [join(dir, 'events.yaml')], cwd: dir }), [
    { file: 'events.yaml', pointer: '/events/0/end_date', line: 6, message: advice('2016-06', '2016-06-15', 'YYYY-MM-DD') },
    { file: 'events.yaml', pointer: '/events/1/end_date', line: 14, message: advice('2016', '2016-06', 'YYYY-MM') }
  ])

  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  t.equal(seedDatabase(db, { files: [join(dir, 'names.yaml')], cwd: dir }).changes.organisations.created, 1, "an other name's dates keep their rule")

  // The API's writes come through the same check: a located problem, not the table's CHECK failing.
  const before = digest(db)
  t.same(problemsOf(() => createRecord(db, 'events', event('api-event-2016', { start_date: '2016-06-15', end_date: '2016-06' }), 'tester')), [
    { file: 'request body', pointer: '/end_date', line: undefined, message: advice('2016-06', '2016-06-15', 'YYYY-MM-DD') }
  ])
  t.equal(digest(db), before, 'nothing was written')
})

t.test('seed files and source texts that are not UTF-8 are refused at their first invalid byte', async (t) => {
  const person = (name: string) => `people:\n  - id: some-person\n    name: ${name}\n    sort_name: Person\n    sources: [{ source: iso-3166-1 }]\n`
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p as string)))
  // Latin-1 "é" (0xE9, which UTF-8 writes in two bytes) in the name, on line 3.
  const [beforeE, afterE] = person('José').split('é') as [string, string]
  const dir = t.testdir({
    'latin1.yaml': bytes(beforeE, [0xe9], afterE),
    // A U+FFFD the file really holds (line 1) is text; the invalid byte after it is on line 2.
    'replacement.yaml': bytes('# \uFFFD is a character\n# and this is not: ', [0xc3, 0x28], '\n'),
    'truncated.json': bytes('{\n  "people": [],\n  "note": "', [0xe2, 0x82], '"\n}\n'),
    'texts.yaml': stringify({ sources: [{ id: 'latin1-article', kind: 'article', title: 'Latin-1', publisher: 'Someone', text_file: 'latin1.txt' }] }),
    'latin1.txt': bytes('First line.\nCaf', [0xe9], ' on the second.\n')
  })
  const files = ['latin1.yaml', 'replacement.yaml', 'truncated.json', 'texts.yaml'].map((f) => join(dir, f))
  const notUtf8 = (offset: number, line: number) => `not valid UTF-8: the byte at offset ${offset} (line ${line}) is not part of a UTF-8 character`
  t.same(refusedSeed(t, shared, { files, cwd: dir }), [
    { file: 'latin1.yaml', pointer: '', line: 3, message: `${notUtf8(beforeE.length, 3)}: save the file as UTF-8` },
    { file: 'replacement.yaml', pointer: '', line: 2, message: `${notUtf8(Buffer.byteLength('# \uFFFD is a character\n# and this is not: '), 2)}: save the file as UTF-8` },
    { file: 'truncated.json', pointer: '', line: 3, message: `${notUtf8(29, 3)}: save the file as UTF-8` },
    { file: 'texts.yaml', pointer: '/sources/0/text_file', line: 6, message: `"latin1.txt" is ${notUtf8(15, 2)}: save it as UTF-8` }
  ])
})

t.test('a byte-order mark is no part of a file: JSON, YAML and source texts load without it', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const person = (id: string) => ({ id, name: id, sort_name: id, sources: [{ source: 'marked-article', quote: 'marked' }] })
  const dir = t.testdir({
    'marked.json': `${BOM}${JSON.stringify({ people: [person('json-person')] }, null, 2)}\n`,
    'marked.yaml': `${BOM}${stringify({ sources: [{ id: 'marked-article', kind: 'article', title: 'Marked', publisher: 'Someone', text_file: 'marked.txt' }], people: [person('yaml-person')] })}`,
    'marked.txt': `${BOM}A text marked as UTF-8.\n`
  })
  const result = seedDatabase(db, { files: ['marked.yaml', 'marked.json'].map((f) => join(dir, f)), cwd: dir })
  t.same([result.changes.sources.created, result.changes.people.created], [1, 2])
  t.equal(db.$client.prepare('SELECT content FROM sources WHERE id = ?').pluck().get('marked-article'), 'A text marked as UTF-8.\n')
})

t.test('a JSON syntax error is located by its line, and an empty file is refused as empty', async (t) => {
  const dir = t.testdir({
    'trailing-comma.json': '{\n  "people": [],\n  "events": [],\n}\n',
    'empty.json': '',
    'blank.json': '\n\n',
    'cut-short.json': '\n\ntru',
    'commented.json': '{\n  "people": [\n    # none yet\n  ]\n}\n',
    'late-bracket.json': '{\n  "people": [\n    {"id": "b", "sort_name": "B", "t": ["y"]},\n  ]\n}\n',
    'short.json': '[\n  1,\n]\n',
    'marked-trailing-comma.json': `${BOM}{\n  "people": [\n  ],\n}\n`
  })
  const files = ['trailing-comma.json', 'empty.json', 'blank.json', 'cut-short.json', 'commented.json', 'late-bracket.json', 'short.json', 'marked-trailing-comma.json'].map((f) => join(dir, f))
  t.match(refusedSeed(t, shared, { files, cwd: dir }), [
    { file: 'trailing-comma.json', pointer: '', line: 4, message: /^invalid JSON: / },
    { file: 'empty.json', pointer: '', line: 1, message: /^the file is empty: / },
    { file: 'blank.json', pointer: '', line: 1, message: /^the file is empty: / },
    { file: 'cut-short.json', pointer: '', line: 3, message: 'invalid JSON: Unexpected end of JSON input' },
    { file: 'commented.json', pointer: '', line: 3, message: /^invalid JSON: Unexpected token '#'/ },
    { file: 'late-bracket.json', pointer: '', line: 4, message: /^invalid JSON: Unexpected token '\]'/ },
    { file: 'short.json', pointer: '', line: 3, message: /^invalid JSON: Unexpected token '\]', "\[/ },
    { file: 'marked-trailing-comma.json', pointer: '', line: 4, message: /^invalid JSON: / }
  ])
})

t.test('blank text says nothing: a blank name, note or quote is refused, in a seed file and through the API', async (t) => {
  const person = { id: 'blank-person', name: ' \t ', sort_name: 'Blank', note: '\n', sources: [{ source: ARTICLE, quote: '  ' }] }
  const dir = t.testdir({ 'blank.yaml': stringify({ people: [person] }) })
  t.same(refusedSeed(t, shared, { files: [join(dir, 'blank.yaml')], cwd: dir }), [
    { file: 'blank.yaml', pointer: '/people/0/name', line: 3, message: 'must not be blank' },
    { file: 'blank.yaml', pointer: '/people/0/note', line: 5, message: 'must not be blank' },
    { file: 'blank.yaml', pointer: '/people/0/sources/0/quote', line: 9, message: 'must not be blank' }
  ])
  const before = digest(shared)
  t.same(
    problemsOf(() => createRecord(shared, 'people', person, 'tester')).map(({ pointer, message }) => ({ pointer, message })),
    ['/name', '/note', '/sources/0/quote'].map((pointer) => ({ pointer, message: 'must not be blank' })),
    'the API refuses the same body'
  )
  t.equal(digest(shared), before, 'nothing was written')
  const named = { ...person, id: 'spaced-person', name: ' Ana  Đurić ', note: 'a note', sources: [{ source: ARTICLE, quote: QUOTE }] }
  t.doesNotThrow(() => createRecord(shared, 'people', named, 'tester'), 'text with spaces around it is text')
})
