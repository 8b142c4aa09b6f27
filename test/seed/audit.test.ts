// Seed runs are writes too: each changed record gets a new version and an entry in the audit trail
// (actor, action, the record before and after); an unchanged record gets neither.
import { join } from 'node:path'
import t from 'tap'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { seededDatabase } from '../helpers.js'

const changesOf = (db: ReturnType<typeof seededDatabase>, recordId: string) =>
  (db.$client.prepare('SELECT actor, action, resource, before, after FROM changes WHERE record_id = ? ORDER BY id').all(recordId) as Record<string, string>[]).map(
    (c) => ({ ...c, before: JSON.parse(c.before as string), after: JSON.parse(c.after as string) })
  )

t.test('a seed run that changes a record versions it and records the change; a run that changes nothing records nothing', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const created = changesOf(db, 'peter-due')
  t.equal(created.length, 1)
  t.match(created[0], { actor: 'seed', action: 'create', resource: 'people', before: null, after: { id: 'peter-due', name: 'Peter Due' } })
  const entries = () => db.$client.prepare('SELECT count(*) FROM changes').pluck().get()
  const before = entries()
  seedDatabase(db)
  t.equal(entries(), before, 'an unchanged run writes no audit entry')

  const dir = t.testdir({
    'due.yaml': `people:
  - id: peter-due
    name: Peter Due
    sort_name: Due, Peter
    note: Renamed note.
    sources: [{ source: iso-3166-1 }]
`
  })
  seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir, actor: 'operator' })
  const [, updated] = changesOf(db, 'peter-due')
  t.match(updated, { actor: 'operator', action: 'update', resource: 'people', after: { note: 'Renamed note.', sources: [{ source: 'iso-3166-1' }] } })
  t.equal(updated?.before.given_name, 'Peter', 'before holds the record as it was')
  t.notOk('given_name' in (updated?.after ?? {}), 'after holds it as it is')
  t.equal(db.$client.prepare('SELECT version FROM people WHERE id = ?').pluck().get('peter-due'), 2)
  t.equal(db.$client.prepare('SELECT version FROM people WHERE id = ?').pluck().get('mark-pedersen'), 1, 'others keep theirs')

  seedDatabase(db, { reset: true })
  const [, , deleted, recreated] = changesOf(db, 'peter-due')
  t.match(deleted, { action: 'delete', after: null })
  t.match(recreated, { action: 'create', before: null })

  seedDatabase(db, { files: [join(dir, 'due.yaml')], cwd: dir, dryRun: true })
  t.equal(changesOf(db, 'peter-due').length, 4, 'a dry run records nothing')
})
