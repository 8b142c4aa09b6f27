// The application's own SQL functions, which its queries and derived tables call: every connection
// that runs them needs them (the app's, and an export's snapshot).
import type Database from 'better-sqlite3'
import { fold } from '../text/fold.js'
import { searchKey } from '../text/search-key.js'
import { csvRecord } from '../text/csv-record.js'

export function addFunctions(sqlite: Database.Database): void {
  // fold() gives SQL the same accent- and case-insensitive matching as the application code.
  sqlite.function('fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? fold(text) : null))
  // search_key() makes the words the full-text indexes hold, exactly as queries are made into words.
  sqlite.function('search_key', { deterministic: true }, (text: string) => searchKey(text))
  // csv_record() renders the CSV export's stored lines, as csv-stringify renders the others.
  sqlite.function('csv_record', { deterministic: true, varargs: true }, csvRecord)
}
