import { openDatabase } from '../src/db/connection.js'
import { selectParticipationIds } from '../src/modules/participations/participations.repository.js'
import { setCountCacheSize } from '../src/db/count-cache.js'
const db = openDatabase(process.argv[2])
setCountCacheSize(db.$client, 0)
const sqlite = db.$client
const prepare = sqlite.prepare.bind(sqlite)
const seen: { source: string, params: unknown[], ms: number }[] = []
sqlite.prepare = ((source: string) => { const st = prepare(source); for (const m of ['all', 'get'] as const) { const o = (st as any)[m].bind(st); (st as any)[m] = (...p: unknown[]) => { const s = performance.now(); const r = o(...p); seen.push({ source, params: p, ms: performance.now() - s }); return r } } return st }) as any
for (const arg of process.argv.slice(3)) {
  const filters = Object.fromEntries(new URLSearchParams(arg)) as any
  seen.length = 0
  const s = performance.now(); const r = selectParticipationIds(db, filters, { limit: 20, withTotal: true } as any); const ms = performance.now() - s
  console.log(arg.padEnd(28), ms.toFixed(1), 'ms total', r.total, 'ids', r.ids.length, seen.map(x => x.ms.toFixed(1)).join(' '))
  if (process.env.PLAN) for (const x of seen.slice(-1)) console.log((prepare('EXPLAIN QUERY PLAN ' + x.source).all(...x.params) as any[]).map(r => '   ' + r.detail).join('\n'))
}
