// The CSV columns of a country: its codes, name and other names.
import { joinCell, type CsvColumn } from '../../http/csv.js'
import type { Country } from './countries.schemas.js'

export const COUNTRY_CSV_COLUMNS: CsvColumn<Country>[] = [
  { header: 'code', value: (c) => c.code },
  { header: 'alpha3', value: (c) => c.alpha3 },
  { header: 'numeric', value: (c) => c.numeric },
  { header: 'name', value: (c) => c.name },
  { header: 'other_names', value: (c) => joinCell(c.other_names.map((n) => (n.end_date ? `${n.name} (until ${n.end_date})` : n.name))) }
]
