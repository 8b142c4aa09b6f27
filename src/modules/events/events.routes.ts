// GET /v1/events and /v1/events/{id} (an event's participations are in the participations module).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { writeRoutes } from '../../http/write-routes.js'
import { answerList } from '../../http/lists.js'
import { EVENT_CSV_COLUMNS } from './events.csv.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter, NoQueryParameters } from '../shared/query.schemas.js'
import { countEventFacets, getEvent, listEvents } from './events.repository.js'
import { EVENT_FACET_NAMES, Event, EventList, EventsQuery, Session, EventInput, EventPatch } from './events.schemas.js'

export const EVENT_SCHEMAS = [Session, Event, EventList, EventInput, EventPatch]

export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'events',
      path: '/events',
      tag: 'events',
      noun: 'event',
      input: EventInput,
      patch: EventPatch,
      output: Event,
      read: getEvent,
      exampleId: 'sarajevo-roundtable-2015'
    })
  )

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        operationId: 'listEvents',
        summary: 'List events',
        description: 'Events, newest first, with their sessions and the events they continue. Dates may be partial (`2014-10`).',
        querystring: EventsQuery,
        response: { 200: listResponse(ref(EventList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, filters, page) => listEvents(db, filters, page),
        csv: { filename: 'events', columns: EVENT_CSV_COLUMNS },
        facets: { allowed: EVENT_FACET_NAMES, count: (filters, request) => countEventFacets(db, filters, request) }
      })
  )

  app.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        operationId: 'getEvent',
        summary: 'Get an event',
        description: 'One event, with its sessions, the event it continues and those that continue it, and its sources.',
        params: IdParameter('Event id.', 'sarajevo-roundtable-2015'),
        querystring: NoQueryParameters,
        response: { 200: ref(Event), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const event = getEvent(db, request.params.id)
      if (!event) throw new NotFoundError('event', request.params.id)
      return event
    }
  )
}
