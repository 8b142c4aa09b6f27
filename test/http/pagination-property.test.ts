// Property: for any combination of filters, sort and page size, walking the pages with meta.next
// returns every matching record exactly once, in the order of the unpaginated list, with the same
// meta.total on every page.
import t from 'tap'
import fc from 'fast-check'
import { PARTICIPATION_ROLES, PARTICIPANT_TYPES } from '../../src/vocabularies.js'
import { getJson, seededApp } from '../helpers.js'

const SORT_FIELDS = ['event_start_date', 'event', 'role', 'participant', 'country']

const FILTERS = {
  country: fc.constantFrom('BA', 'bih', 'RS', 'MK', 'AT', 'GB'),
  ministry: fc.constantFrom('defence', 'foreign-affairs', 'interior', 'security'),
  role: fc.constantFrom(...PARTICIPATION_ROLES),
  participant_type: fc.constantFrom(...PARTICIPANT_TYPES),
  q: fc.constantFrom('ministry', 'mesetovic', 'undp', 'e', 'fyrom')
}
const sortArbitrary = fc
  .uniqueArray(fc.constantFrom(...SORT_FIELDS), { minLength: 1, maxLength: 3 })
  .chain((fields) => fc.tuple(...fields.map((field) => fc.constantFrom(field, `-${field}`))).map((terms) => terms.join(',')))

// At most two filters, so that most queries match several pages' worth of records.
const queryArbitrary = fc
  .subarray(Object.keys(FILTERS) as (keyof typeof FILTERS)[], { maxLength: 2 })
  .chain((names) => fc.tuple(...names.map((name) => FILTERS[name].map((value) => [name, value] as const))))
  .chain((filters) => fc.option(sortArbitrary).map((sort) => (sort === null ? filters : [...filters, ['sort', sort] as const])))

t.test('page walks return each matching record exactly once, in order', async (t) => {
  const app = await seededApp(t)
  let pages = 0
  await fc.assert(
    fc.asyncProperty(queryArbitrary, fc.integer({ min: 1, max: 12 }), async (query, limit) => {
      const search = new URLSearchParams(query.map(([name, value]): [string, string] => [name, value]))
      const whole = await getJson(app, `/v1/participations?${search}&limit=100`)
      if (whole.status !== 200) return false
      const expected: string[] = whole.body.data.map((p: { id: string }) => p.id)
      const walked: string[] = []
      let url: string | null = `/v1/participations?${search}&limit=${limit}`
      while (url !== null) {
        const page: { status: number; body: { data: { id: string }[]; meta: { total: number; next: string | null } } } = await getJson(app, url)
        if (page.status !== 200 || page.body.meta.total !== expected.length || page.body.data.length > limit) return false
        walked.push(...page.body.data.map((p) => p.id))
        url = page.body.meta.next
      }
      pages += Math.ceil(expected.length / limit)
      return walked.length === expected.length && walked.every((id, i) => id === expected[i])
    }),
    { numRuns: 150, seed: 20150603 }
  )
  t.ok(pages > 600, `150 random filter, sort and page-size combinations walked ${pages} pages`)
})
