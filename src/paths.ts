// Where the package's own files live, whether we run from src/ (tsx, tests), dist/src/ (the CLI) or dist/ (the bundle npm start runs).
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

export const packageVersion = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
