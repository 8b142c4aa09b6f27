// API tokens: a name, a scope, and only the SHA-256 of the secret (shown once, when created).
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { checkInVocabulary } from '../../db/constraints.js'
import { TOKEN_SCOPES } from '../../vocabularies.js'

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull().unique(),
    scope: text('scope', { enum: TOKEN_SCOPES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at')
  },
  (t) => [checkInVocabulary('api_tokens_scope_check', t.scope, TOKEN_SCOPES)]
)
