// The shape of a seed file (YAML or JSON): one TypeBox schema that validates the files, types the
// importer and is published as seeds/seed-file.schema.json for editors and other tools.
import { Type, type Static } from 'typebox'
import {
  EVENT_CLASSIFICATIONS,
  MINISTRY_PORTFOLIOS,
  ORGANISATION_CLASSIFICATIONS,
  PARTICIPATION_ROLES,
  SECTORS,
  SESSION_CLASSIFICATIONS,
  SOURCE_KINDS
} from '../vocabularies.js'
import { CountryCodeString, IdString, LIMITS, NOT_BLANK, NoteString, PartialDateString, TextString, UrlString } from '../modules/shared/fields.schemas.js'

const Slug = IdString({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'A stable id: lower-case letters, digits and single hyphens.' })
const CountryCode = CountryCodeString()
export const PartialDate = PartialDateString()
const Text = TextString({ pattern: NOT_BLANK })
const Note = NoteString({ pattern: NOT_BLANK, description: 'Why a reading was chosen, or where enrichment comes from.' })

const vocabulary = (values: readonly string[], description: string) => Type.Enum([...values], { description })

export const SeedCitation = Type.Object(
  {
    source: Type.String({ ...Slug, description: 'The id of a source defined in a seed file.' }),
    quote: Type.Optional(
      NoteString({ pattern: NOT_BLANK, description: 'Verbatim passage of the source text; required for articles.' })
    ),
    note: Type.Optional(Note)
  },
  { additionalProperties: false }
)

const Sources = Type.Array(SeedCitation, { minItems: 1, maxItems: LIMITS.sources, description: 'Citations backing the record.' })

export const SeedOtherName = Type.Object(
  {
    name: Text,
    start_date: Type.Optional(PartialDate),
    end_date: Type.Optional(PartialDate),
    note: Type.Optional(Note),
    sources: Type.Optional(Sources)
  },
  { additionalProperties: false }
)
const OtherNames = Type.Array(SeedOtherName, { maxItems: LIMITS.otherNames })

export const SeedSource = Type.Object(
  {
    id: Slug,
    kind: vocabulary(SOURCE_KINDS, 'An article (with its full text) or a dataset.'),
    title: Text,
    publisher: Text,
    published_on: Type.Optional(PartialDate),
    place: Type.Optional(Text),
    url: Type.Optional(UrlString({ format: 'uri' })),
    text_file: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'Path of the full text, relative to the seed file.' })
    ),
    note: Type.Optional(Note)
  },
  { additionalProperties: false }
)

export const SeedCountryName = Type.Object(
  {
    country: CountryCode,
    name: Text,
    start_date: Type.Optional(PartialDate),
    end_date: Type.Optional(PartialDate),
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedOrganisation = Type.Object(
  {
    id: Slug,
    name: Text,
    abbreviation: Type.Optional(TextString({ pattern: NOT_BLANK, maxLength: LIMITS.abbreviation })),
    other_names: Type.Optional(OtherNames),
    classification: vocabulary(ORGANISATION_CLASSIFICATIONS, 'What kind of body it is.'),
    portfolio: Type.Optional(vocabulary(MINISTRY_PORTFOLIOS, 'For ministries only: their portfolio.')),
    country: Type.Optional(CountryCode),
    parent: Type.Optional(Slug),
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedPerson = Type.Object(
  {
    id: Slug,
    name: Text,
    honorific_prefix: Type.Optional(TextString({ pattern: NOT_BLANK, maxLength: LIMITS.honorific })),
    given_name: Type.Optional(Text),
    family_name: Type.Optional(Text),
    sort_name: Text,
    other_names: Type.Optional(OtherNames),
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedPosition = Type.Object(
  {
    id: Slug,
    person: Slug,
    organisation: Slug,
    title: Type.Optional(Text),
    as_of: PartialDate,
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedEvent = Type.Object(
  {
    id: Slug,
    name: Text,
    classification: vocabulary(EVENT_CLASSIFICATIONS, 'What kind of event it is.'),
    start_date: PartialDate,
    end_date: Type.Optional(PartialDate),
    city: Type.Optional(Text),
    country: Type.Optional(CountryCode),
    continuation_of: Type.Optional(Slug),
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedSession = Type.Object(
  {
    id: Slug,
    event: Slug,
    name: Text,
    classification: vocabulary(SESSION_CLASSIFICATIONS, 'What kind of session it is.'),
    note: Type.Optional(Note),
    sources: Sources
  },
  { additionalProperties: false }
)

export const SeedParticipation = Type.Object(
  {
    id: Slug,
    event: Slug,
    session: Type.Optional(Slug),
    person: Type.Optional(Slug),
    organisation: Type.Optional(Slug),
    delegation: Type.Optional(CountryCode),
    sector: Type.Optional(vocabulary(SECTORS, 'A sector named collectively, with no body named.')),
    role: vocabulary(PARTICIPATION_ROLES, 'The part played.'),
    role_as_worded: Type.Optional(Text),
    on_behalf_of: Type.Optional(Slug),
    country: Type.Optional(CountryCode),
    note: Type.Optional(Note),
    sources: Sources
  },
  {
    additionalProperties: false,
    description: 'Exactly one of person, organisation, delegation and sector names the participant.'
  }
)

export const SeedFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    sources: Type.Optional(Type.Array(SeedSource)),
    country_names: Type.Optional(Type.Array(SeedCountryName)),
    organisations: Type.Optional(Type.Array(SeedOrganisation)),
    people: Type.Optional(Type.Array(SeedPerson)),
    positions: Type.Optional(Type.Array(SeedPosition)),
    events: Type.Optional(Type.Array(SeedEvent)),
    sessions: Type.Optional(Type.Array(SeedSession)),
    participations: Type.Optional(Type.Array(SeedParticipation))
  },
  {
    $id: 'seed-file.schema.json',
    title: 'Stakeholder directory seed file',
    description: 'Records of the directory, each citing its sources. Ids are stable: importing upserts by id.',
    additionalProperties: false
  }
)

export type SeedFile = Static<typeof SeedFile>
export type SeedCitation = Static<typeof SeedCitation>
export type SeedOtherName = Static<typeof SeedOtherName>
