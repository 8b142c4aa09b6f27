// Property: for any combination of filters, search, sort and page size, walking the cursor pages
// with meta.next returns every matching record exactly once, in the order of the unpaginated list,
// with the same meta.total on every page.
import t from 'tap'
import fc from 'fast-check'
import { PARTICIPATION_ROLES, PARTICIPANT_TYPES } from '../../src/vocabularies.js'
import { EVENT_SORT_FIELDS } from '../../src/modules/events/events.schemas.js'
import { ORGANISATION_SORT_FIELDS } from '../../src/modules/organisations/organisations.schemas.js'
import { PERSON_SORT_FIELDS } from '../../src/modules/people/people.schemas.js'
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
      // Every participation fits on one page of 100: that page is the unpaginated list.
      if (whole.status !== 200 || whole.body.meta.total !== whole.body.data.length) return false
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

// The other lists, with their own filters and sort fields, through meta.next_cursor.
const LISTS = {
  organisations: {
    sorts: ORGANISATION_SORT_FIELDS,
    filters: { country: fc.constantFrom('BA', 'RS', 'MK'), classification: fc.constantFrom('ministry', 'un-department'), q: fc.constantFrom('ministry', 'un', 'defence', 'of') }
  },
  people: { sorts: PERSON_SORT_FIELDS, filters: { event: fc.constantFrom('sarajevo-roundtable-2015'), q: fc.constantFrom('m', 'a', 'un') } },
  events: { sorts: EVENT_SORT_FIELDS, filters: { q: fc.constantFrom('roundtable', 'peacekeep', 'b') } },
  countries: { sorts: [], filters: { q: fc.constantFrom('an', 'i', 'republic') } }
} as const

const listQueryArbitrary = fc.constantFrom(...(Object.keys(LISTS) as (keyof typeof LISTS)[])).chain((list) => {
  const { sorts, filters } = LISTS[list]
  const filterArbitrary = fc
    .subarray(Object.keys(filters) as (keyof typeof filters)[], { maxLength: Math.min(2, Object.keys(filters).length) })
    .chain((names) => fc.tuple(...names.map((name) => (filters[name] as fc.Arbitrary<string>).map((value) => [name as string, value] as const))))
  const sortArbitrary =
    sorts.length === 0
      ? fc.constant(null)
      : fc.option(fc.uniqueArray(fc.constantFrom(...sorts), { minLength: 1, maxLength: 2 }).chain((fields) => fc.tuple(...fields.map((f) => fc.constantFrom(f, `-${f}`))).map((terms) => terms.join(','))))
  return fc.tuple(fc.constant(list), filterArbitrary, sortArbitrary)
})

t.test('cursor walks of every list return the unpaginated list, each record once', async (t) => {
  const app = await seededApp(t)
  let pages = 0
  await fc.assert(
    fc.asyncProperty(listQueryArbitrary, fc.integer({ min: 1, max: 9 }), async ([list, filters, sort], limit) => {
      const search = new URLSearchParams([...filters.map(([name, value]): [string, string] => [name, value]), ...(sort === null ? [] : [['sort', sort] as [string, string]])])
      const key = (record: { id?: string; code?: string }) => (record.id ?? record.code) as string
      const expected: string[] = []
      for (let url: string | null = `/v1/${list}?${search}&limit=100`; url !== null; ) {
        const page: { status: number; body: { data: { id?: string; code?: string }[]; meta: { next: string | null } } } = await getJson(app, url)
        if (page.status !== 200) return false
        expected.push(...page.body.data.map(key))
        url = page.body.meta.next
      }
      const walked: string[] = []
      let cursor: string | null = null
      do {
        const url: string = `/v1/${list}?${search}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
        const page: { status: number; body: { data: { id?: string; code?: string }[]; meta: { total: number; next_cursor: string | null } } } = await getJson(app, url)
        if (page.status !== 200 || page.body.meta.total !== expected.length || page.body.data.length > limit) return false
        walked.push(...page.body.data.map(key))
        cursor = page.body.meta.next_cursor
        pages++
      } while (cursor !== null && walked.length <= expected.length)
      return walked.length === expected.length && new Set(walked).size === walked.length && walked.every((id, i) => id === expected[i])
    }),
    { numRuns: 80, seed: 20150603 }
  )
  t.ok(pages > 300, `80 random lists, filters, sorts and page sizes walked ${pages} pages`)
})
