// Counts (the `meta.total` of a list, its facet counts) kept per connection and keyed by their query
// and the data version. Every write bumps the data version in its own transaction (after-write.ts),
// whichever process makes it, and the version is read before the count: a count is never served
// once a write that could change it has committed. A list's page itself is always read afresh.
import type Database from 'better-sqlite3'
import type { SQL } from 'drizzle-orm'
import { DEFAULT_COUNT_CACHE_SIZE } from '../config.js'
import { dataVersion } from './settings.js'
import { prepared } from './statements.js'

interface CountCache {
  size: number
  version: number
  counts: Map<string, unknown>
}

const caches = new WeakMap<Database.Database, CountCache>()

const cacheOf = (sqlite: Database.Database): CountCache => {
  let cache = caches.get(sqlite)
  if (!cache) caches.set(sqlite, (cache = { size: DEFAULT_COUNT_CACHE_SIZE, version: Number.NaN, counts: new Map() }))
  return cache
}

/** How many counts this connection keeps (0: none, every count is made again). */
export function setCountCacheSize(sqlite: Database.Database, size: number): void {
  const cache = cacheOf(sqlite)
  cache.size = size
  cache.counts.clear()
}

/** What `count` reads (with `query`'s statement and parameters), from the cache when the data has not changed since. */
export function cachedCount<T>(sqlite: Database.Database, query: SQL, count: (statement: Database.Statement, params: unknown[]) => T): T {
  const { statement, params } = prepared(sqlite, query)
  const cache = cacheOf(sqlite)
  if (cache.size === 0) return count(statement, params)
  const version = dataVersion(sqlite)
  if (version !== cache.version) {
    cache.counts.clear()
    cache.version = version
  }
  const key = `${statement.source}\u0000${JSON.stringify(params)}`
  if (cache.counts.has(key)) {
    // Most recently used last (see statements.ts).
    const value = cache.counts.get(key) as T
    cache.counts.delete(key)
    cache.counts.set(key, value)
    return value
  }
  const value = count(statement, params)
  if (cache.counts.size >= cache.size) cache.counts.delete(cache.counts.keys().next().value as string)
  cache.counts.set(key, value)
  return value
}
