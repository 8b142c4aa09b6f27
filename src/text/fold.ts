// Folds text for accent- and case-insensitive name matching: Mesetović -> mesetovic, Čosović-Medić ->
// cosovic-medic, Đurić -> duric. NFD leaves Đ/đ (and a few others) whole, so those are mapped by hand.
const COMBINING_MARKS = /\p{M}+/gu
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = { đ: 'd', Đ: 'd', ł: 'l', Ł: 'l', ß: 'ss', æ: 'ae', ø: 'o' }
const UNDECOMPOSABLE = new RegExp(`[${Object.keys(LETTERS_WITHOUT_DECOMPOSITION).join('')}]`, 'g')

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(UNDECOMPOSABLE, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter] as string)
    .toLowerCase()
}
