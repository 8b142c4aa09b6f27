// Offset pagination: the `meta` of a list page, with the path of the next page.
import type { FastifyRequest } from 'fastify'
import type { ListMeta } from '../modules/shared/common.schemas.js'

export interface Page {
  limit: number
  offset: number
}

export function listMeta(request: FastifyRequest, page: Page, total: number): ListMeta {
  const nextOffset = page.offset + page.limit
  let next: string | null = null
  if (nextOffset < total) {
    const url = new URL(request.url, 'http://directory.invalid')
    url.searchParams.set('offset', String(nextOffset))
    url.searchParams.set('limit', String(page.limit))
    next = `${url.pathname}${url.search}`
  }
  return { total, limit: page.limit, offset: page.offset, next }
}
