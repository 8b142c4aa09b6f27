// A problem found in a seed file, located by file, JSON pointer and (where known) line.
export interface SeedProblem {
  file: string
  pointer: string
  line?: number
  message: string
}

export function formatSeedProblem(problem: SeedProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`
  return `${where} ${problem.pointer || '/'}: ${problem.message}`
}

/** Thrown when seed input is rejected; carries every problem found, nothing having been written. */
export class SeedValidationError extends Error {
  override name = 'SeedValidationError'
  constructor(readonly problems: SeedProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the seed files:\n${problems.map(formatSeedProblem).join('\n')}`)
  }
}
