// Answers a list operation: a page of JSON with its meta, or every matching record as CSV.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendCsv, wantsCsv, type CsvColumn } from './csv.js'
import { parseFacets } from './facets.js'
import { listMeta, type Page } from './pagination.js'
import type { FacetValue } from '../modules/shared/sql.js'

export interface ListQuery {
  limit: number
  offset: number
  format?: 'json' | 'csv'
  facet?: string
}

/** A resource's facets: the names it allows, and how to count them for a set of filters. */
export interface Facets<F> {
  allowed: readonly string[]
  count: (filters: F, names: string[]) => Record<string, FacetValue[]>
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
  list: (filters: Omit<Q, keyof ListQuery>, page: Page) => { data: T[]; total: number },
  facets?: Facets<Omit<Q, keyof ListQuery>>
) {
  const { limit, offset, format, facet, ...filters } = query
  if (wantsCsv(request, format)) return sendCsv(reply, csv.filename, csv.columns, (page) => list(filters, page))
  const { data, total } = list(filters, { limit, offset })
  const meta = listMeta(request, { limit, offset }, total)
  if (facet === undefined) return { data, meta }
  // Only the lists that pass `facets` declare the facet parameter in their query schema.
  const counted = facets!
  return { data, meta: { ...meta, facets: counted.count(filters, parseFacets(facet, counted.allowed)) } }
}
