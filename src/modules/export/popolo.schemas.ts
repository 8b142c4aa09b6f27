// The Popolo export: the whole directory in the JSON serialization of the Popolo specification
// (https://www.popoloproject.com/specs/). Property names and meanings are Popolo's, not ours; only the
// Popolo properties the directory can fill are listed. Every record's `sources` are Popolo links.
import { Type, type Static } from 'typebox'
import { ORGANISATION_CLASSIFICATIONS } from '../../vocabularies.js'
import { Nullable, ref } from '../shared/common.schemas.js'

const PartialDate = (description: string) => Nullable(Type.String({ description: `${description} ISO 8601, possibly reduced: YYYY, YYYY-MM or YYYY-MM-DD.`, examples: ['2015-06-02'] }))

export const PopoloLink = Type.Object(
  {
    url: Type.String({
      format: 'uri',
      description: "The source's own URL or, for a source without one, its record in this API (`/v1/sources/{id}`).",
      examples: ['https://www.iso.org/iso-3166-country-codes.html']
    }),
    note: Nullable(
      Type.String({
        description: 'What the source backs (when not the whole record), the verbatim quote, and the source named.',
        examples: ['Mersida Mesetović: moderator, on behalf of Armed Forces of Bosnia and Herzegovina — “moderated by Colonel Mersida Mesetović (BiH AF)” (Enhancing Participation of Western Balkan Countries in UN Peacekeeping Operations, SEESAC, 2015-06-03)']
      })
    )
  },
  { $id: 'PopoloLink', description: 'A Popolo link: a URL to a document the record is derived from, with a note.' }
)

export const PopoloOtherName = Type.Object(
  {
    name: Type.String({ examples: ['BiH'] }),
    start_date: PartialDate('The date on which the name was adopted.'),
    end_date: PartialDate('The date on which the name was abandoned; a name with an end date is a former name.'),
    note: Nullable(Type.String({ examples: ['abbreviation'] }))
  },
  { $id: 'PopoloOtherName', description: 'A Popolo other name: an alternate, former or abbreviated name.' }
)

export const PopoloArea = Type.Object(
  {
    id: Type.String({ description: 'ISO 3166-1 alpha-2 code, as in `/v1/countries/{code}`.', examples: ['BA'] }),
    name: Type.String({ examples: ['Bosnia and Herzegovina'] }),
    identifier: Type.String({ description: 'Open Civic Data Division Identifier, which Popolo recommends for areas.', examples: ['ocd-division/country:ba'] }),
    classification: Type.Literal('country'),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloArea', description: 'A country, as a Popolo area.' }
)

export const PopoloOrganization = Type.Object(
  {
    id: Type.String({ examples: ['ba-ministry-of-defence'] }),
    name: Type.String({ examples: ['Ministry of Defence of Bosnia and Herzegovina'] }),
    other_names: Type.Array(ref(PopoloOtherName), { description: 'The abbreviation (note "abbreviation") and the other names.' }),
    classification: Type.Enum([...ORGANISATION_CLASSIFICATIONS], { examples: ['ministry'] }),
    parent_id: Nullable(Type.String({ examples: ['ba-ministry-of-defence'] })),
    area_id: Nullable(Type.String({ description: 'The country the organisation belongs to (an area id).', examples: ['BA'] })),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloOrganization', description: 'An organisation, as a Popolo organization.' }
)

export const PopoloPerson = Type.Object(
  {
    id: Type.String({ examples: ['mersida-mesetovic'] }),
    name: Type.String({ examples: ['Mersida Mesetović'] }),
    sort_name: Type.String({ examples: ['Mesetović, Mersida'] }),
    given_name: Nullable(Type.String({ examples: ['Mersida'] })),
    family_name: Nullable(Type.String({ examples: ['Mesetović'] })),
    honorific_prefix: Nullable(Type.String({ examples: ['Colonel'] })),
    other_names: Type.Array(ref(PopoloOtherName)),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloPerson', description: 'A person, as a Popolo person.' }
)

export const PopoloPost = Type.Object(
  {
    id: Type.String({ description: 'Organisation id and title: the post exists apart from whoever holds it.', examples: ['un-dpet/chief-of-integrated-training-service'] }),
    label: Type.String({ examples: ['Chief of Integrated Training Service, Policy, Evaluation and Training Division'] }),
    role: Type.String({ examples: ['Chief of Integrated Training Service'] }),
    organization_id: Type.String({ examples: ['un-dpet'] }),
    sources: Type.Array(ref(PopoloLink))
  },
  { $id: 'PopoloPost', description: 'A titled position at an organisation, as a Popolo post.' }
)

export const PopoloMembership = Type.Object(
  {
    id: Type.String({ description: 'The position id.', examples: ['mark-pedersen-un-dpet-2015'] }),
    person_id: Type.String({ examples: ['mark-pedersen'] }),
    organization_id: Type.String({ examples: ['un-dpet'] }),
    post_id: Nullable(Type.String({ examples: ['un-dpet/chief-of-integrated-training-service'] })),
    role: Nullable(Type.String({ description: 'The title, where the source gives one.', examples: ['Chief of Integrated Training Service'] })),
    label: Nullable(Type.String({ examples: ['Chief of Integrated Training Service, Policy, Evaluation and Training Division'] })),
    sources: Type.Array(ref(PopoloLink), { description: 'Each note says the date as of which the source attests the position.' })
  },
  { $id: 'PopoloMembership', description: "A person's position at an organisation, as a Popolo membership." }
)

export const PopoloAttendee = Type.Object(
  { id: Type.String({ description: 'A person id.', examples: ['mersida-mesetovic'] }) },
  { $id: 'PopoloAttendee', description: 'A person attending an event: a Popolo person document holding only its id, as in the specification’s example.' }
)

export const PopoloEvent = Type.Object(
  {
    id: Type.String({ examples: ['sarajevo-2015-regional-cooperation-panel'] }),
    name: Type.String(),
    classification: Type.String({ description: 'The event classification, or the session classification for a session.', examples: ['roundtable', 'panel'] }),
    start_date: PartialDate('The time at which the event starts.'),
    end_date: PartialDate('The time at which the event ends.'),
    location: Nullable(Type.String({ examples: ['Sarajevo, Bosnia and Herzegovina'] })),
    organization_id: Nullable(Type.String({ description: 'The organisation organising the event, when one organisation alone is recorded as its organiser.' })),
    parent_id: Nullable(Type.String({ description: 'For a session, the event it is part of.', examples: ['sarajevo-roundtable-2015'] })),
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
