// The value shapes of the directory with their limits, defined once. Seed files and write bodies
// are validated with them and responses declare them, so the OpenAPI document states the real
// bounds of every value a client can receive (OWASP API4: unrestricted resource consumption).
import { Type, type TNumberOptions, type TStringOptions } from 'typebox'

export const LIMITS = {
  /** Ids are slugs. */
  id: 120,
  /** Names, titles, places, roles as worded. */
  text: 2000,
  /** Notes and verbatim quotes. */
  note: 4000,
  url: 2000,
  abbreviation: 40,
  honorific: 60,
  /** Citations of one record. */
  sources: 50,
  /** Other names of one record. */
  otherNames: 100,
  /** Records listed as referring to one that cannot be deleted. */
  references: 100,
  /** A page cursor (opaque; what a page's last sort key and its signature take). */
  cursor: 2000,
  /** A quoted base64 SHA-256 (46 characters), with room for a weak prefix. */
  etag: 64
} as const

/** The largest count or total the API can report: SQLite's row ids are 64-bit. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER

/**
 * The pattern of written text that says something: a character that is not white space (a name or
 * a note of spaces alone passes minLength). Put on what records are written with (seed files and
 * the API's bodies), and said as "must not be blank" (validation/ajv-errors.ts).
 */
export const NOT_BLANK = '\\S'

export const IdString = (options: TStringOptions = {}) => Type.String({ minLength: 1, maxLength: LIMITS.id, ...options })
export const TextString = (options: TStringOptions = {}) => Type.String({ minLength: 1, maxLength: LIMITS.text, ...options })
export const NoteString = (options: TStringOptions = {}) => Type.String({ minLength: 1, maxLength: LIMITS.note, ...options })
export const UrlString = (options: TStringOptions = {}) => Type.String({ minLength: 1, maxLength: LIMITS.url, ...options })
export const CountryCodeString = (options: TStringOptions = {}) =>
  Type.String({ pattern: '^[A-Z]{2}$', minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2 code.', ...options })
/** ISO 8601 with partial precision; whether the day exists is checked by the importer. */
export const PartialDateString = (options: TStringOptions = {}) =>
  Type.String({
    pattern: '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$',
    minLength: 4,
    maxLength: 10,
    description: 'ISO 8601 date with partial precision: YYYY, YYYY-MM or YYYY-MM-DD.',
    ...options
  })

/** A number of records: a total, a facet count. */
export const CountInteger = (options: TNumberOptions = {}) => Type.Integer({ format: 'int64', minimum: 0, maximum: MAX_COUNT, ...options })
/** A record's version, which every write increases. */
export const VersionInteger = (options: TNumberOptions = {}) => Type.Integer({ format: 'int64', minimum: 1, maximum: MAX_COUNT, ...options })
