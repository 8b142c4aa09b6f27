// Runs the CLI as a real process, the way an operator does, or in-process through main() (the same
// code, without a Node start-up per case), and snapshots the database around it.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

/** The CLI's source entry point, as runCli starts it. */
export const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

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
  const result = spawnSync(process.execPath, [...typescriptNodeArgs, cliEntry, ...args], {
    cwd: options.cwd,
    env: typescriptEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A stream that keeps what is written to it. */
export class CapturedStream extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk)
    done()
  }
}

/**
 * Runs main() in this process with captured stdout and stderr, as runCli runs the real process:
 * the same arguments, working directory and environment (added to this process's), the same result.
 */
export async function runMain(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stderrIsTTY?: boolean } = {}): Promise<CliResult> {
  const stdout = new CapturedStream()
  // A terminal as cli-progress sees one: isTTY and a width.
  const stderr = Object.assign(new CapturedStream(), options.stderrIsTTY ? { isTTY: true, columns: 120 } : {})
  const io = { stdout, stderr, env: { ...process.env, ...options.env }, cwd: options.cwd ?? process.cwd(), stderrIsTTY: options.stderrIsTTY }
  // Imported here, not above: the tests that only spawn the CLI need not load it.
  const { main } = await import('../../src/cli/main.js')
  const status = await main(args, io)
  return { status, stdout: stdout.text, stderr: stderr.text }
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
