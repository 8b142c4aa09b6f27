// The service: configuration, database (migrated, and seeded when empty), HTTP with timeouts, graceful close.
// The only file that calls listen().
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ConfigError, loadConfig, type Config } from './config.js'

/**
 * How often Node looks for requests past their headers or request timeout. Its default, 30 s, would
 * let a client that sends a byte now and then (slowloris) keep a connection 30 s past the timeout.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1000

/** Start-up problems an operator can fix end the process with one line, not a stack trace. */
function exitWith(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/**
 * What Fastify's requestTimeout, keepAliveTimeout and connectionTimeout options and its `http`
 * options (headersTimeout, connectionsCheckingInterval) would set, set on the server buildApp
 * made. Node reads them when it listens and at each check, so setting them before listen() is the
 * same as passing them to http.createServer.
 */
function applyTimeouts(server: Server, config: Config) {
  server.headersTimeout = config.headersTimeoutMs
  server.requestTimeout = config.requestTimeoutMs
  server.keepAliveTimeout = config.keepAliveTimeoutMs
  server.setTimeout(config.connectionTimeoutMs)
  // A constructor option in @types/node, but a plain property that Node reads on 'listening'.
  Object.assign(server, { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS })
}

/**
 * At close, Node closes the connections it deems idle (server.close() calls closeIdleConnections()),
 * and deems a response done once end() is called: a large response still on its way to a slow
 * client would be cut short. So the server closes idle connections itself: at once if none of their
 * responses is still being sent (a connection still sending its request has none), else as soon as
 * the last one has been. `report` is told, once the server has stopped listening, how many of each.
 */
function closeOnlyIdleConnections(server: Server, report: (closed: number, sending: number) => void) {
  const connections = new Set<Socket>()
  const responsesBeingSent = new WeakMap<Socket, number>()
  let closing = false
  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    responsesBeingSent.set(socket, 0)
    socket.once('close', () => connections.delete(socket))
  })
  server.on('request', ({ socket }: IncomingMessage, response: ServerResponse) => {
    responsesBeingSent.set(socket, responsesBeingSent.get(socket)! + 1)
    // 'close' follows 'finish' (the last byte handed to the system), or the connection's end.
    response.once('close', () => {
      const left = responsesBeingSent.get(socket)! - 1
      responsesBeingSent.set(socket, left)
      if (closing && left === 0) socket.destroySoon()
    })
  })
  server.closeIdleConnections = () => {
    closing = true
    const idle = [...connections].filter((socket) => responsesBeingSent.get(socket) === 0)
    for (const socket of idle) socket.destroy()
    // server.close() closes the listening socket right after this returns.
    process.nextTick(report, idle.length, connections.size - idle.length)
  }
}

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    /* c8 ignore next -- loadConfig throws nothing but ConfigError */
    if (!(error instanceof ConfigError)) throw error
    exitWith(error.message)
  }
  // The service is loaded only once its configuration is good: a bad setting is reported in a moment.
  const [{ buildApp }, { openDatabase }, { isEmpty, seedDatabase }, { setCountCacheSize }] = await Promise.all([
    import('./app.js'),
    import('./db/connection.js'),
    import('./seed/seed-database.js'),
    import('./db/count-cache.js')
  ])
  let db
  try {
    db = openDatabase(config.databasePath, { pageCacheKib: config.pageCacheMb * 1024 })
  } catch (error) {
    exitWith(`Cannot open DATABASE_PATH "${config.databasePath}": ${(error as Error).message}`)
  }
  setCountCacheSize(db.$client, config.countCacheSize)
  const app = await buildApp({
    db,
    logger: { level: config.logLevel },
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    responseCacheBytes: config.responseCacheMb * 1024 * 1024
  })
  applyTimeouts(app.server, config)
  closeOnlyIdleConnections(app.server, (closed, sending) =>
    app.log.info({ closed, sending }, 'stopped listening; closed the idle connections, waiting for those still sending a response')
  )
  if (isEmpty(db)) {
    const result = seedDatabase(db)
    app.log.info({ files: result.files, changes: result.total }, 'seeded the empty database from the bundled seeds')
  }

  /**
   * Stops listening (new connections are refused; a new request on an open connection gets a 503,
   * Fastify's return503OnClosing), lets the requests in progress finish for up to SHUTDOWN_GRACE_MS,
   * then destroys the connections left, closes the database and exits 0.
   */
  const shutdown = async (signal: NodeJS.Signals) => {
    const graceMs = config.shutdownGraceMs
    app.log.info({ signal, graceMs }, 'closing: refusing new connections and requests, finishing those in progress')
    const deadline = setTimeout(() => {
      app.log.warn({ graceMs }, 'grace period over: closing the connections left')
      app.server.closeAllConnections()
    }, graceMs)
    await app.close()
    clearTimeout(deadline)
    db.$client.close()
    app.log.info('closed the server and the database')
    process.exit(0)
  }
  // SIGINT then SIGTERM close once; a second SIGTERM (or SIGINT) ends the process at once, as Node does.
  let shuttingDown: Promise<void> | undefined
  const close = (signal: NodeJS.Signals) => void (shuttingDown ??= shutdown(signal))
  process.once('SIGTERM', close)
  process.once('SIGINT', close)

  await app.listen({ port: config.port, host: config.host })
}

await main()
