// The CSV columns of an event: place, continuation and sessions flattened into cells.
import { joinCell, sourceColumns, type CsvColumn } from '../../http/csv.js'
import type { Event } from './events.schemas.js'

export const EVENT_CSV_COLUMNS: CsvColumn<Event>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'name', value: (e) => e.name },
  { header: 'classification', value: (e) => e.classification },
  { header: 'start_date', value: (e) => e.start_date },
  { header: 'end_date', value: (e) => e.end_date },
  { header: 'city', value: (e) => e.city },
  { header: 'country_code', value: (e) => e.country?.code ?? null },
  { header: 'country', value: (e) => e.country?.name ?? null },
  { header: 'continuation_of_id', value: (e) => e.continuation_of?.id ?? null },
  { header: 'sessions', value: (e) => joinCell(e.sessions.map((s) => s.name)) },
  { header: 'note', value: (e) => e.note },
  ...sourceColumns()
]
