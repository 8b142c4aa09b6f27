// GET /v1/export/popolo.json: the whole directory as one Popolo JSON document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/errors.js'
import { ref } from '../shared/common.schemas.js'
import { NoQueryParameters } from '../shared/query.schemas.js'
import { exportPopolo } from './popolo.repository.js'
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

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get(
    '/export/popolo.json',
    {
      schema: {
        tags: ['export'],
        operationId: 'exportPopolo',
        summary: 'Export the directory as Popolo JSON',
        description:
          'Every country, organisation, person, position, event, session and participation in one document in the JSON serialization of the [Popolo](https://www.popoloproject.com/specs/) specification: `persons`, `organizations`, `memberships` (positions), `posts` (titled positions), `events` (sessions have the event as `parent_id`) and `areas` (countries). People who took part in an event or session are its `attendees`; every participation is also a source link of its event or session, whose note names the participant and role. Every record carries its `sources`, with the verbatim quote in the note.',
        querystring: NoQueryParameters,
        response: { 200: ref(PopoloExport), ...problemResponses(400) }
      }
    },
    // Sources without a URL of their own link to their record here, which needs an absolute URL.
    async (request) => exportPopolo(db, { apiUrl: `${request.protocol}://${request.host}` })
  )
}
