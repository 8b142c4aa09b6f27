// The CSV columns of a source.
import type { CsvColumn } from '../../http/csv.js'
import type { Source } from './sources.schemas.js'

export const SOURCE_CSV_COLUMNS: CsvColumn<Source>[] = [
  { header: 'id', value: (s) => s.id },
  { header: 'kind', value: (s) => s.kind },
  { header: 'title', value: (s) => s.title },
  { header: 'publisher', value: (s) => s.publisher },
  { header: 'published_on', value: (s) => s.published_on },
  { header: 'place', value: (s) => s.place },
  { header: 'url', value: (s) => s.url },
  { header: 'citations', value: (s) => s.citations }
]
