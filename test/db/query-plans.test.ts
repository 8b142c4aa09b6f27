// The participations list reads its page from an index in order and counts from an index, whatever
// the filter: no full scan of the participations and no sort of all matching rows, checked with
// EXPLAIN QUERY PLAN on the statements the API really runs, over a few thousand participations.
// The people list reads its pages in order from its own index.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { sql } from 'drizzle-orm'
import { buildApp } from '../../src/app.js'
import { seededDatabase, getJson } from '../helpers.js'
import { setCountCacheSize } from '../../src/db/count-cache.js'
import { rebuildParticipationScopes } from '../../src/modules/participations/participations.scopes.js'
import { rebuildParticipationCsv } from '../../src/modules/participations/participations.csv.js'
import { rebuildPersonScopes } from '../../src/modules/people/people.scopes.js'
import { CSV_CHUNK } from '../../src/http/csv.js'
import { PARTICIPATION_FACETS, PARTICIPATION_SORTS, PARTICIPATIONS_FROM, participationInCountry } from '../../src/modules/participations/participations.repository.js'
import { facetCounts } from '../../src/modules/shared/sql.js'
import { MAX_FACET_SIZE } from '../../src/http/facets.js'
import { ministryOrganisations, organisationAndBelow } from '../../src/modules/shared/filters.js'
import { matchExpression, rebuildSearchIndexes } from '../../src/search/search-index.js'
import { SEARCH_INDEXES } from '../../src/search/indexes.js'
import { deleteRecord, patchRecord } from '../../src/editing/records.js'
import { readSeedRecord, type SeedRecord } from '../../src/seed/read-seed-record.js'

const COPIES = 80

const db = seededDatabase()
const sqlite = db.$client
// Written behind the service's back, as a bulk import would: copies of every seeded participation.
sqlite.exec(`
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${COPIES})
  INSERT INTO participations (id, event_id, session_id, participant_type, person_id, organisation_id, delegation_country_code, sector,
    role, role_as_worded, on_behalf_of_id, country_code, note)
  SELECT p.id || '~' || n.i, event_id, session_id, participant_type, person_id, organisation_id, delegation_country_code, sector,
    role, role_as_worded, on_behalf_of_id, country_code, note
  FROM participations p, n`)
// And copies of every person, whose keys (the folded sort names) sort among the others.
sqlite.exec(`
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${COPIES})
  INSERT INTO people (id, name, honorific_prefix, given_name, family_name, sort_name, sort_key, note)
  SELECT pe.id || '~' || n.i, name, honorific_prefix, given_name, family_name, sort_name || ' ' || n.i, fold(sort_name || ' ' || n.i), note
  FROM people pe, n`)
rebuildParticipationScopes(db)
rebuildParticipationCsv(db)
rebuildPersonScopes(db)
rebuildSearchIndexes(db, SEARCH_INDEXES)
sqlite.exec('ANALYZE')
// Every request counts afresh: the plans of the counts are checked too.
setCountCacheSize(sqlite, 0)

interface Captured {
  source: string
  params: unknown[]
}
let captured: Captured[] = []
const prepare = sqlite.prepare.bind(sqlite)
sqlite.prepare = ((source: string) => {
  const statement = prepare(source)
  for (const method of ['all', 'get', 'run'] as const) {
    const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement)
    Object.assign(statement, {
      [method]: (...params: unknown[]) => {
        captured.push({ source, params })
        return original(...params)
      }
    })
  }
  return statement
}) as typeof sqlite.prepare

const explain = ({ source, params }: Captured): string[] =>
  (prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map((row) => row.detail)

// The big tables, under the aliases the repository gives them.
const FULL_SCAN = /^SCAN (p|x|participations|participation_scopes)\b/
const readsParticipations = (source: string) => /\b(participations|participation_scopes)\b/.test(source)
// Joining the page's few records by id may sort those few; sorting the matching rows may not.
const isPageOfIds = (source: string) => source.includes('json_each')

// What the filters select, over the tables: the participations involving one of the organisations
// (a ministry filter), and how many participations meet a condition.
const involving = (organisations: ReturnType<typeof sql>) =>
  sql`(p.organisation_id IN ${organisations} OR p.on_behalf_of_id IN ${organisations}
    OR p.person_id IN (SELECT person_id FROM positions WHERE organisation_id IN ${organisations}))`
// The participations a search matches.
const matching = (q: string) => sql`p.id IN (SELECT record_id FROM search_participations WHERE search_participations MATCH ${matchExpression(q)})`
const count = (condition: ReturnType<typeof sql>) => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM participations p WHERE ${condition}`).n

/**
 * The first 40 participations meeting `condition`, read over the tables in the order `sort` names
 * (ties by id): the order a sorted list gave before it read the index.
 */
function orderOverTables(condition: ReturnType<typeof sql>, sort: string[]): string[] {
  const terms = sort.map((name) => {
    const expression = PARTICIPATION_SORTS[name.replace(/^-/, '') as keyof typeof PARTICIPATION_SORTS]
    return sql`IFNULL(${expression}, '') ${sql.raw(name.startsWith('-') ? 'DESC' : 'ASC')}`
  })
  return db.all<{ id: string }>(sql`SELECT p.id ${PARTICIPATIONS_FROM} WHERE ${condition} ORDER BY ${sql.join(terms, sql`, `)}, p.id LIMIT 40`).map((row) => row.id)
}

/** The ids of the first two pages of 20 of a list in the order `sort` names, and the second page's total. */
async function twoSortedPages(app: FastifyInstance, shape: string, sort: string[]): Promise<{ ids: string[]; total: number }> {
  const url = `/v1/participations?limit=20&sort=${sort.join(',')}&${shape}`
  const first = await getJson(app, url)
  const second = await getJson(app, `${url}&cursor=${encodeURIComponent(first.body.meta.next_cursor)}`)
  return { ids: [...first.body.data, ...second.body.data].map((p: { id: string }) => p.id), total: second.body.meta.total }
}

t.teardown(() => sqlite.close())

// The person, the event and the session with the most participations: the filters' largest matches.
const person = prepare('SELECT person_id FROM participations WHERE person_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1').pluck().get()
const event = prepare('SELECT event_id FROM participations GROUP BY 1 ORDER BY count(*) DESC LIMIT 1').pluck().get()
const session = prepare('SELECT session_id FROM participations WHERE session_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1').pluck().get() as string

t.test('every shape of the participations list reads its page and total from an index', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const shapes = [
    '',
    'country=BA',
    'ministry=defence',
    'ministry=ba-ministry-of-defence',
    'country=BA&ministry=defence',
    // An organisation that is a ministry: the ministry filter's scope.
    'organisation=ba-ministry-of-defence',
    'country=BA&organisation=ba-ministry-of-defence',
    // Another organisation, with the organisations under it: its own scope, never paired with a country.
    'organisation=united-nations',
    'country=BA&organisation=ba-armed-forces',
    'ministry=defence&organisation=ba-armed-forces',
    'ministry=defence&organisation=ba-ministry-of-defence',
    `event=${event}`,
    `person=${person}`,
    'role=panellist',
    'country=RS&role=participant',
    'participant_type=organisation',
    'country=BA&participant_type=person',
    // A search reads only its matches (FTS5), ranked: sorting them by rank is what a search is.
    'q=peacekeeping',
    'q=peacekeeping&country=BA',
    'q=peacekeeping&participant_type=organisation'
  ]
  for (const shape of shapes) {
    const first = await getJson(app, `/v1/participations?limit=5&${shape}`)
    t.equal(first.status, 200, shape)
    t.ok(first.body.meta.total > 5, `${shape}: more than a page (${first.body.meta.total})`)
    captured = []
    const second = await getJson(app, `/v1/participations?limit=5&${shape}&cursor=${encodeURIComponent(first.body.meta.next_cursor)}`)
    t.equal(second.status, 200, `${shape}, second page`)
    t.equal(second.body.meta.total, first.body.meta.total, `${shape}: the same total on every page`)
    const statements = captured.filter((c) => readsParticipations(c.source))
    t.ok(statements.length >= 2, `${shape}: the page and its total were captured`)
    for (const statement of statements) {
      const plan = explain(statement)
      const where = `${shape}\n${statement.source}\n${plan.join('\n')}`
      t.notOk(
        plan.some((line) => FULL_SCAN.test(line)),
        `no full scan: ${where}`
      )
      if (!isPageOfIds(statement.source) && !shape.startsWith('q=')) t.notOk(plan.includes('USE TEMP B-TREE FOR ORDER BY'), `no sort of the matching rows: ${where}`)
    }
  }
})

t.test('the events, organisations and people filters by participation read the participations from an index', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const urls = [
    // A ministry by its participations' scope; another organisation by the participations of its tree.
    '/v1/events?organisation=ba-ministry-of-defence',
    '/v1/events?organisation=united-nations&facet=country',
    `/v1/events?person=${person}`,
    `/v1/organisations?event=${event}`,
    `/v1/organisations?event=${event}&ministry=defence&facet=country`,
    `/v1/people?event=${event}&facet=country`
  ]
  for (const url of urls) {
    captured = []
    const { status, body } = await getJson(app, url)
    t.equal(status, 200, url)
    t.ok(body.meta.total > 0, `${url}: some records (${body.meta.total})`)
    const statements = captured.filter((c) => readsParticipations(c.source))
    t.ok(statements.length >= 2, `${url}: the page and its total were captured`)
    for (const statement of statements) {
      const plan = explain(statement)
      t.notOk(plan.some((line) => FULL_SCAN.test(line)), `no full scan: ${url}\n${statement.source}\n${plan.join('\n')}`)
      // An event's people and organisations come from its index alone, which holds the participants.
      const eventReads = plan.filter((line) => line.includes('participations_event_id_idx'))
      t.ok(eventReads.every((line) => line.includes('COVERING INDEX')), `the event's participants from its index alone: ${url}\n${eventReads.join('\n')}`)
    }
  }
})

t.test('the people list reads its page in order from people_order_idx, by default and by sort name', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  for (const shape of ['', 'sort=sort_name', 'sort=-sort_name']) {
    const first = await getJson(app, `/v1/people?limit=5&${shape}`)
    t.equal(first.status, 200, shape)
    captured = []
    const second = await getJson(app, `/v1/people?limit=5&${shape}&cursor=${encodeURIComponent(first.body.meta.next_cursor)}`)
    t.equal(second.status, 200, `${shape}, second page`)
    const page = captured.find((c) => /\bFROM people pe\b/.test(c.source) && c.source.includes('ORDER BY'))
    t.ok(page, `${shape}: the page was captured`)
    const plan = explain(page!)
    const where = `${shape}\n${page!.source}\n${plan.join('\n')}`
    // Seeks to the cursor in the index; a descending order may sort the ties of its last key by id.
    t.ok(plan.some((line) => line.startsWith('SEARCH pe USING INDEX people_order_idx')), `from the cursor on, in the index: ${where}`)
    t.notOk(plan.includes('USE TEMP B-TREE FOR ORDER BY'), `no sort of all the people: ${where}`)
  }
})

// A filter most people match is read walking people_order_idx until the page is full; one few
// match, by looking those few up and sorting them. Either way, the same pages. (The people's
// copies hold no position: the test gives positions at two organisations without any, and the
// sort names of some of the many to others, for a time.)
t.test('the people list walks people_order_idx for a filter many match, and looks up the few of another', async (t) => {
  const app = await buildApp({ db })
  const [many, few] = prepare(
    `SELECT id FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = o.id)
       AND NOT EXISTS (SELECT 1 FROM person_scopes WHERE scope = 'organisation:' || o.id) ORDER BY id LIMIT 2`
  ).pluck().all() as string[]
  const give = prepare("INSERT INTO positions (id, person_id, organisation_id, as_of) SELECT 'walk-' || id, id, ?, '2015' FROM people WHERE id GLOB ?")
  give.run(many, '*~*[02468]')
  give.run(few, '*~3')
  rebuildPersonScopes(db)
  // Ties: the copies 2 and 4 of each person take the sort name of their copy 6, so that people of
  // one sort name, in id order, straddle pages.
  const tied = prepare("SELECT id, sort_name, sort_key FROM people WHERE id GLOB '*~[24]'").all() as { id: string; sort_name: string; sort_key: string }[]
  prepare(
    "UPDATE people SET (sort_name, sort_key) = (SELECT q.sort_name, q.sort_key FROM people q WHERE q.id = substr(people.id, 1, instr(people.id, '~')) || '6') WHERE id GLOB '*~[24]'"
  ).run()
  t.teardown(async () => {
    await app.close()
    prepare("DELETE FROM positions WHERE id GLOB 'walk-*'").run()
    rebuildPersonScopes(db)
    const restore = prepare('UPDATE people SET sort_name = ?, sort_key = ? WHERE id = ?')
    for (const person of tied) restore.run(person.sort_name, person.sort_key, person.id)
  })
  const everyone = prepare('SELECT count(*) FROM people').pluck().get() as number
  const limit = 7
  for (const [organisation, walks] of [[many, true], [few, false]] as const) {
    for (const direction of ['', '-']) {
      const order = direction === '' ? 'ASC' : 'DESC'
      // Ties of sort name are always in id order (sortTerms).
      const expected = prepare(`SELECT id FROM people WHERE id IN (SELECT person_id FROM positions WHERE organisation_id = ?) ORDER BY sort_key ${order}, sort_name ${order}, id`).pluck().all(organisation) as string[]
      // On either side of selectPage's choice: walking reads about (limit + 1) * everyone / matches entries, a lookup about 4 * matches.
      t.equal((limit + 1) * everyone < 4 * expected.length ** 2, walks, `${organisation}: ${expected.length} of ${everyone} people`)
      const list = `/v1/people?organisation=${organisation}&sort=${direction}sort_name&limit=${limit}`
      const served: string[] = []
      let url: string | undefined = list
      while (url !== undefined) {
        captured = []
        const { status, body }: { status: number; body: { data: { id: string }[]; meta: { total: number; next_cursor: string | null } } } = await getJson(app, url)
        t.equal(status, 200, url)
        t.equal(body.meta.total, expected.length, `${url}: the total`)
        served.push(...body.data.map((person) => person.id))
        const page = captured.find((c) => /\bFROM people pe\b/.test(c.source) && c.source.includes('ORDER BY')) as Captured
        const plan = explain(page)
        const where = `${url}\n${page.source}\n${plan.join('\n')}`
        if (walks) {
          t.ok(plan.some((line) => /^(SCAN|SEARCH) pe USING INDEX people_order_idx/.test(line)), `walks the index: ${where}`)
          t.notOk(plan.includes('USE TEMP B-TREE FOR ORDER BY'), `no sort of the matches: ${where}`)
        } else t.ok(plan.includes('SEARCH pe USING INDEX sqlite_autoindex_people_1 (id=?)'), `looks the people up: ${where}`)
        url = body.meta.next_cursor === null ? undefined : `${list}&cursor=${encodeURIComponent(body.meta.next_cursor)}`
      }
      t.same(served, expected, `${organisation}, ${direction}sort_name: every page, in order`)
    }
  }
  t.ok(tied.length > 0, 'some sort names were tied')
})

t.test('a sorted list reads and sorts its matches on the index, in the order the tables give', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const shapes: [string, ReturnType<typeof sql>][] = [
    ['', sql`1`],
    ['country=BA', participationInCountry('BA')],
    ['country=BA&ministry=defence', sql`${participationInCountry('BA')} AND ${involving(ministryOrganisations(db, 'defence'))}`],
    ['organisation=ba-ministry-of-defence&role=participant', sql`${involving(organisationAndBelow(db, 'ba-ministry-of-defence'))} AND p.role = 'participant'`],
    ['country=RS&role=participant', sql`${participationInCountry('RS')} AND p.role = 'participant'`],
    ['participant_type=organisation', sql`p.participant_type = 'organisation'`],
    ['country=BA&participant_type=person', sql`${participationInCountry('BA')} AND p.participant_type = 'person'`]
  ]
  const fields = Object.keys(PARTICIPATION_SORTS) as (keyof typeof PARTICIPATION_SORTS)[]
  const sorts = [...fields.flatMap((field) => [[field], [`-${field}`]]), ['-country', 'event'], ['role', '-participant']]
  for (const [shape, condition] of shapes) {
    for (const sort of sorts) {
      const where = `${shape || 'no filter'}, sort=${sort.join(',')}`
      const expected = { ids: orderOverTables(condition, sort), total: count(condition) }
      captured = []
      const { ids, total } = await twoSortedPages(app, shape, sort)
      t.same(ids, expected.ids, `${where}: two pages, in order`)
      t.equal(total, expected.total, `${where}: the total`)
      const page = captured.find((c) => c.source.includes('FROM participation_scopes x') && c.source.includes('ORDER BY'))
      t.ok(page, `${where}: the page was read from the index`)
      const plan = explain(page!)
      const range = 'SEARCH x USING COVERING INDEX participation_scopes_order_idx (scope=?)'
      t.ok(plan.includes(range), `${where}: one scope's range, the index alone\n${plan.join('\n')}`)
      t.notOk(/\bparticipations p\b/.test(page!.source), `${where}: no join to the participations`)
    }
  }
})

t.test('a sorted search and its facets read the matches with their keys from the index, in the order the tables give', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const shapes: [string, ReturnType<typeof sql>][] = [
    ['q=peacekeeping', matching('peacekeeping')],
    ['q=peacekeeping&participant_type=organisation', sql`${matching('peacekeeping')} AND p.participant_type = 'organisation'`],
    ['q=bosnia&country=BA', sql`${matching('bosnia')} AND ${participationInCountry('BA')}`]
  ]
  for (const [shape, condition] of shapes) {
    const total = count(condition)
    t.ok(total > 40, `${shape}: more than two pages (${total})`)
    captured = []
    t.equal((await getJson(app, `/v1/participations?limit=1&facet=country,role,event,participant_type&${shape}`)).status, 200)
    const facets = captured.filter((c) => c.source.includes('GROUP BY'))
    t.equal(facets.length, 4, `${shape}: a count per facet`)
    t.notOk(
      facets.some((c) => /\bparticipations p\b/.test(c.source)),
      `${shape}: the facets are counted on the index rows of the matches`
    )
    for (const sort of [['participant'], ['-event_start_date'], ['-country', 'role'], ['event']]) {
      const where = `${shape}, sort=${sort.join(',')}`
      const expected = orderOverTables(condition, sort)
      captured = []
      const pages = await twoSortedPages(app, shape, sort)
      t.same(pages.ids, expected, `${where}: two pages, in order`)
      t.equal(pages.total, total, `${where}: the total`)
      const statements = captured.filter((c) => readsParticipations(c.source) && !isPageOfIds(c.source))
      t.ok(statements.length >= 2, `${where}: the pages were captured`)
      for (const statement of statements) {
        const plan = explain(statement)
        t.notOk(/\bparticipations p\b/.test(statement.source), `${where}: no join to the participations\n${statement.source}`)
        t.notOk(
          plan.some((line) => FULL_SCAN.test(line)),
          `${where}: no full scan\n${plan.join('\n')}`
        )
      }
    }
  }
})

t.test('every facet of a filtered list is counted on the index alone', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  for (const shape of ['country=BA', 'country=BA&ministry=defence', 'role=panellist', 'participant_type=person', 'ministry=defence&participant_type=organisation']) {
    captured = []
    const { status } = await getJson(app, `/v1/participations?limit=1&facet=country,role,event,participant_type&${shape}`)
    t.equal(status, 200, shape)
    const counts = captured.filter((c) => c.source.includes('GROUP BY'))
    t.equal(counts.length, 4, `${shape}: a count per facet`)
    for (const count of counts) {
      const plan = explain(count)
      t.ok(plan.includes('SEARCH x USING COVERING INDEX participation_scopes_order_idx (scope=?)'), `${shape}: no row read\n${count.source}\n${plan.join('\n')}`)
    }
    // The events are grouped in the order the index gives them (by date, then id), not sorted first.
    const [byEvent] = counts.filter((c) => c.source.includes('x.event_id AS value'))
    t.ok(byEvent, `${shape}: the count by event`)
    if (byEvent) t.notOk(explain(byEvent).some((line) => line.includes('TEMP B-TREE FOR GROUP BY')), `${shape}: no sort of the rows by event\n${explain(byEvent).join('\n')}`)
  }
})

t.test('a CSV export reads its chunks in order from an index, whatever the filter', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const participations = prepare('SELECT count(*) FROM participations').pluck().get() as number
  t.ok(participations > 2 * CSV_CHUNK, `more than two chunks (${participations} participations)`)
  for (const shape of ['', 'country=BA', 'ministry=defence', 'country=BA&ministry=defence', 'organisation=ba-ministry-of-defence', 'role=panellist', 'participant_type=delegation', 'q=peacekeeping', 'sort=-participant']) {
    captured = []
    const response = await app.inject(`/v1/participations?format=csv&${shape}`)
    t.equal(response.statusCode, 200, shape)
    const statements = captured.filter((c) => readsParticipations(c.source) || c.source.includes('participation_csv_lines'))
    t.ok(statements.length >= 1, `${shape}: its chunks were captured`)
    for (const statement of statements) {
      const plan = explain(statement)
      const where = `${shape}\n${statement.source}\n${plan.join('\n')}`
      // Every participation: the lines table is read in its own order, a chunk at a time.
      const inOrder = (line: string) => line === 'SCAN x' && statement.source.includes('FROM participation_csv_lines x')
      t.notOk(
        plan.some((line) => (FULL_SCAN.test(line) || /^SCAN l\b/.test(line)) && !inOrder(line)),
        `no full scan: ${where}`
      )
      if (!isPageOfIds(statement.source) && !/^(q|sort)=/.test(shape)) t.notOk(plan.includes('USE TEMP B-TREE FOR ORDER BY'), `no sort of the matching rows: ${where}`)
    }
  }
})

t.test('a rebuild renders each CSV line with one run of each citations subquery', async (t) => {
  captured = []
  sqlite.transaction(() => rebuildParticipationCsv(db))()
  const render = captured.find((c) => c.source.startsWith('INSERT INTO participation_csv_lines'))
  t.ok(render, 'the render was captured')
  const plan = explain(render!)
  // Flattened into the CSV record, which reads each value several times, they were listed 8 times.
  t.equal(plan.filter((line) => line.startsWith('CORRELATED SCALAR SUBQUERY')).length, 2, plan.join('\n'))
  t.notOk(plan.some((line) => FULL_SCAN.test(line)), 'and the lines are read in order from the index, not scanned')
})

t.test('the index counts what the filters define, over the larger data', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  for (const code of ['BA', 'RS', 'ME']) {
    t.equal((await getJson(app, `/v1/participations?country=${code}&limit=1`)).body.meta.total, count(participationInCountry(code)), code)
  }
  for (const ministry of ['defence', 'interior', 'ba-ministry-of-defence']) {
    t.equal((await getJson(app, `/v1/participations?ministry=${ministry}&limit=1`)).body.meta.total, count(involving(ministryOrganisations(db, ministry))), ministry)
  }
  for (const type of ['person', 'organisation', 'delegation', 'sector']) {
    const total = count(sql`p.participant_type = ${type}`)
    t.equal((await getJson(app, `/v1/participations?participant_type=${type}&limit=1`)).body.meta.total, total, type)
    t.equal((await getJson(app, `/v1/participations?participant_type=${type}&country=BA&limit=1`)).body.meta.total, count(sql`p.participant_type = ${type} AND ${participationInCountry('BA')}`), `${type} in BA`)
  }
  for (const [code, ministry] of [['BA', 'defence'], ['RS', 'interior'], ['BA', 'ba-ministry-of-defence'], ['ME', 'ba-ministry-of-defence']] as const) {
    const both = sql`${participationInCountry(code)} AND ${involving(ministryOrganisations(db, ministry))}`
    t.equal((await getJson(app, `/v1/participations?country=${code}&ministry=${ministry}&limit=1`)).body.meta.total, count(both), `${code} and ${ministry}`)
  }
  // Ministries, whose scope is paired with a country's, and every other organisation.
  const organisations = prepare('SELECT id FROM organisations ORDER BY id').pluck().all() as string[]
  t.ok(organisations.length > 1, `${organisations.length} organisations`)
  for (const organisation of organisations) {
    const involvingIt = involving(organisationAndBelow(db, organisation))
    t.equal((await getJson(app, `/v1/participations?organisation=${organisation}&limit=1`)).body.meta.total, count(involvingIt), organisation)
    const inBosnia = sql`${participationInCountry('BA')} AND ${involvingIt}`
    t.equal((await getJson(app, `/v1/participations?organisation=${organisation}&country=BA&limit=1`)).body.meta.total, count(inBosnia), `${organisation} in BA`)
    const andDefence = sql`${involving(ministryOrganisations(db, 'defence'))} AND ${involvingIt}`
    t.equal((await getJson(app, `/v1/participations?organisation=${organisation}&ministry=defence&country=BA&limit=1`)).body.meta.total, count(sql`${andDefence} AND ${participationInCountry('BA')}`), `${organisation}, defence, in BA`)
  }
})

t.test('facets counted on the index equal the facets counted on the tables', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const names = ['country', 'role', 'event', 'participant_type']
  const shapes: [string, ReturnType<typeof sql>][] = [
    ['', sql`1`],
    ['country=BA', participationInCountry('BA')],
    ['ministry=defence', involving(ministryOrganisations(db, 'defence'))],
    ['country=BA&ministry=defence', sql`${participationInCountry('BA')} AND ${involving(ministryOrganisations(db, 'defence'))}`],
    ['organisation=ba-ministry-of-defence&role=participant', sql`${involving(organisationAndBelow(db, 'ba-ministry-of-defence'))} AND p.role = 'participant'`],
    ['country=RS&role=participant', sql`${participationInCountry('RS')} AND p.role = 'participant'`],
    ['participant_type=person', sql`p.participant_type = 'person'`],
    ['country=BA&participant_type=organisation', sql`${participationInCountry('BA')} AND p.participant_type = 'organisation'`],
    ['q=peacekeeping', matching('peacekeeping')],
    ['q=bosnia&country=BA&role=participant', sql`${matching('bosnia')} AND ${participationInCountry('BA')} AND p.role = 'participant'`],
    ['organisation=united-nations', involving(organisationAndBelow(db, 'united-nations'))],
    // A session is no scope: its participations are counted over the tables, with the other filters.
    [`session=${session}&ministry=defence`, sql`p.session_id = ${session} AND ${involving(ministryOrganisations(db, 'defence'))}`],
    [`session=${session}&organisation=united-nations`, sql`p.session_id = ${session} AND ${involving(organisationAndBelow(db, 'united-nations'))}`],
    [`session=${session}&country=BA`, sql`p.session_id = ${session} AND ${participationInCountry('BA')}`],
    [`session=${session}&q=peacekeeping`, sql`p.session_id = ${session} AND ${matching('peacekeeping')}`]
  ]
  for (const [shape, condition] of shapes) {
    t.ok(count(condition) > 0, `${shape || 'no filter'}: some participations`)
    // Cut to the 3 most frequent values, and in full.
    for (const size of [3, MAX_FACET_SIZE]) {
      const { body } = await getJson(app, `/v1/participations?limit=1&facet=${names.join(',')}&facet_size=${size}&${shape}`)
      const counted = Object.entries(facetCounts(db, sql`${PARTICIPATIONS_FROM} WHERE ${condition}`, PARTICIPATION_FACETS, { names, size }))
      const what = `${shape || 'no filter'}, facet_size=${size}`
      t.same(body.meta.facets, Object.fromEntries(counted.map(([name, { values }]) => [name, values])), what)
      t.same(body.meta.facet_value_totals, Object.fromEntries(counted.map(([name, { total }]) => [name, total])), `${what}: totals`)
    }
  }
})

// Each person's countries and organisations, over the tables: what person_scopes holds.
const PERSON_PAIRS_OVER_TABLES = {
  country: sql`SELECT q.person_id AS id, o.country_code AS value FROM positions q JOIN organisations o ON o.id = q.organisation_id WHERE o.country_code IS NOT NULL
    UNION SELECT person_id, country_code FROM participations WHERE person_id IS NOT NULL AND country_code IS NOT NULL
    UNION SELECT p.person_id, o.country_code FROM participations p JOIN organisations o ON o.id = p.on_behalf_of_id WHERE p.person_id IS NOT NULL AND o.country_code IS NOT NULL`,
  organisation: sql`SELECT person_id AS id, organisation_id AS value FROM positions
    UNION SELECT person_id, on_behalf_of_id FROM participations WHERE person_id IS NOT NULL AND on_behalf_of_id IS NOT NULL`
}

t.test('the people facets count from person_scopes what the tables hold, looking up only the matching people', async (t) => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  for (const [shape, matching] of [
    ['', sql`SELECT id FROM people`],
    ['country=BA', sql`SELECT id FROM (${PERSON_PAIRS_OVER_TABLES.country}) WHERE value = 'BA'`],
    ['ministry=defence', sql`SELECT id FROM (${PERSON_PAIRS_OVER_TABLES.organisation}) WHERE value IN ${ministryOrganisations(db, 'defence')}`]
  ] as const) {
    captured = []
    const { body } = await getJson(app, `/v1/people?limit=1&facet=country,organisation&facet_size=${MAX_FACET_SIZE}&${shape}`)
    t.equal(body.meta.total, db.get<{ n: number }>(sql`SELECT count(DISTINCT id) AS n FROM (${matching})`).n, `${shape}: the total`)
    for (const name of ['country', 'organisation'] as const) {
      const expected = db.all<{ value: string | null; count: number }>(sql`SELECT f.value, count(DISTINCT m.id) AS count
        FROM (SELECT DISTINCT id FROM (${matching})) m LEFT JOIN (${PERSON_PAIRS_OVER_TABLES[name]}) f ON f.id = m.id GROUP BY 1`)
      const counted = body.meta.facets[name].map(({ value, count }: { value: string | null; count: number }) => ({ value, count }))
      const byValue = (a: { value: string | null }, b: { value: string | null }) => String(a.value).localeCompare(String(b.value))
      t.ok(expected.length > 0 && expected.length <= MAX_FACET_SIZE, `${shape} ${name}: every value shown`)
      t.same(counted.sort(byValue), expected.sort(byValue), `${shape} ${name}`)
    }
    const statements = captured.filter((c) => c.source.includes('person_scopes'))
    // Both facets read it, and with a filter, the page and the total too.
    t.equal(statements.length, shape === '' ? 2 : 4, `${shape}: the statements that read person_scopes`)
    for (const statement of statements) {
      const plan = explain(statement)
      t.notOk(plan.some((line) => /^SCAN (person_scopes|participations|positions|p|q)\b/.test(line)), `no full scan of the pairs or the tables they come from:\n${plan.join('\n')}`)
      if (statement.source.includes('LEFT JOIN')) {
        t.ok(plan.some((line) => line.includes('person_scopes_person_idx (person_id=?')), `each matching person's pairs looked up:\n${plan.join('\n')}`)
      }
    }
  }
})

// Last: it writes. An organisation's new country moves the rows of its people, and only theirs.
t.test('a write refreshes the person scopes of the people it moves by index, not by a scan', async (t) => {
  const organisation = prepare('SELECT on_behalf_of_id FROM participations WHERE on_behalf_of_id IN (SELECT organisation_id FROM positions) LIMIT 1').pluck().get() as string
  const record = (readSeedRecord(sqlite, 'organisations', organisation) as { record: SeedRecord }).record
  captured = []
  patchRecord(db, 'organisations', record, { country: 'MK' }, 'test')
  const statements = captured.filter((c) => /person_scopes|AS \(SELECT value FROM json_each/.test(c.source))
  // The people affiliated with the organisation, their rows deleted, and made again.
  t.equal(statements.length, 3, statements.map((s) => s.source).join('\n'))
  for (const statement of statements) {
    const plan = explain(statement)
    // An index read from a lower bound on its first column alone is read whole, as a scan is.
    t.notOk(plan.some((line) => /^SCAN (person_scopes|participations|positions|p|q)\b|INDEX \w+ \(\w+>\?/.test(line)), `no full scan:\n${statement.source}\n${plan.join('\n')}`)
  }
  t.ok(prepare("SELECT count(*) FROM person_scopes WHERE scope = 'country:MK'").pluck().get() as number > 0, 'its people are in its new country')
})

// A write of one participation reads the derived rows of that participation alone.
// (Its deletion too: the deleted record's search row is found by the rowid it had.)
for (const [write, change] of [
  ['a change', (record: SeedRecord) => patchRecord(db, 'participations', record, { note: 'Changed' }, 'test')],
  ['its deletion', (record: SeedRecord) => deleteRecord(db, 'participations', record.id, 'test')]
] as const) {
  t.test(`a write of one participation (${write}) refreshes its derived rows by index, not by a scan`, async (t) => {
    const id = prepare('SELECT id FROM participations WHERE person_id IS NOT NULL AND on_behalf_of_id IS NOT NULL LIMIT 1').pluck().get() as string
    const record = (readSeedRecord(sqlite, 'participations', id) as { record: SeedRecord }).record
    captured = []
    change(record)
    const statements = captured.filter((c) => /participation_scopes|participation_csv_lines|person_scopes|search_participations/.test(c.source))
    t.ok(statements.length >= 8, `the refresh's statements were captured (${statements.length})`)
    for (const statement of statements) {
      const plan = explain(statement)
      // A scan, a full-text index read whole (no constraint: INDEX 0), a range of the order index
      // read by its scope alone (every participation's '' row), or an index read from a lower bound.
      const whole = /^SCAN (p|x|participations|participation_scopes|participation_csv_lines|person_scopes)\b|VIRTUAL TABLE INDEX 0:$|participation_scopes_order_idx \(scope=\?\)|INDEX \w+ \(\w+>\?/
      // The rows made afresh for the write (temp.fresh_*, read as x when the totals are adjusted) are its own alone.
      const freshRows = /temp\.fresh_\w+ x\b/.test(statement.source)
      t.notOk(plan.some((line) => whole.test(line) && !(freshRows && /^SCAN x\b/.test(line))), `no full read:\n${statement.source}\n${plan.join('\n')}`)
    }
  })
}
