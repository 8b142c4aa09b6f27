// Every full-text index, gathered like the tables in src/db/schema.ts.
import type { SearchIndex } from './search-index.js'
import { PEOPLE_SEARCH } from '../modules/people/people.search.js'
import { ORGANISATIONS_SEARCH } from '../modules/organisations/organisations.search.js'
import { EVENTS_SEARCH } from '../modules/events/events.search.js'
import { PARTICIPATIONS_SEARCH } from '../modules/participations/participations.search.js'

export const SEARCH_INDEXES: readonly SearchIndex[] = [PEOPLE_SEARCH, ORGANISATIONS_SEARCH, EVENTS_SEARCH, PARTICIPATIONS_SEARCH]
