// CSV exports of the lists (RFC 4180: header row, CRLF, UTF-8), streamed a chunk of records at a
// time so that a whole table exports without being held in memory. Asked for with `format=csv` or
// `Accept: text/csv`; the list's filters apply, its pagination does not (every match is exported).
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type {} from '@fastify/accepts' // request.accepts()
import { stringify } from 'csv-stringify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { dataVersion } from '../db/settings.js'
import { signingKey } from './pagination.js'
import type { ListResult, Page } from '../modules/shared/sql.js'

/** How many records are read from the database at a time while streaming. */
export const CSV_CHUNK = 500

export interface CsvColumn<T> {
  header: string
  value: (item: T) => string | number | null
}

export const FormatParameter = Type.Enum(['json', 'csv'] as const, {
  description: 'Answer as JSON (the default) or as CSV. CSV exports every matching record: `limit` and `cursor` do not apply. `Accept: text/csv` does the same.',
  examples: ['csv']
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
 * A strong ETag for a CSV export, which is streamed and so cannot be hashed before it is sent: the
 * database's identity and data version (which every write that changes data increases) and what
 * was asked for. Same version, same request: the same bytes.
 */
function csvEtag(request: FastifyRequest): string {
  const { db } = request.server
  const identity = [signingKey(db), dataVersion(db.$client), request.url, 'text/csv']
  return `"csv-${createHash('sha256').update(JSON.stringify(identity)).digest('base64url')}"`
}

/**
 * Streams every record `list` returns, page after page. The first page is read before anything is
 * sent, so a bad filter still answers a 400 problem instead of a broken download.
 */
export function sendCsv<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  csv: { filename: string; columns: CsvColumn<T>[] },
  list: (page: Page) => ListResult<T>
) {
  const { columns } = csv
  const first = list({ limit: CSV_CHUNK, withTotal: false })
  function* rows() {
    for (let page = first; ; page = list({ limit: CSV_CHUNK, after: page.next, withTotal: false })) {
      for (const item of page.data) yield columns.map((column) => column.value(item))
      if (page.next === null) return
    }
  }
  const body = Readable.from(rows()).pipe(stringify({ header: true, columns: columns.map((c) => c.header), record_delimiter: 'windows' }))
  return reply
    .type('text/csv; charset=utf-8')
    .header('etag', csvEtag(request))
    .header('content-disposition', `attachment; filename="${csv.filename}.csv"`)
    .send(body)
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
