// The write operations of an editable resource, defined once for all six: POST (create), PATCH (a
// JSON Merge Patch, RFC 7396) and DELETE, each needing a `write` token. PATCH and DELETE need
// If-Match (optimistic concurrency): without it, 428; unless it is `*` or names the record's current
// ETag, 412 and nothing changes. The check and the write run without yielding, so of two editors racing
// with the same ETag exactly one wins.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TObject, type TSchema } from 'typebox'
import type { DirectoryDatabase } from '../db/connection.js'
import { createRecord, deleteRecord, patchRecord } from '../editing/records.js'
import { readSeedRecord, type SeedRecord } from '../seed/read-seed-record.js'
import type { EditableCollection } from '../seed/write-seed.js'
import { ref } from '../modules/shared/common.schemas.js'
import { IdParameter } from '../modules/shared/query.schemas.js'
import { requiresScope } from './auth.js'
import { etagOf, ifMatchHolds } from './caching.js'
import { NotFoundError, PreconditionFailedError, PreconditionRequiredError, problemResponses } from './errors.js'

export interface WritableResource {
  collection: EditableCollection
  /** Path of the list, under /v1: "/people". */
  path: string
  tag: string
  /** "person", "organisation": for messages and summaries. */
  noun: string
  /** The record as a seed file writes it (the request body of a POST), named for the OpenAPI document. */
  input: TObject
  /** The merge patch of such a record (the request body of a PATCH). */
  patch: TObject
  /** The record as GET answers it. */
  output: TSchema
  read: (db: DirectoryDatabase, id: string) => Record<string, unknown> | undefined
  exampleId: string
}

export function writeRoutes(resource: WritableResource): FastifyPluginAsyncTypebox {
  const { collection, noun, tag } = resource
  const IfMatchHeader = Type.Object(
    {
      'if-match': Type.Optional(
        Type.String({
          maxLength: 1000,
          description: `Required: the ETag of the ${noun} as last read (or a list of ETags, any of which will do, or \`*\` for whatever the ${noun} holds now). Without it the answer is 428; if the ${noun} has changed since, 412 and nothing is written.`,
          examples: ['"7NoPPImufgtZQ8u8w71++5gsD+LlS5TbneE5YKQlyGM="']
        })
      )
    },
    { additionalProperties: true }
  )

  // One object for the life of the routes: Fastify caches the serializer it compiles per schema object,
  // so a new object on each request compiled a serializer on each write.
  const outputSchema = { $ref: (resource.output as { $id: string }).$id }
  /** The record as the API serves it and its current ETag, computed exactly as GET computes it. */
  const currentState = (app: FastifyInstance, reply: FastifyReply, id: string) => {
    const current = readSeedRecord(app.db.$client, collection, id)
    if (current === undefined) throw new NotFoundError(noun, id)
    const etag = etagOf(reply.serializeInput(resource.read(app.db, id) as Record<string, unknown>, outputSchema))
    return { record: current.record, version: current.version, etag }
  }
  /** 428 without If-Match, 412 unless it is `*` (the record exists: currentState found it) or names the current ETag. */
  const checkPrecondition = (header: string | undefined, state: { etag: string; version: number }) => {
    if (header === undefined) throw new PreconditionRequiredError(noun)
    if (!ifMatchHolds(header, state.etag)) throw new PreconditionFailedError(noun, { current_etag: state.etag, current_version: state.version })
  }

  return async (app) => {
    const auth = requiresScope('write')
    const Params = IdParameter(`${noun[0]?.toUpperCase()}${noun.slice(1)} id.`, resource.exampleId)

    app.post(
      resource.path,
      {
        onRequest: auth.check,
        schema: {
          tags: [tag],
          operationId: `create${pascal(noun)}`,
          summary: `Create a ${noun}`,
          description: `Creates a ${noun} from the same record a seed file holds, checked the same way (references, dates, verbatim quotes). Needs a \`write\` token. Answers the ${noun} as GET does, with its ETag and Location.`,
          security: auth.security,
          body: ref(resource.input),
          response: { 201: ref(resource.output), ...problemResponses(400, 401, 403, 409, 413, 415) }
        }
      },
      async (request, reply) => {
        const record = request.body as SeedRecord
        createRecord(app.db, collection, record, (request.actor as { name: string }).name)
        return reply.code(201).header('location', `/v1${resource.path}/${encodeURIComponent(record.id)}`).send(resource.read(app.db, record.id))
      }
    )

    app.patch(
      `${resource.path}/:id`,
      {
        onRequest: auth.check,
        schema: {
          tags: [tag],
          operationId: `update${pascal(noun)}`,
          summary: `Change a ${noun}`,
          description: `Applies a JSON Merge Patch (RFC 7396) to the ${noun}, checked as a seed record is. Needs a \`write\` token and If-Match with the ETag of the ${noun} as last read.`,
          security: auth.security,
          params: Params,
          headers: IfMatchHeader,
          consumes: ['application/merge-patch+json', 'application/json'],
          body: ref(resource.patch),
          response: { 200: ref(resource.output), ...problemResponses(400, 401, 403, 404, 412, 413, 415, 428) }
        }
      },
      async (request, reply) => {
        const { id } = request.params
        const state = currentState(app, reply, id)
        checkPrecondition(request.headers['if-match'], state)
        patchRecord(app.db, collection, state.record, request.body as Record<string, unknown>, (request.actor as { name: string }).name)
        return resource.read(app.db, id)
      }
    )

    app.delete(
      `${resource.path}/:id`,
      {
        onRequest: auth.check,
        schema: {
          tags: [tag],
          operationId: `delete${pascal(noun)}`,
          summary: `Delete a ${noun}`,
          description: `Deletes the ${noun} with its other names and citations. Refused (409, naming them) while other records refer to it. Needs a \`write\` token and If-Match.`,
          security: auth.security,
          params: Params,
          headers: IfMatchHeader,
          response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses(400, 401, 403, 404, 409, 412, 428) }
        }
      },
      async (request, response) => {
        const { id } = request.params
        checkPrecondition(request.headers['if-match'], currentState(app, response, id))
        deleteRecord(app.db, collection, id, (request.actor as { name: string }).name)
        return response.code(204).send(null)
      }
    )
  }
}

const pascal = (noun: string) => noun.replace(/(^|[-\s])(\w)/g, (_, __, letter: string) => letter.toUpperCase())
