// sendExport, under both exports (CSV and Popolo): the server keeps answering while it streams one.
import { get } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import t from 'tap'
import Fastify from 'fastify'
import { sendExport } from '../../src/http/export-stream.js'
import { dataVersion, bumpDataVersion } from '../../src/db/settings.js'
import { noReaderHoldsASnapshot, seededDatabase, twoConnections } from '../helpers.js'

t.test('the event loop gets a turn between two pieces, even when the client reads as fast as they are made', async (t) => {
  const db = seededDatabase()
  const app = Fastify()
  app.decorate('db', db)
  t.teardown(async () => {
    await app.close()
    db.$client.close()
  })
  const happened: string[] = []
  app.get('/pieces', (request, reply) => {
    sendExport(request, reply, { type: 'text/plain', etagPrefix: 'pieces', dependsOn: [] }, function* () {
      for (let piece = 0; piece < 20; piece++) {
        happened.push(`piece ${piece}`)
        // The first piece is made before the answer starts; from the second, they flow to the socket.
        if (piece === 1) setImmediate(() => happened.push('turn'))
        yield `${piece}\n`
      }
    })
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  // A few bytes a piece: the socket takes each at once, and never asks the stream to wait.
  const body = await new Promise<string>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/pieces`, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (piece: string) => (text += piece))
      response.on('end', () => resolve(text))
    }).on('error', reject)
  })
  t.equal(body, Array.from({ length: 20 }, (_, piece) => `${piece}\n`).join(''))
  t.same(happened.slice(0, 3), ['piece 0', 'piece 1', 'turn'], 'what else waits runs before the next piece is made')
})

t.test('a client gone before the export began leaves no snapshot open', async (t) => {
  const { served, operator } = twoConnections(t)
  // Frames in the WAL, which the export's snapshot would hold on to (noReaderHoldsASnapshot).
  bumpDataVersion(operator.$client)
  const app = Fastify()
  app.decorate('db', served)
  t.teardown(() => app.close())
  let arrived: () => void = () => undefined
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve))
  let answered: () => void = () => undefined
  const handlerRan = new Promise<void>((resolve) => (answered = resolve))
  app.get(
    '/pieces',
    {
      // A hook that waits on something else (a remote rate-limit store would): here, until the client has gone.
      onRequest: (request, _reply, done) => {
        request.raw.socket.once('close', () => done())
        arrived()
      }
    },
    (request, reply) => {
      sendExport(request, reply, { type: 'text/plain', etagPrefix: 'pieces', dependsOn: [] }, function* (read) {
        yield read((db) => String(dataVersion(db.$client)))
      })
      answered()
    }
  )
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const socket = connect(port, '127.0.0.1', () => socket.write('GET /pieces HTTP/1.1\r\nHost: localhost\r\n\r\n'))
  socket.on('error', () => undefined)
  await requestArrived
  socket.destroy()
  await handlerRan
  bumpDataVersion(operator.$client)
  t.ok(noReaderHoldsASnapshot(served), 'its snapshot was closed')
})
