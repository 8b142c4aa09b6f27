// sort=: allow-listed fields, "-" for descending, ties broken by id so that pages never overlap.
import t from 'tap'
import { fold } from '../../src/text/fold.js'
import { getJson, seededApp } from '../helpers.js'

const SORTS: Record<string, string[]> = {
  '/v1/participations': ['event_start_date', 'event', 'role', 'participant', 'country'],
  '/v1/people': ['sort_name', 'name'],
  '/v1/organisations': ['name', 'abbreviation', 'classification', 'country'],
  '/v1/events': ['start_date', 'name', 'country']
}

t.test('every sort, ascending and descending, pages through each record exactly once', async (t) => {
  const app = await seededApp(t)
  for (const [path, fields] of Object.entries(SORTS)) {
    for (const sort of [...fields, ...fields.map((f) => `-${f}`), fields.join(','), fields.map((f) => `-${f}`).join(',')]) {
      const all = await getJson(app, `${path}?sort=${sort}&limit=100`)
      t.equal(all.status, 200, `${path}?sort=${sort}`)
      const walked: string[] = []
      for (let url: string | null = `${path}?sort=${sort}&limit=3`; url !== null; ) {
        const page: { body: { data: { id: string }[]; meta: { next: string | null } } } = await getJson(app, url)
        walked.push(...page.body.data.map((r) => r.id))
        url = page.body.meta.next
      }
      t.same(walked, all.body.data.map((r: { id: string }) => r.id), `${path}?sort=${sort}: pages in the same order, each record once`)
    }
  }
})

t.test('sorting orders by the field, accent-insensitively, in either direction', async (t) => {
  const app = await seededApp(t)
  const names = async (url: string) => (await getJson(app, url)).body.data.map((p: { participant: { name: string } }) => fold(p.participant.name))
  const ascending = await names('/v1/participations?participant_type=organisation&sort=participant&limit=100')
  t.same(ascending, [...ascending].sort(), 'organisations A to Z')
  const descending = await names('/v1/participations?participant_type=organisation&sort=-participant&limit=100')
  t.same([...new Set(descending)], [...new Set(ascending)].reverse(), 'and Z to A')
  t.same(
    await names('/v1/participations?participant_type=person&sort=participant'),
    ['amela cosovic-medic', 'peter due', 'mersida mesetovic', 'mark pedersen'],
    'people by family name (their sort name), Č with C'
  )
  const events = await getJson(app, '/v1/events?sort=start_date')
  t.same(events.body.data.map((e: { start_date: string }) => e.start_date), ['2014-10', '2015-06-02'], 'a month-precision date sorts before days of a later month')
  const byRole = await getJson(app, '/v1/participations?sort=role&event=sarajevo-roundtable-2015&limit=3')
  t.same(byRole.body.data.map((p: { role: string }) => p.role), ['co-host', 'co-host', 'co-host'], 'roles in programme order')
  const people = await getJson(app, '/v1/people?sort=-name')
  t.same(people.body.data.map((p: { name: string }) => p.name), ['Peter Due', 'Mersida Mesetović', 'Mark Pedersen', 'Amela Čosović-Medić'])
})

t.test('a field outside the allow-list, or a malformed sort, is a 400 naming sort', async (t) => {
  const app = await seededApp(t)
  const unknown = await getJson(app, '/v1/events?sort=-colour')
  t.equal(unknown.status, 400)
  t.same(unknown.body.errors, [{ in: 'query', name: 'sort', detail: 'cannot sort by "colour" (expected start_date, name, country)' }])
  for (const bad of ['name,', '--name', 'name;drop', 'constructor']) {
    const response = await getJson(app, `/v1/people?sort=${encodeURIComponent(bad)}`)
    t.equal(response.status, 400, bad)
    t.equal(response.body.errors[0].name, 'sort', bad)
  }
  t.equal((await getJson(app, '/v1/countries?sort=name')).status, 400, 'countries have one order, by name')
})
