// Small SQL builders shared by the repositories.
import { and, sql, type SQL } from 'drizzle-orm'
import type { DirectoryDatabase } from '../../db/connection.js'

/** `WHERE a AND b ...`, or nothing at all when there is no condition. */
export function whereAll(conditions: SQL[]): SQL {
  const condition = and(...conditions)
  return condition ? sql`WHERE ${condition}` : sql``
}

/** How many rows `SELECT ... <fromAndWhere>` would return: the `meta.total` of a list. */
export function countRows(db: DirectoryDatabase, fromAndWhere: SQL): number {
  return db.get<{ total: number }>(sql`SELECT count(*) AS total ${fromAndWhere}`).total
}
