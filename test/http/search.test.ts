// q= is full-text search (SQLite FTS5) ranked by relevance, folding case, accents, Đ and Cyrillic
// alike on the indexed text and on the query, and taking any user text as plain words.
import { join } from 'node:path'
import t from 'tap'
import fc from 'fast-check'
import { seedDatabase } from '../../src/seed/seed-database.js'
import { getJson, seededApp, seededAppWithDatabase } from '../helpers.js'
import { assertProblem } from './http-helpers.js'

const ids = (body: { data: { id: string }[] }) => body.data.map((r) => r.id).sort()

t.test("participations and organisations are found by their country's other names", async (t) => {
  const app = await seededApp(t)
  const macedonian = ids((await getJson(app, '/v1/participations?country=MK&limit=100')).body)
  t.equal(macedonian.length, 3)
  for (const q of ['fyrom', 'former%20yugoslav', 'FORMER%20YUGOSLAV%20REPUBLIC', 'macedonia']) {
    t.same(ids((await getJson(app, `/v1/participations?q=${q}&limit=100`)).body), macedonian, q)
  }
  const organisations = await getJson(app, '/v1/organisations?q=fyrom')
  t.same(ids(organisations.body), ['mk-ministry-of-defence', 'mk-ministry-of-foreign-affairs', 'mk-ministry-of-interior'])
  const british = await getJson(app, '/v1/participations?q=uk')
  t.same(ids(british.body), ['sarajevo-2015-gb-delegation-participant'])
  t.equal((await getJson(app, '/v1/participations?q=narnia')).body.meta.total, 0)
})

t.test('names are found however they are typed: case, accents, hyphens, Cyrillic, a prefix', async (t) => {
  const app = await seededApp(t)
  for (const q of ['mesetovic', 'MESETOVIĆ', 'Mesetović', 'Мешетовић', 'meset', 'mersida%20mesetovic', 'colonel%20mesetovic']) {
    t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent(decodeURIComponent(q))}`)).body), ['mersida-mesetovic'], `people: ${q}`)
  }
  for (const q of ['cosovic medic', 'Čosović-Medić', 'cosovic-medic', 'COSOVIC']) {
    t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent(q)}`)).body), ['amela-cosovic-medic'], `people: ${q}`)
    t.same(ids((await getJson(app, `/v1/participations?q=${encodeURIComponent(q)}`)).body), ['sarajevo-2015-amela-cosovic-medic-panellist'], `participations: ${q}`)
  }
  t.same(ids((await getJson(app, '/v1/people?q=sector%20leader')).body), ['amela-cosovic-medic'], 'a position title finds its holder')
  t.equal((await getJson(app, '/v1/organisations?q=bih%20af')).body.data[0].id, 'ba-armed-forces', 'an abbreviation, ranked first')
  t.same(ids((await getJson(app, '/v1/events?q=belgrade')).body), ['belgrade-being-a-peacekeeper-roundtable-2014'], 'an event by its city')
  t.same(ids((await getJson(app, '/v1/events?q=regional%20cooperation')).body), ['sarajevo-roundtable-2015'], 'an event by a session')
  t.same(ids((await getJson(app, '/v1/participations?q=moderated')).body), ['sarajevo-2015-mersida-mesetovic-moderator'], 'the role as worded')
  t.same(ids((await getJson(app, '/v1/participations?q=moderator')).body), ['sarajevo-2015-mersida-mesetovic-moderator'], "the role in the vocabulary's word")
  const atSarajevo = await getJson(app, '/v1/participations?event=sarajevo-roundtable-2015&limit=100')
  t.same(ids((await getJson(app, '/v1/participations?q=sarajevo&limit=100')).body), ids(atSarajevo.body), "the event's city finds every participation at it")
  t.same(ids((await getJson(app, '/v1/participations?q=belgrade')).body), ['belgrade-2014-seesac-co-organiser'], 'at Belgrade')
})

t.test('Đurić, Djuric and Duric find each other, in names and other names', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const dir = t.testdir({
    'people.yaml': `people:
  - id: dura-duric
    name: Đurđa Đurić
    sort_name: Đurić, Đurđa
    sources: [{ source: iso-3166-1 }]
  - id: milan-djuric
    name: Milan Djuric
    sort_name: Djuric, Milan
    sources: [{ source: iso-3166-1 }]
  - id: goran-ristic
    name: Goran Ristić
    sort_name: Ristić, Goran
    other_names:
      - name: Горан Дурић
        note: A name in Cyrillic.
    sources: [{ source: iso-3166-1 }]
`
  })
  seedDatabase(db, { files: [join(dir, 'people.yaml')], cwd: dir })
  for (const q of ['djuric', 'duric', 'Đurić', 'ĐURIĆ', 'Ђурић', 'dur']) {
    t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent(q)}`)).body), ['dura-duric', 'goran-ristic', 'milan-djuric'], q)
  }
  t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent('đurđa')}`)).body), ['dura-duric'])
  t.same(ids((await getJson(app, '/v1/people?q=djurdja%20djuric')).body), ['dura-duric'], 'every word must match')
})

t.test('results are ranked: a match in the name comes before one in a note, unless sort says otherwise', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const dir = t.testdir({
    'organisations.yaml': `organisations:
  - id: aaa-training-centre
    name: AAA Training Centre
    classification: academic-institution
    note: Holds the xylophone archive.
    sources: [{ source: iso-3166-1 }]
  - id: xylophone-institute
    name: Xylophone Institute
    classification: academic-institution
    sources: [{ source: iso-3166-1 }]
`
  })
  seedDatabase(db, { files: [join(dir, 'organisations.yaml')], cwd: dir })
  const ranked = await getJson(app, '/v1/organisations?q=xylophone')
  t.same(ranked.body.data.map((o: { id: string }) => o.id), ['xylophone-institute', 'aaa-training-centre'], 'the name match first')
  const sorted = await getJson(app, '/v1/organisations?q=xylophone&sort=name')
  t.same(sorted.body.data.map((o: { id: string }) => o.id), ['aaa-training-centre', 'xylophone-institute'], 'sort= orders the matches instead')
  const paged = await getJson(app, '/v1/organisations?q=xylophone&limit=1')
  t.same((await getJson(app, paged.body.meta.next)).body.data.map((o: { id: string }) => o.id), ['aaa-training-centre'], 'ranked pages follow on')
})

t.test('search syntax in q is plain text or a 400, never a 500', async (t) => {
  const app = await seededApp(t)
  const pieces = ['"', '*', 'NEAR', 'near(', '-', '(', ')', ':', '^', 'AND', 'OR', 'NOT', '+', '{', '}', "'", ';', '\\', '%', '_', ' ', 'mesetovic', 'names:', 'record_id', 'x']
  const lists = ['people', 'organisations', 'events', 'participations', 'countries']
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...lists), fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }), async (list, parts) => {
      const q = parts.join('')
      const response = await app.inject(`/v1/${list}?q=${encodeURIComponent(q)}`)
      const hasWords = /[\p{L}\p{N}]/u.test(q)
      if (!hasWords) return response.statusCode === 400 && response.json().errors[0].name === 'q'
      return response.statusCode === 200
    }),
    { numRuns: 300, seed: 20150603 }
  )
  for (const q of ['"', '*', '()', '" - "', '-']) {
    assertProblem(t, await app.inject(`/v1/participations?q=${encodeURIComponent(q)}`), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'q' }] }, q)
  }
  t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent('"mesetovic" NOT -(cosovic*)')}`)).body), [], 'operators are words: all must match')
  t.same(ids((await getJson(app, `/v1/people?q=${encodeURIComponent('"mesetovic*"')}`)).body), ['mersida-mesetovic'], 'quotes and stars are punctuation')
  const many = Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')
  assertProblem(t, await app.inject(`/v1/people?q=${encodeURIComponent(many)}`), { status: 400, errors: [{ in: 'query', name: 'q' }] }, 'too many words')
})
