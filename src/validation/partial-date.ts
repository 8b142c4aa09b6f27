// ISO 8601 dates with partial precision (YYYY, YYYY-MM, YYYY-MM-DD): the shape is checked by the
// schemas' pattern; this checks that a full date exists on the calendar (no 2015-02-30).
export function isRealPartialDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number)
  if (day === undefined || month === undefined || year === undefined) return true
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Whether an interval ends before it starts; partial dates compare by their known precision. */
export function endsBeforeStart(start: string | undefined, end: string | undefined): boolean {
  if (start === undefined || end === undefined) return false
  const precision = Math.min(start.length, end.length)
  return end.slice(0, precision) < start.slice(0, precision)
}

/**
 * Whether an end is given less precisely than a start it does not end before (2016-06 for a start
 * of 2016-06-15): true to the calendar, but the events table compares its dates as text
 * (end_date >= start_date), where a date sorts before every longer one it begins.
 */
export function endsLessPreciselyThanStart(start: string, end: string | undefined): boolean {
  return end !== undefined && end.length < start.length && start.startsWith(end)
}
