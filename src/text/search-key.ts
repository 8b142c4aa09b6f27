// The words that full-text search indexes and looks for. The same function runs on the indexed
// text (as the SQL function search_key()) and on the user's query, so spellings of the region's
// names meet in one key whichever alphabet or transliteration they were typed in:
//   Đurić, Djuric, Duric, Ђурић          -> duric
//   Čosović-Medić, COSOVIC MEDIC          -> cosovic medic
//   Ǵorǵievski, Gjorgjievski, Ѓорѓиевски  -> gorgievski
// Serbian and Macedonian Cyrillic are transliterated letter by letter; the Latin digraphs that stand
// for đ, ǵ and ḱ (dj, gj, kj, and any j after them) fold to the plain letter, as đ itself does.
// Folding a digraph on both sides loses no match; it only makes rare unrelated words meet ("adjust"
// and "adust").
import { fold } from './fold.js'

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'd', ѓ: 'g', е: 'e', ж: 'z', з: 'z', ѕ: 'dz', и: 'i', ј: 'j', к: 'k',
  ќ: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'c', у: 'u',
  ф: 'f', х: 'h', ц: 'c', ч: 'c', џ: 'dz', ш: 's'
}
const CYRILLIC_LETTERS = new RegExp(`[${Object.keys(CYRILLIC).join('')}]`, 'g')
const DIGRAPHS_OF_FOLDED_LETTERS = /([dgk])j+/g
const NOT_A_WORD = /[^\p{L}\p{N}]+/gu

/**
 * Raised with any change to the words searchKey makes: part of the search indexes' definition (their
 * SQL only calls search_key()), so that open databases index again with the words queries now make.
 */
export const SEARCH_KEY_VERSION = 1

/** The text as space-separated search words (lower case, no accents, Latin script). */
export function searchKey(text: string): string {
  return fold(text.toLowerCase().replace(CYRILLIC_LETTERS, (letter) => CYRILLIC[letter] as string))
    .replace(DIGRAPHS_OF_FOLDED_LETTERS, '$1')
    .replace(NOT_A_WORD, ' ')
    .trim()
}

/** The words of a search, or none when the text has no letter or digit. */
export const searchWords = (text: string): string[] => {
  const key = searchKey(text)
  return key === '' ? [] : key.split(' ')
}
