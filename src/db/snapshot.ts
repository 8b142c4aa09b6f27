// A second connection to the database's file for a read that spans many requests' worth of time
// (a CSV export). Apart from connection.ts, which imports every derived table's module (and so,
// through the participations' CSV lines, the CSV export itself).
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import type { DirectoryDatabase } from './connection.js'
import * as schema from './schema.js'
import { addFunctions } from './sql-functions.js'

/**
 * A read-only connection to the database's file, in a read transaction: every query on it sees the
 * database as it was at its first read, whatever is committed meanwhile (in WAL mode a reader
 * keeps its snapshot while others write), until it is closed. Undefined for an in-memory database,
 * which no other connection can open.
 */
export function openSnapshot(db: DirectoryDatabase): DirectoryDatabase | undefined {
  if (db.$client.memory) return undefined
  const sqlite = new Database(db.$client.name, { readonly: true, fileMustExist: true })
  sqlite.pragma('busy_timeout = 5000')
  addFunctions(sqlite)
  sqlite.exec('BEGIN')
  return drizzle(sqlite, { schema }) as DirectoryDatabase
}
