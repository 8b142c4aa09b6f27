// The controlled vocabularies of the directory: one list each, feeding the tables' CHECK
// constraints, the API and seed schemas, and the documentation alike.

/** What kind of body an organisation is. */
export const ORGANISATION_CLASSIFICATIONS = [
  'ministry',
  'armed-forces',
  'government-agency',
  'un-secretariat',
  'un-department',
  'un-division',
  'un-service',
  'un-programme',
  'un-country-office',
  'un-resident-coordinator-office',
  'intergovernmental-organisation',
  'regional-initiative',
  'academic-institution',
  'civil-society-organisation'
] as const

/** The portfolio of a ministry: what `ministry=` filters by. */
export const MINISTRY_PORTFOLIOS = [
  'defence',
  'foreign-affairs',
  'interior',
  'security',
  'justice',
  'finance'
] as const

/** The part someone played in an event, in the order a programme would list them. */
export const PARTICIPATION_ROLES = [
  'organiser',
  'co-organiser',
  'co-host',
  'keynote-speaker',
  'moderator',
  'panellist',
  'presenter',
  'participant'
] as const

/** Who took part: a named person, an organisation, a country's delegation, or an unnamed sector. */
export const PARTICIPANT_TYPES = ['person', 'organisation', 'delegation', 'sector'] as const

/** Sectors that articles name collectively ("academic and civil society") without naming a body. */
export const SECTORS = ['academia', 'civil-society'] as const

export const SECTOR_LABELS: Record<Sector, string> = {
  academia: 'Academia',
  'civil-society': 'Civil society'
}

export const EVENT_CLASSIFICATIONS = ['roundtable', 'conference', 'workshop', 'meeting', 'training'] as const

export const SESSION_CLASSIFICATIONS = ['panel', 'plenary', 'keynote', 'workshop'] as const

export const SOURCE_KINDS = ['article', 'dataset'] as const

export type Sector = (typeof SECTORS)[number]

/** What an API token may do: read (anyone may, without a token), write records, or administer. */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** What a write did to a record, as the audit trail records it. */
export const CHANGE_ACTIONS = ['create', 'update', 'delete'] as const
