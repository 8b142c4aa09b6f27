// Reads seed files (YAML or JSON), checks them against the published seed-file schema and keeps
// what is needed to point at any value by file, JSON pointer and line.
import { readdirSync, statSync, type Stats } from 'node:fs'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { LineCounter, parseDocument, isNode, isScalar, type Document } from 'yaml'
import { SeedFile } from './seed-file.schemas.js'
import type { SeedProblem } from './seed-problem.js'
import { collectGarbage } from '../collect-garbage.js'
import { describeAjvErrors } from '../validation/ajv-errors.js'
import { NotUtf8Error, readUtf8File } from './read-utf8-file.js'

// ajv-formats is CommonJS with a default export that NodeNext sees as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export type SeedCollection = Exclude<keyof SeedFile, '$schema'>

/** The collections of a seed file, in the order they are checked and written. */
export const SEED_COLLECTIONS: readonly SeedCollection[] = [
  'sources',
  'country_names',
  'organisations',
  'people',
  'positions',
  'events',
  'sessions',
  'participations'
]

export interface ParsedSeedFile {
  /** The path as shown to the operator (relative to the working directory). */
  displayPath: string
  absolutePath: string
  /** How many records of each collection the file holds. */
  counts: Record<SeedCollection, number>
  /**
   * The checked content: kept while the import's KeptContent allows, parsed again at each call
   * beyond it, so that an import holds one file's records at a time, not every file's (at 1M
   * participations, holding them all took 1.7 GB).
   */
  content(): SeedFile
  lineOf(pointer: string): number | undefined
}

/** How much seed text (in characters) an import keeps parsed between its passes, all files together. */
export const KEPT_CONTENT_LIMIT = 4 * 1024 * 1024

/** The share of KEPT_CONTENT_LIMIT left to the files an import has yet to read. */
export class KeptContent {
  private left = KEPT_CONTENT_LIMIT
  /** Whether a file of this length is kept (and counted) or is to be parsed again. */
  admits(length: number): boolean {
    if (length > this.left) return false
    this.left -= length
    return true
  }
}

const SEED_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/**
 * The seed file schema's validator, compiled on first use: the server imports this module for its
 * write routes, and compiling it at import took a fifth of the server's start-up.
 */
let seedFileValidator: ValidateFunction<SeedFile> | undefined
function seedFileValidation(): ValidateFunction<SeedFile> {
  if (seedFileValidator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true })
    addFormats(ajv)
    seedFileValidator = ajv.compile<SeedFile>(SeedFile)
  }
  return seedFileValidator
}

/** The seed files in a folder, in name order (so an operator controls the order of loading). */
export function seedFilesIn(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => SEED_EXTENSIONS.has(extname(name)) && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => join(folder, name))
}

/**
 * Expands folders to their seed files; a plain file is taken as given, whatever its extension. A
 * folder with no seed file is a problem (a wrong path, or files not yet written), even beside others.
 */
export function expandSeedPaths(paths: string[]): { files: string[]; problems: SeedProblem[] } {
  const problems: SeedProblem[] = []
  const files = paths.flatMap((path) => {
    let isFolder: boolean
    try {
      isFolder = statSync(path).isDirectory()
    } catch {
      return [path] // reported as unreadable by readSeedFile, with the other problems
    }
    if (!isFolder) return [path]
    const found = seedFilesIn(path)
    if (found.length === 0) problems.push({ file: path, pointer: '', message: `no seed files (${[...SEED_EXTENSIONS].join(', ')}) in this folder` })
    return found
  })
  return { files, problems }
}

function pointerToPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function makeLineLookup(document: Document, lineCounter: LineCounter) {
  return (pointer: string): number | undefined => {
    const path = pointerToPath(pointer)
    // A missing value (say, a required property) is located at its nearest existing ancestor.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(
        path.slice(0, depth).map((t) => (/^\d+$/.test(t) ? Number(t) : t)),
        true
      )
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line
    }
    return undefined
  }
}

/** Parses and schema-checks one file; returns the parsed file or the problems found. */
export function readSeedFile(path: string, cwd = process.cwd(), kept = new KeptContent()): { file?: ParsedSeedFile; problems: SeedProblem[] } {
  const absolutePath = resolve(cwd, path)
  // Paths below the working directory are shown relative to it, others in full.
  const relativePath = relative(cwd, absolutePath)
  const displayPath = relativePath.startsWith('..') || isAbsolute(relativePath) ? absolutePath : relativePath
  let text: string
  let stats: Stats
  try {
    stats = statSync(absolutePath)
    text = readUtf8File(absolutePath)
  } catch (error) {
    if (error instanceof NotUtf8Error) return { problems: [{ file: displayPath, pointer: '', line: error.line, message: `${error.message}: save the file as UTF-8` }] }
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message
    return { problems: [{ file: displayPath, pointer: '', message: `cannot read: ${reason}` }] }
  }
  // Most likely a write that failed or has not happened yet: a file meant to hold no records says so
  // in a comment (YAML), or is {} (JSON).
  if (text.trim() === '') return { problems: [{ file: displayPath, pointer: '', line: 1, message: `the file is empty: ${WHAT_A_SEED_FILE_HOLDS}` }] }
  // The records of the last large file are garbage by now: collected before this one makes its own.
  if (text.length > KEPT_CONTENT_LIMIT) collectGarbage()
  if (extname(path) === '.json') {
    // JSON.parse is many times faster than the YAML parser and holds no syntax tree; lines are
    // looked up (by parsing again) only when a problem is reported. Text that JSON.parse refuses,
    // or whose objects repeat a key (which JSON.parse would silently drop), takes the YAML path
    // below, which reports it as before.
    const content = parseJsonWithUniqueKeys(text)
    if (content === null) return { problems: [holdsNull(displayPath, lazyLineLookup(absolutePath))] }
    if (content !== undefined) {
      const reparse = () => {
        collectGarbage() // the records this file gave the pass before
        return JSON.parse(readUnchanged(absolutePath, stats)) as SeedFile // not null: it was too large to keep
      }
      return checkSeedContent(content, displayPath, absolutePath, lazyLineLookup(absolutePath), kept.admits(text.length) ? undefined : reparse)
    }
  }
  const { document, lineCounter } = parseWithLines(text)
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        file: displayPath,
        pointer: '',
        line: lineCounter.linePos(error.pos[0]).line,
        message: `invalid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]}`
      }))
    }
  }
  if (extname(path) === '.json') {
    // YAML accepts more than JSON does (comments, single quotes): a .json file must be JSON.
    try {
      JSON.parse(text)
    } catch (error) {
      const { message } = error as Error
      return { problems: [{ file: displayPath, pointer: '', line: jsonErrorLine(text, message), message: `invalid JSON: ${message}` }] }
    }
  }
  // A document of comments alone (after a `---` or not) holds no records; `null` or `~` is a value.
  const { contents } = document
  const holdsNothing = contents === null || (isScalar(contents) && contents.value === null && contents.source === '')
  if (!holdsNothing && isScalar(contents) && contents.value === null) return { problems: [holdsNull(displayPath, makeLineLookup(document, lineCounter))] }
  let content: unknown
  try {
    content = holdsNothing ? {} : document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // Aliases that expand beyond maxAliasCount (a "billion laughs" file) are refused, not expanded.
    return { problems: [{ file: displayPath, pointer: '', message: `invalid YAML: ${(error as Error).message}` }] }
  }
  // A YAML file that is not kept keeps its syntax tree (for lines) but not the records made from it.
  const rebuild = () => {
    collectGarbage() // the records this file gave the pass before
    return document.toJS({ maxAliasCount: 100 }) as SeedFile // not empty: it was too large to keep
  }
  return checkSeedContent(content, displayPath, absolutePath, makeLineLookup(document, lineCounter), kept.admits(text.length) ? undefined : rebuild)
}

const WHAT_A_SEED_FILE_HOLDS = 'a seed file maps collections (sources, people, events...) to their records'

/** The problem of a file that holds `null` (or `~`): most likely a generator that had nothing to write. */
const holdsNull = (file: string, lineOf: (pointer: string) => number | undefined): SeedProblem => ({
  file,
  pointer: '',
  line: lineOf(''),
  message: `the file holds null: ${WHAT_A_SEED_FILE_HOLDS} (a file meant to hold none is {} or a comment)`
})

/** The file's text, read again; it must not have changed since it was checked. */
function readUnchanged(absolutePath: string, checked: Stats): string {
  let text: string
  let now: Stats
  try {
    now = statSync(absolutePath)
    text = readUtf8File(absolutePath)
  } catch (error) {
    throw new Error(`${absolutePath} could not be read again while it was being seeded (${(error as Error).message}); nothing was written`)
  }
  if (now.size !== checked.size || now.mtimeMs !== checked.mtimeMs) throw new Error(`${absolutePath} changed while it was being seeded; nothing was written`)
  return text
}

function parseWithLines(text: string): { document: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter()
  return { document: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter }
}

/**
 * The line of a JSON.parse error, which an author needs. V8 names the position of most errors ("at
 * position 105"); of an unexpected token it quotes the text around it instead: after "...", the 10
 * characters before the token, found in the text; else the text from its start, in which the
 * token's first occurrence is taken. A text that ends too soon ends at its last line.
 */
function jsonErrorLine(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message)?.[1]
  const quoted = /^Unexpected token '(.)', (\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/su.exec(message)
  const tokenAt = (token: string, cut: string | undefined, context: string) => (cut === undefined ? text.indexOf(token) : text.indexOf(context) + V8_CONTEXT_BEFORE_TOKEN)
  const at = position !== undefined ? Number(position) : quoted ? tokenAt(quoted[1] as string, quoted[2], quoted[3] as string) : text.trimEnd().length
  return text.slice(0, at).split('\n').length
}

/** How many characters V8 quotes before an unexpected token when it cuts the text ("..."). */
const V8_CONTEXT_BEFORE_TOKEN = 10

/** Finds lines in a JSON file parsed without them: the file is read and parsed again on first use. */
function lazyLineLookup(absolutePath: string): (pointer: string) => number | undefined {
  let lookup: ((pointer: string) => number | undefined) | undefined
  return (pointer) => {
    if (!lookup) {
      const { document, lineCounter } = parseWithLines(readUtf8File(absolutePath))
      lookup = makeLineLookup(document, lineCounter)
    }
    return lookup(pointer)
  }
}

/**
 * JSON.parse's value, or undefined when the text is not JSON or an object in it repeats a key. A
 * repeated key is found by counting the members the text holds (the colons outside strings) against
 * the keys of the parsed objects: JSON.parse keeps only the last of a repeated key.
 */
export function parseJsonWithUniqueKeys(text: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return countMembers(text) === countKeys(value) ? value : undefined
}

function countMembers(text: string): number {
  let members = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x3a /* : */) members++
    else if (c === 0x22 /* " */) {
      // Skip the string (valid JSON, so it is closed); a backslash escapes the next character.
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    }
  }
  return members
}

function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  let keys = 0
  if (Array.isArray(value)) {
    for (const item of value) keys += countKeys(item)
    return keys
  }
  for (const key in value) keys += 1 + countKeys((value as Record<string, unknown>)[key])
  return keys
}

/**
 * Schema-checks parsed seed content: a file's, or the records of an API write (which have no
 * lines). `absolutePath` locates the files a source's text_file names. Given `reload` (which makes
 * the same content again), the content is not kept but made again when it is needed.
 */
export function checkSeedContent(
  content: unknown,
  displayPath: string,
  absolutePath: string,
  lineOf: (pointer: string) => number | undefined = () => undefined,
  reload?: () => SeedFile
): { file?: ParsedSeedFile; problems: SeedProblem[] } {
  const validateSeedFile = seedFileValidation()
  if (!validateSeedFile(content)) {
    // Ajv sets errors whenever validation fails.
    return {
      problems: describeAjvErrors(validateSeedFile.errors as ErrorObject[]).map((p) => ({
        file: displayPath,
        pointer: p.pointer,
        line: lineOf(p.pointer),
        message: p.detail
      }))
    }
  }
  const counts = {} as ParsedSeedFile['counts']
  for (const collection of SEED_COLLECTIONS) counts[collection] = content[collection]?.length ?? 0
  return { file: { displayPath, absolutePath, counts, content: reload ?? keep(content), lineOf }, problems: [] }
}

// A function of its own: a closure made in checkSeedContent would hold its whole scope, and with it
// the content of a large file that is meant to be let go.
const keep = (content: SeedFile) => () => content
