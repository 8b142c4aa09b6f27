// `tokens create|list|revoke`, in-process through main() (test/cli/cli.test.ts runs the real process): the token is printed once and works against the
// API; only its hash is stored; a revoked token is refused; bad usage exits 2 with the usage.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { runMain } from './cli-helpers.js'

t.test('create prints a token once, stores only its hash, and the API accepts it until revoked', async (t) => {
  const dir = t.testdir()
  const db = join(dir, 'directory.sqlite')
  const created = await runMain(['tokens', 'create', '--scope', 'write', '--name', 'editor-ana', '--db', db])
  t.equal(created.status, 0, created.stderr)
  const token = /^(sdt_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1] as string
  t.ok(token, 'the token is printed')
  const sqlite = new Database(db, { readonly: true })
  const stored = sqlite.prepare('SELECT * FROM api_tokens').all() as Record<string, unknown>[]
  sqlite.close()
  t.equal(stored.length, 1)
  t.notOk(JSON.stringify(stored).includes(token.slice(4)), 'the database does not hold the token')
  t.match(stored[0], { name: 'editor-ana', scope: 'write', revoked_at: null })

  const json = await runMain(['tokens', 'create', '--scope', 'admin', '--name', 'admin-bo', '--db', db, '--json'])
  t.equal(json.status, 0)
  t.match(JSON.parse(json.stdout), { name: 'admin-bo', scope: 'admin', token: /^sdt_/, revoked_at: null })
  const taken = await runMain(['tokens', 'create', '--scope', 'write', '--name', 'editor-ana', '--db', db])
  t.equal(taken.status, 1, 'a name is unique')
  t.match(taken.stderr, /exists already/)
  t.equal(taken.stdout, '')

  const listed = await runMain(['tokens', 'list', '--db', db])
  t.equal(listed.status, 0)
  t.match(listed.stdout, /^editor-ana\twrite\tcreated \S+\nadmin-bo\tadmin\tcreated \S+\n$/)
  t.notMatch(listed.stdout, /sdt_/, 'list never shows a token')

  const open = openDatabase(db)
  const app = await buildApp({ db: open })
  t.teardown(async () => {
    await app.close()
    open.$client.close()
  })
  const request = (id: string) => ({
    method: 'POST' as const,
    url: '/v1/people',
    headers: { authorization: `Bearer ${token}` },
    payload: { id, name: 'Ana', sort_name: 'Ana', sources: [{ source: 'iso-3166-1' }] }
  })
  t.equal((await app.inject(request('ana'))).statusCode, 201, 'the printed token writes')

  const revoked = await runMain(['tokens', 'revoke', 'editor-ana', '--db', db])
  t.equal(revoked.status, 0)
  t.match(revoked.stdout, /Revoked token "editor-ana"/)
  t.equal((await app.inject(request('bo'))).statusCode, 401, 'revoked: refused')
  t.match((await runMain(['tokens', 'list', '--db', db, '--json'])).stdout, /"revoked_at": "\d{4}-/)
  const again = await runMain(['tokens', 'revoke', 'editor-ana', '--db', db])
  t.equal(again.status, 1)
  t.match(again.stderr, /no live token named "editor-ana"/)
  t.match((await runMain(['tokens', 'revoke', 'admin-bo', '--db', db, '--json'])).stdout, /"revoked": true/)
})

t.test('an empty list, and usage errors exit 2 with the usage', async (t) => {
  const dir = t.testdir()
  const db = join(dir, 'directory.sqlite')
  t.equal((await runMain(['migrate', '--db', db])).status, 0)
  t.equal((await runMain(['tokens', 'list', '--db', db])).stdout, 'No tokens.\n')
  for (const args of [
    ['tokens'],
    ['tokens', 'create', '--name', 'x'],
    ['tokens', 'create', '--scope', 'read', '--name', 'x'],
    ['tokens', 'create', '--scope', 'write'],
    ['tokens', 'create', '--scope', 'write', '--name', 'bad name!'],
    ['tokens', 'create', 'extra', '--scope', 'write', '--name', 'x'],
    ['tokens', 'list', 'extra'],
    ['tokens', 'revoke'],
    ['tokens', 'rename', 'x'],
    ['tokens', 'list', '--bogus']
  ]) {
    const result = await runMain([...args, '--db', db])
    t.equal(result.status, 2, args.join(' '))
    t.match(result.stderr, /Usage: stakeholder-directory tokens/, `${args.join(' ')}: usage on stderr`)
    t.equal(result.stdout, '')
  }
  const help = await runMain(['tokens', '--help'])
  t.equal(help.status, 0)
  t.match(help.stdout, /tokens create --scope write\|admin --name NAME/)
})

t.test('a database path that does not exist is refused, not created, except to create a token in; never :memory:', async (t) => {
  const dir = t.testdir()
  const typo = join(dir, 'typo', 'directory.sqlite')
  for (const args of [['tokens', 'list'], ['tokens', 'revoke', 'editor-ana']]) {
    const result = await runMain([...args, '--db', typo])
    t.equal(result.status, 1, args.join(' '))
    t.equal(result.stderr, `stakeholder-directory tokens: no database at ${typo} (check --db or DATABASE_PATH)\n`)
    t.equal(existsSync(join(dir, 'typo')), false, `${args.join(' ')}: no folder or file made`)
  }
  const memory = await runMain(['tokens', 'create', '--scope', 'write', '--name', 'lost', '--db', ':memory:'])
  t.equal(memory.status, 1)
  t.match(memory.stderr, /give --db a file, not :memory:/)
  t.equal(memory.stdout, '', 'no token printed that no server could accept')
  const created = await runMain(['tokens', 'create', '--scope', 'write', '--name', 'first', '--db', typo])
  t.equal(created.status, 0, created.stderr)
  t.match(created.stdout, `Created token "first" (scope write) in ${typo}.`, 'says where the token is kept')
})
