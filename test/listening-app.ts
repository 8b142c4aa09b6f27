// A seeded app listening on 127.0.0.1 and a free port, for clients that need a real socket (a fetch
// client, a browser); closed, with its database, when the test ends.
import type { Test } from 'tap'
import { seededApp } from './helpers.js'

export async function listeningApp(t: Test): Promise<string> {
  const app = await seededApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`)
  return `http://127.0.0.1:${address.port}`
}
