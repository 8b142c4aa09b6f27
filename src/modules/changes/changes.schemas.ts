// The audit trail as the API serves it: request parameters and response shapes, defined once.
import { Type, type Static } from 'typebox'
import { CHANGE_ACTIONS } from '../../vocabularies.js'
import { EDITABLE_COLLECTIONS } from '../../seed/write-seed.js'
import { Nullable, listOf } from '../shared/common.schemas.js'
import { ListParameters } from '../shared/query.schemas.js'
import { IdString } from '../shared/fields.schemas.js'

const RecordState = Nullable(
  Type.Object({}, { additionalProperties: true, description: 'The record as a seed file would hold it (with other names and sources).' })
)

export const Change = Type.Object(
  {
    id: Type.Integer({ format: 'int64', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Increasing with time.', examples: [42] }),
    at: Type.String({ format: 'date-time', maxLength: 30, examples: ['2026-11-28T03:00:00.000Z'] }),
    actor: IdString({ description: 'The name of the API token, or "seed" for the seed command.', examples: ['editor-ana'] }),
    action: Type.Enum([...CHANGE_ACTIONS]),
    resource: Type.Enum([...EDITABLE_COLLECTIONS], { examples: ['people'] }),
    record_id: IdString({ examples: ['mersida-mesetovic'] }),
    before: { ...RecordState, description: 'The record before the change; null for a creation.' },
    after: { ...RecordState, description: 'The record after the change; null for a deletion.' }
  },
  { $id: 'Change', description: 'One write to one record: who, when, and the record before and after.' }
)

export const ChangeList = listOf(Change, 'ChangeList')

export const ChangesQuery = Type.Object(
  {
    resource: Type.Optional(Type.Enum([...EDITABLE_COLLECTIONS], { description: 'Only changes to this kind of record.', examples: ['people'] })),
    record_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only changes to this record.', examples: ['mersida-mesetovic'] })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only changes by this token name (or "seed").', examples: ['seed'] })),
    action: Type.Optional(Type.Enum([...CHANGE_ACTIONS], { description: 'Only creations, updates or deletions.', examples: ['update'] })),
    since: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Only changes at or after this time.', examples: ['2026-11-01T00:00:00Z'] })),
    ...ListParameters
  },
  { additionalProperties: false }
)

export type Change = Static<typeof Change>
export type ChangesQuery = Static<typeof ChangesQuery>
