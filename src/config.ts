// Environment -> typed configuration. A bad value stops start-up with one line naming the variable.
import { isAbsolute, join } from 'node:path'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Config {
  port: number
  host: string
  databasePath: string
  logLevel: LogLevel
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const DEFAULT_DATABASE_PATH = 'data/directory.sqlite'

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`Invalid PORT "${raw}": expected an integer from 0 to 65535`)
  }
  return Number(raw)
}

function parseHost(raw: string): string {
  if (raw.trim() === '' || /\s/.test(raw)) throw new ConfigError(`Invalid HOST "${raw}": expected a host name or IP address`)
  return raw
}

function parseLogLevel(raw: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === raw)
  if (!level) throw new ConfigError(`Invalid LOG_LEVEL "${raw}": expected one of ${LOG_LEVELS.join(', ')}`)
  return level
}

/** `name` is what the operator set: the DATABASE_PATH variable, or the CLI's --db option. */
export function parseDatabasePath(raw: string, cwd: string, name = 'DATABASE_PATH'): string {
  if (raw.trim() === '') throw new ConfigError(`Invalid ${name} "${raw}": expected a file path or :memory:`)
  if (raw === ':memory:' || isAbsolute(raw)) return raw
  return join(cwd, raw)
}

/** Reads the configuration from an environment (process.env by default); throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  return {
    port: parsePort(env.PORT ?? '3000'),
    host: parseHost(env.HOST ?? '127.0.0.1'),
    databasePath: databasePathFrom(env, cwd),
    logLevel: parseLogLevel(env.LOG_LEVEL ?? 'info')
  }
}

/** The database file alone, for the CLI (which has no use for PORT or HOST). */
export function databasePathFrom(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return parseDatabasePath(env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH, cwd)
}
