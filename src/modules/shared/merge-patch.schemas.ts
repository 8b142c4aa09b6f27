// The bodies of the writes: a POST's is the record of a seed file; a PATCH's is derived from it, so
// the seed files, the POST and the PATCH never disagree.
import { Type, type TObject } from 'typebox'

/** The body of a PATCH: every property of the record but its id, optional, and null to remove it. */
export function mergePatchSchema(input: TObject, $id: string): TObject {
  const properties = Object.fromEntries(
    Object.entries(input.properties)
      .filter(([name]) => name !== 'id')
      .map(([name, schema]) => [name, Type.Optional(Type.Union([schema, Type.Null()]))])
  )
  return Type.Object(properties, {
    $id,
    additionalProperties: false,
    minProperties: 1,
    description: 'A JSON Merge Patch (RFC 7396): the properties to change; null removes an optional one. Lists (names, sources) are replaced whole.'
  })
}

/**
 * The bodies of a resource's POST and PATCH (`<Name>Input`, `<Name>Patch`): the seed file's record,
 * checked the same way.
 */
export function writeBodySchemas(seedRecord: TObject, name: string, noun: string) {
  const input = Type.Object(seedRecord.properties, {
    $id: `${name}Input`,
    additionalProperties: false,
    description: `The ${noun} as a seed file holds it (see seeds/seed-file.schema.json): the same properties, checks and sources.`
  })
  return { input, patch: mergePatchSchema(input, `${name}Patch`) }
}
