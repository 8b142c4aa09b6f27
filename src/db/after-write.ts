// What follows every write that changed the directory, inside its transaction: readers see the new
// records with their search index, their participation and person scopes, their CSV lines and a
// new data version, or none of it.
// The seed command, the API's creates and patches (both through applySeedFiles) and its deletes
// call this one function, so no write path can forget a derived table.
import type { DirectoryDatabase } from './connection.js'
import { withRebuildPageCache } from './refill.js'
import { bumpDataVersion } from './settings.js'
import { INCREMENTAL_LIMIT, refreshSearchIndexesAfter, type TouchedRecord } from '../search/refresh-search.js'
import {
  participationsMovedBy,
  rebuildParticipationScopes,
  refreshParticipationScopeRows
} from '../modules/participations/participations.scopes.js'
import { rebuildParticipationCsv, refreshParticipationCsvLines } from '../modules/participations/participations.csv.js'
import { peopleMovedBy, rebuildPersonScopes, refreshPersonScopeRows } from '../modules/people/people.scopes.js'

/**
 * `touched`: the records written, as they were before and are after. `rebuild` asks for every
 * derived table to be made again from all the records (a reset, a change of country names, or more
 * records than are worth following one by one; `touched` may then be empty).
 */
export function afterWrite(db: DirectoryDatabase, touched: readonly TouchedRecord[], options: { rebuild: boolean }): void {
  const rebuild = options.rebuild || touched.length > INCREMENTAL_LIMIT
  if (rebuild) {
    withRebuildPageCache(db.$client, () => {
      refreshSearchIndexesAfter(db, touched, true)
      rebuildParticipationScopes(db)
      rebuildParticipationCsv(db)
      rebuildPersonScopes(db)
    })
  } else {
    refreshSearchIndexesAfter(db, touched, false)
    const moved = participationsMovedBy(db, touched)
    refreshParticipationScopeRows(db, moved.scopes)
    refreshParticipationCsvLines(db, moved.lines)
    refreshPersonScopeRows(db, peopleMovedBy(db, touched))
  }
  bumpDataVersion(db.$client)
}
