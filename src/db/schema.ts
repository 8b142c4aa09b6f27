// The database schema: every table, gathered for drizzle and drizzle-kit.
export { countries } from '../modules/countries/countries.table.js'
export { organisations } from '../modules/organisations/organisations.table.js'
export { people, positions } from '../modules/people/people.table.js'
export { events, sessions } from '../modules/events/events.table.js'
export { participations } from '../modules/participations/participations.table.js'
export { sources, otherNames, citations } from '../modules/sources/sources.table.js'
export { settings } from './settings.js'
