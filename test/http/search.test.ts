// q= counts a country's other and former names: records tied to North Macedonia are found by
// "fyrom", "former yugoslav" or "macedonia", those of the United Kingdom by "UK".
import t from 'tap'
import { getJson, seededApp } from '../helpers.js'

const ids = (body: { data: { id: string }[] }) => body.data.map((r) => r.id).sort()

t.test("participations and organisations are found by their country's other names", async (t) => {
  const app = await seededApp(t)
  const macedonian = ids((await getJson(app, '/v1/participations?country=MK&limit=100')).body)
  t.equal(macedonian.length, 3)
  for (const q of ['fyrom', 'former%20yugoslav', 'FORMER%20YUGOSLAV%20REPUBLIC']) {
    t.same(ids((await getJson(app, `/v1/participations?q=${q}&limit=100`)).body), macedonian, q)
  }
  const organisations = await getJson(app, '/v1/organisations?q=fyrom')
  t.same(ids(organisations.body), ['mk-ministry-of-defence', 'mk-ministry-of-foreign-affairs', 'mk-ministry-of-interior'])
  const british = await getJson(app, '/v1/participations?q=uk')
  t.same(ids(british.body), ['sarajevo-2015-gb-delegation-participant'])
  t.equal((await getJson(app, '/v1/participations?q=narnia')).body.meta.total, 0)
})
