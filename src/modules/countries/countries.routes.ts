// GET /v1/countries and /v1/countries/{code}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError, problemResponses } from '../../http/errors.js'
import { listResponse } from '../../http/csv.js'
import { answerList } from '../../http/lists.js'
import { COUNTRY_CSV_COLUMNS } from './countries.csv.js'
import { ref } from '../shared/common.schemas.js'
import { NoQueryParameters } from '../shared/query.schemas.js'
import { getCountry, listCountries } from './countries.repository.js'
import { CountriesQuery, Country, CountryCodeParameter, CountryList } from './countries.schemas.js'

export const COUNTRY_SCHEMAS = [Country, CountryList]

export const countriesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get(
    '/countries',
    {
      schema: {
        tags: ['countries'],
        operationId: 'listCountries',
        summary: 'List countries',
        description: 'Every ISO 3166-1 country, with its codes and other names (including former names with their dates), in name order.',
        querystring: CountriesQuery,
        response: { 200: listResponse(ref(CountryList)), ...problemResponses(400) }
      }
    },
    async (request, reply) =>
      answerList(request, reply, request.query, {
        list: (db, filters, page) => listCountries(db, filters, page),
        csv: { filename: 'countries', columns: COUNTRY_CSV_COLUMNS }
      })
  )

  app.get(
    '/countries/:code',
    {
      schema: {
        tags: ['countries'],
        operationId: 'getCountry',
        summary: 'Get a country',
        description: 'One country by its ISO 3166-1 alpha-2 or alpha-3 code, in any case (`BA`, `ba`, `BIH`).',
        params: CountryCodeParameter,
        querystring: NoQueryParameters,
        response: { 200: ref(Country), ...problemResponses(400, 404) }
      }
    },
    async (request) => {
      const country = getCountry(db, request.params.code)
      if (!country) throw new NotFoundError('country', request.params.code)
      return country
    }
  )
}
