// GET /v1/events, /v1/countries and /v1/sources with their single records: the Sarajevo and Belgrade
// events, the ISO 3166-1 countries with their other and former names, and the cited article.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { bundledSeedsFolder } from '../../src/paths.js'
import { getJson, seededApp } from '../helpers.js'
import { ARTICLE_ID, ARTICLE_TEXT, BELGRADE, PANEL, SARAJEVO, assertProblem, assertQuotesFromArticle, ids, listIds, walkPages } from './http-helpers.js'

const SARAJEVO_NAME = 'Regional Roundtable on Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations'

t.test('GET /v1/events: newest first, with sessions and continuations', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, '/v1/events')
  t.equal(status, 200)
  t.same(body.meta, { total: 2, limit: 20, next: null, next_cursor: null })
  t.same(ids(body), [SARAJEVO, BELGRADE], 'newest first')
  for (const event of body.data) assertQuotesFromArticle(t, event.sources, event.id)

  const [sarajevo, belgrade] = body.data
  t.same(
    { ...sarajevo, sessions: undefined, sources: undefined, note: undefined },
    {
      id: SARAJEVO,
      name: SARAJEVO_NAME,
      classification: 'roundtable',
      start_date: '2015-06-02',
      end_date: '2015-06-03',
      city: 'Sarajevo',
      country: { code: 'BA', name: 'Bosnia and Herzegovina' },
      continuation_of: { id: BELGRADE, name: 'Being a Peacekeeper', start_date: '2014-10' },
      continued_by: [],
      sessions: undefined,
      sources: undefined,
      note: undefined
    }
  )
  t.equal(sarajevo.sources.length, 4)
  t.ok(sarajevo.sources.some((s: any) => s.quote === 'SARAJEVO, 3 June 2015'), 'the dateline backs the city')

  t.equal(belgrade.start_date, '2014-10', 'a partial date, month precision')
  t.equal(belgrade.end_date, null)
  t.equal(belgrade.city, 'Belgrade')
  t.same(belgrade.country, { code: 'RS', name: 'Serbia' })
  t.equal(belgrade.continuation_of, null)
  t.same(belgrade.continued_by, [{ id: SARAJEVO, name: SARAJEVO_NAME, start_date: '2015-06-02' }])
  t.same(belgrade.sessions, [])

  const { items, pages } = await walkPages(t, app, '/v1/events?limit=1')
  t.same(items.map((e: any) => e.id), [SARAJEVO, BELGRADE])
  t.same(pages.map((p) => p.meta.next === null), [false, true])
})

t.test('GET /v1/events/{id}: the Sarajevo event and its session', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, `/v1/events/${SARAJEVO}`)
  t.equal(status, 200)
  t.equal(body.start_date, '2015-06-02')
  t.equal(body.end_date, '2015-06-03')
  t.same(body.continuation_of, { id: BELGRADE, name: 'Being a Peacekeeper', start_date: '2014-10' })
  t.equal(body.sessions.length, 1)
  const [session] = body.sessions
  t.equal(session.id, PANEL)
  t.equal(session.name, 'Regional Cooperation: Building Coherence and Comparative Advantages Amongst Countries in the Region in Training and in other Focus Areas')
  t.equal(session.classification, 'panel')
  t.equal(session.note, null)
  assertQuotesFromArticle(t, session.sources, PANEL)
  t.ok(ARTICLE_TEXT.includes(`“${session.name}”`), 'the session name is quoted in the article exactly')
  t.match(body.note, /dateline/)

  const belgrade = await getJson(app, `/v1/events/${BELGRADE}`)
  t.equal(belgrade.status, 200)
  t.equal(belgrade.body.start_date, '2014-10')
  t.same(belgrade.body.continued_by.map((e: any) => e.id), [SARAJEVO])

  const missing = assertProblem(t, await app.inject('/v1/events/no-such-event'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'event "no-such-event" not found')
  t.equal(missing.instance, '/v1/events/no-such-event')
})

t.test('events filters: country, classification, q', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/events?country=BA'), [SARAJEVO])
  t.same(await listIds(t, app, '/v1/events?country=bih'), [SARAJEVO])
  t.same(await listIds(t, app, '/v1/events?country=rs'), [BELGRADE])
  t.same(await listIds(t, app, '/v1/events?country=SRB'), [BELGRADE])
  t.same(await listIds(t, app, '/v1/events?country=AL'), [])
  assertProblem(t, await app.inject('/v1/events?country=QQ'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'country' }] })

  t.same(await listIds(t, app, '/v1/events?classification=roundtable'), [SARAJEVO, BELGRADE])
  t.same(await listIds(t, app, '/v1/events?classification=workshop'), [])
  assertProblem(t, await app.inject('/v1/events?classification=party'), { status: 400, errors: [{ in: 'query', name: 'classification' }] })

  t.same(await listIds(t, app, '/v1/events?q=peacekeeper'), [BELGRADE], '"Being a Peacekeeper" (not "Peacekeeping")')
  t.same((await listIds(t, app, '/v1/events?q=peacekeep')).sort(), [BELGRADE, SARAJEVO], 'a prefix finds both, ranked by relevance')
  t.same(await listIds(t, app, '/v1/events?q=SARAJEVO'), [SARAJEVO], 'by city')
  t.same(await listIds(t, app, '/v1/events?q=belgrade'), [BELGRADE], 'by city')
  t.same(await listIds(t, app, '/v1/events?q=western%20balkan'), [SARAJEVO], 'by name')
  for (const q of ['%25', '_']) assertProblem(t, await app.inject(`/v1/events?q=${q}`), { status: 400, errors: [{ in: 'query', name: 'q' }] }, `q=${q}: no word`)
  t.same(await listIds(t, app, '/v1/events?q=belgrade&country=BA'), [], 'filters combine')
  assertProblem(t, await app.inject('/v1/events?session=x'), { status: 400, errors: [{ in: 'query', name: 'session' }] }, 'no session filter on events')
})

t.test('events filters: the events an organisation or a person took part in', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/events?organisation=seesac'), [SARAJEVO, BELGRADE], 'SEESAC at both')
  t.same(await listIds(t, app, '/v1/events?organisation=undp'), [SARAJEVO], 'through UNDP BiH, under UNDP')
  t.same(await listIds(t, app, '/v1/events?organisation=ba-armed-forces'), [SARAJEVO], 'through the moderator on its behalf')
  t.same(await listIds(t, app, '/v1/events?organisation=ba-ministry-of-defence'), [SARAJEVO], "a ministry, by its participations' scope")
  t.same(await listIds(t, app, '/v1/events?organisation=rssrp'), [], 'an organisation that took part in none')
  t.same(await listIds(t, app, '/v1/events?organisation=seesac&country=RS'), [BELGRADE], 'filters combine')
  t.same(await listIds(t, app, '/v1/events?person=peter-due'), [SARAJEVO])
  for (const [parameter, what] of [['organisation', 'organisation'], ['person', 'person']]) {
    const unknown = assertProblem(t, await app.inject(`/v1/events?${parameter}=nobody`), { status: 400, code: 'INVALID_PARAMETER' })
    t.same(unknown.errors, [{ in: 'query', name: parameter, detail: `unknown ${what} "nobody"` }])
  }
})

t.test('GET /v1/countries: every ISO 3166-1 country', async (t) => {
  const app = await seededApp(t)
  const first = await getJson(app, '/v1/countries')
  t.equal(first.status, 200)
  t.match(first.body.meta, { total: 249, limit: 20, next: /^\/v1\/countries\?cursor=[^&]+&limit=20$/ })
  t.same(ids(first.body).slice(0, 3), ['AF', 'AX', 'AL'], 'by name, accent-insensitively: Afghanistan, Åland Islands, Albania')

  const { items, pages } = await walkPages(t, app, '/v1/countries?limit=100')
  t.equal(items.length, 249)
  t.equal(pages.length, 3)
  t.same(pages.map((p) => p.meta.total), [249, 249, 249])
  t.equal(pages.at(-1)?.meta.next, null)
  const codes = items.map((c: any) => c.code)
  t.equal(new Set(codes).size, 249, 'each country once')
  t.notOk(codes.includes('XK'), 'XK (Kosovo) is user-assigned, not ISO 3166-1')
  for (const country of items as any[]) {
    t.match(country.code, /^[A-Z]{2}$/)
    t.match(country.alpha3, /^[A-Z]{3}$/)
    t.match(country.numeric, /^\d{3}$/)
    t.ok(country.sources.some((s: any) => s.source_id === 'iso-3166-1'), `${country.code} cites the ISO dataset`)
  }
  const ba = items.find((c: any) => c.code === 'BA') as any
  t.same({ code: ba.code, alpha3: ba.alpha3, numeric: ba.numeric, name: ba.name }, { code: 'BA', alpha3: 'BIH', numeric: '070', name: 'Bosnia and Herzegovina' })
  t.same(ba.other_names.map((n: any) => n.name), ['BiH'])
  assertQuotesFromArticle(t, ba.other_names[0].sources, 'BiH')
})

t.test('GET /v1/countries/{code}: alpha-2 or alpha-3 in any case', async (t) => {
  const app = await seededApp(t)
  const mk = await getJson(app, '/v1/countries/MK')
  t.equal(mk.status, 200)
  t.equal(mk.body.code, 'MK')
  t.equal(mk.body.alpha3, 'MKD')
  t.equal(mk.body.numeric, '807')
  t.equal(mk.body.name, 'North Macedonia', "ISO 3166-1's short name, not the package's first")
  const names = mk.body.other_names.map((n: any) => n.name)
  t.ok(names.includes('The Republic of North Macedonia'), 'the full name is an other name')
  t.notOk(names.includes('North Macedonia'), 'not the name again')
  for (const [code, name, former] of [['GM', 'Gambia', 'Republic of The Gambia'], ['CG', 'Congo', 'Republic of the Congo'], ['CZ', 'Czechia', 'Czech Republic'], ['CV', 'Cabo Verde', 'Cape Verde']]) {
    const { body } = await getJson(app, `/v1/countries/${code}`)
    t.equal(body.name, name, `${code}: ISO's short name`)
    t.ok(body.other_names.some((other: { name: string }) => other.name === former), `${code}: ${former} is an other name`)
  }
  const former = mk.body.other_names.find((n: any) => n.name === 'the Former Yugoslav Republic of Macedonia')
  t.ok(former, 'the former name as the article writes it')
  t.equal(former.end_date, '2019-02-12', 'used until the Prespa agreement took effect')
  t.equal(former.start_date, null)
  assertQuotesFromArticle(t, former.sources, 'former name of MK')
  t.equal(mk.body.other_names.find((n: any) => n.name === 'FYROM')?.end_date, '2019-02-12')
  t.equal(mk.body.other_names.find((n: any) => n.name === 'Macedonia')?.end_date, null, 'informal use has no end date')

  for (const code of ['mk', 'MKD', 'mkd', 'Mk']) {
    const other = await getJson(app, `/v1/countries/${code}`)
    t.equal(other.status, 200, `/v1/countries/${code}`)
    t.same(other.body, mk.body, `/v1/countries/${code} is North Macedonia`)
  }

  const gb = await getJson(app, '/v1/countries/gbr')
  t.equal(gb.body.code, 'GB')
  t.equal(gb.body.name, 'United Kingdom')
  const uk = gb.body.other_names.find((n: any) => n.name === 'UK')
  t.ok(uk.sources.some((s: any) => s.quote === 'representatives from Austria, France, Slovenia, Switzerland, UK and US'), 'the article uses "UK"')

  const missing = assertProblem(t, await app.inject('/v1/countries/XX'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'country "XX" not found')
  assertProblem(t, await app.inject('/v1/countries/XXX'), { status: 404, code: 'NOT_FOUND' })
  const long = assertProblem(t, await app.inject('/v1/countries/BIHX'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'path', name: 'code' }] })
  t.equal(long.detail, 'Invalid path parameter "code": must NOT have more than 3 characters')
  assertProblem(t, await app.inject('/v1/countries/B'), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'path', name: 'code' }] })
})

t.test('countries q: names, other and former names, and codes', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/countries?q=fyrom'), ['MK'])
  t.same(await listIds(t, app, '/v1/countries?q=former%20yugoslav'), ['MK'])
  t.same(await listIds(t, app, '/v1/countries?q=macedonia'), ['MK'])
  t.ok((await listIds(t, app, '/v1/countries?q=UK')).includes('GB'), 'UK finds the United Kingdom by its other name')
  t.same(await listIds(t, app, '/v1/countries?q=bih'), ['BA'], 'bih: the alpha-3 code and the other name BiH')
  t.same(await listIds(t, app, '/v1/countries?q=mkd'), ['MK'], 'by alpha-3 code')
  t.ok((await listIds(t, app, '/v1/countries?q=ba')).includes('BA'), 'by alpha-2 code')
  t.same(await listIds(t, app, '/v1/countries?q=curacao'), ['CW'], 'accent-insensitive: Curaçao')
  t.same(await listIds(t, app, '/v1/countries?q=HERZEGOVINA'), ['BA'])
  // As in every q (test/http/countries-search.test.ts has the rest).
  for (const q of ['%25', '_']) {
    assertProblem(t, await app.inject(`/v1/countries?q=${q}`), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'q' }] }, `q=${q}: no letter or digit`)
  }
  assertProblem(t, await app.inject('/v1/countries?country=BA'), { status: 400, errors: [{ in: 'query', name: 'country' }] }, 'countries have no country filter')
})

t.test('GET /v1/sources, /v1/sources/{id} and /v1/sources/{id}/text', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, '/v1/sources')
  t.equal(status, 200)
  t.same(body.meta, { total: 2, limit: 20, next: null, next_cursor: null })
  t.same(ids(body), [ARTICLE_ID, 'iso-3166-1'], 'newest first, undated last')

  const seedCitations = ['sarajevo-roundtable-2015.yaml', 'country-names.yaml']
    .map((file) => readFileSync(join(bundledSeedsFolder, file), 'utf8').match(new RegExp(`source: ${ARTICLE_ID}\\b`, 'g'))?.length ?? 0)
    .reduce((a, b) => a + b, 0)
  const [article, iso] = body.data
  t.same(article, {
    id: ARTICLE_ID,
    kind: 'article',
    title: 'Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations',
    publisher: 'SEESAC',
    published_on: '2015-06-03',
    place: 'Sarajevo',
    url: null,
    note: null,
    text: `/v1/sources/${ARTICLE_ID}/text`,
    citations: seedCitations
  }, 'the article, cited once for every citation in the seed files')
  t.equal(iso.kind, 'dataset')
  t.equal(iso.text, null, 'a dataset has no text')
  t.equal(iso.published_on, null)
  t.ok(iso.citations >= 249, 'every country cites the ISO dataset')

  const { items } = await walkPages(t, app, '/v1/sources?limit=1')
  t.same(items.map((s: any) => s.id), [ARTICLE_ID, 'iso-3166-1'])

  const single = await getJson(app, `/v1/sources/${ARTICLE_ID}`)
  t.equal(single.status, 200)
  t.same(single.body, article, 'the single record equals its list item')
  t.same((await getJson(app, '/v1/sources/iso-3166-1')).body, iso)

  const text = await app.inject(article.text)
  t.equal(text.statusCode, 200)
  t.match(String(text.headers['content-type']), /^text\/plain; charset=utf-8$/)
  t.equal(text.body, ARTICLE_TEXT, 'exactly the article text, byte for byte')
  t.ok(text.body.includes('Mersida Mesetović') && text.body.includes('Čosović-Medić'), 'diacritics survive')

  const missing = assertProblem(t, await app.inject('/v1/sources/no-such-source'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'source "no-such-source" not found')
  const missingText = assertProblem(t, await app.inject('/v1/sources/no-such-source/text'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missingText.detail, 'source text "no-such-source" not found')
  const noText = assertProblem(t, await app.inject('/v1/sources/iso-3166-1/text'), { status: 404, code: 'NOT_FOUND' })
  t.equal(noText.detail, 'source text "iso-3166-1" not found', 'a dataset has no text to serve')
  assertProblem(t, await app.inject('/v1/sources?q=seesac'), { status: 400, errors: [{ in: 'query', name: 'q' }] }, 'sources take no q')
})
