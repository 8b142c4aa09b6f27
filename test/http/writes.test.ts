// The editorial write API: bearer tokens with scopes, the same checks as seed files, optimistic
// concurrency with If-Match (428, 412), 409 for a delete of a referenced record, and an audit trail.
import { createHash } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DirectoryDatabase } from '../../src/db/connection.js'
import { createToken, revokeToken } from '../../src/modules/tokens/tokens.repository.js'
import { getJson, seededAppWithDatabase } from '../helpers.js'
import { ARTICLE_ID, assertProblem } from './http-helpers.js'

async function editorApp(t: Parameters<typeof seededAppWithDatabase>[0]) {
  const { app, db } = await seededAppWithDatabase(t)
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const admin = { authorization: `Bearer ${createToken(db, 'admin-bo', 'admin').token}` }
  const reader = { authorization: `Bearer ${createToken(db, 'reader-cy', 'read').token}` }
  return { app, db, writer, admin, reader }
}

/** Every row of every table but the audit trail's own, to prove that a refused write wrote nothing. */
function digest(db: DirectoryDatabase): string {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT GLOB 'search_*_*' ORDER BY name").pluck().all() as string[]
  // Rows sorted as text: a WITHOUT ROWID table has no rowid to order by.
  const rows = (table: string) => (db.$client.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[]).map((row) => JSON.stringify(row)).sort()
  return createHash('sha256').update(JSON.stringify(tables.map(rows))).digest('hex')
}

const etagOf = async (app: FastifyInstance, url: string) => (await app.inject(url)).headers.etag as string

const PERSON = { id: 'ana-djuric', name: 'Ana Đurić', sort_name: 'Đurić, Ana', sources: [{ source: 'iso-3166-1' }] }

t.test('no write is open: every non-GET operation of the document needs a token, and the right scope', async (t) => {
  const { app, writer, reader } = await editorApp(t)
  const document = (await getJson(app, '/openapi.json')).body
  const writes = Object.entries(document.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>).flatMap(
    ([path, item]) => Object.entries(item).filter(([method]) => method !== 'get').map(([method, operation]) => ({ path, method, operation }))
  )
  t.equal(writes.length, 18, 'POST, PATCH and DELETE of six resources')
  for (const { path, method, operation } of writes) {
    const where = `${method.toUpperCase()} ${path}`
    t.same(operation.security, [{ bearerAuth: ['write'] }], `${where}: declares its security`)
    t.ok(operation.responses['401'] && operation.responses['403'], `${where}: documents 401 and 403`)
    const url = `/v1${path.slice(3).replace('{id}', 'whatever')}`
    const request = { method: method.toUpperCase() as 'POST', url, payload: {} }
    const anonymous = await app.inject(request)
    assertProblem(t, anonymous, { status: 401, code: 'UNAUTHORIZED' }, `${where} without a token`)
    t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="stakeholder-directory"')
    assertProblem(t, await app.inject({ ...request, headers: { authorization: 'Bearer sdt_not-a-real-token' } }), { status: 401 }, `${where} with an unknown token`)
    assertProblem(t, await app.inject({ ...request, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), { status: 401 }, `${where} with another scheme`)
    assertProblem(t, await app.inject({ ...request, headers: reader }), { status: 403, code: 'FORBIDDEN' }, `${where} with a read token`)
    t.not((await app.inject({ ...request, headers: writer })).statusCode, 401, `${where}: a write token gets past authentication`)
  }
  const adminOnly = await app.inject({ url: '/v1/changes', headers: writer })
  assertProblem(t, adminOnly, { status: 403 }, 'the audit trail needs admin')
  t.match(adminOnly.headers['www-authenticate'], /insufficient_scope/)
})

t.test('POST creates a record checked like a seed record; bad ones are 400s naming the property, and write nothing', async (t) => {
  const { app, db, writer } = await editorApp(t)
  const created = await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: PERSON })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/people/ana-djuric')
  const got = await app.inject('/v1/people/ana-djuric')
  t.same(created.json(), got.json(), 'answers the record as GET does')
  t.equal(created.headers.etag, got.headers.etag, 'with the same ETag')
  t.same((await getJson(app, '/v1/people?q=djuric')).body.data.map((p: { id: string }) => p.id), ['ana-djuric'], 'searchable at once')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: PERSON }), { status: 409, code: 'RECORD_EXISTS' }, 'the same id again')

  const before = digest(db)
  const bad: [string, string, unknown, string][] = [
    ['an unknown property', '/v1/people', { ...PERSON, id: 'p2', shoe_size: 42 }, 'shoe_size'],
    ['a missing property', '/v1/people', { id: 'p2', name: 'X', sources: [] }, 'sort_name'],
    ['a wrong type', '/v1/people', { ...PERSON, id: 'p2', name: 42 }, 'name'],
    ['too many sources', '/v1/people', { ...PERSON, id: 'p2', sources: Array.from({ length: 51 }, () => ({ source: 'iso-3166-1' })) }, 'sources'],
    ['a name too long', '/v1/people', { ...PERSON, id: 'p2', name: 'n'.repeat(2001) }, 'name'],
    ['an unknown source', '/v1/people', { ...PERSON, id: 'p2', sources: [{ source: 'nope' }] }, 'sources/0/source'],
    ['a quote not in the source', '/v1/people', { ...PERSON, id: 'p2', sources: [{ source: ARTICLE_ID, quote: 'never written' }] }, 'sources/0/quote'],
    ['an unknown country', '/v1/organisations', { id: 'o2', name: 'O', classification: 'ministry', country: 'XX', sources: [{ source: 'iso-3166-1' }] }, 'country'],
    ['an own parent', '/v1/organisations', { id: 'o2', name: 'O', classification: 'ministry', parent: 'o2', sources: [{ source: 'iso-3166-1' }] }, 'parent'],
    ['an impossible date', '/v1/events', { id: 'e2', name: 'E', classification: 'meeting', start_date: '2015-02-30', sources: [{ source: 'iso-3166-1' }] }, 'start_date'],
    ['an unknown person', '/v1/positions', { id: 'x2', person: 'nobody', organisation: 'undp', as_of: '2015', sources: [{ source: 'iso-3166-1' }] }, 'person'],
    ['an unknown event', '/v1/sessions', { id: 's2', event: 'nothing', name: 'S', classification: 'panel', sources: [{ source: 'iso-3166-1' }] }, 'event'],
    ['two participants', '/v1/participations', { id: 'x3', event: 'sarajevo-roundtable-2015', person: 'peter-due', sector: 'academia', role: 'participant', sources: [{ source: 'iso-3166-1' }] }, '']
  ]
  for (const [label, url, payload, name] of bad) {
    const body = assertProblem(t, await app.inject({ method: 'POST', url, headers: writer, payload: payload as object }), { status: 400, code: 'INVALID_BODY' }, label)
    t.ok(body.errors.some((e: { in: string; name: string }) => e.in === 'body' && e.name === name), `${label}: names "${name}"`)
  }
  // A pattern is explained as the seed command explains it, not quoted.
  const patterns = assertProblem(t, await app.inject({ method: 'POST', url: '/v1/organisations', headers: writer, payload: { id: 'o3', name: 'O', classification: 'ministry', country: 'ba', sources: [{ source: 'iso-3166-1' }] } }), { status: 400, code: 'INVALID_BODY' }, 'a lower-case country')
  t.match(patterns.errors, [{ in: 'body', name: 'country', detail: 'must be ISO 3166-1 alpha-2 code' }])
  const invalidUtf8 = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...writer, 'content-type': 'application/json' }, payload: Buffer.from('{"id":"\xff"}', 'latin1') })
  assertProblem(t, invalidUtf8, { status: 400, code: 'INVALID_ENCODING' }, 'a body that is not UTF-8')
  const huge = await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: { ...PERSON, id: 'p3', note: 'n'.repeat(300_000) } })
  t.equal(assertProblem(t, huge, { status: 413, code: 'BODY_TOO_LARGE' }, 'a body over the limit').detail, 'The request body is larger than 262144 bytes')
  const notJson = assertProblem(t, await app.inject({ method: 'POST', url: '/v1/people', headers: { ...writer, 'content-type': 'text/plain' }, payload: 'hello' }), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, 'not JSON')
  t.match(notJson.detail, 'Content-Type: application/json', 'says what to send')
  const json = { ...writer, 'content-type': 'application/json' }
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/people', headers: json, payload: '{"id": ' }), { status: 400, code: 'INVALID_JSON' }, 'JSON cut short')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/people', headers: json, payload: '' }), { status: 400, code: 'EMPTY_BODY' }, 'no body')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/people', headers: json, payload: '{"__proto__": {"x": 1}}' }), { status: 400, code: 'INVALID_JSON' }, 'prototype poisoning')
  const wrongLength = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...json, 'content-length': '5' }, payload: '{}' })
  assertProblem(t, wrongLength, { status: 400, code: 'INVALID_CONTENT_LENGTH' }, "a Content-Length that is not the body's")
  t.equal(digest(db), before, 'nothing was written by any refused request')
})

t.test('every editable resource: create, read, patch and delete through the API', async (t) => {
  const { app, writer } = await editorApp(t)
  const source = [{ source: 'iso-3166-1' }]
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['organisations', { id: 'test-institute', name: 'Test Institute', classification: 'academic-institution', country: 'BA', sources: source }, { abbreviation: 'TI' }],
    ['people', PERSON, { given_name: 'Ana' }],
    ['positions', { id: 'ana-at-undp', person: 'peter-due', organisation: 'undp', as_of: '2016', title: 'Adviser', sources: source }, { title: 'Senior Adviser' }],
    ['events', { id: 'test-workshop', name: 'Test Workshop', classification: 'workshop', start_date: '2016-05', sources: source }, { city: 'Mostar' }],
    ['sessions', { id: 'test-panel', event: 'sarajevo-roundtable-2015', name: 'Test Panel', classification: 'panel', sources: source }, { note: 'Added.' }],
    ['participations', { id: 'test-take-part', event: 'sarajevo-roundtable-2015', person: 'peter-due', role: 'participant', sources: source }, { role: 'panellist' }]
  ]
  for (const [resource, record, patch] of cases) {
    const url = `/v1/${resource}/${record.id}`
    t.equal((await app.inject({ method: 'POST', url: `/v1/${resource}`, headers: writer, payload: record })).statusCode, 201, `${resource}: created`)
    const read = await app.inject(url)
    t.equal(read.statusCode, 200, `${resource}: readable`)
    const patched = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...writer, 'if-match': read.headers.etag as string, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify(patch)
    })
    t.equal(patched.statusCode, 200, `${resource}: patched`)
    t.not(patched.headers.etag, read.headers.etag, `${resource}: a new ETag`)
    t.equal(patched.headers.etag, await etagOf(app, url), `${resource}: the ETag GET gives`)
    const removed = await app.inject({ method: 'DELETE', url, headers: { ...writer, 'if-match': patched.headers.etag as string } })
    t.equal(removed.statusCode, 204, `${resource}: deleted`)
    t.equal((await app.inject(url)).statusCode, 404, `${resource}: gone`)
  }
})

t.test('PATCH and DELETE need the current ETag: 428 without, 412 with an old one, and nothing changes', async (t) => {
  const { app, db, writer } = await editorApp(t)
  const url = '/v1/people/peter-due'
  const original = await app.inject(url)
  const etag = original.headers.etag as string
  const before = digest(db)
  assertProblem(t, await app.inject({ method: 'PATCH', url, headers: writer, payload: { note: 'x' } }), { status: 428, code: 'PRECONDITION_REQUIRED' }, 'PATCH without If-Match')
  assertProblem(t, await app.inject({ method: 'DELETE', url, headers: writer }), { status: 428 }, 'DELETE without If-Match')
  const stale = assertProblem(t, await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': '"old"' }, payload: { note: 'x' } }), { status: 412, code: 'PRECONDITION_FAILED' }, 'PATCH with an old ETag')
  t.equal(stale.current_etag, etag, 'the problem gives the current ETag')
  t.equal(stale.current_version, 1, 'and version')
  assertProblem(t, await app.inject({ method: 'PATCH', url: '/v1/people/nobody', headers: { ...writer, 'if-match': etag }, payload: { note: 'x' } }), { status: 404 }, 'an unknown record')
  t.equal(digest(db), before, 'nothing changed')

  const patched = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': `"other", ${etag}` }, payload: { note: null, given_name: 'Pete' } })
  t.equal(patched.statusCode, 200, 'one of a list of ETags may match')
  t.equal(patched.json().note, null, 'null removes a property')
  t.equal(patched.json().given_name, 'Pete')
  assertProblem(t, await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': etag }, payload: { note: 'again' } }), { status: 412 }, 'the first ETag is stale now')
  const required = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': patched.headers.etag as string }, payload: { name: null } })
  assertProblem(t, required, { status: 400, code: 'INVALID_BODY', errors: [{ in: 'body', name: 'name' }] }, 'a required property cannot be removed')
  assertProblem(t, await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': patched.headers.etag as string }, payload: { id: 'new-id' } }), { status: 400 }, 'the id cannot change')
  assertProblem(t, await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': patched.headers.etag as string }, payload: {} }), { status: 400 }, 'an empty patch')
  const version = db.$client.prepare('SELECT version FROM people WHERE id = ?').pluck().get('peter-due')
  t.equal(version, 2, 'one successful write, one new version')
})

t.test('two editors racing on one record: exactly one wins, the other gets 412', async (t) => {
  const { app, db, writer } = await editorApp(t)
  const url = '/v1/organisations/undp'
  for (let round = 0; round < 5; round++) {
    const etag = await etagOf(app, url)
    const [first, second] = await Promise.all(
      ['First', 'Second'].map((who) => app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': etag }, payload: { note: `${who} editor, round ${round}.` } }))
    )
    t.same([first?.statusCode, second?.statusCode].sort(), [200, 412], `round ${round}: one 200, one 412`)
  }
  t.equal(db.$client.prepare('SELECT version FROM organisations WHERE id = ?').pluck().get('undp'), 6, 'five writes won')
})

t.test('a referenced record cannot be deleted: 409 naming who refers to it', async (t) => {
  const { app, db, writer } = await editorApp(t)
  const url = '/v1/organisations/ba-ministry-of-defence'
  const before = digest(db)
  const refused = await app.inject({ method: 'DELETE', url, headers: { ...writer, 'if-match': await etagOf(app, url) } })
  const body = assertProblem(t, refused, { status: 409, code: 'RECORD_REFERENCED' }, 'the BiH MoD')
  t.same(body.referenced_by.find((r: { resource: string }) => r.resource === 'organisations'), { resource: 'organisations', id: 'ba-armed-forces' })
  t.ok(body.referenced_by.some((r: { resource: string }) => r.resource === 'participations'))
  t.equal(digest(db), before, 'nothing deleted')
})

t.test('the audit trail records who changed what, before and after; admins read it', async (t) => {
  const { app, writer, admin } = await editorApp(t)
  await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: PERSON })
  const url = '/v1/people/ana-djuric'
  await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': await etagOf(app, url) }, payload: { note: 'Edited.' } })
  await app.inject({ method: 'DELETE', url, headers: { ...writer, 'if-match': await etagOf(app, url) } })
  assertProblem(t, await app.inject('/v1/changes?record_id=ana-djuric'), { status: 401, code: 'UNAUTHORIZED' }, 'not public')
  const trail = await app.inject({ url: '/v1/changes?record_id=ana-djuric', headers: admin })
  t.equal(trail.statusCode, 200)
  const changes = trail.json().data
  t.same(changes.map((c: { action: string }) => c.action), ['delete', 'update', 'create'], 'newest first')
  for (const change of changes) {
    t.equal(change.actor, 'editor-ana')
    t.equal(change.resource, 'people')
    t.ok(Date.parse(change.at) > Date.now() - 60_000)
  }
  t.same(changes[2].before, null)
  t.same(changes[2].after, { ...PERSON })
  t.same(changes[1].before, { ...PERSON })
  t.same(changes[1].after, { ...PERSON, note: 'Edited.' })
  t.same(changes[0].after, null)
  const seeded = await app.inject({ url: '/v1/changes?actor=seed&resource=participations&action=create&limit=5', headers: admin })
  t.equal(seeded.json().meta.total, 41, 'the seed run is in the trail too')
  t.type(seeded.json().meta.next_cursor, 'string')
  const csv = await app.inject({ url: '/v1/changes?record_id=ana-djuric&format=csv', headers: admin })
  t.equal(csv.statusCode, 200)
  t.match(csv.body, /^id,at,actor,action,resource,record_id,before,after\r\n\d+,\d{4}-[^,]+,editor-ana,delete,people,ana-djuric,"\{/, 'the trail exports as CSV, newest first')
  const later = await app.inject({ url: `/v1/changes?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, headers: admin })
  t.equal(later.json().meta.total, 0)
})

t.test('a revoked token is refused', async (t) => {
  const { app, db } = await editorApp(t)
  const { token } = createToken(db, 'temporary', 'write')
  const request = { method: 'POST' as const, url: '/v1/people', headers: { authorization: `Bearer ${token}` }, payload: PERSON }
  t.equal((await app.inject(request)).statusCode, 201)
  t.ok(revokeToken(db, 'temporary'))
  t.notOk(revokeToken(db, 'temporary'), 'revoking twice does nothing')
  assertProblem(t, await app.inject({ ...request, payload: { ...PERSON, id: 'other' } }), { status: 401 }, 'after revocation')
})

t.test('the OpenAPI document declares the ETag (for the next If-Match) and Location the writes send', async (t) => {
  const { app, writer } = await editorApp(t)
  type Responses = Record<string, { headers?: Record<string, { $ref: string }> }>
  const document = (await getJson(app, '/openapi.json')).body as { paths: Record<string, Record<string, { responses: Responses }>>; components: { headers: Record<string, unknown> } }
  const declared = (path: string, method: string, status: string) => Object.keys(document.paths[path]?.[method]?.responses[status]?.headers ?? {})
  for (const [path, item] of Object.entries(document.paths)) {
    if (item.post !== undefined) t.ok(['ETag', 'Location'].every((name) => declared(path, 'post', '201').includes(name)), `POST ${path} 201: ETag and Location`)
    if (item.patch !== undefined) t.ok(declared(path, 'patch', '200').includes('ETag'), `PATCH ${path} 200: ETag`)
  }
  t.ok(document.components.headers.Location, 'Location is a component')
  t.ok(document.components.headers.ETag, 'so is ETag')

  const created = await app.inject({ method: 'POST', url: '/v1/people', headers: writer, payload: PERSON })
  t.match(created.headers, { etag: /^"[A-Za-z0-9+/=]+"$/, location: '/v1/people/ana-djuric' }, 'as the 201 sends them')
  const patched = await app.inject({ method: 'PATCH', url: '/v1/people/ana-djuric', headers: { ...writer, 'if-match': created.headers.etag as string }, payload: { note: 'Declared.' } })
  t.equal(patched.statusCode, 200)
  t.equal(patched.headers.etag, await etagOf(app, '/v1/people/ana-djuric'), 'and the 200 of a PATCH: the ETag a GET gives')
})
