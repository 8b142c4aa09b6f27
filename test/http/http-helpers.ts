// Helpers for the HTTP tests: the article every quote comes from, problem-document checks and a
// pager that follows meta.next to the end of a list.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { bundledSeedsFolder } from '../../src/paths.js'
import { getJson } from '../helpers.js'

export const ARTICLE_ID = 'seesac-2015-06-03-sarajevo-roundtable'
export const SARAJEVO = 'sarajevo-roundtable-2015'
export const BELGRADE = 'belgrade-being-a-peacekeeper-roundtable-2014'
export const PANEL = 'sarajevo-2015-regional-cooperation-panel'
export const MESETOVIC_MODERATOR = 'sarajevo-2015-mersida-mesetovic-moderator'

/** The full text of the SEESAC article, read from the seed folder (not through the API). */
export const ARTICLE_TEXT = readFileSync(join(bundledSeedsFolder, 'sources', `${ARTICLE_ID}.txt`), 'utf8')

/** The ids (or country codes) of a list page. */
export const ids = (body: { data: { id?: string; code?: string }[] }): string[] => body.data.map((d) => (d.id ?? d.code) as string)

/** GET a list and return the ids of its first page (limit 100, the most a page holds), after checking it is a 200. */
export async function listIds(t: Test, app: FastifyInstance, url: string): Promise<string[]> {
  const separator = url.includes('?') ? '&' : '?'
  const { status, body } = await getJson(app, `${url}${separator}limit=100`)
  t.equal(status, 200, `GET ${url} answers 200`)
  t.equal(body.meta.total, body.data.length, `GET ${url}: one page holds every record`)
  return ids(body)
}

export interface PageMeta {
  total: number
  limit: number
  next: string | null
  next_cursor: string | null
}

/** The ids of the best `count` matches of a search, in rank order. */
export async function topIds(t: Test, app: FastifyInstance, url: string, count = 1): Promise<string[]> {
  return (await listIds(t, app, url)).slice(0, count)
}

/**
 * Follows meta.next from a first page to the last, returning every item and the pages seen; checks
 * on the way that the Link header and meta.next_cursor agree with meta.next.
 */
export async function walkPages<T = any>(t: Test, app: FastifyInstance, firstUrl: string): Promise<{ items: T[]; pages: { url: string; meta: PageMeta }[] }> {
  const items: T[] = []
  const pages: { url: string; meta: PageMeta }[] = []
  let url: string | null = firstUrl
  while (url !== null) {
    const { status, body, headers }: { status: number; body: any; headers: Record<string, unknown> } = await getJson(app, url)
    t.equal(status, 200, `GET ${url} answers 200`)
    const meta = body.meta as PageMeta
    t.equal(headers.link, meta.next === null ? undefined : `<${meta.next}>; rel="next"`, `GET ${url}: the Link header points at meta.next`)
    t.equal(meta.next === null ? null : new URL(meta.next, 'http://x').searchParams.get('cursor'), meta.next_cursor, `GET ${url}: meta.next carries meta.next_cursor`)
    pages.push({ url, meta })
    items.push(...(body.data as T[]))
    url = body.meta.next
    if (pages.length > 500) throw new Error(`meta.next never ends from ${firstUrl}`)
  }
  return { items, pages }
}

interface ProblemExpectation {
  status: number
  code?: string
  /** Each { in, name } must be among the problem's `errors`. */
  errors?: { in: string; name: string }[]
}

/** Checks an RFC 9457 problem response and returns its body. */
export function assertProblem(t: Test, response: LightMyRequestResponse, expected: ProblemExpectation, label = response.raw.req.url ?? '') {
  t.equal(response.statusCode, expected.status, `${label}: status ${expected.status}`)
  t.match(String(response.headers['content-type']), /^application\/problem\+json/, `${label}: content type is application/problem+json`)
  const body = response.json()
  t.equal(body.type, 'about:blank', `${label}: type`)
  t.type(body.title, 'string', `${label}: title`)
  t.ok(body.title.length > 0, `${label}: title is not empty`)
  t.equal(body.status, expected.status, `${label}: body status`)
  t.type(body.detail, 'string', `${label}: detail`)
  t.ok(body.detail.length > 0, `${label}: detail is not empty`)
  t.type(body.instance, 'string', `${label}: instance`)
  t.type(body.code, 'string', `${label}: code`)
  if (expected.code !== undefined) t.equal(body.code, expected.code, `${label}: code ${expected.code}`)
  t.equal(body.request_id, response.headers['x-request-id'], `${label}: request_id is the X-Request-Id header`)
  for (const error of expected.errors ?? []) {
    t.ok(
      Array.isArray(body.errors) && body.errors.some((e: { in: string; name: string }) => e.in === error.in && e.name === error.name),
      `${label}: errors name ${error.in} parameter "${error.name}"`
    )
  }
  return body
}

/** Every citation names the article, and its quote is a verbatim passage of the article text. */
export function assertQuotesFromArticle(t: Test, sources: { source_id: string; quote: string | null }[], label: string) {
  t.ok(sources.length > 0, `${label}: has sources`)
  for (const source of sources) {
    t.equal(source.source_id, ARTICLE_ID, `${label}: cites the article`)
    t.type(source.quote, 'string', `${label}: has a quote`)
    t.ok(source.quote !== null && source.quote.length > 0 && ARTICLE_TEXT.includes(source.quote), `${label}: quote is verbatim from the article: ${source.quote}`)
  }
}
