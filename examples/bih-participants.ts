// Who from Bosnia and Herzegovina took part, in which role? A typed client: openapi-fetch over the
// types `npm run client` generates from the OpenAPI document, following the pages of the list.
// Run it against a server: npx tsx examples/bih-participants.ts http://127.0.0.1:3000
import { pathToFileURL } from 'node:url'
import createClient from 'openapi-fetch'
import type { components, paths } from '../openapi/schema.js'

type Participation = components['schemas']['Participation']

/** One line: who, in which role (and as the source words it), for whom, in which session. */
function describe(participation: Participation): string {
  const person = participation.included?.person
  const who = person ? [person.honorific_prefix, person.name].filter(Boolean).join(' ') : participation.participant.name
  const onBehalfOf = participation.on_behalf_of ? `, on behalf of ${participation.on_behalf_of.name}` : ''
  const session = participation.session ? `, in "${participation.session.name}"` : ''
  return `${who}: ${participation.role} ("${participation.role_as_worded}")${onBehalfOf}${session}, at ${participation.event.name}`
}

/** Every participation on behalf of a country (BA by default), one line each, page by page. */
export async function participantsFrom(baseUrl: string, options: { country?: string; pageSize?: number } = {}): Promise<string[]> {
  // JSON answers only: lists may also answer text/csv, which this program never asks for.
  const client = createClient<paths, `application/${string}json`>({ baseUrl })
  const lines: string[] = []
  let cursor: string | undefined
  do {
    const { data, error } = await client.GET('/v1/participations', {
      params: { query: { country: options.country ?? 'BA', include: 'person', sort: 'role,participant', limit: options.pageSize ?? 100, cursor } }
    })
    if (error) throw new Error(`GET /v1/participations: ${error.title}: ${error.detail}`)
    lines.push(...data.data.map(describe))
    cursor = data.meta.next_cursor ?? undefined
  } while (cursor !== undefined)
  return lines
}

if (import.meta.url === pathToFileURL(process.argv[1] as string).href) {
  for (const line of await participantsFrom(process.argv[2] as string)) console.log(line)
}
