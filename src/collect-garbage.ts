// Garbage collections on demand, where V8 left alone would keep memory that is no longer needed:
//
// - The seed import, between large files. V8 sizes its heap by what was alive at its last collection,
//   and a parsed seed file is alive while it is checked or written: about ten times the file's size in
//   records. Left alone, V8 kept the records of several files it no longer needed and the import of
//   100,000 participations peaked at 396 MB; collected before each large file is parsed, at 281 MB,
//   for about 14 % more time.
// - A CSV export, every few chunks (http/csv.ts). Each chunk's bytes come from SQLite in a Buffer of
//   their own, outside V8's heap, and V8 frees such a Buffer only when it collects its young
//   generation. An export allocates too little on the heap to make V8 collect: at 1,000,000
//   participations the dead chunks added about 30 MB to the server's RSS until the export ended.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Collect = (options?: { type: 'major' | 'minor' }) => void
let collect: Collect | undefined

function exposedCollect(): Collect {
  if (collect === undefined) {
    // gc() exists only under --expose-gc: the flag, set now, applies to the contexts made after it.
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as Collect
  }
  return collect
}

/** Collects every object nothing refers to any more, now. */
export function collectGarbage(): void {
  exposedCollect()()
}

/** Collects the young generation only (a scavenge: about a millisecond), where the objects made lately are. */
export function collectYoungGarbage(): void {
  exposedCollect()({ type: 'minor' })
}
