// Sources: the documents and datasets that every record cites.
import { Type, type Static } from 'typebox'
import { SOURCE_KINDS } from '../../vocabularies.js'
import { Nullable, listOf } from '../shared/common.schemas.js'
import { ListParameters } from '../shared/query.schemas.js'

export const Source = Type.Object(
  {
    id: Type.String({ examples: ['seesac-2015-06-03-sarajevo-roundtable'] }),
    kind: Type.Enum([...SOURCE_KINDS], { description: 'An article (whose full text is kept) or a dataset.', examples: ['article'] }),
    title: Type.String({ examples: ['Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations'] }),
    publisher: Type.String({ examples: ['SEESAC'] }),
    published_on: Nullable(Type.String({ description: 'ISO 8601 date, possibly partial.', examples: ['2015-06-03'] })),
    place: Nullable(Type.String({ examples: ['Sarajevo'] })),
    url: Nullable(Type.String()),
    note: Nullable(Type.String()),
    text: Nullable(Type.String({ description: 'Path of the full text (text/plain), which every quote of this source is taken from.', examples: ['/v1/sources/seesac-2015-06-03-sarajevo-roundtable/text'] })),
    citations: Type.Integer({ minimum: 0, description: 'How many citations quote this source.' })
  },
  { $id: 'Source', description: 'A source document or dataset.' }
)

export const SourceList = listOf(Source, 'SourceList')

export const SourcesQuery = Type.Object({ ...ListParameters }, { additionalProperties: false })

export type Source = Static<typeof Source>
