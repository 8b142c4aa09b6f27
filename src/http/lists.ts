// Answers a list operation: a page of JSON with its meta, or every matching record as CSV.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendCsv, wantsCsv, type CsvColumn } from './csv.js'
import { listMeta, type Page } from './pagination.js'

export interface ListQuery {
  limit: number
  offset: number
  format?: 'json' | 'csv'
}

export interface CsvExport<T> {
  filename: string
  columns: CsvColumn<T>[]
}

export function answerList<Q extends ListQuery, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: Q,
  csv: CsvExport<T>,
  list: (filters: Omit<Q, keyof ListQuery>, page: Page) => { data: T[]; total: number }
) {
  const { limit, offset, format, ...filters } = query
  if (wantsCsv(request, format)) return sendCsv(reply, csv.filename, csv.columns, (page) => list(filters, page))
  const { data, total } = list(filters, { limit, offset })
  return { data, meta: listMeta(request, { limit, offset }, total) }
}
