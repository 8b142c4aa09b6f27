import t from 'tap'
import { getJson, seededApp } from '../helpers.js'

t.test('GET /health reports the service and database state', async (t) => {
  const app = await seededApp(t)
  const { status, body } = await getJson(app, '/health')
  t.equal(status, 200)
  t.equal(body.status, 'ok')
  t.equal(body.database.status, 'ok')
  t.equal(body.database.events, 2)
  t.ok(body.database.participations > 30)
})
