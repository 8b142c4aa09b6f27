// Sources: the documents and datasets that every record cites.
import { Type, type Static } from 'typebox'
import { SOURCE_KINDS } from '../../vocabularies.js'
import { Nullable, listOf } from '../shared/common.schemas.js'
import { ListParameters } from '../shared/query.schemas.js'
import { CountInteger, IdString, NoteString, PartialDateString, TextString, UrlString } from '../shared/fields.schemas.js'

export const Source = Type.Object(
  {
    id: IdString({ examples: ['seesac-2015-06-03-sarajevo-roundtable'] }),
    kind: Type.Enum([...SOURCE_KINDS], { description: 'An article (whose full text is kept) or a dataset.', examples: ['article'] }),
    title: TextString({ examples: ['Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations'] }),
    publisher: TextString({ examples: ['SEESAC'] }),
    published_on: Nullable(PartialDateString({ description: 'ISO 8601 date, possibly partial.', examples: ['2015-06-03'] })),
    place: Nullable(TextString({ examples: ['Sarajevo'] })),
    url: Nullable(UrlString()),
    note: Nullable(NoteString()),
    text: Nullable(UrlString({ description: 'Path of the full text (text/plain), which every quote of this source is taken from.', examples: ['/v1/sources/seesac-2015-06-03-sarajevo-roundtable/text'] })),
    citations: CountInteger({ description: 'How many citations quote this source.' })
  },
  { $id: 'Source', description: 'A source document or dataset.' }
)

export const SourceList = listOf(Source, 'SourceList')

export const SourcesQuery = Type.Object({ ...ListParameters }, { additionalProperties: false })

export type Source = Static<typeof Source>
