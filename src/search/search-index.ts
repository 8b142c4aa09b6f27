// Full-text search with SQLite FTS5. Each searchable resource has an index table holding, per
// record, its search words in two columns: `names` (names, other names, abbreviations), which
// weigh ten times more in the ranking than `text` (titles, notes, places, related names).
// The words are made by search_key() (src/text/search-key.ts), the same function that turns the
// user's query into words, so the index and the query always fold alike. User text never reaches
// FTS5 syntax: every word is quoted, and quotes, operators and brackets are not words.
import { sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../db/connection.js'
import { definitionVersion, rebuildIfRedefined, sqlText, writeSetting } from '../db/settings.js'
import { InvalidFilterError } from '../modules/shared/filters.js'
import { SEARCH_KEY_VERSION, searchWords } from '../text/search-key.js'

export type SearchIndexName = 'search_people' | 'search_organisations' | 'search_events' | 'search_participations'

export interface SearchIndex {
  name: SearchIndexName
  /** The records' table. */
  table: 'people' | 'organisations' | 'events' | 'participations'
  /**
   * SELECT record_rowid, record_id, names, text: one row per record, in plain words (search_key()
   * folds them). The index row takes the record's rowid, by which a write finds it again
   * (record_id is UNINDEXED, and deleting by it read the whole index: 0.6 s a write at 1,000,000
   * participations) and a search within filters looks up its matches (matchesInFirstScope, in
   * participations.scopes.ts: a rowid that differed would give wrong answers). A record keeps its
   * rowid: rows are updated in place, and a VACUUM keeps the rowids of a table that has an index,
   * as every records' table does (after-write.test.ts).
   */
  rows: SQL
}

/** The search words of a country: its name and every other name it has had. */
export const countrySearchText = (code: SQL): SQL =>
  sql`concat_ws(' ', (SELECT name FROM countries WHERE code = ${code}), (SELECT group_concat(name, ' ') FROM other_names WHERE country_code = ${code}))`

/** The other names of the record whose id is in the column `owner` of other_names. */
export const otherNamesText = (owner: 'person_id' | 'organisation_id', id: SQL): SQL =>
  sql`(SELECT group_concat(name, ' ') FROM other_names WHERE ${sql.identifier(owner)} = ${id})`

const MAX_SEARCH_WORDS = 16

/** The FTS5 query for the user's text: every word quoted, each also matching as a prefix. */
export function matchExpression(q: string): string {
  return searchTerms(q)
    .map((word) => `"${word}"*`)
    .join(' ')
}

/** The words of `q` that every match must start a word with: a 400 without a letter or digit, or with too many. */
export function searchTerms(q: string): string[] {
  const words = searchWords(q)
  if (words.length === 0) throw new InvalidFilterError('q', 'contains no letter or digit to search for')
  if (words.length > MAX_SEARCH_WORDS) throw new InvalidFilterError('q', `has more than ${MAX_SEARCH_WORDS} words`)
  return words
}

/** The rows of the index matching `q`, each with `column` and its rank: FTS5's bm25, where lower is better. */
function rankedRows(index: SearchIndexName, q: string, column: SQL): SQL {
  const table = sql.identifier(index)
  return sql`SELECT ${column}, bm25(${table}, 0, 10, 1) AS rank FROM ${table} WHERE ${table} MATCH ${matchExpression(q)}`
}

/** The records matching `q`: (record_id, rank). */
export const searchHits = (index: SearchIndexName, q: string): SQL => sql`(${rankedRows(index, q, sql`record_id`)})`

/**
 * The matches of `q` as (match_rowid, rank): the index's rows, not yet their records. Reading a
 * match's record_id looks it up in the index's content, which cost three times what ranking it did
 * (at 1M participations, 2 µs against 0.7): a query that ranks many matches to keep a few reads the
 * record ids of those few only (recordIdOfMatch).
 */
export const rankedMatches = (index: SearchIndexName, q: string): SQL => rankedRows(index, q, sql`rowid AS match_rowid`)

/** The record id of the index row `matchRowid` of rankedMatches. */
export const recordIdOfMatch = (index: SearchIndexName, matchRowid: SQL): SQL =>
  sql`(SELECT record_id FROM ${sql.identifier(index)} WHERE rowid = ${matchRowid})`

/** Joins the records matching `q` to the query, with their relevance as `hit.rank`. */
export function searchJoin(index: SearchIndexName, q: string, recordId: SQL): SQL {
  return sql`JOIN ${searchHits(index, q)} hit ON hit.record_id = ${recordId}`
}

export const SEARCH_RANK = sql`hit.rank`

/** Identifies the index definitions and their words (SEARCH_KEY_VERSION): when either changes, open databases rebuild their indexes. */
export const searchIndexVersion = (indexes: readonly SearchIndex[]): string =>
  definitionVersion([...indexes.map((index) => `${index.name}:${sqlText(index.rows)}`), `search key ${SEARCH_KEY_VERSION}`])

/** Refills every index from the tables (run inside the transaction that changed them). */
export function rebuildSearchIndexes(db: DirectoryDatabase, indexes: readonly SearchIndex[]): void {
  for (const index of indexes) {
    const table = sql.identifier(index.name)
    db.run(sql`DELETE FROM ${table}`)
    db.run(sql`INSERT INTO ${table} (rowid, record_id, names, text) SELECT record_rowid, record_id, search_key(names), search_key(text) FROM (${index.rows})`)
  }
  writeSetting(db.$client, 'search_index_version', searchIndexVersion(indexes))
}

/** Rebuilds the indexes of a database whose indexes were built by other definitions. */
export function refreshSearchIndexes(db: DirectoryDatabase, indexes: readonly SearchIndex[]): boolean {
  return rebuildIfRedefined(db.$client, 'search_index_version', searchIndexVersion(indexes), () => rebuildSearchIndexes(db, indexes))
}
