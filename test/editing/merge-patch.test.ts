// JSON Merge Patch as RFC 7396 specifies it: the examples of its Appendix A, each one.
import t from 'tap'
import { mergePatch } from '../../src/editing/records.js'

const APPENDIX_A: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }]
]

t.test('RFC 7396 Appendix A', async (t) => {
  for (const [target, patch, result] of APPENDIX_A) {
    t.same(mergePatch(target, patch), result, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`)
  }
  t.same(mergePatch(null, { a: 1 }), { a: 1 }, 'a null target is an empty object')
  const target = { a: { b: 1 } }
  mergePatch(target, { a: { b: 2 } })
  t.same(target, { a: { b: 1 } }, 'the target is not changed in place')
})
