// sendExport, under both exports (CSV and Popolo): the server keeps answering while it streams one.
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import Fastify from 'fastify'
import { sendExport } from '../../src/http/export-stream.js'
import { seededDatabase } from '../helpers.js'

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
    sendExport(request, reply, { type: 'text/plain', etagPrefix: 'pieces' }, function* () {
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
