// GET /v1/people and /v1/people/{id}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { writeRoutes } from '../../http/write-routes.js'
import { answerList } from '../../http/lists.js'
import { PERSON_CSV_COLUMNS } from './people.csv.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter, NoQueryParameters } from '../shared/query.schemas.js'
import { countPersonFacets, getPerson, listPeople } from './people.repository.js'
import { PERSON_FACET_NAMES, PeopleQuery, Person, PersonList, Position, PersonInput, PersonPatch } from './people.schemas.js'

/** The named schemas of this module, in the order the OpenAPI document lists them. */
export const PERSON_SCHEMAS = [Position, Person, PersonList, PersonInput, PersonPatch]

export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'people',
      path: '/people',
      tag: 'people',
      noun: 'person',
      input: PersonInput,
      patch: PersonPatch,
      output: Person,
      read: getPerson,
      exampleId: 'mersida-mesetovic'
    })
  )

  app.get(
    '/people',
    {
      schema: {
        tags: ['people'],
        operationId: 'listPeople',
        summary: 'List people',
        description:
          'Named people, with the posts they held and their sources. Filters combine: `country=BA&ministry=defence` lists the people holding a post at the Bosnia and Herzegovina Ministry of Defence or a body under it, or taking part on their behalf; `event=sarajevo-roundtable-2015` lists the people who took part in that event. `q=mesetovic` finds Mesetović. Ordered by sort name.',
        querystring: PeopleQuery,
        response: { 200: listResponse(ref(PersonList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, filters, page) => listPeople(db, filters, page),
        csv: { filename: 'people', columns: PERSON_CSV_COLUMNS },
        facets: { allowed: PERSON_FACET_NAMES, count: (filters, request) => countPersonFacets(db, filters, request) }
      })
  )

  app.get(
    '/people/:id',
    {
      schema: {
        tags: ['people'],
        operationId: 'getPerson',
        summary: 'Get a person',
        description: 'One person, with their name as written, other names, the posts they held and their sources.',
        params: IdParameter('Person id.', 'mersida-mesetovic'),
        querystring: NoQueryParameters,
        response: { 200: ref(Person), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const person = getPerson(db, request.params.id)
      if (!person) throw new NotFoundError('person', request.params.id)
      return person
    }
  )
}
