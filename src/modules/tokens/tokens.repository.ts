// API tokens: plain functions shared by the CLI (which creates, lists and revokes them) and the
// HTTP layer (which authenticates requests). A token is 32 random bytes; only its SHA-256 is kept,
// so a copy of the database gives no one a usable token.
import { createHash, randomBytes } from 'node:crypto'
import type { DirectoryDatabase } from '../../db/connection.js'
import type { TokenScope } from '../../vocabularies.js'

export const TOKEN_PREFIX = 'sdt_'

export interface TokenRecord {
  name: string
  scope: TokenScope
  created_at: string
  revoked_at: string | null
}

export class TokenNameTakenError extends Error {
  override name = 'TokenNameTakenError'
  constructor(readonly tokenName: string) {
    super(`a token named "${tokenName}" exists already (names identify tokens in the audit trail)`)
  }
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex')

/** Creates a token; the returned secret is never stored and cannot be shown again. */
export function createToken(db: DirectoryDatabase, name: string, scope: TokenScope, now = new Date()): { token: string; record: TokenRecord } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const record: TokenRecord = { name, scope, created_at: now.toISOString(), revoked_at: null }
  const exists = db.$client.prepare('SELECT 1 FROM api_tokens WHERE name = ?').get(name)
  if (exists !== undefined) throw new TokenNameTakenError(name)
  db.$client.prepare('INSERT INTO api_tokens (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)').run(name, scope, hashOf(token), record.created_at)
  return { token, record }
}

export function listTokens(db: DirectoryDatabase): TokenRecord[] {
  return db.$client.prepare('SELECT name, scope, created_at, revoked_at FROM api_tokens ORDER BY created_at, name').all() as TokenRecord[]
}

/** Revokes a token by name; false when there is no such token or it was revoked already. */
export function revokeToken(db: DirectoryDatabase, name: string, now = new Date()): boolean {
  return db.$client.prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(now.toISOString(), name).changes === 1
}

/** The live token a secret belongs to, or undefined. */
export function authenticate(db: DirectoryDatabase, token: string): { name: string; scope: TokenScope } | undefined {
  return db.$client.prepare('SELECT name, scope FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(hashOf(token)) as
    | { name: string; scope: TokenScope }
    | undefined
}

/** Whether a token of scope `held` may do what `needed` allows: admin > write > read. */
export const grants = (held: TokenScope, needed: TokenScope): boolean => SCOPE_RANK[held] >= SCOPE_RANK[needed]

const SCOPE_RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 }
