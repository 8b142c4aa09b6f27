// Environment -> typed configuration. A bad value stops start-up with one line naming the variable.
import { isIP } from 'node:net'
import { isAbsolute, join } from 'node:path'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Config {
  port: number
  host: string
  databasePath: string
  logLevel: LogLevel
  /** HEADERS_TIMEOUT_MS: time a client has to send a request's headers (0: no limit). */
  headersTimeoutMs: number
  /** REQUEST_TIMEOUT_MS: time a client has to send a whole request (0: no limit). */
  requestTimeoutMs: number
  /** KEEP_ALIVE_TIMEOUT_MS: how long an idle connection is kept open after a response (0: no limit). */
  keepAliveTimeoutMs: number
  /** CONNECTION_TIMEOUT_MS: a connection on which nothing moves for this long is closed (0: no limit). */
  connectionTimeoutMs: number
  /** SHUTDOWN_GRACE_MS: how long a shutdown waits for requests in progress before closing their connections. */
  shutdownGraceMs: number
  /** CORS_ORIGINS: the origins browsers may read the API from. */
  corsOrigins: string[]
  /** RATE_LIMIT_MAX requests per client per RATE_LIMIT_WINDOW_MS. */
  rateLimit: { max: number; timeWindowMs: number }
  /** TRUST_PROXY: the reverse proxies whose X-Forwarded-* headers name the client (false: none). */
  trustProxy: TrustProxy
  /** COUNT_CACHE_SIZE: how many list totals and facet counts are kept until the next write (0: none). */
  countCacheSize: number
  /** RESPONSE_CACHE_MB: megabytes of serialised public answers kept until the next write (0: none). */
  responseCacheMb: number
  /** PAGE_CACHE_MB: megabytes of database pages SQLite keeps in memory for the server's connection. */
  pageCacheMb: number
}

/** What Fastify's trustProxy takes of it: the proxies' addresses and ranges, or false for none. */
export type TrustProxy = false | string[]

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const DEFAULT_DATABASE_PATH = 'data/directory.sqlite'

/** The longest timeout accepted, an hour: longer ones protect nothing (and Node's timers overflow past 24 days). */
const MAX_TIMEOUT_MS = 3_600_000

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`Invalid PORT "${raw}": expected an integer from 0 to 65535`)
  }
  return Number(raw)
}

function parseHost(raw: string): string {
  if (raw.trim() === '' || /\s/.test(raw)) throw new ConfigError(`Invalid HOST "${raw}": expected a host name or IP address`)
  return raw
}

function parseLogLevel(raw: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === raw)
  if (!level) throw new ConfigError(`Invalid LOG_LEVEL "${raw}": expected one of ${LOG_LEVELS.join(', ')}`)
  return level
}

/** The bounds of the rate limit's settings (the OpenAPI document states them for its headers). */
export const MAX_RATE_LIMIT = 1_000_000
export const MAX_RATE_LIMIT_WINDOW_MS = 86_400_000
/** The longest origin: a scheme, a host name of at most 253 characters and a port. */
export const MAX_ORIGIN_LENGTH = 'https://'.length + 253 + ':65535'.length

/** How many counts a connection keeps by default (COUNT_CACHE_SIZE; see db/count-cache.ts), and at most. */
export const DEFAULT_COUNT_CACHE_SIZE = 1000
export const MAX_COUNT_CACHE_SIZE = 1_000_000
/** How many megabytes of answers the server keeps by default (RESPONSE_CACHE_MB; see http/response-cache.ts), and at most. */
export const DEFAULT_RESPONSE_CACHE_MB = 32
export const MAX_RESPONSE_CACHE_MB = 65_536
/**
 * The server's SQLite page cache by default (PAGE_CACHE_MB), and at most. Smaller than the CLI's
 * (db/connection.ts): the server's answers come mostly from its own caches, and at 1,000,000
 * participations, lists with both caches off answered as fast with 8 MiB as with 32 (410-590
 * req/s either way, within the runs' spread), for 25 MB less resident memory.
 */
export const DEFAULT_SERVER_PAGE_CACHE_MB = 8
export const MAX_PAGE_CACHE_MB = 65_536

/** A decimal integer from `min` to `max`; `what` completes the message ("expected an integer from 0 to 10 <what>"). */
function parseInteger(name: string, raw: string, min: number, max: number, what = ''): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected an integer from ${min} to ${max}${what}`)
  }
  return Number(raw)
}

const parseTimeout = (name: string, raw: string) => parseInteger(name, raw, 0, MAX_TIMEOUT_MS, ' (milliseconds, 0 for no limit)')

/**
 * Comma-separated origins, each exactly as a browser sends it in its Origin header (scheme, host,
 * optional port; lower case, no path, no trailing slash): CORS compares them as strings.
 */
function parseCorsOrigins(raw: string): string[] {
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
  for (const origin of origins) {
    if (!(origin.length <= MAX_ORIGIN_LENGTH && /^https?:\/\//.test(origin) && URL.canParse(origin) && new URL(origin).origin === origin)) {
      throw new ConfigError(`Invalid CORS_ORIGINS "${raw}": "${origin}" is not an origin like https://example.org (scheme, host and optional port only)`)
    }
  }
  return origins
}

/** proxy-addr's names for the ranges of loopback, link-local and private addresses (IPv4 and IPv6). */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal']

/** An IP address, optionally with a prefix length that fits it (10.0.0.0/8, fd00::/8), or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
}

/**
 * Whose X-Forwarded-For, -Proto and -Host to believe: the reverse proxies' addresses or ranges,
 * comma-separated. Unset, nobody's: a client could otherwise name any address (and so step out of
 * its rate limit) or any host and scheme (the links of the Popolo export). `true` (every sender)
 * is refused for that reason.
 */
function parseTrustProxy(raw: string): TrustProxy {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      throw new ConfigError(`Invalid TRUST_PROXY "${raw}": "${entry}" is not an IP address, a range like 10.0.0.0/8, or one of ${PROXY_RANGE_NAMES.join(', ')}`)
    }
  }
  return entries.length === 0 ? false : entries
}

/** `name` is what the operator set: the DATABASE_PATH variable, or the CLI's --db option. */
export function parseDatabasePath(raw: string, cwd: string, name = 'DATABASE_PATH'): string {
  if (raw.trim() === '') throw new ConfigError(`Invalid ${name} "${raw}": expected a file path or :memory:`)
  if (raw === ':memory:' || isAbsolute(raw)) return raw
  return join(cwd, raw)
}

/** Reads the configuration from an environment (process.env by default); throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const headersTimeoutMs = parseTimeout('HEADERS_TIMEOUT_MS', env.HEADERS_TIMEOUT_MS ?? '5000')
  const requestTimeoutMs = parseTimeout('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS ?? '10000')
  // The request timeout counts from the same moment and covers the headers too (Node refuses the reverse).
  if (headersTimeoutMs > requestTimeoutMs && requestTimeoutMs > 0) {
    throw new ConfigError(`Invalid HEADERS_TIMEOUT_MS "${headersTimeoutMs}": expected at most REQUEST_TIMEOUT_MS (${requestTimeoutMs})`)
  }
  return {
    port: parsePort(env.PORT ?? '3000'),
    host: parseHost(env.HOST ?? '127.0.0.1'),
    databasePath: databasePathFrom(env, cwd),
    logLevel: parseLogLevel(env.LOG_LEVEL ?? 'info'),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: parseTimeout('KEEP_ALIVE_TIMEOUT_MS', env.KEEP_ALIVE_TIMEOUT_MS ?? '5000'),
    connectionTimeoutMs: parseTimeout('CONNECTION_TIMEOUT_MS', env.CONNECTION_TIMEOUT_MS ?? '10000'),
    shutdownGraceMs: parseTimeout('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS ?? '8000'),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS ?? ''),
    rateLimit: {
      max: parseInteger('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX ?? '300', 1, MAX_RATE_LIMIT),
      timeWindowMs: parseInteger('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS ?? '60000', 1, MAX_RATE_LIMIT_WINDOW_MS, ' (milliseconds)')
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? ''),
    countCacheSize: parseInteger('COUNT_CACHE_SIZE', env.COUNT_CACHE_SIZE ?? String(DEFAULT_COUNT_CACHE_SIZE), 0, MAX_COUNT_CACHE_SIZE, ' (0 turns the cache off)'),
    responseCacheMb: parseInteger('RESPONSE_CACHE_MB', env.RESPONSE_CACHE_MB ?? String(DEFAULT_RESPONSE_CACHE_MB), 0, MAX_RESPONSE_CACHE_MB, ' (0 turns the cache off)'),
    pageCacheMb: parseInteger('PAGE_CACHE_MB', env.PAGE_CACHE_MB ?? String(DEFAULT_SERVER_PAGE_CACHE_MB), 1, MAX_PAGE_CACHE_MB)
  }
}

/** The database file alone, for the CLI (which has no use for PORT or HOST). */
export function databasePathFrom(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return parseDatabasePath(env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH, cwd)
}
