// `stakeholder-directory tokens create|list|revoke`: the API tokens that writes and the audit trail
// need. A token is shown once, when created; the database keeps only its hash.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase, type DirectoryDatabase } from '../db/connection.js'
import { createToken, listTokens, revokeToken } from '../modules/tokens/tokens.repository.js'
import { TOKEN_SCOPES, type TokenScope } from '../vocabularies.js'
import type { CommandIo } from './command-io.js'
import { dbOptionHelp, databasePath, openAt } from './database-option.js'

export const TOKENS_USAGE = `Usage: stakeholder-directory tokens <create|list|revoke> [options]

  tokens create --scope ${TOKEN_SCOPES.filter((s) => s !== 'read').join('|')} --name NAME
                      Create a token and print it, once: only its hash is stored. The name
                      identifies its writes in the audit trail (GET /v1/changes).
  tokens list         List the tokens: name, scope, created, revoked.
  tokens revoke NAME  Revoke a token: requests with it get 401 from then on.

Options:
  --scope SCOPE  write (create, change and delete records) or admin (also read the audit trail)
  --name NAME    A unique name: letters, digits, dot, dash or underscore, up to 60
  --json         Print JSON (create: name, scope, token; list: an array)
${dbOptionHelp(17)}
  -h, --help     Show this help

Exit codes: 0 success, 1 refused (a name taken, no such token), 2 usage error.`

const NAME = /^[A-Za-z0-9._-]{1,60}$/

class UsageError extends Error {
  readonly code = 'ERR_PARSE_ARGS_TOKENS'
}

export function runTokens(args: string[], io: CommandIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { scope: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean', default: false }, db: { type: 'string' } }
  })
  const [action, ...rest] = positionals
  const write = (text: string, json: unknown) => io.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text)
  if (action === 'create') {
    if (rest.length > 0) throw new UsageError(`tokens create takes no argument (got "${rest.join(' ')}")`)
    const scope = values.scope as TokenScope | undefined
    if (scope === undefined || scope === 'read' || !TOKEN_SCOPES.includes(scope)) throw new UsageError('tokens create needs --scope write or --scope admin')
    if (values.name === undefined || !NAME.test(values.name)) throw new UsageError('tokens create needs --name: letters, digits, dot, dash or underscore, up to 60')
    // A name already taken throws TokenNameTakenError, which main() reports in one line, exit 1.
    return withDatabase(values.db, io, { mayCreate: true }, (db, path) => {
      const { token, record } = createToken(db, values.name as string, scope)
      write(`Created token "${record.name}" (scope ${record.scope}) in ${path}. Keep it now; it cannot be shown again:\n${token}\n`, { ...record, token })
      return 0
    })
  }
  if (action === 'list' && rest.length === 0) {
    return withDatabase(values.db, io, { mayCreate: false }, (db) => {
      const tokens = listTokens(db)
      const lines = tokens.map((t) => `${t.name}\t${t.scope}\tcreated ${t.created_at}${t.revoked_at === null ? '' : `\trevoked ${t.revoked_at}`}`)
      write(tokens.length === 0 ? 'No tokens.\n' : `${lines.join('\n')}\n`, tokens)
      return 0
    })
  }
  if (action === 'revoke' && rest.length === 1) {
    const name = rest[0] as string
    return withDatabase(values.db, io, { mayCreate: false }, (db) => {
      if (!revokeToken(db, name)) {
        io.stderr.write(`stakeholder-directory tokens: no live token named "${name}"\n`)
        return 1
      }
      write(`Revoked token "${name}".\n`, { name, revoked: true })
      return 0
    })
  }
  throw new UsageError(action === undefined ? 'tokens needs an action: create, list or revoke' : `unknown or malformed action "${[action, ...rest].join(' ')}"`)
}

/**
 * Runs `run` on the database at --db: a file (a token kept in memory would be lost at exit), and one
 * that exists, except to create a token in (a mistyped path would otherwise make an empty database).
 */
function withDatabase(option: string | undefined, io: CommandIo, { mayCreate }: { mayCreate: boolean }, run: (db: DirectoryDatabase, path: string) => number): number {
  const path = databasePath(option, io)
  if (path === ':memory:') throw new Error('tokens are kept in the database file the server reads: give --db a file, not :memory:')
  if (!mayCreate && !existsSync(path)) throw new Error(`no database at ${path} (check --db or DATABASE_PATH)`)
  const db = openAt(path, openDatabase)
  try {
    return run(db, path)
  } finally {
    db.$client.close()
  }
}
