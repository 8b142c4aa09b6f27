// A progress bar for long imports: on stderr, only on a terminal, only past PROGRESS_THRESHOLD records.
import { SingleBar } from 'cli-progress'
import type { CommandIo } from './command-io.js'

/** Imports of more records than this show a bar; smaller ones finish before it would help. */
export const PROGRESS_THRESHOLD = 10_000
/** The bar is redrawn every so many records: per-record updates would cost more than the writes. */
const UPDATE_EVERY = 100

export interface Progress {
  /** Pass as the seed's onProgress. */
  update: (done: number, total: number) => void
  /** Draws the final state and ends the line, if a bar was shown. */
  stop: () => void
}

/** A progress reporter for io.stderr, or undefined when stderr is not a terminal (a log, a pipe, a script). */
export function progressBar(io: CommandIo, label: string): Progress | undefined {
  if (!io.stderrIsTTY) return undefined
  let bar: SingleBar | undefined
  let started = 0
  return {
    update(done, total) {
      if (total <= PROGRESS_THRESHOLD || (done % UPDATE_EVERY !== 0 && done !== total)) return
      if (!bar) {
        started = Date.now()
        bar = new SingleBar({
          stream: io.stderr,
          format: `${label} [{bar}] {percentage}% | {value}/{total} records | {rate} records/s | ETA {eta_formatted}`,
          barsize: 30,
          etaBuffer: 50,
          // The import runs synchronously, so the bar is redrawn from update(), never from a timer.
          synchronousUpdate: true
        })
        bar.start(total, 0, { rate: 0 })
      }
      const seconds = Math.max(Date.now() - started, 1) / 1000
      bar.update(done, { rate: Math.round(done / seconds) })
    },
    stop() {
      bar?.stop()
    }
  }
}
