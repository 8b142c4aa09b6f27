// CSV exports of the lists (RFC 4180: header row, CRLF, UTF-8), streamed a chunk of records at a
// time so that a whole table exports without being held in memory. Asked for with `format=csv` or
// `Accept: text/csv`; the list's filters apply, its pagination does not (every match is exported).
import type {} from '@fastify/accepts' // request.accepts()
import { stringify } from 'csv-stringify/sync'
import { sql, type SQL } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { collectYoungGarbage } from '../collect-garbage.js'
import type { DirectoryDatabase } from '../db/connection.js'
import { sendExport, type ExportRead } from './export-stream.js'
import type { ListResult, Page, SortKey } from '../modules/shared/sql.js'

/** How many records are read from the database at a time while streaming (at first: see MAX_RESORTED_CSV_CHUNK). */
export const CSV_CHUNK = 1000

/**
 * The most records a chunk of an export reads when each chunk sorts or ranks every match again (a
 * search, a sort or a filter that no index serves in the list's order): the chunks after the first
 * grow fourfold up to it, as that cost is the chunk's, whatever its size. At 1,000,000
 * participations, by chunks of 1,000, exporting the 587,000 matches of "ministry" took 10 to 30
 * minutes (each chunk 0.65-2 s ranked, 2.6 s sorted by participant), and the 125,000 people by name
 * 37 s. With chunks of up to 16,000: 47 s ranked, 105 s sorted, 8.5 s, at a peak RSS of 192 MB at
 * most, against 30 s, 68 s and 224 MB with 32,000. The price: other requests wait for a larger
 * chunk to be read (up to 1.5 s for the people by name, 3.5 s for "ministry", against 0.4 and 1 s).
 */
export const MAX_RESORTED_CSV_CHUNK = 16_000
const RESORTED_CHUNK_GROWTH = 4

/**
 * Records sent between two collections of V8's young generation (about 3 MB of CSV a thousand
 * participations). Exporting 1,000,000 participations alone, against the built server, by chunks of
 * 1,000: peak RSS 143 MB without the collections, 113 MB with one every 8 chunks, 1.5 s either way
 * (1.8-2.0 s collecting after every chunk). In the benchmark, after its load runs: 220 MB before,
 * 184 MB with them.
 */
export const RECORDS_PER_COLLECTION = 8000

/** A column of an export rendered from the list's records. */
export interface CsvColumn<T> {
  header: string
  value: (item: T) => string | number | null
}

/**
 * One chunk of an export: its CSV records, each ending in CRLF (text, or UTF-8 bytes as the
 * database gives them), and the sort key where the next chunk starts.
 */
export interface CsvChunk {
  records: string | Uint8Array
  next: SortKey | null
  /** Whether reading it sorted or ranked every match, as reading the next one will: the next is then larger. */
  resortsEveryMatch: boolean
}

/**
 * How a list exports: its records rendered by these columns, or chunks of records rendered
 * elsewhere (by the database) under this header, for these filters.
 */
export type CsvExport<F, T> =
  | { filename: string; columns: CsvColumn<T>[] }
  | { filename: string; header: readonly string[]; chunk: (db: DirectoryDatabase, filters: F, page: Page) => CsvChunk }

// With a record delimiter given, csv-stringify quotes only that delimiter (CRLF), not a lone LF or
// CR, which many readers take for the end of a record: a cell holding any line break is quoted.
// Spreadsheets are among the exports' readers, and run a cell that begins with = + - @ (or a tab or
// CR, or their full-width forms) as a formula: such text (a name, a note, a quote an editor wrote)
// gets a leading ' that makes it text (OWASP, "CSV Injection"). Numbers are left as they are.
const CSV_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true } as const

/**
 * CSV records, as csv-stringify writes them: RFC 4180, CRLF, a cell quoted when it holds a quote, a
 * comma or a line break, text that a spreadsheet would take for a formula behind a '.
 */
export const csvRecords = (rows: (string | number | null)[][]): string => stringify(rows, CSV_OPTIONS)

/**
 * Raised whenever an export's bytes change for the same records and header (quoting, escaping, in
 * CSV_OPTIONS or in csv_record()): part of its ETag, which is not a hash of the bytes, and of the
 * definition of the stored lines, which open databases then render again. 2: text a spreadsheet
 * would run, behind a '.
 */
export const CSV_FORMAT = 2

/** What tells Excel that a file is UTF-8: U+FEFF, the byte-order mark, before everything else. */
const BYTE_ORDER_MARK = '\uFEFF'

/**
 * The CSV record of these values, made in SQL exactly as csvRecords makes it (without the CRLF), by
 * the application's SQL function csv_record() (text/csv-record.ts): for exports rendered when their
 * records are written rather than when they are read.
 */
export const sqlCsvRecord = (values: readonly SQL[]): SQL => sql`csv_record(${sql.join([...values], sql`, `)})`

export const FormatParameter = Type.Enum(['json', 'csv'] as const, {
  description:
    "Answer as JSON (the default) or as CSV (`Accept: text/csv` also asks for CSV). CSV exports every matching record (`limit` and `cursor` do not apply), as the directory was when the export began, whatever is written while it downloads. A CSV cell of text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would run as a formula, begins with a `'`.",
  examples: ['csv']
})

export const ByteOrderMarkParameter = Type.Boolean({
  description:
    "With CSV: `true` begins the file with a UTF-8 byte-order mark, by which Excel knows it is UTF-8 (without one, Excel on Windows shows Čosović-Medić as ÄŒosoviÄ‡-MediÄ‡). Off by default, as other readers may take the mark for part of the first column's name. JSON answers ignore it.",
  examples: [true]
})

/** Whether the client asked for CSV: `format=csv`, or an Accept header preferring text/csv. */
export function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv'
  return request.accepts().type(['application/json', 'text/csv']) === 'text/csv'
}

/** Joins several values into one cell (several quotes, several names). */
export const joinCell = (values: readonly (string | null)[]): string => values.filter((v) => v !== null && v !== '').join(' | ')

/** The last two columns of every record that cites sources: their ids and their quotes. */
export function sourceColumns<T extends { sources: { source_id: string; quote: string | null }[] }>(): CsvColumn<T>[] {
  return [
    { header: 'source_ids', value: (record) => joinCell(record.sources.map((s) => s.source_id)) },
    { header: 'source_quotes', value: (record) => joinCell(record.sources.map((s) => s.quote)) }
  ]
}

/**
 * Streams every record of the export for these filters, chunk after chunk (`list` reads the
 * records that columns render), all as the directory was when the export began (sendExport). The
 * first chunk is read before anything is sent, so a bad filter still answers a 400 problem instead
 * of a broken download.
 */
export function sendCsv<F, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  csv: CsvExport<F, T>,
  filters: F,
  list: (db: DirectoryDatabase, filters: F, page: Page) => ListResult<T>,
  byteOrderMark = false
) {
  const header = 'columns' in csv ? csv.columns.map((column) => column.header) : csv.header
  // Unfiltered, in their default order, the people (the largest of these lists) are read from an
  // index. Searched, sorted or filtered, a list may rank or sort every match again for each chunk.
  const resortsEveryMatch = Object.values(filters as object).some((value) => value !== undefined)
  const chunk = (db: DirectoryDatabase, page: Page): CsvChunk => {
    if (!('columns' in csv)) return csv.chunk(db, filters, page)
    const { data, next } = list(db, filters, page)
    return { records: csvRecords(data.map((item) => csv.columns.map((column) => column.value(item)))), next, resortsEveryMatch }
  }
  function* pieces(read: ExportRead) {
    let limit = CSV_CHUNK
    let current: CsvChunk | null = read((db) => chunk(db, { limit, withTotal: false }))
    yield `${byteOrderMark ? BYTE_ORDER_MARK : ''}${csvRecords([[...header]])}`
    let unCollected = 0
    while (current !== null) {
      if (current.records.length > 0) yield current.records
      // The chunks sent are dead but outside the heap: see collect-garbage.ts.
      unCollected += limit
      if (unCollected >= RECORDS_PER_COLLECTION) {
        collectYoungGarbage()
        unCollected = 0
      }
      if (current.resortsEveryMatch) limit = Math.min(limit * RESORTED_CHUNK_GROWTH, MAX_RESORTED_CSV_CHUNK)
      const after: SortKey | null = current.next
      current = after === null ? null : read((db) => chunk(db, { limit, after, withTotal: false }))
    }
  }
  // The URL (and with it `bom`) is part of the ETag already.
  return sendExport(request, reply, { type: 'text/csv; charset=utf-8', etagPrefix: 'csv', dependsOn: [CSV_FORMAT, ...header], filename: `${csv.filename}.csv` }, pieces)
}

/** The 200 response of a list: JSON by its schema, or CSV. */
export function listResponse(schema: unknown) {
  return {
    description: 'A page of records (JSON), or every matching record (CSV).',
    content: {
      'application/json': { schema },
      'text/csv': { schema: Type.String({ description: 'RFC 4180 CSV with a header row, UTF-8.' }) }
    }
  }
}
