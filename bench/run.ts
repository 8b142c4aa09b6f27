// npm run bench: generates and imports datasets, then load-tests the directory, a Fastify ceiling and
// json-server side by side with autocannon, and writes bench/results/<date>.{json,md} and latest.svg.
// Every server listens on 127.0.0.1, runs pinned to core 0 (the load generator to core 1) and is
// stopped by its PID; every load run is bounded in time.
// Usage: npm run bench -- [--sizes 10000,100000] [--duration 5] [--warmup 2] [--connections 50]
//                         [--data DIR] [--reuse] [--json-server-max 100000] [--deep-pages 100]
//                         [--skip-uncached] [--runs 1]   (--warmup 0: no warm-up, not even the pass over every URL)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { generate, type GenerateSummary } from './generate.js'
import { renderChart } from './chart.js'
import { commandLine, startCommand } from './start-command.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    // 5 s runs after 2 s of warm-up: the whole suite (two sizes, 35 runs each, the ceiling's
    // included) took 9 minutes on a fresh clone, after npm ci.
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    data: { type: 'string', default: join(root, 'bench', '.data') },
    reuse: { type: 'boolean', default: false },
    'json-server-max': { type: 'string', default: '100000' },
    'deep-pages': { type: 'string', default: '50' },
    'csv-timeout': { type: 'string', default: '60' },
    'skip-uncached': { type: 'boolean', default: false },
    // The issue's reference figures are medians of 3 runs; 1 keeps the whole suite well under 15 minutes.
    runs: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (opts.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(4, 7).map((l) => l.slice(3)).join('\n') + '\n')
  process.exit(0)
}
const sizes = opts.sizes.split(',').map(Number)
const duration = Number(opts.duration)
const warmup = Number(opts.warmup)
const runsPerLoad = Number(opts.runs)
const connections = Number(opts.connections)
const dataRoot = resolve(opts.data)
// Read before this process pins itself to one core (availableParallelism follows the affinity).
const cpus = availableParallelism()
const pinned = cpus >= 2 && existsSync('/usr/bin/taskset')
const HOST = '127.0.0.1'

/**
 * The settings the directory runs with besides npm start's, which the results files name: no log
 * line per request (at the default `info`, each request writes two), and the rate limit on (its
 * cost is part of the service) but high enough never to answer 429.
 */
const BENCHMARK_SETTINGS = { LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '1000', RATE_LIMIT_MAX: '1000000', RATE_LIMIT_WINDOW_MS: '1000' }

// ---------------------------------------------------------------- processes we start, and only those

const children = new Set<ChildProcess>()
function startServer(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const [file, argv] = pinned ? ['taskset', ['-c', '0', command, ...args]] : [command, args]
  const child = spawn(file, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)))
  child.on('exit', (code, signal) => {
    children.delete(child)
    if (code !== 0 && code !== null && signal === null) process.stderr.write(`${name} exited with ${code}: ${stderr}\n`)
  })
  children.add(child)
  return child
}
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  process.kill(child.pid as number, 'SIGTERM')
  const timer = setTimeout(() => child.pid !== undefined && children.has(child) && process.kill(child.pid, 'SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}
const stopAllNow = () => {
  for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
}
process.once('SIGINT', () => (stopAllNow(), process.exit(130)))
process.once('exit', stopAllNow)

// The load generator (this process) on core 1, away from the server on core 0.
if (pinned) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitUntilAnswering(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    try {
      const response = await fetch(url)
      if (response.ok) {
        await response.arrayBuffer()
        return performance.now() - started
      }
    } catch {
      // not listening yet
    }
    await sleep(5)
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
/**
 * A server keeps working on requests whose client gave up (timed out): wait, bounded, until it
 * answers a cheap request quickly again, so that one run's backlog does not slow the next.
 */
async function drained(port: number, budgetMs = 180_000): Promise<boolean> {
  const deadline = performance.now() + budgetMs
  while (performance.now() < deadline) {
    const started = performance.now()
    try {
      await (await fetch(`http://${HOST}:${port}/health`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer()
    } catch {
      // busy or not answering: try again
    }
    if (performance.now() - started < 100) return true
    await sleep(200)
  }
  return false
}

/** Resident memory of a process we started, from /proc (MB). */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round(Number(match[1]) / 1024) : null
  } catch {
    return null
  }
}
/** With taskset, the PID of the server is that of taskset itself (it execs the command). */
const serverPid = (child: ChildProcess) => child.pid as number

/**
 * CPU time (user and system) a process has used so far, in µs, from /proc: utime and stime, in
 * clock ticks of 1/100 s (USER_HZ, 100 on Linux whatever the kernel's own tick), so a 5 s run
 * reads it to within 0.2 %. Null where there is no /proc.
 */
function cpuMicros(pid: number): number | null {
  try {
    // The fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')
    return fields === undefined ? null : (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return null
  }
}

// ---------------------------------------------------------------- load runs

interface LoadResult {
  name: string
  requestsPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  throughputMBps: number
  bytesPerResponse: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  distinctPaths: number
  /** Median time of one request alone (sequential, one connection): the per-request cost. */
  serviceMs: number | null
  /**
   * The server's CPU time per answered request during the run, in µs: the per-request cost under
   * load, which does not depend on how fast the load generator is. Null where it cannot be read.
   */
  serverCpuUsPerRequest: number | null
  /**
   * The server's CPU time over the run's wall time. Well under 100 %, the server waited for the
   * load generator (on the other core), and its requests per second are a floor, not its limit.
   */
  serverBusyPercent: number | null
}

/**
 * Where a run sends its load; `recover` gets the server ready for the next run (for the directory:
 * wait a little for the backlog left by a slow endpoint, else restart it, which is quicker than
 * waiting for 50 slow requests that nobody awaits any more).
 */
interface Target {
  port: number
  /** The server's PID, read at each run (the directory is restarted between some of them). */
  pid: () => number
  recover?: () => Promise<void>
  /**
   * Whether the warm-up first requests every path once (the directory, caches on and off: with
   * them on, it answers the whole rotation from its caches; with them off, SQLite's and the OS's
   * page caches hold its pages, as after the issue's 20 s warm-up, however slow a first answer
   * is). json-server and the ceiling keep only the timed warm-up.
   */
  warmEveryPath?: boolean
}

/** The longest the pass over every path may take (one request each, 50 at a time): a bound, not a target. */
const WARM_PASS_LIMIT_MS = 60_000

/**
 * One bounded autocannon run that rotates through `paths`, after an unrecorded warm-up: a pass
 * over every path when the target asks for it, then `warmup` seconds.
 */
async function load(name: string, target: Target, paths: string[], options: { connections?: number; warmup?: number } = {}): Promise<LoadResult> {
  const { port, pid, recover, warmEveryPath } = target
  const warmupSeconds = options.warmup ?? warmup
  if (paths.length === 0) throw new Error(`${name}: no paths to request`)
  // A run of `seconds`, or of `amount` requests (autocannon then ignores any duration, hence `limitMs`).
  const run = (length: { seconds: number } | { amount: number }, limitMs?: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      let next = 0
      let limit: NodeJS.Timeout | undefined
      const instance = autocannon(
        {
          url: `http://${HOST}:${port}`,
          // autocannon refuses more connections than requests.
          connections: Math.min(options.connections ?? connections, 'amount' in length ? length.amount : Infinity),
          ...('amount' in length ? { amount: length.amount } : { duration: length.seconds }),
          timeout: 30,
          requests: [
            {
              method: 'GET',
              setupRequest: (request) => {
                request.path = paths[next++ % paths.length] as string
                return request
              }
            }
          ]
        },
        (error, result) => {
          clearTimeout(limit)
          if (error) reject(error)
          else resolve(result)
        }
      )
      if (limitMs !== undefined) limit = setTimeout(() => instance.stop(), limitMs)
    })
  // Requests still queued when a run ends would be answered in the next one: the server drains first.
  const settle = async () => {
    if (recover) await recover()
    else await drained(port)
  }
  if (warmupSeconds > 0) {
    if (warmEveryPath) {
      const passed = await run({ amount: paths.length }, WARM_PASS_LIMIT_MS)
      const failed = passed.errors + passed.non2xx
      if (passed.requests.total < paths.length || failed > 0) {
        process.stdout.write(`  (${name}: the pass over every path answered ${passed.requests.total - failed} of ${paths.length} within ${WARM_PASS_LIMIT_MS / 1000} s)\n`)
      }
    }
    await run({ seconds: warmupSeconds })
    await settle()
  }
  // With --runs N, the run of median throughput (the server drained between runs).
  const results: { result: autocannon.Result; cpuUs: number | null; wallUs: number }[] = []
  for (let i = 0; i < runsPerLoad; i++) {
    if (i > 0) await settle()
    const cpuBefore = cpuMicros(pid())
    const started = performance.now()
    const result = await run({ seconds: duration })
    const wallUs = (performance.now() - started) * 1000
    const cpuAfter = cpuMicros(pid())
    results.push({ result, cpuUs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, wallUs })
  }
  results.sort((a, b) => a.result.requests.average - b.result.requests.average)
  const { result, cpuUs, wallUs } = results[Math.floor((results.length - 1) / 2)] as (typeof results)[number]
  const figures: LoadResult = {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    throughputMBps: Math.round((result.throughput.average / 1e6) * 100) / 100,
    bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    distinctPaths: new Set(paths).size,
    serviceMs: null,
    serverCpuUsPerRequest: cpuUs === null || result.requests.total === 0 ? null : Math.round((cpuUs / result.requests.total) * 10) / 10,
    serverBusyPercent: cpuUs === null ? null : Math.round((100 * cpuUs) / wallUs)
  }
  await settle()
  // The cost of one request on an idle server: up to 30 sequential requests, at most 5 s.
  const times: number[] = []
  const until = performance.now() + 5000
  for (let i = 0; i < 30 && performance.now() < until; i++) {
    const started = performance.now()
    const response = await fetch(`http://${HOST}:${port}${paths[(i * 7919) % paths.length]}`)
    await response.arrayBuffer()
    if (response.ok) times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  figures.serviceMs = times.length > 0 ? Math.round((times[Math.floor(times.length / 2)] as number) * 10) / 10 : null
  process.stdout.write(
    `  ${name.padEnd(34)} ${String(figures.requestsPerSecond).padStart(7)} req/s  p99 ${String(figures.latencyMs.p99).padStart(5)} ms  ${figures.bytesPerResponse} B/resp  alone ${figures.serviceMs} ms  server ${figures.serverCpuUsPerRequest ?? '?'} µs/req, busy ${figures.serverBusyPercent ?? '?'} %${figures.non2xx + figures.errors > 0 ? `  !! non2xx ${figures.non2xx} errors ${figures.errors} (timeouts ${figures.timeouts})` : ''}\n`
  )
  return figures
}

/** The paths of several lists taken in turn, one from each (the longest sets the length). */
function interleave(...lists: string[][]): string[] {
  const longest = Math.max(...lists.map((list) => list.length))
  return Array.from({ length: longest }, (_, i) => lists.map((list) => list[i % list.length] as string)).flat()
}

// ---------------------------------------------------------------- datasets

interface ImportResult {
  seconds: number
  participationsPerSecond: number
  peakRssMb: number | null
  cpuPercent: number | null
  exitCode: number | null
}

function importDataset(seedsDir: string, dbPath: string, participations: number): ImportResult {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true })
  const cli = join(root, 'dist', 'src', 'cli', 'main.js')
  const timed = existsSync('/usr/bin/time')
  const args = ['seed', seedsDir, '--db', dbPath, '--json']
  const started = performance.now()
  const child = timed
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
  const seconds = (performance.now() - started) / 1000
  if (child.status !== 0) process.stderr.write(`seed failed (${child.status}): ${child.stderr.slice(-3000)}\n`)
  const field = (label: string) => new RegExp(`${label}: (\\d+)`).exec(child.stderr)?.[1]
  const rss = field('Maximum resident set size \\(kbytes\\)')
  const cpu = field('Percent of CPU this job got')
  return {
    seconds: Math.round(seconds * 10) / 10,
    participationsPerSecond: Math.round(participations / seconds),
    peakRssMb: rss === undefined ? null : Math.round(Number(rss) / 1024),
    cpuPercent: cpu === undefined ? null : Number(cpu),
    exitCode: child.status
  }
}

interface Keys {
  participationIds: string[]
  countries: string[]
  portfolios: string[]
  searchTerms: string[]
}

/** What the rotating requests ask for, read from the database (never one hot key). */
function keysOf(dbPath: string): Keys {
  const db = new Database(dbPath, { readonly: true })
  try {
    const count = db.prepare('SELECT count(*) FROM participations').pluck().get() as number
    // Every 97th participation, up to 2,000 ids spread over the whole table.
    const step = Math.max(1, Math.floor(count / 2000))
    const participationIds = db.prepare('SELECT id FROM participations WHERE rowid % ? = 0 LIMIT 2000').pluck().all(step) as string[]
    const countries = db.prepare('SELECT code FROM countries ORDER BY code').pluck().all() as string[]
    const portfolios = db.prepare("SELECT DISTINCT portfolio FROM organisations WHERE classification = 'ministry' ORDER BY 1").pluck().all() as string[]
    // Family names as people type them: without accents, Đ as dj or d (the search folds both).
    const families = db.prepare('SELECT DISTINCT family_name FROM people WHERE family_name IS NOT NULL ORDER BY 1').pluck().all() as string[]
    const searchTerms = families.map((f) => f.replace(/[Đđ]/g, 'dj').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase())
    return { participationIds, countries, portfolios, searchTerms: [...new Set(searchTerms)] }
  } finally {
    db.close()
  }
}

// ---------------------------------------------------------------- one dataset size

interface SizeResult {
  participations: number
  dataset: { files: number; seedBytes: number; dbJsonBytes: number; databaseBytes: number; generateSeconds: number; counts: Record<string, number> }
  import: ImportResult
  server: { startupMs: number; rssAfterLoadMb: number | null; peakRssMb: number | null; restarts: number }
  csv: { rows: number; complete: boolean; seconds: number; rowsPerSecond: number; bytes: number; serverPeakRssMb: number | null } | null
  runs: Record<string, LoadResult>
  /** The ceiling's run that followed each of the directory's, by the directory's run: what its ratios are against. */
  ceilingRuns: Record<string, LoadResult>
  ratios: Record<string, number>
  /** The ceiling's CPU per request over the directory's (1: as cheap as the ceiling), by run. */
  costRatios: Record<string, number>
}

const encode = encodeURIComponent
async function json<T>(url: string): Promise<T> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

async function measureSize(participations: number, basePort: number): Promise<SizeResult> {
  const dir = join(dataRoot, String(participations))
  const seedsDir = join(dir, 'seeds')
  const dbPath = join(dir, 'directory.sqlite')
  process.stdout.write(`\n== ${participations.toLocaleString('en')} participations\n`)
  let summary: GenerateSummary
  let imported: ImportResult
  const summaryPath = join(dir, 'summary.json')
  if (opts.reuse && existsSync(summaryPath) && existsSync(dbPath)) {
    ;({ summary, imported } = JSON.parse(readFileSync(summaryPath, 'utf8')) as { summary: GenerateSummary; imported: ImportResult })
    process.stdout.write(`  reusing ${dir} (generated and imported earlier)\n`)
  } else {
    mkdirSync(dir, { recursive: true })
    summary = generate({ participations, out: seedsDir, seed: 42, chunk: 50_000 })
    process.stdout.write(`  generated ${(summary.totalBytes / 1e6).toFixed(1)} MB of seed files in ${summary.seconds.toFixed(1)} s; importing...\n`)
    imported = importDataset(seedsDir, dbPath, participations)
    process.stdout.write(`  imported in ${imported.seconds} s: ${imported.participationsPerSecond} participations/s, peak RSS ${imported.peakRssMb} MB\n`)
    writeFileSync(summaryPath, JSON.stringify({ summary, imported }))
    if (imported.exitCode !== 0) throw new Error(`import of ${participations} failed`)
  }
  const keys = keysOf(dbPath)
  const port = basePort
  const base = `http://${HOST}:${port}`
  const runs: Record<string, LoadResult> = {}

  // ---- the directory
  // The count and response caches are on (their defaults) until the uncached runs below turn them off.
  let cachesOff = false
  const startDirectory = () =>
    // As `npm start` runs it: the variables, node's flags and the bundle of package.json's start script (cwd: the package).
    startServer('directory', process.execPath, [...startCommand.nodeFlags, ...startCommand.entry], {
      ...startCommand.env,
      DATABASE_PATH: dbPath,
      PORT: String(port),
      HOST,
      ...BENCHMARK_SETTINGS,
      ...(cachesOff ? { COUNT_CACHE_SIZE: '0', RESPONSE_CACHE_MB: '0' } : {})
    })
  const started = performance.now()
  let server = startDirectory()
  await waitUntilAnswering(`${base}/health`, 120_000)
  const startupMs = Math.round(performance.now() - started)
  let rssAfterLoadMb = 0
  let restarts = 0
  const directory: Target = {
    port,
    pid: () => serverPid(server),
    warmEveryPath: true,
    recover: async () => {
      rssAfterLoadMb = Math.max(rssAfterLoadMb, rssMb(serverPid(server)) ?? 0)
      if (await drained(port, 15_000)) return
      restarts++
      await stop(server)
      server = startDirectory()
      await waitUntilAnswering(`${base}/health`, 120_000)
    }
  }
  process.stdout.write(`  directory answered after ${startupMs} ms (pid ${server.pid}${pinned ? ', core 0' : ''})\n`)

  // Bodies for the ceiling, captured from the directory: a filtered page of 20 and one record.
  const list = await json<{ data: { id: string }[] }>(`${base}/v1/participations?country=BA&limit=20`)
  const one = await json<unknown>(`${base}/v1/participations/${encode(keys.participationIds[0] as string)}`)

  // ---- the ceiling: the same bodies through the same schemas, nothing else. It runs right after
  // each of the directory's runs, so that each ratio compares two runs a few seconds apart: this
  // machine's speed changes within minutes (the ceiling's one record took 31 µs at 100,000 and
  // 63 µs at 1,000,000 in one run, when it ran once per dataset after all of the directory's runs).
  const bodiesPath = join(dir, 'ceiling-bodies.json')
  writeFileSync(bodiesPath, JSON.stringify({ list, one }))
  const ceiling = startServer('ceiling', process.execPath, ['--import', 'tsx', join(root, 'bench', 'ceiling-server.ts')], {
    PORT: String(port + 1),
    BODIES: bodiesPath
  })
  await waitUntilAnswering(`http://${HOST}:${port + 1}/health`, 60_000)
  const ceilingTarget: Target = { port: port + 1, pid: () => serverPid(ceiling) }
  const ceilingRuns: Record<string, LoadResult> = {}
  const ceilingWarmed = new Set<string>()
  /** The ceiling's run for the directory's run `name`: one record after a run by id, a list of 20 after the others; warmed up once. */
  const loadCeilingAfter = async (name: string) => {
    const [path, label] = name.startsWith('directory_by_id') ? ['/one', 'one record'] : ['/list', 'list of 20']
    ceilingRuns[name] = await load(`ceiling: ${label} (same schema)`, ceilingTarget, [path], { warmup: ceilingWarmed.has(path) ? 0 : warmup })
    ceilingWarmed.add(path)
  }

  const byId = keys.participationIds.map((id) => `/v1/participations/${encode(id)}`)
  const byCountry = keys.countries.map((c) => `/v1/participations?country=${c}&limit=20`)
  const byMinistry = keys.portfolios.map((m) => `/v1/participations?ministry=${m}&limit=20`)
  const byCountryMinistry = keys.countries.flatMap((c) => keys.portfolios.map((m) => `/v1/participations?country=${c}&ministry=${m}&limit=20`))
  const search = keys.searchTerms.map((q) => `/v1/participations?q=${encode(q)}&limit=20`)
  const facets = keys.countries.map((c) => `/v1/participations?country=${c}&facet=role,event&limit=20`)
  // Deep pages: follow next_cursor from the first page (bounded in pages and time), then replay the
  // last ten pages reached, rotating.
  const chain: string[] = []
  const depth = Number(opts['deep-pages'])
  const followUntil = performance.now() + 60_000
  let next: string | null = '/v1/participations?limit=20'
  for (let page = 1; page <= depth && next !== null && performance.now() < followUntil; page++) {
    const body: { meta: { next: string | null } } = await json(`${base}${next}`)
    next = body.meta.next
    if (next !== null) chain.push(next)
  }
  const deep = chain.slice(-10)
  process.stdout.write(`  deep cursor: replaying pages ${chain.length - deep.length + 2}..${chain.length + 1} (20 records a page)\n`)

  // Every endpoint, run with the caches on here and again with them off below: [run name, label, paths, connections].
  const endpoints: [string, string, string[], number?][] = [
    ['by_id', 'by id', byId],
    ['by_country', 'country (all countries)', byCountry],
    ['by_ministry', 'ministry', byMinistry],
    ['by_country_ministry', 'country+ministry', byCountryMinistry],
    // The issue's latency target: p99 of the filtered lists at 10 connections.
    ['lists_10_connections', 'the three lists, 10 conn.', interleave(byCountry, byMinistry, byCountryMinistry), 10],
    ['search', 'search q', search],
    ['facets', 'facets role,event', facets],
    ['deep_cursor', `cursor page ~${chain.length + 1}`, deep]
  ]
  const loadEndpoints = async (suffix: string, label: string) => {
    for (const [name, what, paths, connections] of endpoints) {
      if (paths.length === 0) continue
      runs[`directory_${name}${suffix}`] = await load(`${label}: ${what}`, directory, paths, { connections })
      await loadCeilingAfter(`directory_${name}${suffix}`)
    }
  }
  await loadEndpoints('', 'directory')
  rssAfterLoadMb = Math.max(rssAfterLoadMb, rssMb(serverPid(server)) ?? 0)
  if (restarts > 0) process.stdout.write(`  (the directory was restarted ${restarts} times to drop the backlog of slow runs)\n`)

  // ---- CSV export of every participation: rows per second, and the server's memory meanwhile
  let csv: SizeResult['csv'] = null
  {
    let peak = rssMb(serverPid(server)) ?? 0
    const sampler = setInterval(() => void (peak = Math.max(peak, rssMb(serverPid(server)) ?? 0)), 50)
    const csvStarted = performance.now()
    let rows = -1 // the header
    let bytes = 0
    let complete = false
    try {
      const response = await fetch(`${base}/v1/participations?format=csv`, { signal: AbortSignal.timeout(Number(opts['csv-timeout']) * 1000) })
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++
      }
      complete = true
    } catch (error) {
      process.stdout.write(`  csv export stopped after ${opts['csv-timeout']} s: ${(error as Error).message}\n`)
    } finally {
      clearInterval(sampler)
    }
    const seconds = (performance.now() - csvStarted) / 1000
    csv = { rows: Math.max(0, rows), complete, seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(Math.max(0, rows) / seconds), bytes, serverPeakRssMb: peak }
    process.stdout.write(`  csv export: ${csv.rows} rows${complete ? '' : ' (incomplete)'} in ${csv.seconds} s = ${csv.rowsPerSecond} rows/s, server RSS up to ${peak} MB\n`)
    await drained(port, 30_000)
  }
  const peakRssMb = rssMb(serverPid(server), 'VmHWM')
  await stop(server)

  // ---- every endpoint again with the caches off: each answer made and each total and facet counted afresh
  if (!opts['skip-uncached']) {
    cachesOff = true
    server = startDirectory()
    await waitUntilAnswering(`${base}/health`, 120_000)
    await loadEndpoints('_uncached', 'directory, caches off')
    await stop(server)
  }

  await stop(ceiling)
  // The ceiling's rows of the tables and the chart: of the runs that followed the directory's with
  // its caches on, the one after the run by id, and the list of median throughput.
  const medianRun = (kind: 'one' | 'list') => {
    const kindRuns = Object.entries(ceilingRuns)
      .filter(([name]) => !name.endsWith('_uncached') && name.startsWith('directory_by_id') === (kind === 'one'))
      .map(([, run]) => run)
      .sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
    return kindRuns[Math.floor((kindRuns.length - 1) / 2)]
  }
  for (const kind of ['list', 'one'] as const) {
    const run = medianRun(kind)
    if (run !== undefined) runs[`ceiling_${kind}`] = run
  }

  // ---- json-server 0.17 on the same rows, the equivalent query (country filter, sorted, a page of 20 with total)
  if (participations <= Number(opts['json-server-max'])) {
    const jsonServer = startServer('json-server', process.execPath, [
      join(root, 'node_modules', 'json-server', 'lib', 'cli', 'bin.js'),
      '--port', String(port + 2), '--host', HOST, '--quiet', join(seedsDir, 'json-server', 'db.json')
    ], {})
    await waitUntilAnswering(`http://${HOST}:${port + 2}/meta`, 120_000)
    const paths = keys.countries.map((c) => `/participations?country=${c}&_sort=event_start_date&_order=desc&_page=1&_limit=20`)
    runs.json_server_by_country = await load('json-server: country (all countries)', { port: port + 2, pid: () => serverPid(jsonServer) }, paths)
    await stop(jsonServer)
  }

  const ratio = (a?: LoadResult, b?: LoadResult) => (a && b && b.requestsPerSecond > 0 ? Math.round((a.requestsPerSecond / b.requestsPerSecond) * 1000) / 1000 : NaN)
  const ratios: Record<string, number> = {}
  const costRatios: Record<string, number> = {}
  for (const [name, result] of Object.entries(runs)) {
    if (name.startsWith('ceiling')) continue
    // json-server's throughput is put beside the ceiling's median list.
    const ceilingRun = ceilingRuns[name] ?? runs.ceiling_list
    ratios[name] = ratio(result, ceilingRun)
    const [own, ceilings] = [result.serverCpuUsPerRequest, ceilingRun?.serverCpuUsPerRequest]
    costRatios[name] = own && ceilings ? Math.round((ceilings / own) * 1000) / 1000 : NaN
  }
  if (runs.json_server_by_country) ratios.directory_vs_json_server_by_country = ratio(runs.directory_by_country, runs.json_server_by_country)

  // By the files' sizes: at 1M participations the database is larger than a Buffer can hold.
  const databaseBytes = ['', '-wal'].reduce((s, suffix) => s + (statSync(dbPath + suffix, { throwIfNoEntry: false })?.size ?? 0), 0)
  return {
    participations,
    dataset: {
      files: summary.files.length,
      seedBytes: summary.totalBytes,
      dbJsonBytes: summary.dbJsonBytes,
      databaseBytes,
      generateSeconds: Math.round(summary.seconds * 10) / 10,
      counts: summary.counts
    },
    import: imported,
    server: { startupMs, rssAfterLoadMb, peakRssMb, restarts },
    csv,
    runs,
    ceilingRuns,
    ratios,
    costRatios
  }
}

// ---------------------------------------------------------------- report

/** A share of the ceiling: 1 on the ceiling's own rows (they have no ratio), a dash when it could not be measured. */
const percentOfCeiling = (ratio: number | undefined) => (ratio === undefined ? '1' : Number.isNaN(ratio) ? '–' : `${(ratio * 100).toFixed(1)} %`)

/** The directory's throughput over json-server's; a dash when json-server ran not or answered nothing. */
const jsonServerRatio = (ratio: number | undefined) => (ratio === undefined || Number.isNaN(ratio) ? '–' : `${ratio}x`)

function markdown(results: SizeResult[], meta: Record<string, unknown>): string {
  const lines: string[] = []
  lines.push(`# Benchmark ${meta.date}`, '')
  lines.push(
    `Node ${meta.node}, ${meta.cpus} cores (${meta.cpuModel}), ${meta.pinned ? 'server on core 0, load generator on core 1 (taskset)' : 'not pinned'}; ` +
      `${meta.connections} connections, ${meta.duration} s runs after ${meta.warmEveryPath ? "one request to every URL of the run's rotation (the directory's runs) and " : ''}${meta.warmup} s warm-up, ${meta.runs === 1 ? 'one run each' : `the median of ${meta.runs} runs each`}; load average at the end ${meta.loadAverage}. ` +
      `The directory ran as \`npm start\` runs it: \`${commandLine(meta.server as typeof startCommand)}\`, with ${Object.entries(meta.settings as typeof BENCHMARK_SETTINGS).map(([name, value]) => `\`${name}=${value}\``).join(', ')} (see bench/run.ts). ` +
      'Ratios are against the ceiling (a bare Fastify server answering the same precomputed body through the same response schema): ' +
      "each of the directory's runs against the ceiling's run that followed it (one record after a run by id, a list of 20 after the others), " +
      "and the ceiling's rows show, of the runs after the directory's with its caches on, the one after the run by id and the list of median throughput. " +
      'The machine may be shared, so absolute figures are noisy.',
    ''
  )
  const names = [...new Set(results.flatMap((r) => Object.keys(r.runs)))]
  /** One row per run, one group of `columns` per dataset size. */
  const endpointTable = (columns: string[], cellsOf: (run: LoadResult, result: SizeResult, name: string) => string[]) => {
    lines.push(`| endpoint | ${results.map((r) => `${r.participations.toLocaleString('en')}: ${columns.join(' | ')}`).join(' | ')} |`)
    lines.push(`|---|${results.map(() => columns.map(() => '---:').join('|')).join('|')}|`)
    for (const name of names) {
      const cells = results.map((r) => {
        const run = r.runs[name]
        return (run ? cellsOf(run, r, name) : columns.map(() => '–')).join(' | ')
      })
      lines.push(`| ${name} | ${cells.join(' | ')} |`)
    }
  }
  endpointTable(['req/s', 'p99 ms', 'alone ms', 'vs ceiling'], (run, r, name) => [
    run.requestsPerSecond.toLocaleString('en'),
    run.requests === 0 ? '–' : String(run.latencyMs.p99),
    String(run.serviceMs ?? '–'),
    percentOfCeiling(r.ratios[name])
  ])
  lines.push('')
  lines.push(
    "The server's CPU time per answered request in the same runs, and how busy the server was: a server busy well under 100 % " +
      'waited for the load generator, so its requests per second understate what it can do (the ceiling, with its cheap answers, ' +
      "is the first to wait). The CPU ratio is the ceiling's µs per request over the endpoint's: about the throughput ratio the " +
      'endpoint would have if both servers were the bottleneck (a server that waits answers fewer requests per turn of its event ' +
      'loop, so its µs per request run somewhat high).',
    ''
  )
  endpointTable(['server µs/req', 'busy', 'CPU vs ceiling'], (run, r, name) => [
    String(run.serverCpuUsPerRequest ?? '–'),
    run.serverBusyPercent === null ? '–' : `${run.serverBusyPercent} %`,
    percentOfCeiling(r.costRatios[name])
  ])
  lines.push('')
  lines.push('| dataset | seed files | db.json | SQLite | import | import peak RSS | server start-up | server RSS after load | CSV export | server RSS during CSV | directory / json-server |')
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`
  for (const r of results) {
    lines.push(
      `| ${r.participations.toLocaleString('en')} | ${mb(r.dataset.seedBytes)} (${r.dataset.files} files) | ${mb(r.dataset.dbJsonBytes)} | ${mb(r.dataset.databaseBytes)} | ` +
        `${r.import.participationsPerSecond.toLocaleString('en')} participations/s (${r.import.seconds} s, ${r.import.cpuPercent ?? '?'} % CPU) | ${r.import.peakRssMb ?? '?'} MB | ${r.server.startupMs} ms | ${r.server.rssAfterLoadMb ?? '?'} MB | ` +
        `${r.csv ? `${r.csv.rowsPerSecond.toLocaleString('en')} rows/s (${r.csv.rows.toLocaleString('en')} rows${r.csv.complete ? '' : `, stopped after ${r.csv.seconds} s`})` : '–'} | ${r.csv?.serverPeakRssMb ?? '–'} MB | ` +
        `${jsonServerRatio(r.ratios.directory_vs_json_server_by_country)} |`
    )
  }
  lines.push('', 'Reproduce: `npm run build && npm run bench` (see `npm run bench -- --help`). Chart: `bench/results/latest.svg`.', '')
  return lines.join('\n')
}

const results: SizeResult[] = []
try {
  let port = 18_000 + (process.pid % 1000) * 3
  for (const size of sizes) {
    results.push(await measureSize(size, port))
    port += 3
  }
} finally {
  for (const child of [...children]) await stop(child)
}
const now = new Date()
const meta = {
  date: now.toISOString(),
  node: process.version,
  cpus,
  cpuModel: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown').trim(),
  pinned,
  connections,
  duration,
  warmup,
  warmEveryPath: warmup > 0,
  // How the directory was started: npm start's variables and node flags (bench/start-command.ts).
  server: { env: startCommand.env, nodeFlags: startCommand.nodeFlags, entry: startCommand.entry },
  settings: BENCHMARK_SETTINGS,
  runs: runsPerLoad,
  loadAverage: readFileSync('/proc/loadavg', 'utf8').trim()
}
const resultsDir = join(root, 'bench', 'results')
mkdirSync(resultsDir, { recursive: true })
const stamp = now.toISOString().slice(0, 16).replace(':', '')
writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify({ meta, results }, null, 2)}\n`)
writeFileSync(join(resultsDir, `${stamp}.md`), markdown(results, meta))
writeFileSync(join(resultsDir, 'latest.svg'), renderChart(results))
process.stdout.write(`\nwrote bench/results/${stamp}.json, ${stamp}.md and latest.svg\n`)
