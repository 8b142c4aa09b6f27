// Sources: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { Page } from '../../http/pagination.js'
import type { Source } from './sources.schemas.js'
import { countRows } from '../shared/sql.js'

type SourceRow = Omit<Source, 'text'> & { has_text: 0 | 1 }

export function listSources(db: DirectoryDatabase, filters: { id?: string }, page: Page): { data: Source[]; total: number } {
  const whereClause = filters.id === undefined ? sql`` : sql`WHERE s.id = ${filters.id}`
  const total = countRows(db, sql`FROM sources s ${whereClause}`)
  const rows = db.all<SourceRow>(sql`
    SELECT s.id, s.kind, s.title, s.publisher, s.published_on, s.place, s.url, s.note, s.content IS NOT NULL AS has_text,
      (SELECT count(*) FROM citations c WHERE c.source_id = s.id) AS citations
    FROM sources s ${whereClause}
    ORDER BY s.published_on DESC NULLS LAST, s.id
    LIMIT ${page.limit} OFFSET ${page.offset}`)
  return {
    data: rows.map(({ has_text: hasText, ...source }) => ({ ...source, text: hasText ? `/v1/sources/${encodeURIComponent(source.id)}/text` : null })),
    total
  }
}

export function getSource(db: DirectoryDatabase, id: string): Source | undefined {
  return listSources(db, { id }, { limit: 1, offset: 0 }).data[0]
}

/** The full text of a source, or undefined when there is no such source or it has no text. */
export function getSourceText(db: DirectoryDatabase, id: string): string | undefined {
  return db.get<{ content: string | null } | undefined>(sql`SELECT content FROM sources WHERE id = ${id}`)?.content ?? undefined
}
