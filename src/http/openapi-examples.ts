// The whole-object example of every OpenAPI component schema, taken from the seeded service itself
// (its answers, and the records of seeds/), committed in openapi/examples.json and checked for drift.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { parse } from 'yaml'
import { buildApp } from '../app.js'
import { openDatabase } from '../db/connection.js'
import { writeSetting } from '../db/settings.js'
import { bundledSeedsFolder } from '../paths.js'
import { seedDatabase } from '../seed/seed-database.js'
import { createToken } from '../modules/tokens/tokens.repository.js'

/**
 * What varies from run to run is pinned, so that regenerating gives the same file: the clock of the
 * audit trail, the key that signs cursors (an example key, in this throwaway database only) and the
 * request id of the problem.
 */
const FIXED_NOW = new Date('2026-01-01T00:00:00.000Z')
const FIXED_SIGNING_KEY = 'openapi-examples'
const FIXED_REQUEST_ID = 'example-request-id'

/** The seed file the Input examples come from, record for record. */
const SEED_FILE = join(bundledSeedsFolder, 'sarajevo-roundtable-2015.yaml')

/** Small merge patches, each applied to the seeded service (which must accept it) before it becomes an example. */
const PATCHES: [schema: string, url: string, patch: Record<string, unknown>][] = [
  ['OrganisationPatch', '/v1/organisations/ba-ministry-of-defence', { abbreviation: 'MoD BiH' }],
  ['PersonPatch', '/v1/people/peter-due', { honorific_prefix: null }],
  ['PositionPatch', '/v1/positions/mersida-mesetovic-ba-armed-forces-2015', { as_of: '2015-06' }],
  ['EventPatch', '/v1/events/sarajevo-roundtable-2015', { city: null }],
  ['SessionPatch', '/v1/sessions/sarajevo-2015-regional-cooperation-panel', { classification: 'plenary' }],
  ['ParticipationPatch', '/v1/participations/sarajevo-2015-mersida-mesetovic-moderator', { role_as_worded: 'moderated by' }]
]

type Json = any

/** Every component's example, in the document's order of components. */
export async function generateSchemaExamples(): Promise<Record<string, unknown>> {
  const db = openDatabase(':memory:')
  writeSetting(db.$client, 'cursor_signing_key', FIXED_SIGNING_KEY)
  seedDatabase(db, { now: FIXED_NOW })
  const admin = `Bearer ${createToken(db, 'openapi-examples', 'admin', FIXED_NOW).token}`
  const app = await buildApp({ db })
  try {
    return await examplesFrom(app, admin)
  } finally {
    await app.close()
    db.$client.close()
  }
}

async function examplesFrom(app: FastifyInstance, authorization: string): Promise<Record<string, unknown>> {
  const call = async (options: InjectOptions, status = 200): Promise<Json> => {
    const response = await app.inject({ ...options, headers: { authorization, 'x-request-id': FIXED_REQUEST_ID, ...options.headers } })
    // An example must be an answer the service really gives: any other status stops the generation.
    /* c8 ignore next -- reached only when the seeds or the routes change under the generator */
    if (response.statusCode !== status) throw new Error(`${options.method ?? 'GET'} ${options.url}: ${response.statusCode} ${response.body}`)
    return response.json()
  }
  const get = (url: string) => call({ url })

  const person = await get('/v1/people/mersida-mesetovic')
  const organisation = await get('/v1/organisations/ba-ministry-of-defence')
  const organisationWithIncluded = await get('/v1/organisations/rssrp?include=parent,children')
  const country = await get('/v1/countries/BA')
  const event = await get('/v1/events/sarajevo-roundtable-2015')
  const position = await get('/v1/positions/mersida-mesetovic-ba-armed-forces-2015')
  const participation = await get('/v1/participations/sarajevo-2015-mersida-mesetovic-moderator')
  const participationWithIncluded = await get('/v1/participations/sarajevo-2015-mersida-mesetovic-moderator?include=person,organisation,event')
  const peopleByCountry = await get('/v1/people?limit=2&facet=country')
  const changes = await get('/v1/changes?record_id=mersida-mesetovic&limit=1')
  const popolo = await get('/v1/export/popolo.json')
  const problem = await call({ url: '/v1/people?limit=0' }, 400)
  const seeds = parse(readFileSync(SEED_FILE, 'utf8')) as Record<string, { id: string }[]>
  const seedRecord = (collection: string, id: string) => seeds[collection]?.find((record) => record.id === id)

  const examples: Record<string, unknown> = {
    Citation: person.sources[0],
    OtherName: country.other_names[0],
    CountryRef: participation.country,
    OrganisationRef: person.positions[0].organisation,
    EventRef: participation.event,
    PersonRef: position.person,
    SessionRef: participation.session,
    FacetValue: peopleByCountry.meta.facets.country.find((facet: Json) => facet.value !== null),
    ListMeta: peopleByCountry.meta,
    ProblemFieldError: problem.errors[0],
    Problem: problem,
    Country: country,
    CountryList: await get('/v1/countries?limit=2'),
    OrganisationIncluded: organisationWithIncluded.included,
    Organisation: organisation,
    OrganisationList: await get('/v1/organisations?limit=2'),
    OrganisationInput: seedRecord('organisations', 'ba-ministry-of-defence'),
    Position: person.positions[0],
    Person: person,
    PersonList: await get('/v1/people?limit=2'),
    PersonInput: seedRecord('people', 'mersida-mesetovic'),
    PositionRecord: position,
    PositionInput: seedRecord('positions', 'mersida-mesetovic-ba-armed-forces-2015'),
    Session: event.sessions[0],
    Event: event,
    EventList: await get('/v1/events?limit=2'),
    EventInput: seedRecord('events', 'sarajevo-roundtable-2015'),
    SessionRecord: await get('/v1/sessions/sarajevo-2015-regional-cooperation-panel'),
    SessionInput: seedRecord('sessions', 'sarajevo-2015-regional-cooperation-panel'),
    Participant: participation.participant,
    ParticipationIncluded: participationWithIncluded.included,
    Participation: participation,
    ParticipationList: await get('/v1/participations?limit=2'),
    ParticipationInput: seedRecord('participations', 'sarajevo-2015-mersida-mesetovic-moderator'),
    Source: await get('/v1/sources/seesac-2015-06-03-sarajevo-roundtable'),
    SourceList: await get('/v1/sources?limit=2'),
    Change: changes.data[0],
    ChangeList: changes,
    PopoloLink: popolo.persons[0].sources[0],
    PopoloOtherName: popolo.organizations.find((o: Json) => o.other_names.length > 0).other_names[0],
    PopoloArea: popolo.areas[0],
    PopoloOrganization: popolo.organizations[0],
    PopoloPerson: popolo.persons[0],
    PopoloPost: popolo.posts[0],
    PopoloMembership: popolo.memberships[0],
    PopoloAttendee: popolo.events.find((e: Json) => e.attendees.length > 0).attendees[0],
    PopoloEvent: popolo.events[0],
    // The export has no paging: its example keeps the first record of each kind.
    PopoloExport: Object.fromEntries(Object.entries<Json[]>(popolo).map(([kind, records]) => [kind, records.slice(0, 1)])),
    Health: await get('/health'),
    Readiness: await get('/ready')
  }
  // Last, since they change the records the examples above show.
  for (const [schema, url, patch] of PATCHES) {
    const etag = (await app.inject({ url })).headers.etag as string
    await call({ method: 'PATCH', url, payload: patch, headers: { 'content-type': 'application/merge-patch+json', 'if-match': etag } })
    examples[schema] = patch
  }
  return examples
}

/** The committed file's text: stable formatting, so the drift check compares text. */
export const schemaExamplesText = async (): Promise<string> => `${JSON.stringify(await generateSchemaExamples(), null, 2)}\n`

