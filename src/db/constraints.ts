// CHECK-constraint builders shared by the table definitions, so every vocabulary and
// "exactly one owner" rule is enforced by SQLite itself, not only by the seed validator.
import { check, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`

/** `column IN (...)` over a controlled vocabulary (NULL passes: nullability is the column's business). */
export function checkInVocabulary(name: string, column: SQLiteColumn, values: readonly string[]) {
  return check(name, sql.raw(`"${column.name}" IN (${values.map(quote).join(', ')})`))
}

/** Exactly one of the columns is set: the owner of a polymorphic row such as a citation. */
export function checkExactlyOne(name: string, columns: SQLiteColumn[]) {
  return check(name, sql.raw(`(${columns.map((c) => `("${c.name}" IS NOT NULL)`).join(' + ')}) = 1`))
}

/** Dates are ISO 8601 with partial precision: YYYY, YYYY-MM or YYYY-MM-DD. */
export function checkPartialDate(name: string, column: SQLiteColumn) {
  return check(
    name,
    sql.raw(
      `"${column.name}" GLOB '[0-9][0-9][0-9][0-9]' OR "${column.name}" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "${column.name}" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`
    )
  )
}
