// GET /v1/participations, /v1/participations/{id} and /v1/events/{id}/participations.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { writeRoutes } from '../../http/write-routes.js'
import { answerList, type Includes } from '../../http/lists.js'
import { parseNames } from '../../http/facets.js'
import { PARTICIPATION_CSV_HEADER, participationCsvChunk } from './participations.csv.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter } from '../shared/query.schemas.js'
import { recordExists } from '../shared/filters.js'
import { countParticipationFacets, embedInParticipations, getParticipation, listParticipations } from './participations.repository.js'
import {
  EventParticipationsQuery,
  PARTICIPATION_FACET_NAMES,
  PARTICIPATION_INCLUDES,
  Participant,
  Participation,
  ParticipationIncluded,
  ParticipationList,
  ParticipationQuery,
  ParticipationsQuery, ParticipationInput, ParticipationPatch } from './participations.schemas.js'

export const PARTICIPATION_SCHEMAS = [Participant, ParticipationIncluded, Participation, ParticipationList, ParticipationInput, ParticipationPatch]

export const participationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'participations',
      path: '/participations',
      tag: 'participations',
      noun: 'participation',
      input: ParticipationInput,
      patch: ParticipationPatch,
      output: Participation,
      read: getParticipation,
      exampleId: 'sarajevo-2015-mersida-mesetovic-moderator'
    })
  )
  const includes: Includes<Participation> = {
    allowed: PARTICIPATION_INCLUDES,
    embed: (records, names) => embedInParticipations(db, records, names)
  }

  app.get(
    '/participations',
    {
      schema: {
        tags: ['participations'],
        operationId: 'listParticipations',
        summary: 'List participations',
        description:
          'Who took part in which event, in what role and on behalf of whom. Filters combine: `country=BA&ministry=defence` lists the participations of the Bosnia and Herzegovina Ministry of Defence and the bodies and people under it. Ordered by event (newest first), then by role as a programme lists them.',
        querystring: ParticipationsQuery,
        response: { 200: listResponse(ref(ParticipationList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, filters, page) => listParticipations(db, filters, page),
        csv: { filename: 'participations', header: PARTICIPATION_CSV_HEADER, chunk: (db, filters, page) => participationCsvChunk(db, filters, page) },
        facets: { allowed: PARTICIPATION_FACET_NAMES, count: (filters, request) => countParticipationFacets(db, filters, request) },
        includes
      })
  )

  app.get(
    '/participations/:id',
    {
      schema: {
        tags: ['participations'],
        operationId: 'getParticipation',
        summary: 'Get a participation',
        description:
          'One participation, with its event, participant, role, organisation and country named, and its sources; `include` adds the participant, the organisation represented and the event in full.',
        params: IdParameter('Participation id.', 'sarajevo-2015-mersida-mesetovic-moderator'),
        querystring: ParticipationQuery,
        response: { 200: ref(Participation), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const participation = getParticipation(db, request.params.id)
      if (!participation) throw new NotFoundError('participation', request.params.id)
      const { include } = request.query
      if (include === undefined) return participation
      return includes.embed([participation], parseNames('include', include, includes.allowed))[0]
    }
  )

  app.get(
    '/events/:id/participations',
    {
      schema: {
        tags: ['events', 'participations'],
        operationId: 'listEventParticipations',
        summary: "List an event's participations",
        description: 'The participations of one event, with the same filters as `GET /v1/participations`.',
        params: IdParameter('Event id.', 'sarajevo-roundtable-2015'),
        querystring: EventParticipationsQuery,
        response: { 200: listResponse(ref(ParticipationList)), ...problemResponses(400, 404) }
      }
    },
    async (request, reply) => {
      if (!recordExists(db, 'events', request.params.id)) throw new NotFoundError('event', request.params.id)
      const ofEvent = <F>(filters: F) => ({ ...filters, event: request.params.id })
      return answerList(request, reply, request.query, {
        list: (db, filters, page) => listParticipations(db, ofEvent(filters), page),
        csv: { filename: `${request.params.id}-participations`, header: PARTICIPATION_CSV_HEADER, chunk: (db, filters, page) => participationCsvChunk(db, ofEvent(filters), page) },
        facets: { allowed: PARTICIPATION_FACET_NAMES, count: (filters, request) => countParticipationFacets(db, ofEvent(filters), request) },
        includes
      })
    }
  )
}
