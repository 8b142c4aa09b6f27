// collectGarbage() collects, there and then, what nothing refers to any more (the seed import calls
// it between large files, whose records V8 would otherwise keep for a while); collectYoungGarbage()
// collects what was made lately and died (a CSV export calls it every few chunks, whose bytes V8
// would otherwise keep outside its heap until it next collects).
import { setImmediate, setTimeout } from 'node:timers/promises'
import t from 'tap'
import { collectGarbage, collectYoungGarbage } from '../src/collect-garbage.js'

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

t.test('young Buffers nothing refers to are freed by a collection of the young generation', async (t) => {
  // As the chunks of a CSV export: their bytes outside the heap, a small object on it each, made just now.
  const outside = () => process.memoryUsage().arrayBuffers
  const chunks = () => {
    for (let i = 0; i < 20; i++) Buffer.alloc(400_000, 'x')
  }
  const MB = 1024 * 1024
  for (let i = 0; i < 2; i++) {
    const before = outside()
    chunks()
    t.ok(outside() - before >= 7 * MB, `their 8 MB are held while V8 has no reason to collect (${i + 1})`)
    collectYoungGarbage()
    // V8 frees the bytes the collection found dead on a background thread: wait for it (2 s at most).
    for (let wait = 0; wait < 200 && outside() - before >= 1 * MB; wait++) await setTimeout(10)
    t.ok(outside() - before < 1 * MB, `and freed by the collection (${i + 1})`)
  }
})
