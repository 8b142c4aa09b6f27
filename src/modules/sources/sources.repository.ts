// Sources: plain functions over the database, shared by the HTTP routes and the CLI.
import { sql } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { Source } from './sources.schemas.js'
import { selectPage, type ListResult, type Page } from '../shared/sql.js'

type SourceRow = Omit<Source, 'text'> & { has_text: 0 | 1 }

export function listSources(db: DirectoryDatabase, filters: { id?: string }, page: Page): ListResult<Source> {
  const { rows, total, next } = selectPage<SourceRow>(
    db,
    {
      columns: sql`s.id, s.kind, s.title, s.publisher, s.published_on, s.place, s.url, s.note, s.content IS NOT NULL AS has_text,
        (SELECT count(*) FROM citations c WHERE c.source_id = s.id) AS citations`,
      from: sql`FROM sources s`,
      conditions: filters.id === undefined ? [] : [sql`s.id = ${filters.id}`],
      // Undated sources last: the empty key sorts before any date, so it is inverted here.
      order: [{ expression: sql`s.published_on IS NULL` }, { expression: sql`s.published_on`, descending: true }, { expression: sql`s.id` }]
    },
    page
  )
  return {
    data: rows.map(({ has_text: hasText, ...source }) => ({ ...source, text: hasText ? `/v1/sources/${encodeURIComponent(source.id)}/text` : null })),
    total,
    next
  }
}

export function getSource(db: DirectoryDatabase, id: string): Source | undefined {
  return listSources(db, { id }, { limit: 1, withTotal: false }).data[0]
}

/** The full text of a source, or undefined when there is no such source or it has no text. */
export function getSourceText(db: DirectoryDatabase, id: string): string | undefined {
  return db.get<{ content: string | null } | undefined>(sql`SELECT content FROM sources WHERE id = ${id}`)?.content ?? undefined
}
