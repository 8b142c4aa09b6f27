// Shapes shared by several resources: references to related records, citations, other names,
// list metadata and the problem (error) body. Each has a $id and becomes an OpenAPI component.
import { Type, type Static, type TSchema } from 'typebox'

/** A typed `$ref` to a registered schema, so routes name components instead of inlining them. */
export function ref<T extends TSchema>(schema: T) {
  const id = (schema as { $id?: string }).$id
  /* c8 ignore next -- a programming error, caught by the first test that builds the app */
  if (id === undefined) throw new Error('ref() needs a schema with a $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) => Type.Union([schema, Type.Null()], options)

export const Citation = Type.Object(
  {
    source_id: Type.String({ description: 'Id of the source document or dataset.', examples: ['seesac-2015-06-03-sarajevo-roundtable'] }),
    title: Type.String({ description: 'Title of the source.' }),
    publisher: Type.String(),
    published_on: Nullable(Type.String({ description: 'ISO 8601 date, possibly partial.' })),
    url: Nullable(Type.String()),
    quote: Nullable(Type.String({ description: 'The verbatim passage of the source that backs the record.' })),
    note: Nullable(Type.String())
  },
  { $id: 'Citation', description: 'A source backing a record, with the verbatim passage it comes from (Popolo `sources`).' }
)

export const OtherName = Type.Object(
  {
    name: Type.String(),
    start_date: Nullable(Type.String({ description: 'ISO 8601 date, possibly partial, from which the name was in use.' })),
    end_date: Nullable(Type.String({ description: 'ISO 8601 date, possibly partial, until which the name was in use.' })),
    note: Nullable(Type.String()),
    sources: Type.Array(ref(Citation))
  },
  { $id: 'OtherName', description: 'An alternate, former or abbreviated name (Popolo `other_names`).' }
)

export const CountryRef = Type.Object(
  {
    code: Type.String({ description: 'ISO 3166-1 alpha-2 code.', examples: ['BA'] }),
    name: Type.String({ examples: ['Bosnia and Herzegovina'] })
  },
  { $id: 'CountryRef', description: 'A country, named so that a client needs no second call.' }
)

export const OrganisationRef = Type.Object(
  {
    id: Type.String({ examples: ['ba-ministry-of-defence'] }),
    name: Type.String({ examples: ['Ministry of Defence of Bosnia and Herzegovina'] }),
    abbreviation: Nullable(Type.String({ examples: ['MoD'] }))
  },
  { $id: 'OrganisationRef', description: 'An organisation, named so that a client needs no second call.' }
)

export const EventRef = Type.Object(
  {
    id: Type.String({ examples: ['sarajevo-roundtable-2015'] }),
    name: Type.String(),
    start_date: Type.String({ description: 'ISO 8601 date, possibly partial.', examples: ['2015-06-02'] })
  },
  { $id: 'EventRef', description: 'An event, named so that a client needs no second call.' }
)

export const PersonRef = Type.Object(
  {
    id: Type.String({ examples: ['mersida-mesetovic'] }),
    name: Type.String({ examples: ['Mersida Mesetović'] })
  },
  { $id: 'PersonRef', description: 'A person, named so that a client needs no second call.' }
)

export const SessionRef = Type.Object(
  {
    id: Type.String({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: Type.String()
  },
  { $id: 'SessionRef', description: 'A session within an event, named so that a client needs no second call.' }
)

export const FacetValue = Type.Object(
  {
    value: Nullable(Type.String({ description: 'The value to filter by; null counts the records that have none.', examples: ['BA'] })),
    label: Type.String({ examples: ['Bosnia and Herzegovina'] }),
    count: Type.Integer({ minimum: 1, description: 'Matching records with this value.', examples: [7] })
  },
  { $id: 'FacetValue' }
)

export const ListMeta = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'Number of records matching the filters, over all pages.' }),
    limit: Type.Integer({ minimum: 1 }),
    next: Nullable(Type.String({ description: 'Path and query of the next page (also in the `Link` header), or null on the last page.' })),
    next_cursor: Nullable(Type.String({ description: 'The `cursor` of the next page, or null on the last page.' })),
    facets: Type.Optional(
      Type.Record(Type.String(), Type.Array(ref(FacetValue)), { description: 'With `facet=`: the counts of each requested facet over every matching record.' })
    )
  },
  { $id: 'ListMeta' }
)

export const ProblemFieldError = Type.Object(
  {
    in: Type.Union([Type.Literal('query'), Type.Literal('path'), Type.Literal('body'), Type.Literal('header')]),
    name: Type.String({ description: 'The parameter or property at fault.', examples: ['country'] }),
    detail: Type.String({ examples: ['unknown country code "XX"'] })
  },
  { $id: 'ProblemFieldError' }
)

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI reference identifying the problem type; "about:blank" means the status says it all.' }),
    title: Type.String({ examples: ['Bad Request'] }),
    status: Type.Integer({ examples: [400] }),
    detail: Type.String({ examples: ['Invalid query parameter "country": unknown country code "XX"'] }),
    instance: Type.String({ description: 'The path of the request.', examples: ['/v1/participations?country=XX'] }),
    code: Type.String({ description: 'A stable, machine-readable error code.', examples: ['INVALID_PARAMETER'] }),
    request_id: Type.String({
      description: 'The id of the request, as in the X-Request-Id response header and the server log: quote it when reporting a problem.',
      examples: ['3f0c9a52-6d1e-4c4b-9a57-2b1e8f6d4c21']
    }),
    errors: Type.Optional(Type.Array(ref(ProblemFieldError), { description: 'Each parameter or property at fault.' })),
    current_etag: Type.Optional(Type.String({ description: 'With 412: the ETag the record has now.' })),
    current_version: Type.Optional(Type.Integer({ description: 'With 412: the version the record has now.' })),
    referenced_by: Type.Optional(
      Type.Array(Type.Object({ resource: Type.String({ examples: ['participations'] }), id: Type.String() }), {
        description: 'With 409 on a delete: the records that refer to this one (at most 100).'
      })
    )
  },
  { $id: 'Problem', description: 'An RFC 9457 problem details object, served as application/problem+json.' }
)

export const COMMON_SCHEMAS = [Citation, OtherName, CountryRef, OrganisationRef, EventRef, PersonRef, SessionRef, FacetValue, ListMeta, ProblemFieldError, Problem]

/** The list envelope: `{ data: [...], meta: {...} }`. */
export function listOf<T extends TSchema>(item: T, id: string) {
  return Type.Object({ data: Type.Array(ref(item)), meta: ref(ListMeta) }, { $id: id })
}

export type Citation = Static<typeof Citation>
export type OtherName = Static<typeof OtherName>
export type ListMeta = Static<typeof ListMeta>
export type Problem = Static<typeof Problem>
