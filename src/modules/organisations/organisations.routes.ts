// GET /v1/organisations and /v1/organisations/{id}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { writeRoutes } from '../../http/write-routes.js'
import { answerList } from '../../http/lists.js'
import { parseNames } from '../../http/facets.js'
import { ORGANISATION_CSV_COLUMNS } from './organisations.csv.js'
import { ref } from '../shared/common.schemas.js'
import { IdParameter } from '../shared/query.schemas.js'
import { countOrganisationFacets, embedInOrganisations, getOrganisation, listOrganisations } from './organisations.repository.js'
import { ORGANISATION_FACET_NAMES, ORGANISATION_INCLUDES, Organisation, OrganisationIncluded, OrganisationList, OrganisationQuery, OrganisationsQuery, OrganisationInput, OrganisationPatch } from './organisations.schemas.js'

/** The named schemas of this module, in the order the OpenAPI document lists them. */
export const ORGANISATION_SCHEMAS = [OrganisationIncluded, Organisation, OrganisationList, OrganisationInput, OrganisationPatch]

export const organisationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  await app.register(
    writeRoutes({
      collection: 'organisations',
      path: '/organisations',
      tag: 'organisations',
      noun: 'organisation',
      input: OrganisationInput,
      patch: OrganisationPatch,
      output: Organisation,
      read: getOrganisation,
      exampleId: 'ba-armed-forces'
    })
  )

  app.get(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'listOrganisations',
        summary: 'List organisations',
        description:
          'Ministries, armed forces, UN bodies, intergovernmental organisations and initiatives, each with its parent and the organisations directly under it. Filters combine: `country=BA&ministry=defence` lists the Bosnia and Herzegovina Ministry of Defence and the bodies under it; `parent=ba-ministry-of-defence` lists only those directly under it. International organisations have no country and match no `country`. Ordered by name.',
        querystring: OrganisationsQuery,
        response: { 200: listResponse(ref(OrganisationList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, filters, page) => listOrganisations(db, filters, page),
        csv: { filename: 'organisations', columns: ORGANISATION_CSV_COLUMNS },
        facets: { allowed: ORGANISATION_FACET_NAMES, count: (filters, request) => countOrganisationFacets(db, filters, request) },
        includes: { allowed: ORGANISATION_INCLUDES, embed: (records, names) => embedInOrganisations(db, records, names) }
      })
  )

  app.get(
    '/organisations/:id',
    {
      schema: {
        tags: ['organisations'],
        operationId: 'getOrganisation',
        summary: 'Get an organisation',
        description:
          'One organisation, with its country, parent, the organisations directly under it, its other names and its sources; `include=parent,children` adds those organisations in full.',
        params: IdParameter('Organisation id.', 'ba-ministry-of-defence'),
        querystring: OrganisationQuery,
        response: { 200: ref(Organisation), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const organisation = getOrganisation(db, request.params.id)
      if (!organisation) throw new NotFoundError('organisation', request.params.id)
      const { include } = request.query
      if (include === undefined) return organisation
      return embedInOrganisations(db, [organisation], parseNames('include', include, ORGANISATION_INCLUDES))[0]
    }
  )
}
