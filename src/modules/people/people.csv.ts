// The CSV columns of a person: positions and other names flattened into cells.
import { joinCell, sourceColumns, type CsvColumn } from '../../http/csv.js'
import type { Person } from './people.schemas.js'

export const PERSON_CSV_COLUMNS: CsvColumn<Person>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'name', value: (p) => p.name },
  { header: 'honorific_prefix', value: (p) => p.honorific_prefix },
  { header: 'given_name', value: (p) => p.given_name },
  { header: 'family_name', value: (p) => p.family_name },
  { header: 'sort_name', value: (p) => p.sort_name },
  { header: 'positions', value: (p) => joinCell(p.positions.map((pos) => `${pos.title ?? ''} (${pos.organisation.name}, as of ${pos.as_of})`.trim())) },
  { header: 'other_names', value: (p) => joinCell(p.other_names.map((n) => n.name)) },
  { header: 'note', value: (p) => p.note },
  ...sourceColumns()
]
