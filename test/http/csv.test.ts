// CSV exports: every list, RFC 4180 (parsed back with a CSV parser), filters applied, pagination
// not, streamed in chunks, asked for by format=csv or by the Accept header.
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import Fastify from 'fastify'
import { buildApp } from '../../src/app.js'
import { registerCaching } from '../../src/http/caching.js'
import { CSV_CHUNK, csvRecords, MAX_RESORTED_CSV_CHUNK, RECORDS_PER_COLLECTION, sendCsv, sqlCsvRecord } from '../../src/http/csv.js'
import { MAX_EXPORT_SNAPSHOTS } from '../../src/http/export-stream.js'
import { bumpDataVersion, dataVersion } from '../../src/db/settings.js'
import type { ListResult, Page } from '../../src/modules/shared/sql.js'
import { allRows } from '../../src/db/statements.js'
import { openDatabase, type DirectoryDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { getJson, noReaderHoldsASnapshot, seededApp, seededAppWithDatabase, twoConnections } from '../helpers.js'
import { assertProblem, MESETOVIC_MODERATOR } from './http-helpers.js'

const LISTS = ['/v1/participations', '/v1/people', '/v1/organisations', '/v1/events', '/v1/countries', '/v1/sources', '/v1/events/sarajevo-roundtable-2015/participations']

const parseCsv = (body: string) => parse(body, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]

t.test('every list exports every matching record as RFC 4180 CSV with format=csv', async (t) => {
  const app = await seededApp(t)
  for (const path of LISTS) {
    const response = await app.inject(`${path}?format=csv&limit=1`)
    t.equal(response.statusCode, 200, path)
    t.equal(response.headers['content-type'], 'text/csv; charset=utf-8', path)
    t.match(response.headers['content-disposition'], /^attachment; filename="[a-z0-9-]+\.csv"$/, path)
    t.match(response.body, /\r\n$/, `${path}: CRLF line endings`)
    const rows = parseCsv(response.body)
    const { body } = await getJson(app, `${path}?limit=100`)
    t.equal(rows.length, body.meta.total, `${path}: every record, whatever the limit`)
    const idColumn = path === '/v1/countries' ? 'code' : 'id'
    t.same(rows.slice(0, body.data.length).map((r) => r[idColumn]), body.data.map((d: any) => d[idColumn]), `${path}: same records, same order`)
  }
})

t.test('a participation row carries event, person, organisation, country, role, wording and quote', async (t) => {
  const app = await seededApp(t)
  const csv = parseCsv((await app.inject('/v1/participations?role=moderator&format=csv')).body)
  const { body } = await getJson(app, '/v1/participations?role=moderator')
  t.equal(csv.length, 1)
  const [row] = csv
  const [json] = body.data
  t.match(row, {
    id: json.id,
    event: json.event.name,
    participant: 'Mersida Mesetović',
    role: 'moderator',
    role_as_worded: 'moderated by',
    on_behalf_of: 'Armed Forces of Bosnia and Herzegovina',
    country_code: 'BA',
    country: 'Bosnia and Herzegovina',
    source_quotes: json.sources.map((s: any) => s.quote).join(' | ')
  })
  t.match(row?.source_quotes, /“Regional Cooperation: Building Coherence/, 'curly quotes and commas survive the round trip')
})

t.test('filters apply to the export; a bad filter is a problem, not a broken download', async (t) => {
  const app = await seededApp(t)
  const rows = parseCsv((await app.inject('/v1/participations?country=BA&format=csv')).body)
  const { body } = await getJson(app, '/v1/participations?country=BA')
  t.same(rows.map((r) => r.id), body.data.map((p: any) => p.id))
  const bad = await app.inject('/v1/participations?country=XX&format=csv')
  t.equal(bad.statusCode, 400)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  t.equal((await app.inject('/v1/people?format=xml')).statusCode, 400, 'an unknown format is rejected')
  for (const path of ['/v1/people?q=zzzzzz', '/v1/participations?q=zzzzzz', '/v1/participations?q=zzzzzz&sort=role']) {
    const empty = await app.inject(`${path}&format=csv`)
    t.equal(empty.statusCode, 200, path)
    t.equal(empty.body.split('\r\n').length, 2, `${path}: nothing matches, the header row alone`)
    t.match(empty.body, /^id,/, path)
  }
})

t.test('every list exports from a snapshot of a database file what it exports in memory', async (t) => {
  // The server reads exports from a second, read-only connection (db/snapshot.ts): every list's
  // queries, the SQL functions they call and the chunks' savepoints must work there too.
  const { served } = twoConnections(t)
  const fromFile = await buildApp({ db: served })
  t.teardown(() => fromFile.close())
  const inMemory = await seededApp(t)
  const filtered = ['/v1/participations?country=BA', '/v1/participations?ministry=defence&role=participant', '/v1/participations?q=mesetovic', '/v1/people?q=Mesetovic', '/v1/organisations?country=BA&ministry=defence']
  for (const url of [...LISTS, ...filtered]) {
    const csvUrl = `${url}${url.includes('?') ? '&' : '?'}format=csv`
    const [file, memory] = await Promise.all([fromFile.inject(csvUrl), inMemory.inject(csvUrl)])
    t.equal(file.statusCode, 200, csvUrl)
    t.ok(parseCsv(file.body).length > 0, `${csvUrl}: some records`)
    t.equal(file.body, memory.body, `${csvUrl}: the same CSV`)
  }
})

t.test('the Accept header chooses CSV or JSON; format= overrides it', async (t) => {
  const app = await seededApp(t)
  const as = async (accept: string, query = '') => (await app.inject({ url: `/v1/events${query}`, headers: { accept } })).headers['content-type']
  t.equal(await as('text/csv'), 'text/csv; charset=utf-8')
  t.match(await as('application/json'), /^application\/json/)
  t.match(await as('text/csv;q=0.5, application/json'), /^application\/json/)
  t.match(await as('*/*'), /^application\/json/, 'JSON by default')
  t.match(await as('text/csv', '?format=json'), /^application\/json/)
  t.equal((await app.inject('/v1/events')).headers.vary, 'Accept', 'caches are told the answer depends on Accept')
})

// Over RECORDS_PER_COLLECTION records, so that the export also collects the chunks it sent (collect-garbage.ts).
t.test(`a table larger than one chunk (${CSV_CHUNK} records) streams whole, in order`, async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const count = RECORDS_PER_COLLECTION + 7
  const people = Array.from({ length: count }, (_, i) => ({
    id: `person-${String(i).padStart(4, '0')}`,
    name: `Đurđa Person ${i}`,
    sort_name: `Person ${String(i).padStart(4, '0')}, Đurđa`,
    sources: [{ source: 'register' }]
  }))
  const dir = t.testdir({
    'people.json': JSON.stringify({
      sources: [{ id: 'register', kind: 'dataset', title: 'A register', publisher: 'Tests' }],
      people,
      events: [{ id: 'somewhere-2016', name: 'A meeting somewhere', classification: 'meeting', start_date: '2016', sources: [{ source: 'register' }] }],
      participations: people.map((person) => ({
        id: `somewhere-${person.id}`,
        event: 'somewhere-2016',
        person: person.id,
        role: 'participant',
        sources: [{ source: 'register', quote: `listed as "${person.name}", present` }]
      }))
    })
  })
  seedDatabase(db, { files: [join(dir, 'people.json')], cwd: dir })
  const rows = parseCsv((await app.inject('/v1/people?format=csv')).body)
  t.equal(rows.length, count)
  t.same(
    rows.map((r) => r.id),
    people.map((p) => p.id)
  )
  t.equal(rows[0]?.name, 'Đurđa Person 0')
  // Participations are rendered by the database, chunk by chunk, in the list's order.
  const participations = parseCsv((await app.inject('/v1/participations?format=csv')).body)
  const listedIds = async (query: string) => {
    const ids: string[] = []
    for (let cursor = ''; ; ) {
      const { body } = await getJson(app, `${query}${query.includes('?') ? '&' : '?'}limit=100${cursor}`)
      ids.push(...body.data.map((record: { id: string }) => record.id))
      if (body.meta.next_cursor === null) return ids
      cursor = `&cursor=${body.meta.next_cursor}`
    }
  }
  const listed = await listedIds('/v1/participations')
  t.equal(listed.length, count)
  t.same(
    participations.map((r) => r.id),
    listed,
    'every participation, in the order of the list'
  )
  // Searched or sorted, the chunks after the first are larger (1,000 then 4,000 and 3,007 here).
  for (const query of ['/v1/participations?sort=-participant', '/v1/participations?q=Person', '/v1/people?sort=-name', '/v1/people?q=Person']) {
    const exported = parseCsv((await app.inject(`${query}&format=csv`)).body).map((r) => r.id)
    t.equal(exported.length, count, `${query}: every record`)
    t.same(exported, await listedIds(query), `${query}: in the order of the list`)
  }
  t.equal(participations[count - 1]?.source_quotes, `listed as "Đurđa Person ${count - 1}", present`)
  // A filter the index holds reads the lines joined to its range, chunk by chunk too.
  const ofEvent = parseCsv((await app.inject('/v1/participations?format=csv&event=somewhere-2016&role=participant')).body)
  t.same(
    ofEvent.map((r) => r.id),
    listed,
    'every participation of the event, in the order of the list'
  )
  const [event] = parseCsv((await app.inject('/v1/events?format=csv')).body)
  t.match(event, { id: 'somewhere-2016', start_date: '2016', end_date: '', city: '', country_code: '', country: '', continuation_of_id: '' }, 'what is unknown is an empty cell')
})

t.test('an export of a participation whose stored CSV line is missing fails, rather than leave the participation out', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  // Behind the service's back, as a derived table out of step would be.
  db.$client.prepare('DELETE FROM participation_csv_lines WHERE participation_id = ?').run(MESETOVIC_MODERATOR)
  const searched = await app.inject('/v1/participations?format=csv&q=mesetovic')
  t.equal(searched.statusCode, 500, 'a search reads the lines by id')
  t.match(searched.headers['content-type'], /^application\/problem\+json/)
})

t.test('sqlCsvRecord renders a record exactly as csv-stringify does', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const values = [null, '', 'plain', 'a,b', 'say "hi"', '"', 'two\nlines', 'cr\ronly', 'crlf\r\n', 'Đurđa Šimić', ' spaced ', 'a | b', "it's", 'a=b-c']
  const formulas = ['=1+2', '=HYPERLINK("http://example.com","x")', '+387 33 000', '-2', '@SUM(A1)', '\tTAB', '\rCR', '＝1', '＋1', '－1', '＠1']
  const numbers = [-5, 2.5, 0]
  const row = [...values, ...formulas, ...numbers]
  // Numbers as SQL literals, as a column holds them: an INTEGER and a REAL.
  const asSql = (value: string | number | null) => (typeof value === 'number' ? sql.raw(String(value)) : sql`${value}`)
  const rendered = allRows<{ line: string }>(db.$client, sql`SELECT ${sqlCsvRecord(row.map(asSql))} AS line`)[0]?.line
  t.equal(`${rendered}\r\n`, csvRecords([row]), 'the same text as the records rendered by columns')
  const blob = allRows<{ line: string }>(db.$client, sql`SELECT ${sqlCsvRecord([sql.raw("X'3D612C62'"), sql.raw('7')])} AS line`)[0]?.line
  t.equal(blob, `"'=a,b",7`, 'a BLOB is its bytes as text, escaped and quoted as text is')
  t.match(rendered, /,"two\nlines","cr\ronly",/, 'a cell holding any line break is quoted')
  t.match(rendered, /,'=1\+2,"'=HYPERLINK\(""http:\/\/example.com"",""x""\)",'\+387 33 000,'-2,'@SUM\(A1\),/, 'text a spreadsheet would run begins with a quote')
  t.match(rendered, /,-5,2\.5,0$/, 'numbers are left as they are')
  const parsed = parse(`${rendered}\r\n`, { record_delimiter: '\r\n', relax_column_count: false })[0]
  t.same(parsed, [...values.map((value) => value ?? ''), ...formulas.map((formula) => `'${formula}`), ...numbers.map(String)], 'and it parses back')
})

t.test('an export never hands a spreadsheet a formula, whether the database or the columns render it', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const sources = [{ source: 'register' }]
  const dir = t.testdir({
    'formulas.json': JSON.stringify({
      sources: [{ id: 'register', kind: 'dataset', title: 'A register', publisher: 'Tests' }],
      people: [{ id: 'formula-person', name: '=HYPERLINK("http://example.com/x","click")', sort_name: 'Formula', sources }],
      participations: [{ id: 'formula-participation', event: 'sarajevo-roundtable-2015', person: 'formula-person', role: 'participant', note: '@SUM(1+1)', sources }]
    })
  })
  seedDatabase(db, { files: [join(dir, 'formulas.json')], cwd: dir })
  const people = parseCsv((await app.inject('/v1/people?format=csv&q=hyperlink')).body)
  t.same(people.map((r) => r.name), ["'=HYPERLINK(\"http://example.com/x\",\"click\")"])
  const participations = parseCsv((await app.inject('/v1/participations?format=csv&person=formula-person')).body)
  t.same(participations.map((r) => [r.participant, r.note]), [["'=HYPERLINK(\"http://example.com/x\",\"click\")", "'@SUM(1+1)"]])
  const { body } = await getJson(app, '/v1/participations/formula-participation')
  t.equal(body.note, '@SUM(1+1)', 'JSON keeps the text as written')
})

t.test('bom=true begins a CSV with a byte-order mark, for Excel; bom=false and JSON answers go without', async (t) => {
  const app = await seededApp(t)
  for (const list of ['/v1/participations?country=BA', '/v1/people?q=cosovic']) {
    const plain = await app.inject(`${list}&format=csv`)
    const marked = await app.inject(`${list}&format=csv&bom=true`)
    t.equal(marked.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', `${list}: UTF-8's byte-order mark first`)
    t.equal(marked.rawPayload.subarray(3).toString('utf8'), plain.body, `${list}: then the same CSV`)
    t.equal(plain.body.charCodeAt(0), 'i'.charCodeAt(0), `${list}: none by default`)
    t.not(marked.headers.etag, plain.headers.etag, `${list}: other bytes, another ETag`)
    t.equal((await app.inject(`${list}&format=csv&bom=false`)).body, plain.body, `${list}: bom=false`)
    t.same((await getJson(app, `${list}&bom=true`)).body, (await getJson(app, list)).body, `${list}: JSON ignores it`)
  }
  assertProblem(t, await app.inject('/v1/people?format=csv&bom=yes'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'bom' }] })
})

t.test('each participation exports what its JSON shows, whatever the filter or order', async (t) => {
  const app = await seededApp(t)
  const joined = (values: (string | null)[]) => values.filter((value) => value !== null && value !== '').join(' | ')
  const shapes = ['', '?country=BA', '?ministry=defence', '?country=BA&ministry=defence', '?role=moderator', '?sort=-participant', '?q=ministry']
  for (const query of [...shapes, '?organisation=ba-ministry-of-defence', '?participant_type=organisation']) {
    const { body } = await getJson(app, `/v1/participations${query}${query === '' ? '?' : '&'}limit=100`)
    const rows = parseCsv((await app.inject(`/v1/participations${query}${query === '' ? '?' : '&'}format=csv`)).body)
    t.ok(rows.length > 0, `${query}: some participations`)
    t.same(
      rows,
      body.data.map((p: any) => ({
        id: p.id,
        event_id: p.event.id,
        event: p.event.name,
        event_start_date: p.event.start_date,
        session_id: p.session?.id ?? '',
        session: p.session?.name ?? '',
        participant_type: p.participant.type,
        participant_id: p.participant.id,
        participant: p.participant.name,
        role: p.role,
        role_as_worded: p.role_as_worded ?? '',
        on_behalf_of_id: p.on_behalf_of?.id ?? '',
        on_behalf_of: p.on_behalf_of?.name ?? '',
        country_code: p.country?.code ?? '',
        country: p.country?.name ?? '',
        note: p.note ?? '',
        source_ids: joined(p.sources.map((s: any) => s.source_id)),
        source_quotes: joined(p.sources.map((s: any) => s.quote))
      })),
      `${query || 'unfiltered'}: the same rows, cells and order as the JSON list`
    )
  }
})

/**
 * An app whose one route exports `chunks` chunks of 3 numbers through sendCsv, each row with the
 * data version its chunk was read at (and `padding` characters, to make large chunks), over `db`,
 * with the app's ETags (caching.ts). `onChunk` runs once each chunk's rows are read, inside its read.
 */
async function numbersApp(t: Test, db: DirectoryDatabase, options: { chunks: number; padding?: number; onChunk: (chunk: number) => void }) {
  const app = Fastify()
  app.decorate('db', db)
  await registerCaching(app)
  t.teardown(() => app.close())
  const list = (db: DirectoryDatabase, _filters: object, page: Page): ListResult<[number, number]> => {
    const chunk = page.after === undefined ? 0 : Number(page.after[0])
    const version = dataVersion(db.$client)
    options.onChunk(chunk)
    const data = [0, 1, 2].map((i): [number, number] => [chunk * 3 + i, version])
    return { data, total: 0, next: chunk < options.chunks - 1 ? [chunk + 1] : null }
  }
  const padding = '.'.repeat(options.padding ?? 0)
  const columns = [
    { header: 'n', value: ([n]: [number, number]) => n },
    { header: 'version', value: ([, version]: [number, number]) => version },
    { header: 'padding', value: () => padding }
  ]
  app.get('/numbers', (request, reply) => sendCsv(request, reply, { filename: 'numbers', columns }, {}, list))
  return app
}

/** The CSV of these numbers, each read at `version`. */
const numbersCsv = (numbers: number[], version: number) => csvRecords([['n', 'version', 'padding'], ...numbers.map((n) => [n, version, ''])])
const upTo = (count: number) => Array.from({ length: count }, (_, n) => n)

t.test(`an export that ranks or sorts every match for each chunk reads larger chunks, up to ${MAX_RESORTED_CSV_CHUNK} records`, async (t) => {
  const count = 53_000
  const limits: number[] = []
  // Numbers from 0, as many as a page asks for; the filters say whether it is sorted.
  const list = (_db: DirectoryDatabase, _filters: object, page: Page): ListResult<number> => {
    limits.push(page.limit)
    const from = page.after === undefined ? 0 : Number(page.after[0]) + 1
    const data = Array.from({ length: Math.max(0, Math.min(page.limit, count - from)) }, (_, i) => from + i)
    return { data, total: 0, next: from + page.limit < count ? [from + page.limit - 1] : null }
  }
  const db = openDatabase(':memory:')
  const app = Fastify()
  app.decorate('db', db)
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const columns = [{ header: 'n', value: (n: number) => n }]
  app.get('/sorted', (request, reply) => sendCsv(request, reply, { filename: 'numbers', columns }, { sort: 'n' }, list))
  app.get('/plain', (request, reply) => sendCsv(request, reply, { filename: 'numbers', columns }, { sort: undefined, q: undefined }, list))
  const sorted = await app.inject('/sorted')
  t.equal(sorted.body, csvRecords([['n'], ...upTo(count).map((n) => [n])]), 'every number, in order')
  t.same(limits, [1000, 4000, 16_000, 16_000, 16_000], 'in chunks of 1,000, 4,000, then 16,000')
  limits.length = 0
  t.equal((await app.inject('/plain')).body, sorted.body, 'in the default order: the same numbers')
  t.same(new Set(limits), new Set([CSV_CHUNK]), `in chunks of ${CSV_CHUNK}`)
})

t.test('an export reads the directory as it was when it began, whatever is written while it streams', async (t) => {
  // The server's connection, and another one writing as a seed run in another process would.
  const { served, operator } = twoConnections(t)
  let writeDuringChunk: number | undefined
  const chunksRead: number[] = []
  const app = await numbersApp(t, served, {
    chunks: 4,
    onChunk: (chunk) => {
      chunksRead.push(chunk)
      if (chunk === writeDuringChunk) bumpDataVersion(operator.$client)
    }
  })
  bumpDataVersion(operator.$client) // frames in the WAL: see noReaderHoldsASnapshot
  const version = dataVersion(served.$client)
  const whole = await app.inject('/numbers')
  t.equal(whole.body, numbersCsv(upTo(12), version), 'every chunk')
  t.equal((await app.inject('/numbers')).headers.etag, whole.headers.etag, 'and the same export has the same ETag')

  writeDuringChunk = 1
  chunksRead.length = 0
  const during = await app.inject('/numbers')
  t.same(chunksRead, [0, 1, 2, 3])
  t.equal(during.body, numbersCsv(upTo(12), version), 'a write committed while chunk 1 was read changed none of the chunks')
  t.equal(during.headers.etag, whole.headers.etag, 'so it has the ETag of that version')
  t.equal(dataVersion(served.$client), version + 1, 'which is no longer the latest')

  writeDuringChunk = undefined
  const again = await app.inject('/numbers')
  t.equal(again.body, numbersCsv(upTo(12), version + 1), 'asked again: the export of the new version')
  t.not(again.headers.etag, whole.headers.etag, 'under its own ETag')
  bumpDataVersion(operator.$client)
  t.ok(noReaderHoldsASnapshot(served), 'each export let go of its snapshot once sent')
})

t.test('a HEAD request, a 304 and a download the client gives up read no more than they need, and let go of their snapshot', async (t) => {
  const { served, operator } = twoConnections(t)
  const chunksRead: number[] = []
  const app = await numbersApp(t, served, { chunks: 200, padding: 100_000, onChunk: (chunk) => chunksRead.push(chunk) })
  // Frames in the WAL, which a snapshot taken from now on reads: one held on would keep a checkpoint
  // from copying the frames written after it (noReaderHoldsASnapshot).
  bumpDataVersion(operator.$client)
  const head = await app.inject({ method: 'HEAD', url: '/numbers' })
  t.equal(head.statusCode, 200)
  t.match(head.headers['content-type'], /^text\/csv/)
  t.match(head.headers.etag, /^"csv-/)
  t.equal(head.body, '')
  const notModified = await app.inject({ url: '/numbers', headers: { 'if-none-match': String(head.headers.etag) } })
  t.equal(notModified.statusCode, 304, 'the ETag of a HEAD is the export\'s')
  t.same(chunksRead, [0, 0], 'each read the first chunk only, which checks the filters')
  bumpDataVersion(operator.$client)
  t.ok(noReaderHoldsASnapshot(served), 'and let go of its snapshot')

  // Over a socket, where the server reads ahead only as far as the socket takes the chunks (30 MB in all).
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  chunksRead.length = 0
  bumpDataVersion(operator.$client)
  const firstPiece = await new Promise<Buffer>((resolve, reject) => {
    const request = get(`http://127.0.0.1:${port}/numbers`, (response) => {
      response.on('error', () => undefined) // "aborted": the client's own doing
      response.once('data', (piece: Buffer) => {
        resolve(piece)
        request.destroy() // the client goes away after its first piece
      })
    })
    request.on('error', reject)
  })
  t.ok(firstPiece.length > 0, 'the download began')
  bumpDataVersion(operator.$client)
  let released = false
  for (let wait = 0; wait < 100 && !released; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    released = noReaderHoldsASnapshot(served)
  }
  t.ok(released, 'no snapshot is held once the client is gone')
  t.ok(chunksRead.length < 200, `nor is the rest of the export read (${chunksRead.length} of 200 chunks)`)
})

t.test(`beyond ${MAX_EXPORT_SNAPSHOTS} exports at once, an export reads without a snapshot, and a write stops it`, async (t) => {
  const { served, operator } = twoConnections(t)
  const app = await numbersApp(t, served, { chunks: 8, padding: 100_000, onChunk: () => undefined })
  const version = dataVersion(served.$client)
  // Downloads whose clients have read nothing yet: each stalls after its first chunks, and holds on.
  const downloads = await Promise.all(Array.from({ length: MAX_EXPORT_SNAPSHOTS + 1 }, () => app.inject({ url: '/numbers', payloadAsStream: true })))
  bumpDataVersion(operator.$client)
  const read = async (download: (typeof downloads)[number]) => {
    const pieces: Buffer[] = []
    for await (const piece of download.stream()) pieces.push(piece as Buffer)
    return parseCsv(Buffer.concat(pieces).toString())
  }
  const results = await Promise.allSettled(downloads.map(read))
  const whole = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  t.equal(whole.length, MAX_EXPORT_SNAPSHOTS, 'every download with a snapshot ends whole')
  t.ok(
    whole.every((rows) => rows.length === 24 && rows.every((row) => row.version === String(version))),
    'at the version it began with'
  )
  t.equal(results.at(-1)?.status, 'rejected', 'the one beyond had none, and the write stopped it')
})

t.test('on an in-memory database, which has no snapshot, a write during an export stops the download', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const chunksRead: number[] = []
  // The app's own connection writes once chunk 1 is read (inside its read transaction, so the
  // write commits with it): as a request's write would between two chunks.
  const app = await numbersApp(t, db, {
    chunks: 4,
    onChunk: (chunk) => {
      chunksRead.push(chunk)
      if (chunk === 1) bumpDataVersion(db.$client)
    }
  })
  const version = dataVersion(db.$client)
  const cut = await app.inject({ url: '/numbers', payloadAsStream: true })
  t.equal(cut.statusCode, 200, 'the first chunk was sent')
  const received: Buffer[] = []
  await t.rejects(async () => {
    for await (const piece of cut.stream()) received.push(piece as Buffer)
  }, 'the download fails: it never ends as if complete')
  t.same(chunksRead, [0, 1], 'nothing is read at the new version')
  t.equal(Buffer.concat(received).toString(), numbersCsv(upTo(6), version), 'what was sent is all of one version')
})
