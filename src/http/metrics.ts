// Prometheus metrics: request counts and latencies per route pattern and status, the database's
// size on disk, and the process's CPU, memory and event-loop lag (prom-client's default metrics).
import { statSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Registry, type Histogram } from 'prom-client'
import type { DirectoryDatabase } from '../db/connection.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Renders every metric in the Prometheus text format. */
    metrics: { contentType: string; render: () => Promise<string> }
  }
}

/** The label of requests no route matched: their raw URLs would make a series per scanner's guess. */
export const UNMATCHED_ROUTE = 'unmatched'

const LABELS = ['method', 'route', 'status_code'] as const

/**
 * Process metrics describe the process, not an app, and prom-client watches the event loop and the
 * garbage collector once per registry: one registry per process, shared by every app built in it.
 */
let processRegistry: Registry | undefined
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

function databaseMetrics(registry: Registry, db: DirectoryDatabase) {
  const sqlite = db.$client
  new Gauge({
    name: 'directory_database_size_bytes',
    help: 'Size of the SQLite database (page_count * page_size), without its WAL file.',
    registers: [registry],
    collect() {
      this.set((sqlite.pragma('page_count', { simple: true }) as number) * (sqlite.pragma('page_size', { simple: true }) as number))
    }
  })
  new Gauge({
    name: 'directory_database_wal_size_bytes',
    help: 'Size of the SQLite write-ahead log file (0 for an in-memory database or after a truncating checkpoint).',
    registers: [registry],
    collect() {
      this.set(sqlite.memory ? 0 : (statSync(`${sqlite.name}-wal`, { throwIfNoEntry: false })?.size ?? 0))
    }
  })
}

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

type RouteLabels = { method: string; route: string; status_code: number }

/** One series of the duration histogram: the answered requests of one route pattern, method and status. */
interface DurationSeries {
  labels: RouteLabels
  /** Requests by the first bucket whose bound their duration is at most; the last: over every bound. */
  counts: number[]
  sum: number
  count: number
}

/**
 * The request-duration histogram, counted here and laid out for prom-client's registry, which
 * formats it as it formats its own Histogram's. prom-client's observe() checks and hashes the
 * labels at every request, which cost a cached answer by id 4 % of its time: here each route
 * keeps its series by method and status, and a request adds to three numbers.
 */
export function durationHistogram(name: string, help: string) {
  const series: DurationSeries[] = []
  const samples = (s: DurationSeries) => {
    let below = 0
    return [
      ...DURATION_BUCKETS.map((le, bucket) => ({ metricName: `${name}_bucket`, labels: { le, ...s.labels }, value: (below += s.counts[bucket] as number) })),
      { metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count },
      { metricName: `${name}_sum`, labels: s.labels, value: s.sum },
      { metricName: `${name}_count`, labels: s.labels, value: s.count }
    ]
  }
  // What the registry reads of a metric, as prom-client's own Histogram answers it (its typings
  // declare `type` an enum, which it is not at run time).
  const described = { name, help, type: 'histogram', aggregator: 'sum' }
  const metric = { ...described, get: async () => ({ ...described, values: series.flatMap(samples) }) }
  return {
    series,
    metric: metric as unknown as Histogram,
    newSeries(labels: RouteLabels): DurationSeries {
      const added = { labels, counts: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }
      series.push(added)
      return added
    },
    observe(s: DurationSeries, seconds: number) {
      let bucket = 0
      while (bucket < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[bucket] as number)) bucket++
      ;(s.counts[bucket] as number)++
      s.sum += seconds
      s.count++
    }
  }
}

/** Registered at the root, before any route, so that every request is counted, 404s and errors included. */
export function registerMetrics(app: FastifyInstance) {
  const registry = new Registry()
  const duration = durationHistogram(
    'http_request_duration_seconds',
    'Time from receiving a request to sending the last byte of its answer, by method, route pattern and status.'
  )
  // The histogram counts every answered request already (its _count series): the counter copies
  // those counts when the metrics are read.
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: [...LABELS],
    registers: [registry],
    collect() {
      this.reset()
      for (const { labels, count } of duration.series) this.inc(labels, count)
    }
  })
  registry.registerMetric(duration.metric)
  databaseMetrics(registry, app.db)

  /**
   * Counts the answered requests of one route pattern. The pattern is known when the route is
   * added: read per request, from request.routeOptions, it cost an object of all the route's
   * options each time.
   */
  const countFor = (route: string) => {
    const seriesByMethod = new Map<string, Map<number, DurationSeries>>()
    return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const { method } = request
      const status = reply.statusCode
      let byStatus = seriesByMethod.get(method)
      if (byStatus === undefined) seriesByMethod.set(method, (byStatus = new Map()))
      let series = byStatus.get(status)
      if (series === undefined) byStatus.set(status, (series = duration.newSeries({ method, route, status_code: status })))
      duration.observe(series, reply.elapsedTime / 1000)
      done()
    }
  }
  // Callback hooks, not async ones: Fastify logs "request completed" right after the onResponse
  // hooks, and a promise would defer that line past a graceful shutdown's last line (shutdown.test.ts).
  // Each route counts its own requests; the root hook counts those no route matched.
  app.addHook('onRoute', (route) => {
    route.onResponse = [route.onResponse ?? [], countFor(route.url)].flat()
  })
  const countUnmatched = countFor(UNMATCHED_ROUTE)
  app.addHook('onResponse', (request, reply, done) => (request.is404 ? countUnmatched(request, reply, done) : done()))
  app.decorate('metrics', {
    contentType: registry.contentType,
    render: () => Registry.merge([processMetrics(), registry]).metrics()
  })
}
