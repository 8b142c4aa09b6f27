// CSV exports: every list, RFC 4180 (parsed back with a CSV parser), filters applied, pagination
// not, streamed in chunks, asked for by format=csv or by the Accept header.
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { buildApp } from '../../src/app.js'
import { CSV_CHUNK } from '../../src/http/csv.js'
import { openDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { getJson, seededApp } from '../helpers.js'

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

t.test(`a table larger than one chunk (${CSV_CHUNK} records) streams whole, in order`, async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const count = CSV_CHUNK * 2 + 7
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
      events: [{ id: 'somewhere-2016', name: 'A meeting somewhere', classification: 'meeting', start_date: '2016', sources: [{ source: 'register' }] }]
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
  const [event] = parseCsv((await app.inject('/v1/events?format=csv')).body)
  t.match(event, { id: 'somewhere-2016', start_date: '2016', end_date: '', city: '', country_code: '', country: '', continuation_of_id: '' }, 'what is unknown is an empty cell')
})
