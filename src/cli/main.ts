#!/usr/bin/env node
// stakeholder-directory: the operators' command line. One entry point, one subcommand per task.
// Exit codes: 0 success, 1 rejected input or failure, 2 usage error.
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CommandIo } from './command-io.js'

const USAGE = `Usage: stakeholder-directory <command> [options]

Commands:
  seed      Validate seed files and load them into the database
  migrate   Create the database if needed and apply pending migrations
  backup    Copy the database, consistently, while it is in use
  tokens    Create, list and revoke API tokens (for writes and the audit trail)
  openapi   Print (or write) the OpenAPI document
  schema    Print (or write) the JSON Schema of seed files
  stats     Count the rows of each table, and each country's records (read-only)
  check     Check integrity, migrations and every citation's quote (read-only)

Run "stakeholder-directory <command> --help" for a command's options.

Exit codes: 0 success, 1 rejected input or failure, 2 usage error.`

interface Command {
  run: (args: string[], io: CommandIo) => Promise<number> | number
  usage: string
}

// Each command is loaded only when it runs, so --help and usage errors answer at once.
const COMMANDS: Record<string, () => Promise<Command>> = {
  seed: async () => {
    const { runSeed, SEED_USAGE } = await import('./seed-command.js')
    return { run: runSeed, usage: SEED_USAGE }
  },
  migrate: async () => {
    const { runMigrate, MIGRATE_USAGE } = await import('./migrate-command.js')
    return { run: runMigrate, usage: MIGRATE_USAGE }
  },
  backup: async () => {
    const { runBackup, BACKUP_USAGE } = await import('./backup-command.js')
    return { run: runBackup, usage: BACKUP_USAGE }
  },
  tokens: async () => {
    const { runTokens, TOKENS_USAGE } = await import('./tokens-command.js')
    return { run: runTokens, usage: TOKENS_USAGE }
  },
  openapi: async () => {
    const { runOpenapi, OPENAPI_USAGE } = await import('./openapi-command.js')
    return { run: runOpenapi, usage: OPENAPI_USAGE }
  },
  schema: async () => {
    const { runSchema, SCHEMA_USAGE } = await import('./schema-command.js')
    return { run: runSchema, usage: SCHEMA_USAGE }
  },
  stats: async () => {
    const { runStats, STATS_USAGE } = await import('./stats-command.js')
    return { run: runStats, usage: STATS_USAGE }
  },
  check: async () => {
    const { runCheck, CHECK_USAGE } = await import('./check-command.js')
    return { run: runCheck, usage: CHECK_USAGE }
  }
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`)
    return name === undefined ? 2 : 0
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!load) {
    io.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`)
    return 2
  }
  const command = await load()
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`${(error as Error).message}\n\n${command.usage}\n`)
      return 2
    }
    // Anything else (a database that cannot be opened, a file that cannot be written): one line.
    io.stderr.write(`stakeholder-directory ${name}: ${(error as Error).message}\n`)
    return 1
  }
}

// Run only as the entry point (node main.js, or the npm bin link to it): tests import main() instead.
if (process.argv.slice(1, 2).some((entry) => realpathSync(entry) === fileURLToPath(import.meta.url))) {
  // A reader that stops early (`openapi | head`) closes the pipe: what it did not read is not wanted,
  // so the command ends quietly rather than with a stack trace of the failed write.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    /* c8 ignore next -- a pipe's other write errors (EIO, ENOSPC on a socket) cannot be made in a test; they stay loud */
    if (error.code !== 'EPIPE') throw error
    process.exit()
  })
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stderrIsTTY: process.stderr.isTTY }
  process.exitCode = await main(process.argv.slice(2), io)
}
