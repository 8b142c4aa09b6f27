// What follows every write that changed the directory, inside its transaction: readers see the new
// records with their search index, their participation scopes and CSV lines, and a new data
// version, or none of it.
// The seed command, the API's creates and patches (both through applySeedFiles) and its deletes
// call this one function, so no write path can forget a derived table.
import { withPageCache, type DirectoryDatabase } from './connection.js'
import { bumpDataVersion } from './settings.js'
import { INCREMENTAL_LIMIT, refreshSearchIndexesAfter, type TouchedRecord } from '../search/refresh-search.js'
import {
  participationsMovedBy,
  rebuildParticipationScopes,
  refreshParticipationScopeRows
} from '../modules/participations/participations.scopes.js'
import { rebuildParticipationCsv, refreshParticipationCsvLines } from '../modules/participations/participations.csv.js'

/**
 * The page cache a rebuild runs with, in KiB. A rebuild writes each derived table in one pass, then
 * sorts it into its indexes, and SQLite's sorter takes the page cache's size as its memory: with
 * 2 MiB instead of the connection's 32, the import of 100,000 participations peaked at 391 MB
 * instead of 450, in the same time.
 */
const REBUILD_PAGE_CACHE_KIB = 2048

/**
 * `touched`: the records written, as they were before and are after. `rebuild` asks for every
 * derived table to be made again from all the records (a reset, a change of country names, or more
 * records than are worth following one by one; `touched` may then be empty).
 */
export function afterWrite(db: DirectoryDatabase, touched: readonly TouchedRecord[], options: { rebuild: boolean }): void {
  const rebuild = options.rebuild || touched.length > INCREMENTAL_LIMIT
  if (rebuild) {
    withPageCache(db.$client, REBUILD_PAGE_CACHE_KIB, () => {
      refreshSearchIndexesAfter(db, touched, true)
      rebuildParticipationScopes(db)
      rebuildParticipationCsv(db)
    })
  } else {
    refreshSearchIndexesAfter(db, touched, false)
    const moved = participationsMovedBy(db, touched)
    refreshParticipationScopeRows(db, moved)
    refreshParticipationCsvLines(db, moved)
  }
  bumpDataVersion(db.$client)
}
