// The audit trail: every write, by the API or the CLI, with who, when, which record, and the record
// before and after (as JSON, in the shape of a seed record; null before a creation, after a deletion).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { checkInVocabulary } from '../../db/constraints.js'
import { CHANGE_ACTIONS } from '../../vocabularies.js'

export const changes = sqliteTable(
  'changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action', { enum: CHANGE_ACTIONS }).notNull(),
    resource: text('resource').notNull(),
    recordId: text('record_id').notNull(),
    before: text('before'),
    after: text('after')
  },
  (t) => [
    checkInVocabulary('changes_action_check', t.action, CHANGE_ACTIONS),
    index('changes_record_idx').on(t.resource, t.recordId),
    index('changes_actor_idx').on(t.actor)
  ]
)
