// Where the package's own files live, whether we run from src/ (tsx, tests) or dist/src/ (npm start).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    /* c8 ignore next -- only reachable if the package is installed without its package.json */
    if (parent === dir) throw new Error(`package.json not found above ${from}`)
    dir = parent
  }
  return dir
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)))
export const migrationsFolder = join(packageRoot, 'migrations')
export const bundledSeedsFolder = join(packageRoot, 'seeds')

const packageJson = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string; scripts: { start: string } }
export const packageVersion = packageJson.version

/**
 * How `npm start` runs the server: package.json's start script, `[NAME=value ...] node <flags>
 * dist/server.mjs`, read as the variables it adds to the environment and node's runtime flags. The
 * benchmark and the bundle's test start the server with them too.
 */
const startWords = packageJson.scripts.start.split(/\s+/)
export const startCommand = {
  env: Object.fromEntries(
    startWords.map((word) => /^([A-Z_]+)=(.*)$/.exec(word)).flatMap((assignment) => (assignment === null ? [] : [[assignment[1], assignment[2]]]))
  ) as Record<string, string>,
  nodeFlags: startWords.filter((word) => word.startsWith('--'))
}
