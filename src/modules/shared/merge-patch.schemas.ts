// The body of a PATCH, derived from the body of a POST, so the two never disagree.
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
