// Reads seed files and source texts as UTF-8, refusing bytes that are not: decoded leniently, each
// would become U+FFFD, and a source text would be stored (and quoted) with the author's words lost.
import { readFileSync } from 'node:fs'

/** A file that is not UTF-8, with where its first invalid byte is (lines from 1, offsets from 0). */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error'
  constructor(
    readonly line: number,
    readonly offset: number
  ) {
    super(`not valid UTF-8: the byte at offset ${offset} (line ${line}) is not part of a UTF-8 character`)
  }
}

// A leading byte-order mark is dropped (ignoreBOM: false): it is no part of the text, and JSON.parse
// would refuse it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
// Keeps a byte-order mark as U+FEFF, so that the text's UTF-8 length is the bytes' (see notUtf8).
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })

/** The file's text; throws NotUtf8Error for bytes that are not UTF-8 (and fs errors as they are). */
export function readUtf8File(path: string): string {
  const bytes = readFileSync(path)
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw notUtf8(bytes)
  }
}

/** Locates the first invalid byte of bytes known not to be UTF-8 (only on that failure: it decodes them again). */
function notUtf8(bytes: Buffer): NotUtf8Error {
  const text = lenientUtf8.decode(bytes)
  // Each invalid sequence became a U+FFFD; a U+FFFD the file itself holds is EF BF BD there. The
  // text before the first that is not decodes exactly, so its UTF-8 length is the byte's offset.
  // (There is one: strict decoding failed.)
  let at = -1
  let offset: number
  do {
    at = text.indexOf('\uFFFD', at + 1)
    offset = Buffer.byteLength(text.slice(0, at))
  } while (bytes.toString('hex', offset, offset + 3) === 'efbfbd')
  return new NotUtf8Error(text.slice(0, at).split('\n').length, offset)
}
