// Counts are kept until the data version changes: a write on this connection or another (a seed run
// in another process) is seen by the next count; COUNT_CACHE_SIZE bounds them, and 0 turns them off.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { cachedCount, setCountCacheSize } from '../../src/db/count-cache.js'
import { bumpDataVersion } from '../../src/db/settings.js'
import { deleteRecord } from '../../src/editing/records.js'
import { seededDatabase, twoConnections } from '../helpers.js'

const COUNT_PARTICIPATIONS = sql`SELECT count(*) FROM participations`

t.test('a count is kept until the data version changes', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  let counted = 0
  const count = () =>
    cachedCount(db.$client, COUNT_PARTICIPATIONS, (statement, params) => {
      counted++
      return statement.pluck().get(...params) as number
    })
  const total = count()
  t.equal(count(), total, 'the same count')
  t.equal(counted, 1, 'counted once')
  // Behind the cache's back (no data version bump): the cache does not see it, which shows it is used.
  db.$client.prepare('DELETE FROM participations WHERE id IN (SELECT id FROM participations LIMIT 1)').run()
  t.equal(count(), total, 'a change the data version does not know of is not seen')
  t.equal(counted, 1, 'still counted once')
  bumpDataVersion(db.$client)
  t.equal(count(), total - 1, 'it is once the version changes')
  deleteRecord(db, 'participations', db.$client.prepare('SELECT id FROM participations LIMIT 1').pluck().get() as string, 'test')
  t.equal(count(), total - 2, 'a write of the API is seen by the next count')
  t.equal(counted, 3)
})

t.test('a write through another connection to the same file is seen too', async (t) => {
  const { served: server, operator } = twoConnections(t)
  const count = () => cachedCount(server.$client, COUNT_PARTICIPATIONS, (statement, params) => statement.pluck().get(...params) as number)
  const total = count()
  operator.$client.transaction(() => {
    operator.$client.prepare('DELETE FROM participations WHERE id IN (SELECT id FROM participations LIMIT 1)').run()
    bumpDataVersion(operator.$client)
  })()
  t.equal(count(), total - 1)
})

t.test('the cache keeps at most its size, the least recently used going first; 0 keeps none', async (t) => {
  const db = seededDatabase()
  t.teardown(() => db.$client.close())
  const calls: number[] = []
  const count = (n: number) =>
    cachedCount(db.$client, sql`SELECT ${n}`, (statement, params) => {
      calls.push(n)
      return statement.pluck().get(...params) as number
    })
  setCountCacheSize(db.$client, 2)
  count(1)
  count(2)
  count(1) // 1 is now the most recently used
  count(3) // drops 2
  count(1)
  count(2)
  t.same(calls, [1, 2, 3, 2], 'only the dropped count was made again')
  setCountCacheSize(db.$client, 0)
  count(1)
  count(1)
  t.same(calls.slice(4), [1, 1], 'no cache: counted every time')
})
