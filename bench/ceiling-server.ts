// The ceiling of the benchmark: a bare Fastify server that answers precomputed bodies (captured from
// the directory itself) through the directory's own response schemas and serializer, so that the gap
// between it and the directory is what the directory's database work and plugins cost.
// Env: PORT, BODIES (a JSON file {"list": <ParticipationList body>, "one": <Participation body>}).
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { listResponse } from '../src/http/csv.js'
import { COMMON_SCHEMAS, ref } from '../src/modules/shared/common.schemas.js'
import { COUNTRY_SCHEMAS } from '../src/modules/countries/countries.routes.js'
import { ORGANISATION_SCHEMAS } from '../src/modules/organisations/organisations.routes.js'
import { PERSON_SCHEMAS } from '../src/modules/people/people.routes.js'
import { POSITION_SCHEMAS } from '../src/modules/people/positions.routes.js'
import { EVENT_SCHEMAS } from '../src/modules/events/events.routes.js'
import { SESSION_SCHEMAS } from '../src/modules/events/sessions.routes.js'
import { PARTICIPATION_SCHEMAS } from '../src/modules/participations/participations.routes.js'
import { SOURCE_SCHEMAS } from '../src/modules/sources/sources.routes.js'
import { Participation, ParticipationList } from '../src/modules/participations/participations.schemas.js'

const bodies = JSON.parse(readFileSync(process.env.BODIES as string, 'utf8')) as { list: unknown; one: unknown }
const app = Fastify({ logger: false })
// The same named schemas the app registers (those the participation shapes reference).
for (const schema of [...COMMON_SCHEMAS, ...COUNTRY_SCHEMAS, ...ORGANISATION_SCHEMAS, ...PERSON_SCHEMAS, ...POSITION_SCHEMAS,
  ...EVENT_SCHEMAS, ...SESSION_SCHEMAS, ...PARTICIPATION_SCHEMAS, ...SOURCE_SCHEMAS]) app.addSchema(schema)
// The same objects every time: what is measured is routing, serialization and the socket.
app.get('/list', { schema: { response: { 200: listResponse(ref(ParticipationList)) } } }, async () => bodies.list)
app.get('/one', { schema: { response: { 200: ref(Participation) } } }, async () => bodies.one)
app.get('/health', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)))
