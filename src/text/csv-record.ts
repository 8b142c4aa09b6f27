// One CSV record, rendered as csv-stringify renders it with the exports' options (http/csv.ts,
// CSV_OPTIONS), without its CRLF: the SQL function csv_record() that renders each participation's
// line of the CSV export when it is written (participations.csv.ts). Written by SQL expressions
// instead (a CASE of five branches a cell), the 100,000 lines of the benchmark took 2.6 s to render
// instead of 1.8. csv.test.ts checks it against csv-stringify. A change to what it writes raises
// CSV_FORMAT (http/csv.ts), by which open databases render their stored lines again.

/** The first characters before which escape_formulas puts a ' in text (not in numbers): = + - @ tab CR, and the full-width = + - @. */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'])

/** A cell is quoted when it holds a quote, a comma or a line break (quote_record_delimiter quotes a lone CR or LF too). */
const NEEDS_QUOTES = /[",\r\n]/

/**
 * NULL is an empty cell; a number is written as it is; anything else is text (a BLOB, which arrives
 * as a Buffer, as its bytes read as UTF-8), escaped, then quoted if it must be.
 */
export function csvRecord(...values: unknown[]): string {
  let record = ''
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (i > 0) record += ','
    if (value === null) continue
    if (typeof value === 'number' || typeof value === 'bigint') {
      record += String(value)
      continue
    }
    const cell = String(value)
    const text = FORMULA_STARTS.has(cell.charAt(0)) ? `'${cell}` : cell
    record += NEEDS_QUOTES.test(cell) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return record
}
