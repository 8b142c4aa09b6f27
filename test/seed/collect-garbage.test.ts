// collectGarbage() collects, there and then, what nothing refers to any more (the seed import calls
// it between large files, whose records V8 would otherwise keep for a while).
import { setImmediate } from 'node:timers/promises'
import t from 'tap'
import { collectGarbage } from '../../src/seed/collect-garbage.js'

/** A weak reference to a large object nothing else refers to. */
const dropped = () => new WeakRef(new Array(1_000_000).fill('records'))

t.test('an object nothing refers to is gone after a collection, every time', async (t) => {
  for (let i = 0; i < 2; i++) {
    const reference = dropped()
    // A WeakRef's target lives until the end of the job that made it: the collection runs in the next.
    await setImmediate()
    collectGarbage()
    t.equal(reference.deref(), undefined, `collection ${i + 1}`)
  }
})
