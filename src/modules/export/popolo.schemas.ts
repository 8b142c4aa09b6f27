// The Popolo export: the whole directory in the JSON serialization of the Popolo specification
// (https://www.popoloproject.com/specs/). Property names and meanings are Popolo's, not ours; only the
// Popolo properties the directory can fill are listed. Every record's `sources` are Popolo links.
import { Type, type Static } from 'typebox'
import { EVENT_CLASSIFICATIONS, ORGANISATION_CLASSIFICATIONS, SESSION_CLASSIFICATIONS } from '../../vocabularies.js'
import { Nullable, ref } from '../shared/common.schemas.js'
import { CountryCodeString, IdString, LIMITS, NoteString, PartialDateString, TextString, UrlString } from '../shared/fields.schemas.js'

/** A post's id is its organisation's id and its title as a slug; its label, the title and the organisation's name. */
const POST_ID_MAX_LENGTH = LIMITS.id + 1 + LIMITS.text
const POST_LABEL_MAX_LENGTH = 2 * LIMITS.text + 2
const PartialDate = (description: string) => Nullable(PartialDateString({ description: `${description} ISO 8601, possibly reduced: YYYY, YYYY-MM or YYYY-MM-DD.`, examples: ['2015-06-02'] }))

export const PopoloLink = Type.Object(
  {
    url: UrlString({
      format: 'uri',
      description: "The source's own URL or, for a source without one, its record in this API (`/v1/sources/{id}`).",
      examples: ['https://www.iso.org/iso-3166-country-codes.html']
    }),
    note: Nullable(
      Type.String({
        // The participant, role and organisation it backs, the quote, the source's title and
        // publisher and the citation's note.
        maxLength: 2 * LIMITS.note + 6 * LIMITS.text,
        description: 'What the source backs (when not the whole record), the verbatim quote, and the source named.',
        examples: ['Mersida Mesetović: moderator, on behalf of Armed Forces of Bosnia and Herzegovina — “moderated by Colonel Mersida Mesetović (BiH AF)” (Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations, SEESAC, 2015-06-03)']
      })
    )
  },
  { $id: 'PopoloLink', description: 'A Popolo link: a URL to a document the record is derived from, with a note.' }
)

export const PopoloOtherName = Type.Object(
  {
    name: TextString({ examples: ['BiH'] }),
    start_date: PartialDate('The date on which the name was adopted.'),
    end_date: PartialDate('The date on which the name was abandoned; a name with an end date is a former name.'),
    note: Nullable(NoteString({ examples: ['abbreviation'] }))
  },
  { $id: 'PopoloOtherName', description: 'A Popolo other name: an alternate, former or abbreviated name.' }
)

export const PopoloArea = Type.Object(
  {
    id: IdString({ description: 'ISO 3166-1 alpha-2 code, as in `/v1/countries/{code}`.', examples: ['BA'] }),
    name: TextString({ examples: ['Bosnia and Herzegovina'] }),
    identifier: Type.String({ maxLength: 30, description: 'Open Civic Data Division Identifier, which Popolo recommends for areas.', examples: ['ocd-division/country:ba'] }),
    classification: Type.Literal('country'),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloArea', description: 'A country, as a Popolo area.' }
)

export const PopoloOrganization = Type.Object(
  {
    id: IdString({ examples: ['ba-ministry-of-defence'] }),
    name: TextString({ examples: ['Ministry of Defence of Bosnia and Herzegovina'] }),
    other_names: Type.Array(ref(PopoloOtherName), { description: 'The abbreviation (note "abbreviation") and the other names.' }),
    classification: Type.Enum([...ORGANISATION_CLASSIFICATIONS], { examples: ['ministry'] }),
    parent_id: Nullable(IdString({ examples: ['ba-ministry-of-defence'] })),
    area_id: Nullable(CountryCodeString({ description: 'The country the organisation belongs to (an area id).', examples: ['BA'] })),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloOrganization', description: 'An organisation, as a Popolo organization.' }
)

export const PopoloPerson = Type.Object(
  {
    id: IdString({ examples: ['mersida-mesetovic'] }),
    name: TextString({ examples: ['Mersida Mesetović'] }),
    sort_name: TextString({ examples: ['Mesetović, Mersida'] }),
    given_name: Nullable(TextString({ examples: ['Mersida'] })),
    family_name: Nullable(TextString({ examples: ['Mesetović'] })),
    honorific_prefix: Nullable(TextString({ examples: ['Colonel'] })),
    other_names: Type.Array(ref(PopoloOtherName)),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloPerson', description: 'A person, as a Popolo person.' }
)

export const PopoloPost = Type.Object(
  {
    id: IdString({ maxLength: POST_ID_MAX_LENGTH, description: 'Organisation id and title: the post exists apart from whoever holds it.', examples: ['un-dpet/chief-of-integrated-training-service'] }),
    label: TextString({ maxLength: POST_LABEL_MAX_LENGTH, examples: ['Chief of Integrated Training Service, Policy, Evaluation and Training Division'] }),
    role: TextString({ examples: ['Chief of Integrated Training Service'] }),
    organization_id: IdString({ examples: ['un-dpet'] }),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloPost', description: 'A titled position at an organisation, as a Popolo post.' }
)

export const PopoloMembership = Type.Object(
  {
    id: IdString({ description: 'The position id.', examples: ['mark-pedersen-un-dpet-2015'] }),
    person_id: IdString({ examples: ['mark-pedersen'] }),
    organization_id: IdString({ examples: ['un-dpet'] }),
    post_id: Nullable(IdString({ maxLength: POST_ID_MAX_LENGTH, examples: ['un-dpet/chief-of-integrated-training-service'] })),
    role: Nullable(TextString({ description: 'The title, where the source gives one.', examples: ['Chief of Integrated Training Service'] })),
    label: Nullable(TextString({ maxLength: POST_LABEL_MAX_LENGTH, examples: ['Chief of Integrated Training Service, Policy, Evaluation and Training Division'] })),
    sources: Type.Array(ref(PopoloLink), { description: 'Each note says the date as of which the source attests the position.' })
  },
  { $id: 'PopoloMembership', description: "A person's position at an organisation, as a Popolo membership." }
)

export const PopoloAttendee = Type.Object(
  { id: IdString({ description: 'A person id.', examples: ['mersida-mesetovic'] }) },
  { $id: 'PopoloAttendee', description: 'A person attending an event: a Popolo person document holding only its id, as in the specification’s example.' }
)

export const PopoloEvent = Type.Object(
  {
    id: IdString({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: TextString(),
    classification: Type.Enum([...new Set([...EVENT_CLASSIFICATIONS, ...SESSION_CLASSIFICATIONS])], { description: 'The event classification, or the session classification for a session.', examples: ['roundtable', 'panel'] }),
    start_date: PartialDate('The time at which the event starts.'),
    end_date: PartialDate('The time at which the event ends.'),
    location: Nullable(TextString({ examples: ['Sarajevo, Bosnia and Herzegovina'] })),
    organization_id: Nullable(IdString({ description: 'The organisation organising the event, when one organisation alone is recorded as its organiser.' })),
    parent_id: Nullable(IdString({ description: 'For a session, the event it is part of.', examples: ['sarajevo-roundtable-2015'] })),
    attendees: Type.Array(ref(PopoloAttendee), { description: 'The people who took part (in a session of an event, for the event too).' }),
    sources: Type.Array(ref(PopoloLink), { description: 'The sources of the event, then those of each participation recorded on it, whose notes name the participant and role.' })
  },
  { $id: 'PopoloEvent', description: 'An event, or a session within one, as a Popolo event.' }
)

export const PopoloExport = Type.Object(
  {
    persons: Type.Array(ref(PopoloPerson)),
    organizations: Type.Array(ref(PopoloOrganization)),
    memberships: Type.Array(ref(PopoloMembership)),
    posts: Type.Array(ref(PopoloPost)),
    events: Type.Array(ref(PopoloEvent)),
    areas: Type.Array(ref(PopoloArea))
  },
  { $id: 'PopoloExport', description: 'The whole directory as one Popolo JSON document, laid out as EveryPolitician’s Popolo files are.' }
)

export type PopoloLink = Static<typeof PopoloLink>
export type PopoloOtherName = Static<typeof PopoloOtherName>
export type PopoloEvent = Static<typeof PopoloEvent>
export type PopoloPost = Static<typeof PopoloPost>
export type PopoloExport = Static<typeof PopoloExport>
