// GET /v1/participations, /v1/participations/{id} and /v1/events/{id}/participations, over the
// seeded SEESAC article: the three questions the directory exists to answer, every filter,
// pagination, and the citations behind each record.
import t from 'tap'
import { getJson, seededApp } from '../helpers.js'
import {
  ARTICLE_TEXT,
  BELGRADE,
  MESETOVIC_MODERATOR,
  PANEL,
  SARAJEVO,
  assertProblem,
  assertQuotesFromArticle,
  ids,
  listIds,
  topIds,
  walkPages
} from './http-helpers.js'

const BA_RECORDS = [
  'sarajevo-2015-ba-ministry-of-defence-co-host',
  'sarajevo-2015-ba-ministry-of-foreign-affairs-co-host',
  'sarajevo-2015-ba-ministry-of-security-co-host',
  MESETOVIC_MODERATOR,
  'sarajevo-2015-ba-ministry-of-defence-participant',
  'sarajevo-2015-ba-ministry-of-foreign-affairs-participant',
  'sarajevo-2015-ba-ministry-of-security-participant'
]

const DEFENCE_COUNTRIES = ['AL', 'BA', 'HR', 'ME', 'MK', 'RS']

const sorted = (list: string[]) => [...list].sort()

t.test('who from Bosnia and Herzegovina took part?', async (t) => {
  const app = await seededApp(t)
  const upper = await listIds(t, app, '/v1/participations?country=BA')
  t.same(sorted(upper), sorted(BA_RECORDS), 'the three ministries as co-hosts and participants, and the moderator')
  t.same(await listIds(t, app, '/v1/participations?country=ba'), upper, 'lower case gives the same records in the same order')
  t.same(await listIds(t, app, '/v1/participations?country=BIH'), upper, 'alpha-3 gives the same records in the same order')
  t.same(await listIds(t, app, '/v1/participations?country=bih'), upper, 'alpha-3 in lower case too')

  const { body } = await getJson(app, '/v1/participations?country=BA&limit=100')
  t.equal(body.meta.total, 7)
  const byId = new Map(body.data.map((p: any) => [p.id, p]))
  const moderator: any = byId.get(MESETOVIC_MODERATOR)
  t.equal(moderator.participant.name, 'Mersida Mesetović')
  t.equal(moderator.role, 'moderator')
  t.same(moderator.on_behalf_of, { id: 'ba-armed-forces', name: 'Armed Forces of Bosnia and Herzegovina', abbreviation: 'BiH AF' })
  t.same(moderator.country, { code: 'BA', name: 'Bosnia and Herzegovina' }, 'the country comes from the organisation she acts for')

  const coHosts = body.data.filter((p: any) => p.role === 'co-host').map((p: any) => p.participant.id)
  t.same(sorted(coHosts), ['ba-ministry-of-defence', 'ba-ministry-of-foreign-affairs', 'ba-ministry-of-security'])
  const participants = body.data.filter((p: any) => p.role === 'participant').map((p: any) => p.participant.id)
  t.same(sorted(participants), ['ba-ministry-of-defence', 'ba-ministry-of-foreign-affairs', 'ba-ministry-of-security'])

  for (const p of body.data) {
    t.equal(p.country?.code, 'BA', `${p.id} is of Bosnia and Herzegovina`)
    // The link: the participant organisation, or the organisation acted for, is itself of BA.
    const linked = p.participant.type === 'organisation' ? p.participant.id : p.on_behalf_of?.id
    t.type(linked, 'string', `${p.id} is an organisation's or acts for one`)
    const organisation = await getJson(app, `/v1/organisations/${linked}`)
    t.equal(organisation.body.country?.code, 'BA', `${p.id} is linked to BA through ${linked}`)
  }
  const participantIds: string[] = body.data.map((p: any) => p.participant.id)
  for (const international of ['nato', 'osce', 'undp', 'un-dpko', 'undp-bosnia-and-herzegovina', 'un-resident-coordinator-office-bosnia-and-herzegovina', 'seesac']) {
    t.notOk(participantIds.includes(international), `${international} has no country and is not listed`)
  }
  t.notOk(body.data.some((p: any) => p.participant.type === 'delegation'), 'no other country delegations')
  t.notOk(participantIds.some((id) => /^(al|hr|me|mk|rs)-/.test(id)), "no other countries' ministries")
})

t.test('a country filter matches delegations and ministries of that country only', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/participations?country=GB'), ['sarajevo-2015-gb-delegation-participant'], 'UK delegation')
  t.same(await listIds(t, app, '/v1/participations?country=gbr'), ['sarajevo-2015-gb-delegation-participant'])
  t.same(
    await listIds(t, app, '/v1/participations?country=MKD'),
    ['sarajevo-2015-mk-ministry-of-defence-participant', 'sarajevo-2015-mk-ministry-of-foreign-affairs-participant', 'sarajevo-2015-mk-ministry-of-interior-participant']
  )
  t.same(await listIds(t, app, '/v1/participations?country=DE'), [], 'a real country with no participation: empty, not an error')
  const { body } = await getJson(app, '/v1/participations?country=RS')
  t.same(body.data.map((p: any) => p.country.code), ['RS', 'RS', 'RS'], "Serbia's three ministries; the Belgrade event's co-organiser SEESAC has no country")
})

t.test('which ministries of defence attended?', async (t) => {
  const app = await seededApp(t)
  const { body } = await getJson(app, '/v1/participations?ministry=defence&limit=100')
  t.equal(body.meta.total, 8, 'six defence ministries as participants, the BiH MoD as co-host, and the moderator')
  const participations = body.data.filter((p: any) => p.role === 'participant')
  t.same(sorted(participations.map((p: any) => p.country.code)), DEFENCE_COUNTRIES)
  t.same(
    sorted(participations.map((p: any) => p.participant.id)),
    DEFENCE_COUNTRIES.map((c) => `${c.toLowerCase()}-ministry-of-defence`)
  )
  t.ok(ids(body).includes('sarajevo-2015-ba-ministry-of-defence-co-host'), 'the BiH MoD as co-host')
  const moderator = body.data.find((p: any) => p.id === MESETOVIC_MODERATOR)
  t.ok(moderator, 'Mesetović appears: she acts for ba-armed-forces, which is under the BiH MoD')
  t.equal(moderator.on_behalf_of.id, 'ba-armed-forces')
  for (const p of body.data) t.not(p.participant.id, 'ba-ministry-of-security', 'no security ministry')

  t.same(await listIds(t, app, '/v1/participations?ministry=DEFENCE'), ids(body), 'the portfolio in any case')

  const byId = await listIds(t, app, '/v1/participations?ministry=ba-ministry-of-defence')
  t.same(sorted(byId), sorted(['sarajevo-2015-ba-ministry-of-defence-co-host', MESETOVIC_MODERATOR, 'sarajevo-2015-ba-ministry-of-defence-participant']), 'a ministry by id, with the bodies under it')

  const combined = await listIds(t, app, '/v1/participations?country=BA&ministry=defence')
  t.same(combined, byId, 'country=BA&ministry=defence is the BiH MoD and what is under it')

  t.same(
    sorted(await listIds(t, app, '/v1/participations?ministry=interior')),
    ['al', 'hr', 'me', 'mk', 'rs'].map((c) => `sarajevo-2015-${c}-ministry-of-interior-participant`),
    'BiH has no interior ministry; its Ministry of Security is not one'
  )
  t.same(await listIds(t, app, '/v1/participations?ministry=justice'), [], 'a portfolio no ministry has: empty')
})

t.test('a ministry filter that names nothing or a non-ministry is a 400 naming "ministry"', async (t) => {
  const app = await seededApp(t)
  const unknown = assertProblem(t, await app.inject('/v1/participations?ministry=nonsense'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'ministry' }]
  })
  t.match(unknown.detail, /neither a portfolio/)
  const notMinistry = assertProblem(t, await app.inject('/v1/participations?ministry=ba-armed-forces'), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'ministry' }]
  })
  t.match(notMinistry.detail, /"ba-armed-forces" is not a ministry/)
  assertProblem(t, await app.inject('/v1/participations?ministry=BA-MINISTRY-OF-DEFENCE'), { status: 400, errors: [{ in: 'query', name: 'ministry' }] }, 'ids are case-sensitive')
})

t.test('who moderated the regional-cooperation panel, and for which organisation?', async (t) => {
  const app = await seededApp(t)
  for (const url of ['/v1/participations?role=moderator', `/v1/participations?role=moderator&session=${PANEL}`, `/v1/events/${SARAJEVO}/participations?role=moderator&session=${PANEL}`]) {
    const { status, body } = await getJson(app, url)
    t.equal(status, 200, url)
    t.equal(body.meta.total, 1, url)
    const [moderator] = body.data
    t.equal(moderator.id, MESETOVIC_MODERATOR)
    t.same(moderator.participant, { type: 'person', id: 'mersida-mesetovic', name: 'Mersida Mesetović' })
    t.equal(moderator.role_as_worded, 'moderated by')
    t.same(moderator.session, {
      id: PANEL,
      name: 'Regional Cooperation: Building Coherence and Comparative Advantages Amongst Countries in the Region in Training and in other Focus Areas'
    })
    t.same(moderator.on_behalf_of, { id: 'ba-armed-forces', name: 'Armed Forces of Bosnia and Herzegovina', abbreviation: 'BiH AF' })
  }
})

t.test('event, session, person, role and participant_type filters', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, `/v1/participations?event=${BELGRADE}`), ['belgrade-2014-seesac-co-organiser'])
  const sarajevo = await listIds(t, app, `/v1/participations?event=${SARAJEVO}`)
  t.equal(sarajevo.length, 40)
  t.notOk(sarajevo.includes('belgrade-2014-seesac-co-organiser'))

  t.same(await listIds(t, app, `/v1/participations?session=${PANEL}`), [
    MESETOVIC_MODERATOR,
    'sarajevo-2015-amela-cosovic-medic-panellist',
    'sarajevo-2015-mark-pedersen-panellist',
    'sarajevo-2015-seesac-presenter'
  ], 'the panel: moderator first, then panellists by sort name (Čosović-Medić before Pedersen), then the presenter')

  t.same(await listIds(t, app, '/v1/participations?person=mark-pedersen'), ['sarajevo-2015-mark-pedersen-panellist'])
  t.same(await listIds(t, app, '/v1/participations?person=peter-due'), ['sarajevo-2015-peter-due-keynote-speaker'])

  t.same(await listIds(t, app, '/v1/participations?role=keynote-speaker'), ['sarajevo-2015-peter-due-keynote-speaker'])
  t.same(await listIds(t, app, '/v1/participations?role=co-organiser'), ['belgrade-2014-seesac-co-organiser'])
  t.same(await listIds(t, app, '/v1/participations?role=organiser'), [], 'a role nobody had: empty')
  t.same(await listIds(t, app, '/v1/participations?role=panellist'), ['sarajevo-2015-amela-cosovic-medic-panellist', 'sarajevo-2015-mark-pedersen-panellist'])

  const delegations = await getJson(app, '/v1/participations?participant_type=delegation')
  t.same(
    delegations.body.data.map((p: any) => p.participant),
    [
      { type: 'delegation', id: 'AT', name: 'Austria' },
      { type: 'delegation', id: 'FR', name: 'France' },
      { type: 'delegation', id: 'SI', name: 'Slovenia' },
      { type: 'delegation', id: 'CH', name: 'Switzerland' },
      { type: 'delegation', id: 'GB', name: 'United Kingdom' },
      { type: 'delegation', id: 'US', name: 'United States of America' }
    ],
    'the six delegations, named by country'
  )
  for (const p of delegations.body.data) t.equal(p.country.code, p.participant.id, `${p.id}: a delegation's country is its own`)

  const sectors = await getJson(app, '/v1/participations?participant_type=sector')
  t.same(
    sectors.body.data.map((p: any) => p.participant),
    [
      { type: 'sector', id: 'academia', name: 'Academia' },
      { type: 'sector', id: 'civil-society', name: 'Civil society' }
    ]
  )
  t.same(
    sorted(await listIds(t, app, '/v1/participations?participant_type=person')),
    ['sarajevo-2015-amela-cosovic-medic-panellist', 'sarajevo-2015-mark-pedersen-panellist', MESETOVIC_MODERATOR, 'sarajevo-2015-peter-due-keynote-speaker']
  )
  t.equal((await listIds(t, app, '/v1/participations?participant_type=organisation')).length, 29)

  t.same(
    await listIds(t, app, `/v1/participations?event=${SARAJEVO}&role=panellist&participant_type=person&session=${PANEL}&person=mark-pedersen`),
    ['sarajevo-2015-mark-pedersen-panellist'],
    'filters combine'
  )
  t.same(await listIds(t, app, '/v1/participations?person=mark-pedersen&role=moderator'), [], 'filters combine with AND')
})

t.test('organisation filter: the organisation, its sub-organisations, and those acting for them', async (t) => {
  const app = await seededApp(t)
  t.same(sorted(await listIds(t, app, '/v1/participations?organisation=un-dpko')), [
    'sarajevo-2015-mark-pedersen-panellist',
    'sarajevo-2015-peter-due-keynote-speaker',
    'sarajevo-2015-un-dpko-participant'
  ], 'DPKO itself, Pedersen for DPET and Due for the division, both under DPKO')
  t.same(await listIds(t, app, '/v1/participations?organisation=un-dpet'), ['sarajevo-2015-mark-pedersen-panellist'])
  t.same(sorted(await listIds(t, app, '/v1/participations?organisation=united-nations')), [
    'sarajevo-2015-amela-cosovic-medic-panellist',
    'sarajevo-2015-mark-pedersen-panellist',
    'sarajevo-2015-peter-due-keynote-speaker',
    'sarajevo-2015-un-dpko-participant',
    'sarajevo-2015-un-resident-coordinator-office-bosnia-and-herzegovina-co-host',
    'sarajevo-2015-undp-participant'
  ])
  t.same(sorted(await listIds(t, app, '/v1/participations?organisation=seesac')), [
    'belgrade-2014-seesac-co-organiser',
    'sarajevo-2015-seesac-participant',
    'sarajevo-2015-seesac-presenter'
  ], 'both events')
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-armed-forces'), [MESETOVIC_MODERATOR], 'on behalf of')
  t.same(await listIds(t, app, '/v1/participations?organisation=rssrp'), [], 'an organisation that took no part: empty')

  // With a country as well: the participations of both. A ministry is read from the index (the
  // ministry filter's scope), any other organisation over the tables.
  const inBosnia = '/v1/participations?organisation=ba-ministry-of-defence&country=BA'
  t.same(sorted(await listIds(t, app, inBosnia)), ['sarajevo-2015-ba-ministry-of-defence-co-host', 'sarajevo-2015-ba-ministry-of-defence-participant', MESETOVIC_MODERATOR])
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-ministry-of-defence&country=RS'), [], 'none of them in Serbia')
  t.same(sorted(await listIds(t, app, '/v1/participations?organisation=ba-ministry-of-defence&ministry=defence')), sorted(await listIds(t, app, inBosnia)))
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-ministry-of-defence&q=mesetovic'), [MESETOVIC_MODERATOR], 'and a search')
  const { body } = await getJson(app, `${inBosnia}&facet=role,country&limit=1`)
  t.same(body.meta.facets, {
    role: [
      { value: 'co-host', label: 'co-host', count: 1 },
      { value: 'moderator', label: 'moderator', count: 1 },
      { value: 'participant', label: 'participant', count: 1 }
    ],
    country: [{ value: 'BA', label: 'Bosnia and Herzegovina', count: 3 }]
  })
  const armedForcesInBosnia = '/v1/participations?organisation=ba-armed-forces&country=BA'
  t.same(await listIds(t, app, armedForcesInBosnia), [MESETOVIC_MODERATOR], 'an organisation under a ministry, in its country')
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-armed-forces&country=RS'), [], 'not in Serbia')
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-armed-forces&ministry=defence'), [MESETOVIC_MODERATOR], 'under a ministry of defence')
  t.same(await listIds(t, app, '/v1/participations?organisation=ba-armed-forces&q=mesetovic'), [MESETOVIC_MODERATOR], 'and a search')
  const armedForces = await getJson(app, `${armedForcesInBosnia}&facet=role,country&limit=1`)
  t.same(armedForces.body.meta.facets, {
    role: [{ value: 'moderator', label: 'moderator', count: 1 }],
    country: [{ value: 'BA', label: 'Bosnia and Herzegovina', count: 1 }]
  })
})

t.test('q: accent- and case-insensitive; % and _ are not words', async (t) => {
  const app = await seededApp(t)
  t.same(await listIds(t, app, '/v1/participations?q=mesetovic'), [MESETOVIC_MODERATOR])
  t.same(await listIds(t, app, `/v1/participations?q=${encodeURIComponent('MESETOVIĆ')}`), [MESETOVIC_MODERATOR])
  t.same(await listIds(t, app, '/v1/participations?q=COSOVIC'), ['sarajevo-2015-amela-cosovic-medic-panellist'])
  t.same(await listIds(t, app, `/v1/participations?q=${encodeURIComponent('čosović-medić')}`), ['sarajevo-2015-amela-cosovic-medic-panellist'])
  t.same(await topIds(t, app, `/v1/participations?q=${encodeURIComponent('BiH AF')}`), [MESETOVIC_MODERATOR], 'the abbreviation of on_behalf_of ranks first')
  const undp = await listIds(t, app, '/v1/participations?q=UNDP')
  for (const id of ['sarajevo-2015-amela-cosovic-medic-panellist', 'sarajevo-2015-un-dpko-participant', 'sarajevo-2015-undp-participant']) {
    t.ok(undp.includes(id), `UNDP finds ${id}: participant abbreviation, on_behalf_of name, and role as worded ("along with the UNDP and DPKO representatives")`)
  }
  t.same(await listIds(t, app, '/v1/participations?q=being%20a%20peacekeeper'), ['belgrade-2014-seesac-co-organiser'], 'the event name')
  t.equal((await listIds(t, app, '/v1/participations?q=regional%20cooperation')).length, 4, "the session name: the panel's four records")
  t.same(await listIds(t, app, '/v1/participations?q=moderated'), [MESETOVIC_MODERATOR], 'the role as worded')

  for (const symbols of ['%25', '_', '%25%25', '\\']) {
    assertProblem(t, await app.inject(`/v1/participations?q=${symbols}`), { status: 400, errors: [{ in: 'query', name: 'q' }] }, `q=${symbols}: no word to search for`)
  }
  t.same(await listIds(t, app, '/v1/participations?q=Mesetovi_'), [MESETOVIC_MODERATOR], '_ is a word separator, not a wildcard: "mesetovi" is a prefix')
  t.same(await listIds(t, app, '/v1/participations?q=zq%25zq'), [], '% too: "zq zq" matches nothing, rather than everything')
  t.same(await listIds(t, app, '/v1/participations?q=zzzz'), [])
})

t.test('GET /v1/participations/{id}', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, `/v1/participations/${MESETOVIC_MODERATOR}`)
  t.equal(status, 200)
  t.equal(body.id, MESETOVIC_MODERATOR)
  t.same(body.event, {
    id: SARAJEVO,
    name: 'Regional Roundtable on Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations',
    start_date: '2015-06-02'
  })
  t.equal(body.session.id, PANEL)
  t.same(body.participant, { type: 'person', id: 'mersida-mesetovic', name: 'Mersida Mesetović' })
  t.equal(body.role, 'moderator')
  t.equal(body.role_as_worded, 'moderated by')
  t.same(body.country, { code: 'BA', name: 'Bosnia and Herzegovina' })
  t.equal(body.note, null)
  t.equal(body.sources.length, 1)
  t.same(body.sources[0], {
    source_id: 'seesac-2015-06-03-sarajevo-roundtable',
    title: 'Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations',
    publisher: 'SEESAC',
    published_on: '2015-06-03',
    url: null,
    quote:
      'during the panel “Regional Cooperation: Building Coherence and Comparative Advantages Amongst Countries in the Region in Training and in other Focus Areas”, moderated by Colonel Mersida Mesetović (BiH AF).',
    note: null
  })
  t.ok(ARTICLE_TEXT.includes(body.sources[0].quote))

  const presenter = await getJson(app, '/v1/participations/sarajevo-2015-seesac-presenter')
  t.equal(presenter.status, 200)
  t.equal(presenter.body.sources.length, 2, 'two passages back the presenter record')
  assertQuotesFromArticle(t, presenter.body.sources, 'sarajevo-2015-seesac-presenter')
  t.match(presenter.body.note, /presented its work/)
  t.equal(presenter.body.on_behalf_of, null)
  t.equal(presenter.body.country, null, 'SEESAC is regional: no country')

  const belgrade = await getJson(app, '/v1/participations/belgrade-2014-seesac-co-organiser')
  t.same(belgrade.body.event, { id: BELGRADE, name: 'Being a Peacekeeper', start_date: '2014-10' })
  t.equal(belgrade.body.session, null)

  const delegation = await getJson(app, '/v1/participations/sarajevo-2015-gb-delegation-participant')
  t.same(delegation.body.participant, { type: 'delegation', id: 'GB', name: 'United Kingdom' })
  t.same(delegation.body.country, { code: 'GB', name: 'United Kingdom' })

  const missing = assertProblem(t, await app.inject('/v1/participations/no-such-participation'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'participation "no-such-participation" not found')
  t.equal(missing.instance, '/v1/participations/no-such-participation')
  t.equal(missing.title, 'Not Found')
})

t.test('GET /v1/events/{id}/participations', async (t) => {
  const app = await seededApp(t)
  const all = await getJson(app, `/v1/events/${SARAJEVO}/participations?limit=100`)
  t.equal(all.status, 200)
  t.equal(all.body.meta.total, 40)
  t.same(ids(all.body), await listIds(t, app, `/v1/participations?event=${SARAJEVO}`), 'the same records, in the same order, as ?event=')
  for (const p of all.body.data) t.equal(p.event.id, SARAJEVO)

  t.same(await listIds(t, app, `/v1/events/${BELGRADE}/participations`), ['belgrade-2014-seesac-co-organiser'])
  t.same(await listIds(t, app, `/v1/events/${BELGRADE}/participations?country=BA`), [], 'filters apply to the event only')
  t.same(
    await listIds(t, app, `/v1/events/${SARAJEVO}/participations?country=BA&ministry=defence`),
    await listIds(t, app, '/v1/participations?country=BA&ministry=defence')
  )
  t.same(await listIds(t, app, `/v1/events/${SARAJEVO}/participations?q=pedersen`), ['sarajevo-2015-mark-pedersen-panellist'])
  t.same(await listIds(t, app, `/v1/events/${SARAJEVO}/participations?organisation=seesac`), ['sarajevo-2015-seesac-presenter', 'sarajevo-2015-seesac-participant'])

  const missing = assertProblem(t, await app.inject('/v1/events/no-such-event/participations'), { status: 404, code: 'NOT_FOUND' })
  t.equal(missing.detail, 'event "no-such-event" not found')

  assertProblem(t, await app.inject(`/v1/events/${SARAJEVO}/participations?event=${BELGRADE}`), {
    status: 400,
    code: 'INVALID_PARAMETER',
    errors: [{ in: 'query', name: 'event' }]
  }, 'the event is in the path, not the query')
})

t.test('filters naming records that do not exist are 400s naming the parameter', async (t) => {
  const app = await seededApp(t)
  for (const [parameter, value] of [
    ['event', 'no-such-event'],
    ['session', 'no-such-session'],
    ['person', 'no-such-person'],
    ['organisation', 'no-such-organisation'],
    ['country', 'XX'],
    ['country', 'XXX'],
    ['role', 'chair'],
    ['participant_type', 'robot']
  ] as const) {
    const problem = assertProblem(t, await app.inject(`/v1/participations?${parameter}=${value}`), {
      status: 400,
      code: 'INVALID_PARAMETER',
      errors: [{ in: 'query', name: parameter }]
    })
    t.match(problem.detail, parameter, `${parameter}=${value}: the detail names the parameter`)
  }
  const country = assertProblem(t, await app.inject('/v1/participations?country=XX'), { status: 400 })
  t.match(country.detail, /unknown country code "XX"/)
  const person = assertProblem(t, await app.inject('/v1/participations?person=no-such-person'), { status: 400 })
  t.same(person.errors, [{ in: 'query', name: 'person', detail: 'unknown person "no-such-person"' }])
  const session = assertProblem(t, await app.inject(`/v1/events/${BELGRADE}/participations?session=nope`), { status: 400 })
  t.same(session.errors, [{ in: 'query', name: 'session', detail: 'unknown session "nope"' }])
})

t.test('pagination: limit, cursors, a constant total and meta.next over every record once', async (t) => {
  const app = await seededApp(t)
  const everything = await listIds(t, app, '/v1/participations')
  t.equal(everything.length, 41)
  t.equal(new Set(everything).size, 41, 'ids are unique')
  t.equal(everything.at(-1), 'belgrade-2014-seesac-co-organiser', 'newest event first: the 2014 Belgrade record is last')
  t.same(everything.slice(0, 4), [
    'sarajevo-2015-ba-ministry-of-defence-co-host',
    'sarajevo-2015-ba-ministry-of-foreign-affairs-co-host',
    'sarajevo-2015-ba-ministry-of-security-co-host',
    'sarajevo-2015-un-resident-coordinator-office-bosnia-and-herzegovina-co-host'
  ], 'then by role as a programme lists them: co-hosts first')

  const defaults = await getJson(app, '/v1/participations')
  t.match(defaults.body.meta, { total: 41, limit: 20, next: /^\/v1\/participations\?cursor=[\w%.-]+&limit=20$/ }, 'default limit 20')
  t.same(ids(defaults.body), everything.slice(0, 20))

  for (const limit of [1, 7, 40, 41, 100]) {
    const { items, pages } = await walkPages(t, app, `/v1/participations?limit=${limit}`)
    t.same(items.map((p: any) => p.id), everything, `limit=${limit}: meta.next walks every record exactly once, in order`)
    t.equal(pages.length, Math.ceil(41 / limit), `limit=${limit}: ${Math.ceil(41 / limit)} pages`)
    for (const [i, { meta }] of pages.entries()) {
      t.equal(meta.total, 41, `limit=${limit} page ${i}: total is constant`)
      t.equal(meta.limit, limit)
    }
    t.equal(pages.at(-1)?.meta.next, null, `limit=${limit}: the last page has next null`)
  }

  const filtered = await walkPages(t, app, '/v1/participations?country=BA&limit=2')
  t.same(filtered.items.map((p: any) => p.id), await listIds(t, app, '/v1/participations?country=BA'), 'next keeps the filters')
  t.match(filtered.pages[1]?.url, /^\/v1\/participations\?country=BA&limit=2&cursor=/)
  for (const { meta } of filtered.pages) t.equal(meta.total, 7)

  const searched = await walkPages(t, app, `/v1/participations?q=${encodeURIComponent('ministry of')}&limit=10`)
  t.same(searched.items.map((p: any) => p.id), await listIds(t, app, `/v1/participations?q=${encodeURIComponent('ministry of')}`), 'next links keep an encoded q')
  t.match(searched.pages[1]?.url, /^\/v1\/participations\?q=ministry\+of&limit=10&cursor=/)
  for (const p of searched.items.slice(0, 21) as any[]) t.match(p.participant.name, /^Ministry of /, 'ministries, matching by name, rank first')

  const event = await walkPages(t, app, `/v1/events/${SARAJEVO}/participations?limit=15`)
  t.equal(event.items.length, 40)
  t.match(event.pages[1]?.url, new RegExp(`^/v1/events/${SARAJEVO}/participations\\?limit=15&cursor=`), 'next keeps the event path')

  assertProblem(t, await app.inject('/v1/participations?offset=20'), { status: 400, errors: [{ in: 'query', name: 'offset' }] }, 'pages are reached by cursor, not offset')
})

t.test('every participation has sources, each quote verbatim from the article', async (t) => {
  const app = await seededApp(t)
  const { items } = await walkPages(t, app, '/v1/participations?limit=100')
  t.equal(items.length, 41)
  for (const p of items as any[]) {
    assertQuotesFromArticle(t, p.sources, p.id)
    for (const source of p.sources) {
      t.equal(source.title, 'Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations')
      t.equal(source.publisher, 'SEESAC')
      t.equal(source.published_on, '2015-06-03')
    }
  }
})
