// How `npm start` runs the server, read from package.json's start script so that the benchmark and
// the bundle's test start it the same way: `[NAME=value ...] node <flags> dist/server.mjs`.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/paths.js'

export interface StartCommand {
  /** The start script as package.json has it. */
  script: string
  /** The variables it sets for node (read by glibc's malloc: see README, "Two commands"). */
  env: Record<string, string>
  /** node's runtime flags, before the bundle. */
  nodeFlags: string[]
  /** What follows the flags: the bundle, relative to the package. */
  entry: string[]
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/

/** Splits a start script at its words: assignments until `node`, then flags until the first word that is not one. */
export function parseStartScript(script: string): StartCommand {
  const words = script.trim().split(/\s+/)
  const env: Record<string, string> = {}
  let at = 0
  for (let assignment; (assignment = ASSIGNMENT.exec(words[at] ?? '')) !== null; at++) env[assignment[1] as string] = assignment[2] as string
  if (words[at] !== 'node') throw new Error(`the start script must run node after its variables: ${script}`)
  const flags = words.slice(at + 1)
  const firstNonFlag = flags.findIndex((word) => !word.startsWith('--'))
  return { script, env, nodeFlags: flags.slice(0, firstNonFlag === -1 ? flags.length : firstNonFlag), entry: firstNonFlag === -1 ? [] : flags.slice(firstNonFlag) }
}

/** The command line again, as a shell would read it: what the results files record. */
export const commandLine = ({ env, nodeFlags, entry }: Omit<StartCommand, 'script'>): string =>
  [...Object.entries(env).map(([name, value]) => `${name}=${value}`), 'node', ...nodeFlags, ...entry].join(' ')

export const startCommand = parseStartScript(
  (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
)
