// Prometheus metrics: request counts and latencies per route pattern and status, the database's
// size on disk, and the process's CPU, memory and event-loop lag (prom-client's default metrics).
import { statSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
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

/** Registered at the root, before any route, so that every request is counted, 404s and errors included. */
export function registerMetrics(app: FastifyInstance) {
  const registry = new Registry()
  const labelNames = [...LABELS]
  const durationName = 'http_request_duration_seconds'
  // The histogram counts every answered request already (its _count series): the counter copies
  // those counts when the metrics are read, rather than hashing the labels a second time at every
  // request (prom-client does at every inc and observe).
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset()
      for (const { metricName, labels, value } of (await duration.get()).values) if (metricName === `${durationName}_count`) this.inc(labels, value)
    }
  })
  const duration = new Histogram({
    name: durationName,
    help: 'Time from receiving a request to sending the last byte of its answer, by method, route pattern and status.',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  databaseMetrics(registry, app.db)

  /**
   * Counts the answered requests of one route pattern. The pattern is known when the route is
   * added: read per request, from request.routeOptions, it cost an object of all the route's
   * options each time. The labels are made once per method and status.
   */
  const countFor = (route: string) => {
    const labelsByStatus = new Map<string, { method: string; route: string; status_code: number }>()
    return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const key = `${request.method} ${reply.statusCode}`
      let labels = labelsByStatus.get(key)
      if (labels === undefined) labelsByStatus.set(key, (labels = { method: request.method, route, status_code: reply.statusCode }))
      duration.observe(labels, reply.elapsedTime / 1000)
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
