// GET /metrics: admin tokens only; request counts and latency histograms labelled by route pattern,
// the database's size, and process metrics, in the Prometheus text format.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { durationHistogram } from '../../src/http/metrics.js'
import { seededAppWithDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

/** The value of the sample `name{labels}` (labels exactly as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('/metrics needs an admin token: 401 without or with an unknown one, 403 with a write token', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const none = await app.inject('/metrics')
  assertProblem(t, none, { status: 401, code: 'UNAUTHORIZED' })
  t.match(none.headers['www-authenticate'], /^Bearer realm=/)
  assertProblem(t, await app.inject({ url: '/metrics', headers: { authorization: 'Bearer sdt_unknown' } }), { status: 401, code: 'UNAUTHORIZED' })
  const writer = `Bearer ${createToken(db, 'writer', 'write').token}`
  assertProblem(t, await app.inject({ url: '/metrics', headers: { authorization: writer } }), { status: 403, code: 'FORBIDDEN' })
  const reader = `Bearer ${createToken(db, 'reader', 'read').token}`
  assertProblem(t, await app.inject({ url: '/metrics', headers: { authorization: reader } }), { status: 403, code: 'FORBIDDEN' })
})

t.test('with an admin token: request histograms by route pattern, database size and process metrics', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const authorization = `Bearer ${createToken(db, 'prometheus', 'admin').token}`
  for (const id of ['peter-due', 'mersida-mesetovic', 'nobody']) await app.inject(`/v1/people/${id}`)
  await app.inject('/scanner/probe-1')
  await app.inject('/scanner/probe-2')
  await app.inject({ method: 'HEAD', url: '/v1/people/peter-due' })

  const response = await app.inject({ url: '/metrics', headers: { authorization } })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
  t.equal(response.headers['cache-control'], 'private, no-store', 'an operation that needs a token: no cache may keep it')
  const text = response.body

  const ok = 'method="GET",route="/v1/people/:id",status_code="200"'
  t.equal(sample(text, `http_request_duration_seconds_count{${ok}}`), 2, 'two 200s of GET /v1/people/:id, under the route pattern')
  t.equal(sample(text, `http_request_duration_seconds_bucket{le="+Inf",${ok}}`), 2, 'the histogram has its +Inf bucket')
  t.ok((sample(text, `http_request_duration_seconds_sum{${ok}}`) as number) > 0, 'and a sum of seconds')
  const bounds = ['0.001', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10']
  const buckets = bounds.map((le) => sample(text, `http_request_duration_seconds_bucket{le="${le}",${ok}}`) as number)
  t.ok(
    buckets.every((count, i) => i === 0 || count >= (buckets[i - 1] as number)),
    `each bucket counts the requests up to its bound, those of the buckets below included: ${buckets.join(' ')}`
  )
  t.equal(buckets.at(-1), 2, 'both took less than 10 s')
  t.equal(sample(text, `http_requests_total{${ok}}`), 2)
  t.equal(sample(text, 'http_requests_total{method="GET",route="/v1/people/:id",status_code="404"}'), 1, 'statuses are counted apart')
  t.equal(sample(text, 'http_requests_total{method="GET",route="unmatched",status_code="404"}'), 2, 'requests no route matched share one series')
  t.equal(sample(text, 'http_requests_total{method="HEAD",route="/v1/people/:id",status_code="200"}'), 1, 'a HEAD request is counted once, under its own method')
  t.notMatch(text, /peter-due|probe-1|scanner/, 'no raw URL in any label')

  const sqlite = db.$client
  const size = (sqlite.pragma('page_count', { simple: true }) as number) * (sqlite.pragma('page_size', { simple: true }) as number)
  t.ok(size > 0)
  t.equal(sample(text, 'directory_database_size_bytes'), size, 'database size is page_count * page_size')
  t.equal(sample(text, 'directory_database_wal_size_bytes'), 0, 'an in-memory database has no WAL file')

  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
    t.ok(sample(text, name) !== undefined, `process metric ${name}`)
  }

  // The scrape itself is counted once it has been answered.
  const again = (await app.inject({ url: '/metrics', headers: { authorization } })).body
  t.equal(sample(again, 'http_requests_total{method="GET",route="/metrics",status_code="200"}'), 1)
  t.equal(sample(again, `http_requests_total{${ok}}`), 2, 'read again, the counts are the same, not added twice')
})

t.test('a database file: its WAL file size is reported too', async (t) => {
  const db = openDatabase(join(t.testdir(), 'directory.sqlite'))
  const app = await buildApp({ db })
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const authorization = `Bearer ${createToken(db, 'prometheus', 'admin').token}`
  const text = (await app.inject({ url: '/metrics', headers: { authorization } })).body
  const wal = sample(text, 'directory_database_wal_size_bytes') as number
  t.ok(wal > 0, 'the migrations and the token went through the WAL')
  t.equal(wal, statSync(`${db.$client.name}-wal`).size)
  // A truncating checkpoint empties the WAL file; leaving WAL mode removes it.
  db.$client.pragma('wal_checkpoint(TRUNCATE)')
  const truncated = (await app.inject({ url: '/metrics', headers: { authorization } })).body
  t.equal(statSync(`${db.$client.name}-wal`).size, 0)
  t.equal(sample(truncated, 'directory_database_wal_size_bytes'), 0, 'an empty WAL file')
  db.$client.pragma('journal_mode = DELETE')
  t.throws(() => statSync(`${db.$client.name}-wal`), { code: 'ENOENT' })
  const removed = (await app.inject({ url: '/metrics', headers: { authorization } })).body
  t.equal(sample(removed, 'directory_database_wal_size_bytes'), 0, 'no WAL file')
})

t.test('the duration histogram: a request counts in every bucket whose bound its duration is at most', async (t) => {
  const histogram = durationHistogram('d', 'durations')
  const labels = { method: 'GET', route: '/r', status_code: 200 }
  const series = histogram.newSeries(labels)
  for (const seconds of [0.0005, 0.001, 0.0011, 0.3, 11]) histogram.observe(series, seconds)
  const { values } = (await histogram.metric.get()) as unknown as { values: { metricName: string; labels: Record<string, unknown>; value: number }[] }
  const bucket = (le: number | string) => values.find((v) => v.metricName === 'd_bucket' && v.labels.le === le)?.value
  t.equal(bucket(0.001), 2, 'a bound holds the durations equal to it')
  t.equal(bucket(0.005), 3)
  t.equal(bucket(0.25), 3)
  t.equal(bucket(0.5), 4)
  t.equal(bucket(10), 4)
  t.equal(bucket('+Inf'), 5, 'a duration over every bound counts in +Inf only')
  t.same(values.find((v) => v.metricName === 'd_count'), { metricName: 'd_count', labels, value: 5 })
  t.equal(values.find((v) => v.metricName === 'd_sum')?.value, 0.0005 + 0.001 + 0.0011 + 0.3 + 11)
})
