// The import progress bar, in-process through main() with a stderr that says it is a terminal.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { PROGRESS_THRESHOLD } from '../../src/cli/progress-bar.js'
import { runMain } from './cli-helpers.js'

// Records written by every seed run besides the files': the ISO 3166-1 source and its 249 countries.
const ALWAYS_WRITTEN = 250

t.test('an import of over 10,000 records shows rate and ETA on a terminal stderr, and only there', async (t) => {
  const dir = t.testdir()
  const people = Array.from({ length: PROGRESS_THRESHOLD }, (_, i) => ({
    id: `person-${i}`,
    name: `Person ${i}`,
    sort_name: `Person ${i}`,
    sources: [{ source: 'iso-3166-1' }]
  }))
  const file = join(dir, 'people.json')
  writeFileSync(file, JSON.stringify({ people }))
  const total = PROGRESS_THRESHOLD + ALWAYS_WRITTEN
  const db = join(dir, 'directory.sqlite')

  const onTerminal = await runMain(['seed', file, '--db', db], { stderrIsTTY: true })
  t.equal(onTerminal.status, 0, onTerminal.stderr)
  t.match(onTerminal.stdout, /\npeople\s+10000\s+0\s+0\s+0\n/)
  t.notMatch(onTerminal.stdout, /records\/s|\x1b/, 'stdout holds the summary only')
  t.match(onTerminal.stderr, new RegExp(`Seeding \\[[^\\]]+\\] 100% \\| ${total}/${total} records \\| \\d+ records/s \\| ETA \\S+`), 'the finished bar')
  t.match(onTerminal.stderr, new RegExp(`Seeding \\[[^\\]]+\\] \\d+% \\| \\d+/${total} records`), 'drawn as the import runs')
  t.match(onTerminal.stderr, /\n$/, 'the line is ended')

  const piped = await runMain(['seed', file, '--db', db, '--dry-run'], { stderrIsTTY: false })
  t.equal(piped.status, 0)
  t.match(piped.stdout, /\npeople\s+0\s+0\s+10000\s+0\n/)
  t.equal(piped.stderr, '', 'no bar when stderr is not a terminal')
})

t.test('a small import on a terminal shows no bar', async (t) => {
  const result = await runMain(['seed', '--db', join(t.testdir(), 'directory.sqlite')], { stderrIsTTY: true })
  t.equal(result.status, 0)
  t.equal(result.stderr, '')
})
