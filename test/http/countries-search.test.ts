// q= on /v1/countries searches as it does on every other list: every word of q must start a word of
// a country's name or other names, folding case, accents, Đ/dj and Cyrillic alike, and a q without a
// letter or digit is a 400. A single word also finds the country with that code.
import t from 'tap'
import { seededApp } from '../helpers.js'
import { assertProblem, listIds, walkPages } from './http-helpers.js'

const search = (q: string) => `/v1/countries?q=${encodeURIComponent(q)}`

t.test('every word must match, as a word or the start of one', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, search('bosnia herzegovina')), ['BA'], 'words of one name, not one substring')
  t.same(await listIds(t, app, search('herzegovina bosnia')), ['BA'], 'in any order')
  t.same(await listIds(t, app, search('bosn herz')), ['BA'], 'each the start of a word')
  t.same(await listIds(t, app, search('bosnia narnia')), [], 'every word must match')
  t.same(await listIds(t, app, search('land')), [], 'not inside a word: Finland, Bouvet Island and Iceland are not found')
  t.ok((await listIds(t, app, search('isl'))).includes('BV'), 'the start of a word: Bouvet Island')
  t.same(await listIds(t, app, search('former yugoslav')), ['MK'], 'words of an other name')
  t.same(await listIds(t, app, search('bih herzegovina')), ['BA'], 'words of the name and of an other name together')
  t.same(await listIds(t, app, search('ivoire cote')), ['CI'], "d'Ivoire: punctuation separates words")
})

t.test('case, accents, Đ/dj and Cyrillic do not matter', async (t) => {
  const app = await seededApp(t)
  for (const q of ['curacao', 'CURAÇAO', 'Curaçao']) t.same(await listIds(t, app, search(q)), ['CW'], q)
  for (const q of ['aland', 'Åland']) t.same(await listIds(t, app, search(q)), ['AX'], q)
  for (const q of ['djibouti', 'Djibouti', 'đibouti', 'dibouti']) t.same(await listIds(t, app, search(q)), ['DJ'], q)
  for (const [q, code] of [['Малта', 'MT'], ['Перу', 'PE'], ['Непал', 'NP']] as const) t.same(await listIds(t, app, search(q)), [code], q)
  const d = await listIds(t, app, search('d'))
  t.same(await listIds(t, app, search('đ')), d, 'đ finds what d finds')
  t.ok(d.includes('DK') && d.includes('CI'), 'Denmark, and Côte d’Ivoire by its word d')
  t.notOk(d.includes('AD'), 'not Andorra, whose d is inside a word')
})

t.test('a single word also finds a country by its alpha-2 or alpha-3 code, in any case', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, search('BIH')), ['BA'])
  t.same(await listIds(t, app, search('mkd')), ['MK'])
  const ba = await listIds(t, app, search('ba'))
  t.ok(ba.includes('BA') && ba.includes('BB'), 'BA by its code, Barbados by its name')
  t.same(await listIds(t, app, search('gbr united')), [], 'a code is not a word among others')
})

t.test('a q without a letter or digit, or with too many words, is a 400 naming q', async (t) => {
  const app = await seededApp(t)
  const many = Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')
  for (const q of ['!!', '%', '_', '" - "', '()', many]) {
    assertProblem(t, await app.inject(search(q)), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'q' }] }, `q=${q}`)
  }
})

t.test('matches come in name order, a page at a time, and as CSV', async (t) => {
  const app = await seededApp(t)
  const { items, pages } = await walkPages<{ code: string; name: string }>(t, app, `${search('islands')}&limit=5`)
  t.ok(pages.length > 2, 'several pages')
  t.equal(pages[0]?.meta.total, items.length, 'meta.total counts every match')
  t.ok(items.length >= 10 && items.every((c) => /islands/i.test(c.name) || c.code === 'AX' || c.code === 'PN'), 'every match has the word')
  const names = items.map((c) => c.name)
  t.same(names, [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })), 'in name order')
  const csv = await app.inject(`${search('bosnia herzegovina')}&format=csv`)
  t.equal(csv.statusCode, 200)
  t.same(csv.body.trim().split('\r\n').length, 2, 'the header and Bosnia and Herzegovina')
})
