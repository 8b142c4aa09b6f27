// GET /v1/people and /v1/people/{id}: names exactly as written, positions, every filter, 404s and 400s.
import t from 'tap'
import { getJson, seededApp, seededAppWithDatabase } from '../helpers.js'
import { createToken } from '../../src/modules/tokens/tokens.repository.js'
import { BELGRADE, SARAJEVO, assertProblem, assertQuotesFromArticle, ids, listIds, walkPages } from './http-helpers.js'

const EVERYONE = ['amela-cosovic-medic', 'peter-due', 'mersida-mesetovic', 'mark-pedersen']

t.test('GET /v1/people lists the four named people by sort name, diacritics kept', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, '/v1/people')
  t.equal(status, 200)
  t.same(body.meta, { total: 4, limit: 20, next: null, next_cursor: null })
  t.same(ids(body), EVERYONE, 'sorted accent-insensitively: Čosović-Medić sorts as C, before Due')
  t.same(
    body.data.map((p: any) => [p.name, p.sort_name]),
    [
      ['Amela Čosović-Medić', 'Čosović-Medić, Amela'],
      ['Peter Due', 'Due, Peter'],
      ['Mersida Mesetović', 'Mesetović, Mersida'],
      ['Mark Pedersen', 'Pedersen, Mark']
    ]
  )
  for (const person of body.data) {
    assertQuotesFromArticle(t, person.sources, person.id)
    t.equal(person.positions.length, 1, `${person.id} has one position`)
    for (const position of person.positions) assertQuotesFromArticle(t, position.sources, position.id)
    t.ok(person.sources.some((s: any) => s.quote.includes(person.name)), `${person.id}: a quote names "${person.name}" exactly as stored`)
  }

  const { items, pages } = await walkPages(t, app, '/v1/people?limit=3')
  t.same(items.map((p: any) => p.id), EVERYONE)
  t.match(pages.map((p) => p.meta), [
    { total: 4, limit: 3, next: /^\/v1\/people\?limit=3&cursor=/ },
    { total: 4, limit: 3, next: null }
  ])
})

// The order is kept in a column (sort_key, the folded sort name) that every write of a person
// sets again: a changed sort name moves the person at the next read, folded as the list folds.
t.test('a changed sort name moves the person in the list, accents folded', async (t) => {
  const { app, db } = await seededAppWithDatabase(t)
  const writer = { authorization: `Bearer ${createToken(db, 'editor-ana', 'write').token}` }
  const rename = async (sortName: string) => {
    const url = '/v1/people/mark-pedersen'
    const headers = { ...writer, 'if-match': (await app.inject(url)).headers.etag as string, 'content-type': 'application/merge-patch+json' }
    const response = await app.inject({ method: 'PATCH', url, headers, payload: JSON.stringify({ sort_name: sortName }) })
    t.equal(response.statusCode, 200, response.body)
  }
  await rename('Ćosić, Mark')
  t.same(await listIds(t, app, '/v1/people'), ['mark-pedersen', 'amela-cosovic-medic', 'peter-due', 'mersida-mesetovic'], 'Ćosić sorts as cosic: before Čosović (cosovic)')
  await rename('Džeko, Mark')
  const { items } = await walkPages(t, app, '/v1/people?limit=1')
  const order = ['amela-cosovic-medic', 'peter-due', 'mark-pedersen', 'mersida-mesetovic']
  t.same(items.map((p: any) => p.id), order, 'Džeko (dzeko) after Due, page after page')
  // sort=sort_name asks for the default order by name, and reads the same index.
  const sorted = await walkPages(t, app, '/v1/people?sort=sort_name&limit=1')
  t.same(sorted.items.map((p: any) => p.id), order, 'sort=sort_name: the same order')
  const reversed = await walkPages(t, app, '/v1/people?sort=-sort_name&limit=1')
  t.same(reversed.items.map((p: any) => p.id), [...order].reverse(), 'sort=-sort_name: the reverse, page after page')

  // Sort names that fold alike ("Dué" and "Due") tie under sort_name: a field after it orders them.
  await rename('Dué, Peter')
  const tied = async (sort: string) => (await walkPages(t, app, `/v1/people?sort=${sort}&limit=1`)).items.map((p: any) => p.id)
  t.same(await tied('sort_name,name'), ['amela-cosovic-medic', 'mark-pedersen', 'peter-due', 'mersida-mesetovic'], 'ties by name: Mark Pedersen, then Peter Due')
  t.same(await tied('sort_name,-name'), ['amela-cosovic-medic', 'peter-due', 'mark-pedersen', 'mersida-mesetovic'], 'ties by name, descending')
})

t.test('GET /v1/people/{id}: the name as written, honorific and positions', async (t) => {
  const app = await seededApp(t)
  const pedersen = await getJson(app, '/v1/people/mark-pedersen')
  t.equal(pedersen.status, 200)
  t.same(
    { ...pedersen.body, positions: undefined, sources: undefined },
    {
      id: 'mark-pedersen',
      name: 'Mark Pedersen',
      honorific_prefix: 'Mr.',
      given_name: 'Mark',
      family_name: 'Pedersen',
      sort_name: 'Pedersen, Mark',
      other_names: [],
      note: null,
      positions: undefined,
      sources: undefined
    }
  )
  t.equal(pedersen.body.positions.length, 1)
  const [position] = pedersen.body.positions
  t.equal(position.id, 'mark-pedersen-un-dpet-2015')
  t.equal(position.title, 'Chief of Integrated Training Service')
  t.same(position.organisation, { id: 'un-dpet', name: 'Policy, Evaluation and Training Division', abbreviation: 'DPET' })
  t.equal(position.as_of, '2015-06-03')
  t.match(position.note, /Integrated Training Service is not recorded as an organisation/)
  t.same(position.sources.map((s: any) => s.quote), ['Chief of Integrated Training Service of DPET, DPKO/DFS, Mr. Mark Pedersen'])

  const mesetovic = await getJson(app, '/v1/people/mersida-mesetovic')
  t.equal(mesetovic.body.name, 'Mersida Mesetović')
  t.equal(mesetovic.body.family_name, 'Mesetović')
  t.equal(mesetovic.body.honorific_prefix, 'Colonel')
  t.equal(mesetovic.body.positions[0].title, null, 'the article gives no post title')
  t.same(mesetovic.body.positions[0].organisation, { id: 'ba-armed-forces', name: 'Armed Forces of Bosnia and Herzegovina', abbreviation: 'BiH AF' })
  t.same(mesetovic.body.sources.map((s: any) => s.quote), ['moderated by Colonel Mersida Mesetović (BiH AF)'])

  const cosovic = await getJson(app, '/v1/people/amela-cosovic-medic')
  t.equal(cosovic.body.name, 'Amela Čosović-Medić')
  t.equal(cosovic.body.family_name, 'Čosović-Medić')
  t.equal(cosovic.body.given_name, 'Amela')
  t.equal(cosovic.body.honorific_prefix, 'Ms.')
  t.equal(cosovic.body.positions[0].title, 'Sector Leader, Justice and Security')
  t.equal(cosovic.body.positions[0].organisation.id, 'undp-bosnia-and-herzegovina')
  t.equal(cosovic.body.name.normalize('NFC'), cosovic.body.name, 'stored precomposed (NFC), as the article writes it')

  const due = await getJson(app, '/v1/people/peter-due')
  t.equal(due.body.positions[0].title, 'Director')
  t.equal(due.body.positions[0].organisation.id, 'un-dpko-asia-middle-east-europe-latin-america-division')

  const fromList = await getJson(app, '/v1/people?q=pedersen')
  t.same(fromList.body.data[0], pedersen.body, 'the single record equals its list item')

  const missing = assertProblem(t, await app.inject('/v1/people/mersida-mesetović'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'person "mersida-mesetović" not found', 'ids are not folded')
  assertProblem(t, await app.inject('/v1/people/nobody'), { status: 404, code: 'NOT_FOUND' })
  assertProblem(t, await app.inject('/v1/people/'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'path', name: 'id' }] }, 'empty id')
})

t.test('country: people with a post in, or acting for, an organisation of the country', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/people?country=BA'), ['mersida-mesetovic'], 'UNDP BiH has no country, so Čosović-Medić is not of BA')
  for (const variant of ['ba', 'BIH', 'Bih']) t.same(await listIds(t, app, `/v1/people?country=${variant}`), ['mersida-mesetovic'], `country=${variant}`)
  t.same(await listIds(t, app, '/v1/people?country=RS'), [], 'no named person from Serbia')
  assertProblem(t, await app.inject('/v1/people?country=ZZ'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'country' }] })
})

t.test('ministry and organisation: posts at or acting for the organisation and everything under it', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/people?ministry=defence'), ['mersida-mesetovic'], 'through the armed forces under the BiH MoD')
  t.same(await listIds(t, app, '/v1/people?ministry=ba-ministry-of-defence'), ['mersida-mesetovic'])
  t.same(await listIds(t, app, '/v1/people?country=BA&ministry=defence'), ['mersida-mesetovic'])
  t.same(await listIds(t, app, '/v1/people?country=HR&ministry=defence'), [])
  t.same(await listIds(t, app, '/v1/people?ministry=foreign-affairs'), [])
  const notMinistry = assertProblem(t, await app.inject('/v1/people?ministry=undp'), { status: 400, errors: [{ in: 'query', name: 'ministry' }] })
  t.match(notMinistry.detail, /not a ministry/)
  assertProblem(t, await app.inject('/v1/people?ministry=ministry-of-magic'), { status: 400, errors: [{ in: 'query', name: 'ministry' }] })

  t.same(await listIds(t, app, '/v1/people?organisation=un-dpet'), ['mark-pedersen'])
  t.same(await listIds(t, app, '/v1/people?organisation=un-dpko'), ['peter-due', 'mark-pedersen'], 'DPKO includes DPET and the division under it')
  t.same(await listIds(t, app, '/v1/people?organisation=united-nations'), ['amela-cosovic-medic', 'peter-due', 'mark-pedersen'])
  t.same(await listIds(t, app, '/v1/people?organisation=undp'), ['amela-cosovic-medic'])
  t.same(await listIds(t, app, '/v1/people?organisation=ba-armed-forces'), ['mersida-mesetovic'])
  t.same(await listIds(t, app, '/v1/people?organisation=un-dfs'), [], 'DFS has nothing under it and nobody at it')
  t.same(await listIds(t, app, '/v1/people?organisation=un-dpko&q=due'), ['peter-due'])
  const unknown = assertProblem(t, await app.inject('/v1/people?organisation=acme'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'organisation' }] })
  t.same(unknown.errors, [{ in: 'query', name: 'organisation', detail: 'unknown organisation "acme"' }])
})

t.test('event: the people who took part', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, `/v1/people?event=${SARAJEVO}`), EVERYONE)
  t.same(await listIds(t, app, `/v1/people?event=${BELGRADE}`), [], 'the article names nobody at Belgrade')
  t.same(await listIds(t, app, `/v1/people?event=${SARAJEVO}&organisation=undp`), ['amela-cosovic-medic'])
  const unknown = assertProblem(t, await app.inject('/v1/people?event=no-such-event'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'event' }] })
  t.same(unknown.errors, [{ in: 'query', name: 'event', detail: 'unknown event "no-such-event"' }])
})

t.test('q: accent- and case-insensitive search; % and _ are not words', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/people?q=mesetovic'), ['mersida-mesetovic'])
  t.same(await listIds(t, app, '/v1/people?q=MESETOVIC'), ['mersida-mesetovic'])
  t.same(await listIds(t, app, `/v1/people?q=${encodeURIComponent('Mesetović')}`), ['mersida-mesetovic'])
  t.same(await listIds(t, app, '/v1/people?q=COSOVIC'), ['amela-cosovic-medic'])
  t.same(await listIds(t, app, '/v1/people?q=cosovic-medic'), ['amela-cosovic-medic'])
  t.same(await listIds(t, app, `/v1/people?q=${encodeURIComponent('ČOSOVIĆ')}`), ['amela-cosovic-medic'])
  t.same(await listIds(t, app, '/v1/people?q=amela%20cos'), ['amela-cosovic-medic'], 'the name as written, given name first')
  t.same(await listIds(t, app, '/v1/people?q=pe'), ['peter-due', 'mark-pedersen'])
  t.same(await listIds(t, app, '/v1/people?q=colonel'), ['mersida-mesetovic'], 'the honorific is searched too')
  for (const q of ['%25', '_', '']) assertProblem(t, await app.inject(`/v1/people?q=${q}`), { status: 400, errors: [{ in: 'query', name: 'q' }] }, `q=${q}`)
  assertProblem(t, await app.inject('/v1/people?name=Due'), { status: 400, errors: [{ in: 'query', name: 'name' }] }, 'name is not a filter')
})
