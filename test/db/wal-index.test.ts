// The WAL-index header tells a connection that another one, in any process, has committed, so that
// the data version is read again only then (wal-index.ts, settings.ts).
import { closeSync, openSync, readSync, writeSync } from 'node:fs'
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { bumpDataVersion, dataVersion } from '../../src/db/settings.js'
import { forgetWalIndex, lastCommit } from '../../src/db/wal-index.js'
import { twoConnections } from '../helpers.js'

t.test('the last commit changes with a commit by any connection, and with nothing else', async (t) => {
  const { served, operator } = twoConnections(t)
  const before = Buffer.from(lastCommit(served.$client) as Buffer)
  served.$client.prepare('SELECT count(*) FROM participations').get()
  t.same(lastCommit(served.$client), before, 'a read is no commit')
  bumpDataVersion(operator.$client)
  const after = Buffer.from(lastCommit(served.$client) as Buffer)
  t.notSame(after, before, "another connection's commit")
  t.same(lastCommit(operator.$client), after, 'as that connection sees it')
  bumpDataVersion(served.$client)
  t.notSame(lastCommit(served.$client), after, 'and its own')
  forgetWalIndex(served.$client)
  t.same(lastCommit(served.$client), lastCommit(operator.$client), 'read again after letting go of the file')
  const memory = openDatabase(':memory:')
  t.teardown(() => memory.$client.close())
  t.equal(lastCommit(memory.$client), undefined, 'an in-memory database has none')
})

t.test('while the two copies of the header differ, as during a commit, the last commit cannot be told', async (t) => {
  const { served } = twoConnections(t)
  const sqlite = served.$client
  t.ok(lastCommit(sqlite))
  const shm = openSync(`${sqlite.name}-shm`, 'r+')
  t.teardown(() => closeSync(shm))
  const second = Buffer.alloc(48)
  readSync(shm, second, 0, 48, 48)
  const changed = Buffer.from(second)
  changed[8] = (changed[8] as number) ^ 1 // iChange, as a writer that has updated this copy only
  writeSync(shm, changed, 0, 48, 48)
  t.equal(lastCommit(sqlite), undefined, 'no answer')
  writeSync(shm, second, 0, 48, 48)
  t.ok(lastCommit(sqlite), 'the copies agree again')
})

t.test('the data version is read again only after a commit, whichever connection made it', async (t) => {
  const { served, operator } = twoConnections(t)
  const reader = openDatabase(served.$client.name)
  t.teardown(() => reader.$client.close())
  const sqlite = reader.$client
  let reads = 0
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source)
    if (!source.includes("'data_version'")) return statement
    const get = statement.get.bind(statement)
    return Object.assign(statement, { get: (...params: unknown[]) => (reads++, get(...params)) })
  }) as typeof sqlite.prepare
  const version = dataVersion(sqlite)
  t.equal(reads, 1)
  sqlite.prepare('SELECT count(*) FROM people').get()
  t.equal(dataVersion(sqlite), version)
  t.equal(reads, 1, 'no commit since: not read again')
  bumpDataVersion(operator.$client)
  t.equal(dataVersion(sqlite), version + 1, "another connection's write is seen at once")
  t.equal(reads, 2)
  t.equal(dataVersion(sqlite), version + 1)
  t.equal(reads, 2)
  sqlite.transaction(() => {
    t.equal(dataVersion(sqlite), version + 1)
    t.equal(dataVersion(sqlite), version + 1)
  })()
  t.equal(reads, 4, "inside a transaction, the transaction's own version is read every time")
})
