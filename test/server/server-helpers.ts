// The server as a real process (with the test runner's TypeScript loader, so its coverage counts),
// raw TCP clients that misbehave as attackers and slow readers do, and a database with one large response.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { typescriptEnv, typescriptNodeArgs } from '../cli/cli-helpers.js'

export const serverEntry = fileURLToPath(new URL('../../src/server.ts', import.meta.url))

/** Starting the server under the coverage loader takes seconds on a busy machine: generous, but bounded. */
const START_TIMEOUT_MS = 60_000

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface RunningServer {
  child: ChildProcess
  /** The log lines (JSON) printed so far. */
  logs: () => string[]
  /** Resolves with the port once the server listens. */
  listening: Promise<number>
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Resolves once a log line matches `pattern`; rejects after `timeoutMs`. */
  logged: (pattern: RegExp, timeoutMs?: number) => Promise<string>
}

/**
 * Starts src/server.ts (or another entry, such as the bundle `npm start` runs) on 127.0.0.1 and a
 * free port; the process is killed, by its PID, when `t` ends.
 */
export function startServer(t: Test, env: NodeJS.ProcessEnv, entry: string[] = [...typescriptNodeArgs, serverEntry]): RunningServer {
  const child = spawn(process.execPath, entry, {
    env: typescriptEnv({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // 'close', not 'exit': by then every line the process printed has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
  })
  const lines: string[] = []
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>()
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const complete = buffered.split('\n')
    buffered = complete.pop() ?? ''
    for (const line of complete) {
      lines.push(line)
      for (const waiter of waiters) if (waiter.pattern.test(line)) waiter.resolve(line)
    }
  })
  const logged = (pattern: RegExp, timeoutMs = START_TIMEOUT_MS) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((line) => pattern.test(line))
      if (seen !== undefined) return resolve(seen)
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer)
          waiters.delete(waiter)
          resolve(line)
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}\n${stderr}`))
      }, timeoutMs)
      waiters.add(waiter)
    })
  const listening = Promise.race([
    logged(/Server listening at http:\/\/127\.0\.0\.1:\d+/),
    exited.then((code) => Promise.reject(new Error(`server exited with ${code} before listening:\n${lines.join('\n')}\n${stderr}`)))
  ]).then((line) => Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]))
  return { child, logs: () => lines, listening, exited, logged }
}

/** Resolves with the value, or rejects once `ms` have passed: every wait in these tests is bounded. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export interface RawConnection {
  socket: Socket
  /** Everything received so far. */
  received: () => Buffer
  /** Resolves once the head of a response has arrived. */
  responded: Promise<void>
  /** Resolves, with the milliseconds since the connection opened, when the server has closed it. */
  closed: Promise<number>
  isClosed: () => boolean
  /** Whether the connection ended in a reset rather than an orderly close. */
  wasReset: () => boolean
}

/** A raw TCP connection to the server, destroyed when `t` ends; `paused` reads nothing until resumed. */
export async function rawConnection(t: Test, port: number, { paused = false } = {}): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1')
  t.teardown(() => void socket.destroy())
  const chunks: Buffer[] = []
  let headEnded = false
  const responded = new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (!headEnded && Buffer.concat(chunks).includes('\r\n\r\n')) {
        headEnded = true
        resolve()
      }
    })
  )
  let wasReset = false
  socket.on('error', (error: NodeJS.ErrnoException) => {
    wasReset = error.code === 'ECONNRESET' // a reset is one way for the server to close it
  })
  if (paused) socket.pause()
  await once(socket, 'connect')
  const openedAt = Date.now()
  let isClosed = false
  // Not events.once: it rejects when 'error' comes first, as it does when the server resets the connection.
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true
      resolve(Date.now() - openedAt)
    })
  )
  return { socket, received: () => Buffer.concat(chunks), responded, closed, isClosed: () => isClosed, wasReset: () => wasReset }
}

/** The status code and headers of the first response in `bytes`, and how many body bytes followed. */
export function parseResponse(bytes: Buffer): { status: number; headers: Record<string, string>; bodyLength: number } {
  const end = bytes.indexOf('\r\n\r\n')
  if (end === -1) return { status: 0, headers: {}, bodyLength: 0 }
  const [statusLine = '', ...headerLines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine.split(' ')[1]), headers, bodyLength: bytes.length - end - 4 }
}

/** The size of the large source's text: far more than the kernel's socket buffers can hold. */
export const LARGE_TEXT_BYTES = 32 * 1024 * 1024
export const LARGE_TEXT_PATH = '/v1/sources/large/text'

/**
 * A seeded database file with one source whose text, at LARGE_TEXT_PATH, is LARGE_TEXT_BYTES long:
 * a response that stays in progress for as long as its client does not read it.
 */
export function databaseWithLargeResponse(path: string): string {
  const db = openDatabase(path)
  try {
    seedDatabase(db)
    db.$client
      .prepare("INSERT INTO sources (id, kind, title, publisher, content) VALUES ('large', 'article', 'Large', 'Tests', ?)")
      .run('x'.repeat(LARGE_TEXT_BYTES))
  } finally {
    db.$client.close()
  }
  return path
}
