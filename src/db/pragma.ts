// A pragma set for the length of some work, then the connection's own value back.
import type Database from 'better-sqlite3'

/** Runs `work` with the pragma `name` set to `value`, then sets the connection's own value back, even when `work` throws. */
export function withPragma<T>(sqlite: Database.Database, name: string, value: string | number, work: () => T): T {
  const own = sqlite.pragma(name, { simple: true }) as string | number
  sqlite.pragma(`${name} = ${value}`)
  try {
    return work()
  } finally {
    sqlite.pragma(`${name} = ${own}`)
  }
}
