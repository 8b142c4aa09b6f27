// GET /v1/changes: the audit trail, for tokens with the admin scope.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requiresScope } from '../../http/auth.js'
import { problemResponses } from '../../http/errors.js'
import { answerList } from '../../http/lists.js'
import { listResponse } from '../../http/csv.js'
import { ref } from '../shared/common.schemas.js'
import { listChanges } from './changes.repository.js'
import { Change, ChangeList, ChangesQuery } from './changes.schemas.js'

export const CHANGE_SCHEMAS = [Change, ChangeList]

const CSV_COLUMNS = [
  { header: 'id', value: (c: Change) => c.id },
  { header: 'at', value: (c: Change) => c.at },
  { header: 'actor', value: (c: Change) => c.actor },
  { header: 'action', value: (c: Change) => c.action },
  { header: 'resource', value: (c: Change) => c.resource },
  { header: 'record_id', value: (c: Change) => c.record_id },
  { header: 'before', value: (c: Change) => JSON.stringify(c.before) },
  { header: 'after', value: (c: Change) => JSON.stringify(c.after) }
]

export const changesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = requiresScope('admin')
  app.get(
    '/changes',
    {
      onRequest: auth.check,
      schema: {
        tags: ['changes'],
        operationId: 'listChanges',
        summary: 'List changes (the audit trail)',
        description:
          'Every write to a record, by the API or the seed command, newest first: who (the token name, or "seed"), when, which record, and the record before and after. Needs an `admin` token.',
        security: auth.security,
        querystring: ChangesQuery,
        response: { 200: listResponse(ref(ChangeList)), ...problemResponses(400, 401, 403) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, { list: (db, filters, page) => listChanges(db, filters, page), csv: { filename: 'changes', columns: CSV_COLUMNS } })
  )
}
