// The search words of the region's names: every spelling of a name, in any case, with or without
// its diacritics, in Latin or Cyrillic script, gives the same words as the name itself.
import t from 'tap'
import fc from 'fast-check'
import { searchKey, searchWords } from '../../src/text/search-key.js'

// The letters of each language's Latin alphabet (digraphs as the letters they are), lower case.
const ALPHABETS = {
  albanian: ['a', 'b', 'c', 'ç', 'd', 'dh', 'e', 'ë', 'f', 'g', 'gj', 'h', 'i', 'j', 'k', 'l', 'll', 'm', 'n', 'nj', 'o', 'p', 'q', 'r', 'rr', 's', 'sh', 't', 'th', 'u', 'v', 'x', 'xh', 'y', 'z', 'zh'],
  // Bosnian, Croatian and Serbian Latin (Gaj's alphabet), which is also Serbian Cyrillic transliterated.
  gaj: ['a', 'b', 'c', 'č', 'ć', 'd', 'dž', 'đ', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'lj', 'm', 'n', 'nj', 'o', 'p', 'r', 's', 'š', 't', 'u', 'v', 'z', 'ž'],
  // Macedonian Cyrillic transliterated (ISO 9:1995 / the official romanisation).
  macedonian: ['a', 'b', 'v', 'g', 'd', 'ǵ', 'e', 'ž', 'z', 'dz', 'i', 'j', 'k', 'l', 'lj', 'm', 'n', 'nj', 'o', 'p', 'r', 's', 't', 'ḱ', 'u', 'f', 'h', 'c', 'č', 'dž', 'š'],
  montenegrin: ['a', 'b', 'c', 'č', 'ć', 'd', 'dž', 'đ', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'lj', 'm', 'n', 'nj', 'o', 'p', 'r', 's', 'ś', 't', 'u', 'v', 'z', 'ź', 'ž']
}

// How people type each letter without the diacritic: the letter it is built on, or a digraph.
const ASCII_SPELLINGS: Record<string, string[]> = {
  ç: ['c'], ë: ['e'], č: ['c'], ć: ['c'], đ: ['d', 'dj'], dž: ['dz'], š: ['s'], ž: ['z'], ǵ: ['g', 'gj'], ḱ: ['k', 'kj'], ś: ['s'], ź: ['z']
}

// The same letters in Serbian and Macedonian Cyrillic, where the language writes them so.
const CYRILLIC: Record<string, string> = {
  a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', đ: 'ђ', ǵ: 'ѓ', e: 'е', ž: 'ж', z: 'з', dz: 'ѕ', i: 'и', j: 'ј', k: 'к', ḱ: 'ќ', l: 'л', lj: 'љ',
  m: 'м', n: 'н', nj: 'њ', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', ć: 'ћ', u: 'у', f: 'ф', h: 'х', c: 'ц', č: 'ч', dž: 'џ', š: 'ш'
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

const nameOf = (letters: readonly string[]) => fc.array(fc.array(fc.constantFrom(...letters), { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 3 })

for (const [language, letters] of Object.entries(ALPHABETS)) {
  t.test(`${language}: every spelling of a name gives the name's own words`, async (t) => {
    await fc.assert(
      fc.property(nameOf(letters), fc.nat(), (words, choice) => {
        const name = words.map((word) => capitalise(word.join(''))).join(' ')
        const key = searchKey(name)
        // Typed without diacritics, with either ASCII spelling of each letter, in upper or lower case.
        const ascii = words.map((word) => word.map((letter, i) => {
          const spellings = ASCII_SPELLINGS[letter]
          return spellings === undefined ? letter : (spellings[(choice + i) % spellings.length] as string)
        }).join(''))
        if (searchKey(ascii.join(' ')) !== key) return false
        if (searchKey(ascii.join(' ').toUpperCase()) !== key) return false
        if (searchKey(name.toUpperCase()) !== key) return false
        // Words the key holds are plain lower-case ASCII letters, one per name word.
        if (!/^[a-z]+( [a-z]+)*$/.test(key) || key.split(' ').length !== words.length) return false
        // In Cyrillic, when every letter has a Cyrillic form.
        if (words.every((word) => word.every((letter) => CYRILLIC[letter] !== undefined))) {
          const cyrillic = words.map((word) => capitalise(word.map((letter) => CYRILLIC[letter]).join(''))).join(' ')
          if (searchKey(cyrillic) !== key) return false
        }
        return true
      }),
      { numRuns: 500, seed: 20150603 }
    )
  })
}

t.test('the names of the article meet whatever their spelling', async (t) => {
  t.equal(searchKey('Đurić'), searchKey('djuric'))
  t.equal(searchKey('Đurić'), searchKey('DURIC'))
  t.equal(searchKey('Ђурић'), 'duric')
  t.equal(searchKey('Čosović-Medić'), 'cosovic medic')
  t.equal(searchKey('Mersida Mesetović'), searchKey('MERSIDA MESETOVIC'))
  t.equal(searchKey('Ǵorǵi Gjorgjievski'), 'gorgi gorgievski')
})

t.test('search syntax in the text is punctuation, not syntax', async (t) => {
  t.same(searchWords('"Mesetović" AND (NEAR* -x)'), ['mesetovic', 'and', 'near', 'x'])
  t.same(searchWords('" * - ( ) :'), [])
  t.same(searchWords(''), [])
})
