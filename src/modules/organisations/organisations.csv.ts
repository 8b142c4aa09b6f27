// The CSV columns of an organisation: country and parent flattened to their ids and names.
import { joinCell, sourceColumns, type CsvColumn } from '../../http/csv.js'
import type { Organisation } from './organisations.schemas.js'

export const ORGANISATION_CSV_COLUMNS: CsvColumn<Organisation>[] = [
  { header: 'id', value: (o) => o.id },
  { header: 'name', value: (o) => o.name },
  { header: 'abbreviation', value: (o) => o.abbreviation },
  { header: 'classification', value: (o) => o.classification },
  { header: 'portfolio', value: (o) => o.portfolio },
  { header: 'country_code', value: (o) => o.country?.code ?? null },
  { header: 'country', value: (o) => o.country?.name ?? null },
  { header: 'parent_id', value: (o) => o.parent?.id ?? null },
  { header: 'parent', value: (o) => o.parent?.name ?? null },
  { header: 'other_names', value: (o) => joinCell(o.other_names.map((n) => n.name)) },
  { header: 'note', value: (o) => o.note },
  ...sourceColumns()
]
