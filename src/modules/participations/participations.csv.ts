// The CSV columns of a participation: related records flattened to their ids and names.
import { sourceColumns, type CsvColumn } from '../../http/csv.js'
import type { Participation } from './participations.schemas.js'

export const PARTICIPATION_CSV_COLUMNS: CsvColumn<Participation>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'event_id', value: (p) => p.event.id },
  { header: 'event', value: (p) => p.event.name },
  { header: 'event_start_date', value: (p) => p.event.start_date },
  { header: 'session', value: (p) => p.session?.name ?? null },
  { header: 'participant_type', value: (p) => p.participant.type },
  { header: 'participant_id', value: (p) => p.participant.id },
  { header: 'participant', value: (p) => p.participant.name },
  { header: 'role', value: (p) => p.role },
  { header: 'role_as_worded', value: (p) => p.role_as_worded },
  { header: 'on_behalf_of_id', value: (p) => p.on_behalf_of?.id ?? null },
  { header: 'on_behalf_of', value: (p) => p.on_behalf_of?.name ?? null },
  { header: 'country_code', value: (p) => p.country?.code ?? null },
  { header: 'country', value: (p) => p.country?.name ?? null },
  { header: 'note', value: (p) => p.note },
  ...sourceColumns()
]
