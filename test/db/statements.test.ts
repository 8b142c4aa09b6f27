// The connection's statement cache: one prepared statement per SQL text, in the mode the caller
// sets, and never more than MAX_CACHED_STATEMENTS of them.
import t from 'tap'
import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { allRows, MAX_CACHED_STATEMENTS, statement } from '../../src/db/statements.js'

t.test('a statement is prepared once and comes back in the default mode', async (t) => {
  const sqlite = new Database(':memory:')
  t.teardown(() => sqlite.close())
  const first = statement(sqlite, 'SELECT 1 AS one')
  t.same(first.pluck().all(), [1], 'a caller may pluck')
  const again = statement(sqlite, 'SELECT 1 AS one')
  t.equal(again, first, 'the same statement')
  t.same(again.all(), [{ one: 1 }], 'rows are objects again for the next caller')
  t.same(statement(sqlite, 'SELECT 2 AS two').raw().all(), [[2]], 'raw mode for one caller')
  t.same(statement(sqlite, 'SELECT 2 AS two').get(), { two: 2 }, 'objects for the next')
  statement(sqlite, 'CREATE TABLE t (x)').run()
  t.equal(statement(sqlite, 'INSERT INTO t VALUES (?)').run(1).changes, 1, 'a statement that returns no rows is reused as it is')
  t.equal(statement(sqlite, 'INSERT INTO t VALUES (?)').run(2).changes, 1)
})

t.test('the least recently used statements go beyond the limit', async (t) => {
  const sqlite = new Database(':memory:')
  t.teardown(() => sqlite.close())
  const oldest = statement(sqlite, 'SELECT 0')
  const recent = statement(sqlite, 'SELECT -1')
  for (let i = 1; i < MAX_CACHED_STATEMENTS - 1; i++) statement(sqlite, `SELECT ${i}`)
  t.equal(statement(sqlite, 'SELECT 0'), oldest, 'full, nothing dropped yet; SELECT 0 is now the most recent')
  statement(sqlite, `SELECT ${MAX_CACHED_STATEMENTS}`)
  t.not(statement(sqlite, 'SELECT -1'), recent, 'the least recently used was dropped and is prepared anew')
  t.equal(statement(sqlite, 'SELECT 0'), oldest, 'a recently used one was kept')
})

t.test('drizzle queries run on cached statements with their parameters', async (t) => {
  const sqlite = new Database(':memory:')
  t.teardown(() => sqlite.close())
  t.same(allRows(sqlite, sql`SELECT value FROM json_each(${'[1,2]'}) ORDER BY value`), [{ value: 1 }, { value: 2 }])
  t.same(allRows(sqlite, sql`SELECT 1 WHERE 0`), [], 'no row')
})
