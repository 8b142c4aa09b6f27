// GET /v1/positions/{id}, and the writes of positions (a position is edited on its own; a person's
// answer lists their positions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { writeRoutes } from '../../http/write-routes.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter, NoQueryParameters } from '../shared/query.schemas.js'
import { getPosition } from './people.repository.js'
import { PositionInput, PositionPatch, PositionRecord } from './people.schemas.js'

export const POSITION_SCHEMAS = [PositionRecord, PositionInput, PositionPatch]

export const positionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'positions',
      path: '/positions',
      tag: 'people',
      noun: 'position',
      input: PositionInput,
      patch: PositionPatch,
      output: PositionRecord,
      read: getPosition,
      exampleId: 'mersida-mesetovic-ba-armed-forces-2015'
    })
  )

  app.get(
    '/positions/:id',
    {
      schema: {
        tags: ['people'],
        operationId: 'getPosition',
        summary: 'Get a position',
        description: 'One position, with the person who holds it, the organisation and its sources.',
        params: IdParameter('Position id.', 'mersida-mesetovic-ba-armed-forces-2015'),
        querystring: NoQueryParameters,
        response: { 200: ref(PositionRecord), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const position = getPosition(db, request.params.id)
      if (!position) throw new NotFoundError('position', request.params.id)
      return position
    }
  )
}
