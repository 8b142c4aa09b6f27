// The OpenAPI document as committed in openapi/openapi.json: generated from the app itself.
import { buildApp } from '../app.js'
import { openDatabase } from '../db/connection.js'

/** Serialises the app's document with stable formatting (so the drift check compares text). */
export async function openApiDocument(): Promise<string> {
  const db = openDatabase(':memory:')
  const app = await buildApp({ db })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    db.$client.close()
  }
}
