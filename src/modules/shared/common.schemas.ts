// Shapes shared by several resources: references to related records, citations, other names,
// list metadata and the problem (error) body. Each has a $id and becomes an OpenAPI component.
import { Type, type Static, type TSchema } from 'typebox'
import { MAX_URL_LENGTH } from '../../http/security.js'
import { REQUEST_ID_PATTERN } from '../../http/request-id.js'
import { MAX_LIMIT } from './query.schemas.js'
import { CountInteger, CountryCodeString, IdString, LIMITS, NoteString, PartialDateString, TextString, UrlString, VersionInteger } from './fields.schemas.js'

/** The bounds of a problem document: text quoted from a request is cut to fit (see errors.ts). */
export const PROBLEM_LIMITS = { text: MAX_URL_LENGTH, errors: 100 } as const

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
    source_id: IdString({ description: 'Id of the source document or dataset.', examples: ['seesac-2015-06-03-sarajevo-roundtable'] }),
    title: TextString({ description: 'Title of the source.' }),
    publisher: TextString(),
    published_on: Nullable(PartialDateString({ description: 'ISO 8601 date, possibly partial.' })),
    url: Nullable(UrlString()),
    quote: Nullable(NoteString({ description: 'The verbatim passage of the source that backs the record.' })),
    note: Nullable(NoteString())
  },
  { $id: 'Citation', description: 'A source backing a record, with the verbatim passage it comes from (Popolo `sources`).' }
)

export const OtherName = Type.Object(
  {
    name: TextString(),
    start_date: Nullable(PartialDateString({ description: 'ISO 8601 date, possibly partial, from which the name was in use.' })),
    end_date: Nullable(PartialDateString({ description: 'ISO 8601 date, possibly partial, until which the name was in use.' })),
    note: Nullable(NoteString()),
    sources: Type.Array(ref(Citation), { maxItems: LIMITS.sources })
  },
  { $id: 'OtherName', description: 'An alternate, former or abbreviated name (Popolo `other_names`).' }
)

export const CountryRef = Type.Object(
  {
    code: CountryCodeString({ examples: ['BA'] }),
    name: TextString({ examples: ['Bosnia and Herzegovina'] })
  },
  { $id: 'CountryRef', description: 'A country, named so that a client needs no second call.' }
)

export const OrganisationRef = Type.Object(
  {
    id: IdString({ examples: ['ba-ministry-of-defence'] }),
    name: TextString({ examples: ['Ministry of Defence of Bosnia and Herzegovina'] }),
    abbreviation: Nullable(TextString({ examples: ['MoD'] }))
  },
  { $id: 'OrganisationRef', description: 'An organisation, named so that a client needs no second call.' }
)

export const EventRef = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-roundtable-2015'] }),
    name: TextString(),
    start_date: PartialDateString({ description: 'ISO 8601 date, possibly partial.', examples: ['2015-06-02'] })
  },
  { $id: 'EventRef', description: 'An event, named so that a client needs no second call.' }
)

export const PersonRef = Type.Object(
  {
    id: IdString({ examples: ['mersida-mesetovic'] }),
    name: TextString({ examples: ['Mersida Mesetović'] })
  },
  { $id: 'PersonRef', description: 'A person, named so that a client needs no second call.' }
)

export const SessionRef = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: TextString()
  },
  { $id: 'SessionRef', description: 'A session within an event, named so that a client needs no second call.' }
)

export const FacetValue = Type.Object(
  {
    value: Nullable(IdString({ description: 'The value to filter by; null counts the records that have none.', examples: ['BA'] })),
    label: TextString({ examples: ['Bosnia and Herzegovina'] }),
    count: CountInteger({ minimum: 1, description: 'Matching records with this value.', examples: [7] })
  },
  { $id: 'FacetValue' }
)

export const ListMeta = Type.Object(
  {
    total: CountInteger({ description: 'Number of records matching the filters, over all pages.' }),
    limit: Type.Integer({ format: 'int32', minimum: 1, maximum: MAX_LIMIT }),
    next: Nullable(Type.String({ maxLength: MAX_URL_LENGTH + LIMITS.cursor, description: 'Path and query of the next page (also in the `Link` header), or null on the last page.' })),
    next_cursor: Nullable(Type.String({ minLength: 1, maxLength: LIMITS.cursor, description: 'The `cursor` of the next page, or null on the last page.' })),
    facets: Type.Optional(
      Type.Record(Type.String(), Type.Array(ref(FacetValue)), {
        description: 'With `facet=`: the counts of each requested facet over every matching record, its `facet_size` most frequent values.'
      })
    ),
    facet_value_totals: Type.Optional(
      Type.Record(Type.String(), CountInteger({ minimum: 0 }), {
        description: 'With `facet=`: how many values each requested facet has over every matching record (more than `meta.facets` shows when it is larger than `facet_size`).',
        examples: [{ country: 7, role: 4 }]
      })
    )
  },
  { $id: 'ListMeta' }
)

export const ProblemFieldError = Type.Object(
  {
    in: Type.Union([Type.Literal('query'), Type.Literal('path'), Type.Literal('body'), Type.Literal('header')]),
    name: Type.String({ maxLength: LIMITS.text, description: 'The parameter or property at fault; empty for the body as a whole.', examples: ['country'] }),
    detail: Type.String({ maxLength: PROBLEM_LIMITS.text, examples: ['unknown country code "XX"'] })
  },
  { $id: 'ProblemFieldError' }
)

export const Problem = Type.Object(
  {
    type: Type.String({ maxLength: PROBLEM_LIMITS.text, description: 'A URI reference identifying the problem type; "about:blank" means the status says it all.' }),
    title: TextString({ examples: ['Bad Request'] }),
    status: Type.Integer({ format: 'int32', minimum: 400, maximum: 599, examples: [400] }),
    detail: Type.String({ maxLength: PROBLEM_LIMITS.text, examples: ['Invalid query parameter "country": unknown country code "XX"'] }),
    instance: Type.String({ maxLength: PROBLEM_LIMITS.text, description: 'The path of the request (cut to its first 4096 characters); for a request answered before it could be read (400 malformed, 408, 431), urn:uuid: and its request id.', examples: ['/v1/participations?country=XX'] }),
    code: Type.String({ maxLength: 100, description: 'A stable, machine-readable error code.', examples: ['INVALID_PARAMETER'] }),
    request_id: Type.String({
      pattern: REQUEST_ID_PATTERN,
      maxLength: 128,
      description: 'The id of the request, as in the X-Request-Id response header and the server log: quote it when reporting a problem.',
      examples: ['3f0c9a52-6d1e-4c4b-9a57-2b1e8f6d4c21']
    }),
    errors: Type.Optional(Type.Array(ref(ProblemFieldError), { maxItems: PROBLEM_LIMITS.errors, description: `Each parameter or property at fault (the first ${PROBLEM_LIMITS.errors}).` })),
    current_etag: Type.Optional(Type.String({ maxLength: LIMITS.etag, description: 'With 412: the ETag the record has now.' })),
    current_version: Type.Optional(VersionInteger({ description: 'With 412: the version the record has now.' })),
    referenced_by: Type.Optional(
      Type.Array(Type.Object({ resource: IdString({ examples: ['participations'] }), id: IdString() }), {
        maxItems: LIMITS.references,
        description: `With 409 on a delete: the records that refer to this one (at most ${LIMITS.references}).`
      })
    )
  },
  { $id: 'Problem', description: 'An RFC 9457 problem details object, served as application/problem+json.' }
)

export const COMMON_SCHEMAS = [Citation, OtherName, CountryRef, OrganisationRef, EventRef, PersonRef, SessionRef, FacetValue, ListMeta, ProblemFieldError, Problem]

/** The list envelope: `{ data: [...], meta: {...} }`. */
export function listOf<T extends TSchema>(item: T, id: string) {
  return Type.Object({ data: Type.Array(ref(item), { maxItems: MAX_LIMIT }), meta: ref(ListMeta) }, { $id: id })
}

export type Citation = Static<typeof Citation>
export type OtherName = Static<typeof OtherName>
export type ListMeta = Static<typeof ListMeta>
export type Problem = Static<typeof Problem>
