// .json seed files are parsed with JSON.parse (lines are found only when a problem is reported),
// and are checked exactly as the YAML parser checked them: a repeated key is still refused.
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { parseJsonWithUniqueKeys } from '../../src/seed/read-seed-files.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { problemsOf } from '../helpers.js'

const person = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: 'A "quoted: name"\\', sort_name: 'Name, A', sources: [{ source: 'iso-3166-1' }], ...extra })

t.test('a .json file loads through JSON.parse; problems in it are located by line, in it and across files', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const dir = t.testdir({
    'a.json': JSON.stringify({ people: [person('p-one'), person('p-two', { colour: 'blue' })] }, null, 2),
    'b.json': JSON.stringify({ people: [person('p-one')] }, null, 2),
    'good.json': JSON.stringify({ people: [person('p-good', { note: 'a: "b" \\" {c}' })] }),
    'empty-object.json': '{}'
  })
  const problems = problemsOf(() => seedDatabase(db, { files: ['a.json', 'b.json'].map((f) => join(dir, f)), cwd: dir }))
  t.match(problems, [{ file: 'a.json', pointer: '/people/1/colour', line: 22, message: 'unknown property' }])
  const crossFile = problemsOf(() => seedDatabase(db, { files: ['good.json', 'b.json', 'b.json'].map((f) => join(dir, f)), cwd: dir }))
  t.match(crossFile, [{ file: 'b.json', pointer: '/people/0/id', line: 4, message: /^duplicate person id "p-one" \(first defined in b\.json:3\)$/ }])
  const result = seedDatabase(db, { files: ['good.json', 'empty-object.json'].map((f) => join(dir, f)), cwd: dir })
  t.equal(result.changes.people.created, 1)
  t.equal(db.$client.prepare('SELECT note FROM people WHERE id = ?').pluck().get('p-good'), 'a: "b" \\" {c}')
  t.equal(db.$client.prepare('SELECT name FROM people WHERE id = ?').pluck().get('p-good'), 'A "quoted: name"\\')
})

t.test('a .json file that repeats a key is refused as the YAML parser refused it', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const dir = t.testdir({ 'twice.json': '{\n  "people": [],\n  "people": []\n}\n' })
  t.match(problemsOf(() => seedDatabase(db, { files: [join(dir, 'twice.json')], cwd: dir })), [
    { file: 'twice.json', pointer: '', line: 3, message: /^invalid JSON: Map keys must be unique/ }
  ])
  t.equal(parseJsonWithUniqueKeys('{"a": {"b": 1, "b": 2}}'), undefined)
  t.same(parseJsonWithUniqueKeys('{"a": [{"b": ":"}, {"b": 2}]}'), { a: [{ b: ':' }, { b: 2 }] })
  t.equal(parseJsonWithUniqueKeys('{"a": '), undefined)
})
