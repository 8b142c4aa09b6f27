// Answers a list operation: a page of JSON with its meta (and facets, and embedded records), or
// every matching record as CSV.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DirectoryDatabase } from '../db/connection.js'
import { sendCsv, wantsCsv, type CsvExport } from './csv.js'
import { DEFAULT_FACET_SIZE, parseNames } from './facets.js'
import { decodeCursor, encodeCursor, listMeta, queryFingerprint } from './pagination.js'
import { DEFAULT_LIMIT } from '../modules/shared/query.schemas.js'
import type { FacetCounts, FacetRequest, ListResult, Page } from '../modules/shared/sql.js'

/** The parameters every list takes, apart from its filters. */
export interface ListQuery {
  /** Optional in the schema, as it has a default, which Ajv's useDefaults fills in. */
  limit?: number
  cursor?: string
  format?: 'json' | 'csv'
  bom?: boolean
  facet?: string
  facet_size?: number
  include?: string
}

/** A resource's facets: the names it allows, and how to count them for a set of filters. */
export interface Facets<F> {
  allowed: readonly string[]
  count: (filters: F, request: FacetRequest) => Record<string, FacetCounts>
}

/** Related records a resource can embed (`include=`), loaded for a whole page at once. */
export interface Includes<T> {
  allowed: readonly string[]
  embed: (records: T[], names: string[]) => T[]
}

export interface ListOperation<F, T> {
  /** Reads a page on `db`: the app's connection, or the snapshot a CSV export reads from (csv.ts). */
  list: (db: DirectoryDatabase, filters: F, page: Page) => ListResult<T>
  csv: CsvExport<F, T>
  facets?: Facets<F>
  includes?: Includes<T>
}

export function answerList<Q extends ListQuery, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: Q,
  operation: ListOperation<Omit<Q, keyof ListQuery>, T>
) {
  // The defaults are the schema's, which Ajv has filled in already: these only satisfy the types.
  const { limit = DEFAULT_LIMIT, cursor, format, bom, facet, facet_size: size = DEFAULT_FACET_SIZE, include, ...filters } = query
  if (wantsCsv(request, format)) return sendCsv(request, reply, operation.csv, filters, operation.list, bom)
  const { db } = request.server
  const fingerprint = queryFingerprint(new URL(request.url, 'http://directory.invalid').pathname, filters)
  const after = cursor === undefined ? undefined : decodeCursor(db, fingerprint, cursor)
  const page = operation.list(db, filters, { limit, after })
  const meta = listMeta(request, reply, limit, page.total, page.next === null ? null : encodeCursor(db, fingerprint, page.next))
  // Only the lists that pass `includes` and `facets` declare those parameters in their query schema.
  const data = include === undefined ? page.data : operation.includes!.embed(page.data, parseNames('include', include, operation.includes!.allowed))
  if (facet === undefined) return { data, meta }
  const { facets } = operation as Required<typeof operation>
  const counted = Object.entries(facets.count(filters, { names: parseNames('facet', facet, facets.allowed), size }))
  const facetMeta = {
    facets: Object.fromEntries(counted.map(([name, { values }]) => [name, values])),
    facet_value_totals: Object.fromEntries(counted.map(([name, { total }]) => [name, total]))
  }
  return { data, meta: { ...meta, ...facetMeta } }
}
