// GET /v1/sources, /v1/sources/{id} and /v1/sources/{id}/text.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { answerList } from '../../http/lists.js'
import { SOURCE_CSV_COLUMNS } from './sources.csv.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter, NoQueryParameters } from '../shared/query.schemas.js'
import { getSource, getSourceText, listSources } from './sources.repository.js'
import { Source, SourceList, SourcesQuery } from './sources.schemas.js'

export const SOURCE_SCHEMAS = [Source, SourceList]

export const sourcesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const sourceId = IdParameter('Source id.', 'seesac-2015-06-03-sarajevo-roundtable')

  app.get(
    '/sources',
    {
      schema: {
        tags: ['sources'],
        operationId: 'listSources',
        summary: 'List sources',
        description: 'The documents and datasets the directory cites, newest first.',
        querystring: SourcesQuery,
        response: { 200: listResponse(ref(SourceList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, _filters, page) => listSources(db, {}, page),
        csv: { filename: 'sources', columns: SOURCE_CSV_COLUMNS }
      })
  )

  app.get(
    '/sources/:id',
    {
      schema: {
        tags: ['sources'],
        operationId: 'getSource',
        summary: 'Get a source',
        description: 'One source document or dataset.',
        params: sourceId,
        querystring: NoQueryParameters,
        response: { 200: ref(Source), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const source = getSource(db, request.params.id)
      if (!source) throw new NotFoundError('source', request.params.id)
      return source
    }
  )

  app.get(
    '/sources/:id/text',
    {
      schema: {
        tags: ['sources'],
        operationId: 'getSourceText',
        summary: 'Get the full text of a source',
        description: 'The full text every quote of the source is taken from, as UTF-8 plain text.',
        params: sourceId,
        querystring: NoQueryParameters,
        response: {
          200: { description: 'The full text.', content: { 'text/plain': { schema: Type.String() } } },
          ...problemResponses(400, 404)
        }
      }
    },
    async (request, reply) => {
      const text = getSourceText(db, request.params.id)
      if (text === undefined) throw new NotFoundError('source text', request.params.id)
      return reply.type('text/plain; charset=utf-8').send(text)
    }
  )
}
