// npm run bench:plans -- --db PATH: the SQL each benchmarked endpoint runs, with its EXPLAIN QUERY
// PLAN and time, so that whoever optimises sees which queries scan a table and what index they lack.
// Requests go through app.inject (no network); the statements are captured by wrapping prepare().
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../src/db/connection.js'
import { buildApp } from '../src/app.js'
import { setCountCacheSize } from '../src/db/count-cache.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' } } })
if (values.db === undefined) {
  process.stderr.write('Usage: npm run bench:plans -- --db PATH [--out FILE.md]\n')
  process.exit(2)
}
const db = openDatabase(values.db)
const sqlite = db.$client
// Every request counts afresh: the plans and times of the counts are what this shows.
setCountCacheSize(sqlite, 0)
const firstId = sqlite.prepare('SELECT id FROM participations LIMIT 1 OFFSET (SELECT count(*) / 2 FROM participations)').pluck().get() as string

interface Captured { sql: string; params: unknown[]; ms: number }
let captured: Captured[] = []
const prepare = sqlite.prepare.bind(sqlite)
sqlite.prepare = ((source: string) => {
  const statement = prepare(source)
  for (const method of ['all', 'get', 'run', 'iterate'] as const) {
    const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement)
    Object.assign(statement, {
      [method]: (...params: unknown[]) => {
        const started = performance.now()
        const result = original(...params)
        captured.push({ sql: source, params, ms: performance.now() - started })
        return result
      }
    })
  }
  return statement
}) as typeof sqlite.prepare

const app = await buildApp({ db })
await app.ready()
const busiest = (column: string) =>
  sqlite.prepare(`SELECT ${column} FROM participations WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).pluck().get() as string
// A page a few pages in, reached by the cursors the API hands out (the last page, in a smaller database).
async function pageAfter(url: string, pages: number): Promise<string> {
  let page = url
  for (let i = 0; i < pages; i++) {
    const next = (await app.inject({ method: 'GET', url: page })).json().meta.next as string | null
    if (next === null) break
    page = next
  }
  return page
}
const endpoints: [string, string][] = [
  ['by id', `/v1/participations/${encodeURIComponent(firstId)}`],
  ['country', '/v1/participations?country=BA&limit=20'],
  ['ministry', '/v1/participations?ministry=defence&limit=20'],
  ['country+ministry', '/v1/participations?country=BA&ministry=defence&limit=20'],
  ['search q', '/v1/participations?q=djuric&limit=20'],
  ['facets', '/v1/participations?country=BA&facet=role,event&limit=20'],
  ['first page (deep cursor starts here)', '/v1/participations?limit=20'],
  ['event', `/v1/participations?event=${encodeURIComponent(busiest('event_id'))}&limit=20`],
  ['person', `/v1/participations?person=${encodeURIComponent(busiest('person_id'))}&limit=20`],
  ['role', '/v1/participations?role=panellist&limit=20'],
  ['country, 50th page by cursor', await pageAfter('/v1/participations?country=BA&limit=20', 49)],
  ['no filter, 50th page by cursor', await pageAfter('/v1/participations?limit=20', 49)]
]
const lines = [`# Query plans (${new Date().toISOString()}, ${values.db})`, '']
const flatten = (params: unknown[]): unknown[] => (params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params)
for (const [name, url] of endpoints) {
  await app.inject({ method: 'GET', url }) // the first request of a route compiles what it needs
  captured = []
  const started = performance.now()
  const response = await app.inject({ method: 'GET', url })
  const total = performance.now() - started
  lines.push(`## ${name}: \`GET ${url}\` → ${response.statusCode} in ${total.toFixed(0)} ms`, '')
  for (const { sql, params, ms } of captured) {
    if (/^\s*(PRAGMA|SELECT value FROM settings)/i.test(sql)) continue
    let plan: string[]
    try {
      const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(flatten(params) as never[])) as { id: number; parent: number; detail: string }[]
      const depth = new Map<number, number>([[0, 0]])
      const detail = new Map(rows.map((r) => [r.id, r.detail]))
      plan = rows.map((r) => {
        depth.set(r.id, (depth.get(r.parent) ?? 0) + 1)
        // A scan of a table is flagged; scans of a recursive CTE's queue, of virtual tables (json_each,
        // FTS5) and of whole indexes are not table scans.
        const ofCte = r.detail === 'SCAN covered' || detail.get(r.parent) === 'RECURSIVE STEP'
        const scan = !ofCte && /^SCAN (?!.*(USING (COVERING )?INDEX|VIRTUAL TABLE))/.test(r.detail) ? '  ⚠ full scan' : ''
        return `${'  '.repeat((depth.get(r.id) ?? 1) - 1)}${r.detail}${scan}`
      })
    } catch (error) {
      plan = [`(no plan: ${(error as Error).message})`]
    }
    lines.push(`${ms.toFixed(1)} ms:`, '```sql', sql.replace(/\s+/g, ' ').trim(), '```', '```', ...plan, '```', '')
  }
}
const text = `${lines.join('\n')}\n`
if (values.out) writeFileSync(values.out, text)
else process.stdout.write(text)
await app.close()
sqlite.close()
