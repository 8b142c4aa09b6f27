// GET /v1/organisations and /v1/organisations/{id}: every filter, the tree of parents and children,
// other names, international organisations without a country, and the 400s and 404s.
import t from 'tap'
import { getJson, seededApp } from '../helpers.js'
import { assertProblem, topIds, assertQuotesFromArticle, ids, listIds, walkPages } from './http-helpers.js'
import { MAX_URL_LENGTH } from '../../src/http/security.js'

const BA_ORGANISATIONS = ['ba-armed-forces', 'ba-ministry-of-defence', 'ba-ministry-of-foreign-affairs', 'ba-ministry-of-security']
const DEFENCE_MINISTRIES = ['al', 'ba', 'hr', 'me', 'mk', 'rs'].map((c) => `${c}-ministry-of-defence`)
const INTERNATIONAL = [
  'seesac',
  'rssrp',
  'united-nations',
  'un-dpko',
  'un-dfs',
  'un-dpet',
  'un-dpko-asia-middle-east-europe-latin-america-division',
  'undp',
  'undp-bosnia-and-herzegovina',
  'un-resident-coordinator-office-bosnia-and-herzegovina',
  'nato',
  'osce'
]

const sorted = (list: string[]) => [...list].sort()

t.test('GET /v1/organisations lists every organisation by name, with a page shape', async (t) => {
  const app = await seededApp(t)
  const { status, body, headers } = await getJson(app, '/v1/organisations?limit=100')
  t.equal(status, 200)
  t.match(String(headers['content-type']), /^application\/json/)
  t.same(body.meta, { total: 31, limit: 100, next: null, next_cursor: null })
  const names: string[] = body.data.map((o: any) => o.name)
  t.same(names, [...names].sort(), 'ordered by name')
  t.equal(names[0], 'Armed Forces of Bosnia and Herzegovina')
  t.equal(names.at(-1), 'United Nations Development Programme')
  for (const o of body.data) assertQuotesFromArticle(t, o.sources, o.id)

  const { items, pages } = await walkPages(t, app, '/v1/organisations?limit=8')
  t.same(items.map((o: any) => o.id), ids(body), 'meta.next walks every organisation exactly once')
  t.equal(pages.length, 4)
  t.same(pages.map((p) => p.meta.total), [31, 31, 31, 31])
  t.match(pages[1]?.url, /^\/v1\/organisations\?limit=8&cursor=/)
  t.equal(pages.at(-1)?.meta.next, null)
})

t.test('country: alpha-2 or alpha-3 in any case; international organisations match none', async (t) => {
  const app = await seededApp(t)
  const ba = await listIds(t, app, '/v1/organisations?country=BA')
  t.same(ba, BA_ORGANISATIONS)
  for (const variant of ['ba', 'Ba', 'BIH', 'bih']) t.same(await listIds(t, app, `/v1/organisations?country=${variant}`), ba, `country=${variant}`)
  t.same(await listIds(t, app, '/v1/organisations?country=AL'), ['al-ministry-of-defence', 'al-ministry-of-foreign-affairs', 'al-ministry-of-interior'])
  t.same(await listIds(t, app, '/v1/organisations?country=MKD'), ['mk-ministry-of-defence', 'mk-ministry-of-foreign-affairs', 'mk-ministry-of-interior'])
  t.same(await listIds(t, app, '/v1/organisations?country=US'), [], 'a country with no organisation: empty')

  const { body } = await getJson(app, '/v1/organisations?limit=100')
  const withoutCountry = body.data.filter((o: any) => o.country === null).map((o: any) => o.id)
  t.same(sorted(withoutCountry), sorted(INTERNATIONAL), 'UN bodies, SEESAC, NATO and OSCE have country null')
  for (const o of body.data) {
    if (o.country !== null) t.match(o.id, new RegExp(`^${o.country.code.toLowerCase()}-`), `${o.id} is of ${o.country.code}`)
  }

  const problem = assertProblem(t, await app.inject('/v1/organisations?country=XX'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'country' }]
  })
  t.same(problem.errors, [{ in: 'query', name: 'country', detail: 'unknown country code "XX" (expected ISO 3166-1 alpha-2 or alpha-3)' }])
  assertProblem(t, await app.inject('/v1/organisations?country=B'), { status: 400, errors: [{ in: 'query', name: 'country' }] }, 'one letter')
  assertProblem(t, await app.inject('/v1/organisations?country=BIHX'), { status: 400, errors: [{ in: 'query', name: 'country' }] }, 'four letters')
})

t.test('ministry: a portfolio or a ministry id, with what is under it', async (t) => {
  const app = await seededApp(t)
  const defence = await listIds(t, app, '/v1/organisations?ministry=defence')
  t.same(sorted(defence), sorted([...DEFENCE_MINISTRIES, 'ba-armed-forces']), 'the six defence ministries and the BiH armed forces under one of them')
  t.same(await listIds(t, app, '/v1/organisations?ministry=Defence'), defence, 'the portfolio in any case')
  t.same(await listIds(t, app, '/v1/organisations?ministry=ba-ministry-of-defence'), ['ba-armed-forces', 'ba-ministry-of-defence'])
  t.same(await listIds(t, app, '/v1/organisations?country=BA&ministry=defence'), ['ba-armed-forces', 'ba-ministry-of-defence'])
  t.same(await listIds(t, app, '/v1/organisations?country=HR&ministry=defence'), ['hr-ministry-of-defence'])
  t.same(await listIds(t, app, '/v1/organisations?ministry=security'), ['ba-ministry-of-security'])
  t.same(await listIds(t, app, '/v1/organisations?ministry=foreign-affairs&country=me'), ['me-ministry-of-foreign-affairs'])
  t.same(await listIds(t, app, '/v1/organisations?ministry=finance'), [], 'no finance ministry in the directory')

  const notMinistry = assertProblem(t, await app.inject('/v1/organisations?ministry=un-dpko'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'ministry' }]
  })
  t.equal(notMinistry.detail, 'Invalid query parameter "ministry": organisation "un-dpko" is not a ministry')
  const unknown = assertProblem(t, await app.inject('/v1/organisations?ministry=agriculture'), { status: 400, errors: [{ in: 'query', name: 'ministry' }] })
  t.match(unknown.detail, /"agriculture" is neither a portfolio \(defence, foreign-affairs, interior, security, justice, finance\) nor an organisation id/)
})

t.test('classification and parent', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/organisations?classification=un-division'), ['un-dpko-asia-middle-east-europe-latin-america-division', 'un-dpet'])
  t.same(await listIds(t, app, '/v1/organisations?classification=armed-forces'), ['ba-armed-forces'])
  t.same(await listIds(t, app, '/v1/organisations?classification=intergovernmental-organisation'), ['nato', 'osce', 'united-nations'])
  t.equal((await listIds(t, app, '/v1/organisations?classification=ministry')).length, 18)
  t.same(await listIds(t, app, '/v1/organisations?classification=academic-institution'), [])
  t.same(await listIds(t, app, '/v1/organisations?classification=ministry&country=BA'), ['ba-ministry-of-defence', 'ba-ministry-of-foreign-affairs', 'ba-ministry-of-security'])
  const badClassification = assertProblem(t, await app.inject('/v1/organisations?classification=army'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'classification' }]
  })
  t.match(badClassification.detail, /classification/)

  t.same(await listIds(t, app, '/v1/organisations?parent=un-dpko'), ['un-dpko-asia-middle-east-europe-latin-america-division', 'un-dpet'])
  t.same(await listIds(t, app, '/v1/organisations?parent=united-nations'), [
    'un-dfs',
    'un-dpko',
    'un-resident-coordinator-office-bosnia-and-herzegovina',
    'undp'
  ], 'only those directly under the UN, not DPET or UNDP BiH')
  t.same(await listIds(t, app, '/v1/organisations?parent=ba-ministry-of-defence'), ['ba-armed-forces'])
  t.same(await listIds(t, app, '/v1/organisations?parent=seesac'), ['rssrp'])
  t.same(await listIds(t, app, '/v1/organisations?parent=nato'), [], 'an organisation with nothing under it')
  const unknownParent = assertProblem(t, await app.inject('/v1/organisations?parent=no-such-organisation'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'parent' }]
  })
  t.same(unknownParent.errors, [{ in: 'query', name: 'parent', detail: 'unknown organisation "no-such-organisation"' }])
})

t.test('event: the organisations that took part, themselves or through someone on their behalf', async (t) => {
  const app = await seededApp(t)
  const defence = ['al', 'ba', 'hr', 'me', 'mk', 'rs'].map((country) => `${country}-ministry-of-defence`)
  t.same(
    (await listIds(t, app, '/v1/organisations?event=sarajevo-roundtable-2015&ministry=defence')).sort(),
    ['ba-armed-forces', ...defence].sort(),
    'the ministries of defence that attended, and the armed forces the moderator spoke for'
  )
  t.same(await listIds(t, app, '/v1/organisations?event=belgrade-being-a-peacekeeper-roundtable-2014'), ['seesac'])
  const sarajevo = await listIds(t, app, '/v1/organisations?event=sarajevo-roundtable-2015')
  t.ok(sarajevo.includes('un-dpko-asia-middle-east-europe-latin-america-division'), 'on whose behalf the keynote speaker spoke')
  t.notOk(sarajevo.includes('united-nations'), 'not the organisations above those that took part')
  const unknown = assertProblem(t, await app.inject('/v1/organisations?event=nothing'), { status: 400, code: 'INVALID_PARAMETER' })
  t.same(unknown.errors, [{ in: 'query', name: 'event', detail: 'unknown event "nothing"' }])
})

t.test('q: names, abbreviations and other names rank first, accent- and case-insensitive; % and _ are not words', async (t) => {
  const app = await seededApp(t)
  t.same(await topIds(t, app, '/v1/organisations?q=defense'), ['ba-ministry-of-defence'], 'the US spelling is an other name of the BiH MoD: it ranks first')
  t.same(await topIds(t, app, '/v1/organisations?q=DEFENSE'), ['ba-ministry-of-defence'])
  const defence = await topIds(t, app, '/v1/organisations?q=defence', 6)
  t.equal(defence.filter((id) => id.endsWith('-ministry-of-defence')).length, 6, 'the six defence ministries, by name, rank first')
  t.same(await topIds(t, app, '/v1/organisations?q=dpko'), ['un-dpko'], 'by abbreviation')
  t.same(await topIds(t, app, '/v1/organisations?q=department%20for%20peacekeeping'), ['un-dpko'], 'by the other name the article uses')
  t.same(await topIds(t, app, `/v1/organisations?q=${encodeURIComponent('BiH AF')}`), ['ba-armed-forces'])
  t.same(await topIds(t, app, '/v1/organisations?q=resident%20coordinator%20in%20bih'), ['un-resident-coordinator-office-bosnia-and-herzegovina'], 'the name as the article writes it')
  t.same(await topIds(t, app, `/v1/organisations?q=${encodeURIComponent('Défense')}`), ['ba-ministry-of-defence'], 'accents in the query are folded too')
  t.same(await listIds(t, app, '/v1/organisations?q=rssrp&country=BA'), [], 'q combines with other filters')
  t.same(await topIds(t, app, '/v1/organisations?q=Co-operation'), ['osce'], 'a hyphen separates words')
  for (const q of ['%25', '_', '']) {
    assertProblem(t, await app.inject(`/v1/organisations?q=${q}`), { status: 400, code: 'INVALID_PARAMETER', errors: [{ in: 'query', name: 'q' }] }, `q=${q}: nothing to search for`)
  }
  assertProblem(t, await app.inject(`/v1/organisations?q=${'x'.repeat(201)}`), { status: 400, errors: [{ in: 'query', name: 'q' }] }, 'q over 200 characters')
})

t.test('GET /v1/organisations/{id}: parent, children, other names and sources', async (t) => {
  const app = await seededApp(t)
  const dpko = await getJson(app, '/v1/organisations/un-dpko')
  t.equal(dpko.status, 200)
  t.equal(dpko.body.name, 'Department of Peacekeeping Operations')
  t.equal(dpko.body.abbreviation, 'DPKO')
  t.equal(dpko.body.classification, 'un-department')
  t.equal(dpko.body.portfolio, null)
  t.equal(dpko.body.country, null, 'an international organisation has no country')
  t.same(dpko.body.parent, { id: 'united-nations', name: 'United Nations', abbreviation: 'UN' })
  t.same(dpko.body.children, [
    { id: 'un-dpko-asia-middle-east-europe-latin-america-division', name: 'Asia, Middle East, Europe and Latin America Division', abbreviation: null },
    { id: 'un-dpet', name: 'Policy, Evaluation and Training Division', abbreviation: 'DPET' }
  ])
  t.equal(dpko.body.other_names.length, 1)
  t.equal(dpko.body.other_names[0].name, 'Department for Peacekeeping Operations')
  t.equal(dpko.body.other_names[0].start_date, null)
  t.equal(dpko.body.other_names[0].end_date, null)
  assertQuotesFromArticle(t, dpko.body.other_names[0].sources, 'DPKO other name')
  t.equal(dpko.body.sources.length, 2)
  assertQuotesFromArticle(t, dpko.body.sources, 'un-dpko')
  t.match(dpko.body.note, /enrichment/)

  const un = await getJson(app, '/v1/organisations/united-nations')
  t.equal(un.body.parent, null)
  t.same(un.body.children.map((c: any) => c.id), ['un-dfs', 'un-dpko', 'un-resident-coordinator-office-bosnia-and-herzegovina', 'undp'], 'children by name')

  const dpet = await getJson(app, '/v1/organisations/un-dpet')
  t.same(dpet.body.parent, { id: 'un-dpko', name: 'Department of Peacekeeping Operations', abbreviation: 'DPKO' })
  t.same(dpet.body.children, [])
  t.same(dpet.body.other_names, [])

  const mod = await getJson(app, '/v1/organisations/ba-ministry-of-defence')
  t.equal(mod.body.name, 'Ministry of Defence of Bosnia and Herzegovina')
  t.equal(mod.body.abbreviation, 'MoD')
  t.equal(mod.body.classification, 'ministry')
  t.equal(mod.body.portfolio, 'defence')
  t.same(mod.body.country, { code: 'BA', name: 'Bosnia and Herzegovina' })
  t.equal(mod.body.parent, null)
  t.same(mod.body.children, [{ id: 'ba-armed-forces', name: 'Armed Forces of Bosnia and Herzegovina', abbreviation: 'BiH AF' }])
  t.same(mod.body.other_names.map((n: any) => n.name), ['Ministry of Defense'])
  assertQuotesFromArticle(t, mod.body.sources, 'ba-ministry-of-defence')

  const af = await getJson(app, '/v1/organisations/ba-armed-forces')
  t.same(af.body.parent, { id: 'ba-ministry-of-defence', name: 'Ministry of Defence of Bosnia and Herzegovina', abbreviation: 'MoD' })
  t.equal(af.body.portfolio, null, 'only ministries have a portfolio')
  t.same(af.body.country, { code: 'BA', name: 'Bosnia and Herzegovina' })

  const undpBih = await getJson(app, '/v1/organisations/undp-bosnia-and-herzegovina')
  t.equal(undpBih.body.country, null, 'a UN country office in BiH is still a UN body with no country')
  t.equal(undpBih.body.parent.id, 'undp')

  const fromList = await getJson(app, '/v1/organisations?q=dpko')
  t.same(fromList.body.data[0], dpko.body, 'the single record equals its list item')

  const missing = assertProblem(t, await app.inject('/v1/organisations/no-such-organisation'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'organisation "no-such-organisation" not found')
  t.equal(missing.title, 'Not Found')
  assertProblem(t, await app.inject('/v1/organisations/UN-DPKO'), { status: 404, code: 'NOT_FOUND' }, 'ids are case-sensitive')
  // Ids up to 200 characters are looked up (and not found); longer ones are refused by the schema, by name.
  assertProblem(t, await app.inject(`/v1/organisations/${'x'.repeat(200)}`), { status: 404, code: 'NOT_FOUND' })
  const tooLong = assertProblem(t, await app.inject(`/v1/organisations/${'x'.repeat(201)}`), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'path', name: 'id' }]
  })
  t.equal(tooLong.detail, 'Invalid path parameter "id": must NOT have more than 200 characters')
  // One beyond the longest request target is the router's, answered as any target over it.
  const beyond = assertProblem(t, await app.inject(`/v1/organisations/${'x'.repeat(MAX_URL_LENGTH + 1)}`), { status: 414, code: 'URI_TOO_LONG' })
  t.equal(beyond.detail, `The request target is longer than ${MAX_URL_LENGTH} characters`)
  for (const path of ['/v1/organisations/%', '/v1/organisations/%zz', '/v1/organisations/%C0%AF']) {
    const malformed = assertProblem(t, await app.inject(path), { status: 400, code: 'INVALID_URL' })
    t.match(malformed.detail, 'is not a valid URL', path)
  }
  // An empty id (a trailing slash) fails the path schema.
  const empty = assertProblem(t, await app.inject('/v1/organisations/'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'path', name: 'id' }]
  })
  t.equal(empty.detail, 'Invalid path parameter "id": must NOT have fewer than 1 characters')
})
