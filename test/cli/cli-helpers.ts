// Runs the CLI as a real process, the way an operator does, and snapshots the database around it.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

const entry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

/**
 * Node flags for a child process running TypeScript sources: the test runner's own (its TypeScript
 * loader and coverage hooks), so the child's coverage is attributed to the same sources.
 */
export const typescriptNodeArgs = process.execArgv.some((arg) => arg.includes('typescript')) ? process.execArgv : ['--import', 'tsx']

/**
 * The environment of such a child: the project's tsconfig.json whatever the child's working
 * directory, so its sources compile (and their coverage maps) exactly as in the test process.
 */
export const typescriptEnv = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  TS_NODE_PROJECT: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
  ...env
})

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [...typescriptNodeArgs, entry, ...args], {
    cwd: options.cwd,
    env: typescriptEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const TABLES = ['countries', 'organisations', 'people', 'positions', 'events', 'sessions', 'participations', 'sources', 'citations', 'other_names']

/** A digest of every row of every table, to prove that a rejected run wrote nothing. */
export function snapshot(path: string): string {
  const db = new Database(path, { readonly: true })
  try {
    const rows = JSON.stringify(TABLES.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()))
    return createHash('sha256').update(rows).digest('hex')
  } finally {
    db.close()
  }
}
