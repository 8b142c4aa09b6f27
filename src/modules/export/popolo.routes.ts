// GET /v1/export/popolo.json: the whole directory as one Popolo JSON document, streamed as it is read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/errors.js'
import { ref } from '../shared/common.schemas.js'
import { NoQueryParameters } from '../shared/query.schemas.js'
import { sendExport } from '../../http/export-stream.js'
import { exportPopolo, POPOLO_SECTIONS, type PopoloPage, type PopoloSection } from './popolo.repository.js'
import {
  PopoloArea,
  PopoloAttendee,
  PopoloEvent,
  PopoloExport,
  PopoloLink,
  PopoloMembership,
  PopoloOrganization,
  PopoloOtherName,
  PopoloPerson,
  PopoloPost
} from './popolo.schemas.js'

export const EXPORT_SCHEMAS = [
  PopoloLink,
  PopoloOtherName,
  PopoloArea,
  PopoloOrganization,
  PopoloPerson,
  PopoloPost,
  PopoloMembership,
  PopoloAttendee,
  PopoloEvent,
  PopoloExport
]

const RECORD_SCHEMA_OF = {
  persons: PopoloPerson,
  organizations: PopoloOrganization,
  memberships: PopoloMembership,
  posts: PopoloPost,
  events: PopoloEvent,
  areas: PopoloArea
} satisfies Record<PopoloSection, object>

/** A reference to each collection's record schema: one object each, under which Fastify keeps the serializer it compiles. */
const RECORD_SCHEMAS = Object.fromEntries(
  Object.entries(RECORD_SCHEMA_OF).map(([section, schema]) => [section, { $ref: (schema as { $id?: string }).$id }])
) as Record<PopoloSection, { $ref: string | undefined }>

type Serialize = (record: Record<string, unknown>) => string

/**
 * Raised whenever the document's bytes change for the same data (its order, its fields): part of
 * its ETag, which is not a hash of the bytes. 2: posts by organisation, each session after its event.
 */
const POPOLO_FORMAT = 2

/**
 * The document's JSON a page at a time, as PopoloExport's serializer writes it whole
 * (`{"persons":[...],"organizations":[...],...}`): each record by its own schema's serializer.
 */
function* popoloJson(pages: Iterable<PopoloPage>, serializers: Record<PopoloSection, Serialize>): Generator<string> {
  const opening = (section: number) => `${section === 0 ? '{' : '],'}${JSON.stringify(POPOLO_SECTIONS[section])}:[`
  // The collection whose array is open (none yet), and whether it has a record yet.
  let open = -1
  let empty = true
  for (const { section, records } of pages) {
    let text = ''
    while (open < POPOLO_SECTIONS.indexOf(section)) {
      text += opening(++open)
      empty = true
    }
    for (const record of records) {
      text += `${empty ? '' : ','}${serializers[section](record as Record<string, unknown>)}`
      empty = false
    }
    yield text
  }
  let end = ''
  while (open < POPOLO_SECTIONS.length - 1) end += opening(++open)
  yield `${end}]}`
}

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/export/popolo.json',
    {
      schema: {
        tags: ['export'],
        operationId: 'exportPopolo',
        summary: 'Export the directory as Popolo JSON',
        description:
          'Every country, organisation, person, position, event, session and participation in one document in the JSON serialization of the [Popolo](https://www.popoloproject.com/specs/) specification: `persons`, `organizations`, `memberships` (positions), `posts` (titled positions), `events` (sessions have the event as `parent_id`) and `areas` (countries). People who took part in an event or session are its `attendees`; every participation is also a source link of its event or session, whose note names the participant and role. Every record carries its `sources`, with the verbatim quote in the note. The document is sent as it is read, all of it as the directory was when the export began, whatever is written while it downloads.',
        querystring: NoQueryParameters,
        response: { 200: ref(PopoloExport), ...problemResponses(400) }
      }
    },
    (request, reply) => {
      // Sources without a URL of their own link to their record here, which needs an absolute URL.
      const apiUrl = `${request.protocol}://${request.host}`
      const serializers = Object.fromEntries(POPOLO_SECTIONS.map((section) => [section, reply.compileSerializationSchema(RECORD_SCHEMAS[section])])) as Record<PopoloSection, Serialize>
      const answer = { type: 'application/json; charset=utf-8', etagPrefix: 'popolo', dependsOn: [apiUrl, POPOLO_FORMAT] }
      sendExport(request, reply, answer, (read) => popoloJson(exportPopolo(read, { apiUrl }), serializers))
    }
  )
}
