// An import keeps KEPT_CONTENT_LIMIT of seed text parsed between its passes (checking ids, checking
// records, writing), all files together; the files beyond it are parsed again for each pass. They
// must seed, and report problems, exactly as kept files do, and one that changes in between is
// refused with nothing written.
import { appendFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { KEPT_CONTENT_LIMIT } from '../../src/seed/read-seed-files.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { problemsOf } from '../helpers.js'

const person = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Person ${id}`, sort_name: id, sources: [{ source: 'iso-3166-1' }], ...extra })
// Over the limit by its notes (4,000 characters at most each), with a Đ to cover the text's decoding.
const longNote = 'Đ' + 'x'.repeat(3999)
const filler = (share: number, prefix: string) =>
  Array.from({ length: Math.ceil((share * KEPT_CONTENT_LIMIT) / longNote.length) }, (_, i) => person(`${prefix}-${i}`, { note: longNote }))
const largeContent = { people: [person('p-large', { note: longNote }), person('p-two'), ...filler(1, 'p')] }

for (const name of ['large.json', 'large.yaml']) {
  t.test(`a large ${name.slice(6)} file seeds and is checked as a small one`, async (t) => {
    const db = openDatabase(':memory:')
    t.teardown(() => db.$client.close())
    const dir = t.testdir({
      [name]: JSON.stringify(largeContent, null, 2), // JSON is YAML too: the .yaml file takes the YAML parser
      'again.json': JSON.stringify({ people: [person('p-two')] }, null, 2),
      'positions.json': JSON.stringify({
        organisations: [{ id: 'o-one', name: 'One', classification: 'ministry', sources: [{ source: 'iso-3166-1' }] }],
        positions: [{ id: 'pos-one', person: 'p-large', organisation: 'o-one', as_of: '2015', sources: [{ source: 'iso-3166-1' }] }]
      })
    })
    const files = (...names: string[]) => names.map((f) => join(dir, f))

    t.match(problemsOf(() => seedDatabase(db, { files: files(name, 'again.json'), cwd: dir })), [
      { file: 'again.json', pointer: '/people/0/id', line: 4, message: `duplicate person id "p-two" (first defined in ${name}:14)` }
    ])
    t.equal(db.$client.prepare('SELECT count(*) FROM people').pluck().get(), 0, 'nothing written')

    const result = seedDatabase(db, { files: files(name, 'positions.json'), cwd: dir })
    t.same([result.changes.people.created, result.changes.positions.created], [largeContent.people.length, 1])
    t.equal(db.$client.prepare('SELECT note FROM people WHERE id = ?').pluck().get('p-large'), longNote)
    t.same(
      db.$client.prepare("SELECT record_id FROM changes WHERE resource = 'people' ORDER BY id").pluck().all(),
      largeContent.people.map((p) => p.id),
      'each record audited once, in the order of the file'
    )
  })
}

t.test('a large file that changes between its check and its write is refused, and nothing is written', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const dir = t.testdir({ 'large.json': JSON.stringify(largeContent) })
  const path = join(dir, 'large.json')
  let edited = false
  // Progress is first told as the write begins, after every check has read the file.
  const editOnce = () => {
    if (!edited) appendFileSync(path, '\n')
    edited = true
  }
  t.throws(() => seedDatabase(db, { files: [path], cwd: dir, onProgress: editOnce }), { message: `${path} changed while it was being seeded; nothing was written` })
  t.ok(edited)
  t.equal(db.$client.prepare('SELECT count(*) FROM sources').pluck().get(), 0, 'the transaction rolled back')
})

t.test('the limit holds for all files together: the first files are kept, the next parsed again', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const dir = t.testdir({
    'a.json': JSON.stringify({ people: filler(0.6, 'a') }),
    'b.json': JSON.stringify({ people: filler(0.6, 'b') })
  })
  const [a, b] = ['a.json', 'b.json'].map((f) => join(dir, f)) as [string, string]
  const editing = (path: string) => {
    let edited = false
    return () => {
      if (!edited) appendFileSync(path, '\n')
      edited = true
    }
  }
  // a.json fits and is kept: editing it during the write changes nothing the import reads.
  const result = seedDatabase(db, { files: [a, b], cwd: dir, onProgress: editing(a) })
  t.equal(result.changes.people.created, filler(0.6, 'a').length * 2)
  // b.json no longer fits beside a.json: it is read again, and found changed.
  t.throws(() => seedDatabase(db, { files: [a, b], cwd: dir, onProgress: editing(b) }), { message: `${b} changed while it was being seeded; nothing was written` })
})

t.test('a large file removed between its check and its write is refused in one line, and nothing is written', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const dir = t.testdir({ 'large.json': JSON.stringify(largeContent) })
  const path = join(dir, 'large.json')
  const refused = t.throws(() => seedDatabase(db, { files: [path], cwd: dir, onProgress: () => rmSync(path, { force: true }) })) as Error
  t.equal(refused.message.slice(0, path.length), path)
  t.match(refused.message.slice(path.length), /^ could not be read again while it was being seeded \(ENOENT: .*\); nothing was written$/)
  t.equal(db.$client.prepare('SELECT count(*) FROM sources').pluck().get(), 0, 'the transaction rolled back')
})
