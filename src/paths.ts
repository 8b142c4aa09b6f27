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
 * The runtime flags `npm start` gives node (package.json's start script: `node <flags> dist/server.mjs`).
 * The benchmark and the bundle's test start the server with them too.
 */
export const startNodeFlags = packageJson.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'))
