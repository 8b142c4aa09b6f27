// Writes checked seed records into the database: upsert by stable id, writing a row only when it
// differs, so that a second run of the same files reports (and makes) no change at all.
import type Database from 'better-sqlite3'
import { getTableColumns, getTableName, type Table } from 'drizzle-orm'
import * as schema from '../db/schema.js'
import type { CheckedSeed } from './check-seed-records.js'
import type { SeedCitation, SeedOtherName } from './seed-file.schemas.js'
import { ISO_SOURCE, isoCountryList } from './iso-countries.js'
import { statement } from '../db/statements.js'
import { refillWithoutIndexes } from '../db/refill.js'
import { fold } from '../text/fold.js'

export const SUMMARY_TABLES = [
  'countries',
  'country_names',
  'sources',
  'organisations',
  'people',
  'positions',
  'events',
  'sessions',
  'participations'
] as const
export type SummaryTable = (typeof SUMMARY_TABLES)[number]

export interface TableChanges {
  created: number
  updated: number
  unchanged: number
  deleted: number
}
export type SeedChanges = Record<SummaryTable, TableChanges>

/** The collections whose records carry a version, can be edited through the API, and are audited. */
export const EDITABLE_COLLECTIONS = ['organisations', 'people', 'positions', 'events', 'sessions', 'participations'] as const
export type EditableCollection = (typeof EDITABLE_COLLECTIONS)[number]
const isEditable = (table: SummaryTable): table is EditableCollection => (EDITABLE_COLLECTIONS as readonly string[]).includes(table)

export type RecordAction = 'create' | 'update' | 'delete'

export interface WriteOptions {
  reset: boolean
  /** Called just before a record of an editable collection is created, updated or deleted... */
  onRecordChange?: (collection: EditableCollection, id: string, action: RecordAction) => void
  /** ...and once it is (a deletion of --reset: before the tables are emptied, when nothing else can change it). */
  onRecordChanged?: (collection: EditableCollection, id: string, action: RecordAction) => void
  /** Called as each record is written, with how many of how many (for a progress bar). */
  onProgress?: (done: number, total: number) => void
  /**
   * Whether to upsert the ISO dataset: its source, the countries and their names (true by default).
   * The API's writes, whose records are never country names, leave them as the last seed run wrote them.
   */
  isoCountries?: boolean
  /**
   * Whether the editable collections' tables hold no record when the records are written (a first
   * seed, or a reset): each of their records is then inserted without looking for one to update,
   * and without onRecordChange and onRecordChanged (the caller records the creations all at once),
   * and the participations go in with their table's indexes and those of citations dropped.
   */
  bulk: boolean
}

/** The collections whose records are written one by one, and counted by onProgress (country names are not). */
const PROGRESS_COLLECTIONS = ['sources', 'organisations', 'people', 'positions', 'events', 'sessions', 'participations'] as const

type Row = Record<string, string | number | null>
type CitationOwner = 'countryCode' | 'otherNameId' | 'organisationId' | 'personId' | 'positionId' | 'eventId' | 'sessionId' | 'participationId'
type NameOwner = 'countryCode' | 'organisationId' | 'personId'

interface Citation {
  sourceId: string
  quote: string | null
  note: string | null
}
interface OtherName {
  name: string
  startDate: string | null
  endDate: string | null
  note: string | null
  citations: Citation[]
}

const emptyChanges = (): TableChanges => ({ created: 0, updated: 0, unchanged: 0, deleted: 0 })
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value)

/** SQL column name of each TypeScript property of a drizzle table. */
function columnNames(table: Table): Map<string, string> {
  return new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]))
}

export function writeSeed(sqlite: Database.Database, seed: CheckedSeed, options: WriteOptions): SeedChanges {
  const { bulk } = options
  const noteChange = (table: SummaryTable, id: string, action: RecordAction) => {
    if (isEditable(table) && !(bulk && action === 'create')) options.onRecordChange?.(table, id, action)
  }
  const noteChanged = (table: SummaryTable, id: string, action: RecordAction) => {
    if (isEditable(table) && !(bulk && action === 'create')) options.onRecordChanged?.(table, id, action)
  }
  const changes = Object.fromEntries(SUMMARY_TABLES.map((t) => [t, emptyChanges()])) as SeedChanges
  const tableColumns = new Map<Table, Map<string, string>>()
  const columnsOf = (table: Table) => {
    let names = tableColumns.get(table)
    if (!names) tableColumns.set(table, (names = columnNames(table)))
    return names
  }
  const prepare = (sql: string) => statement(sqlite, sql)
  const col = (table: Table, key: string) => `"${columnsOf(table).get(key)}"`
  // Progress counts the rows upsert() writes: the ISO source, the countries and the files' records.
  const isoCountries = options.isoCountries ?? true
  const progressTotal = (isoCountries ? 1 + isoCountryList().length : 0) + PROGRESS_COLLECTIONS.reduce((n, c) => n + seed.records[c].length, 0)
  let progressDone = 0

  // ----- citations and other names, owned by a record and replaced with it -----
  const readCitations = (owner: CitationOwner, id: string | number): Citation[] =>
    (prepare(`SELECT source_id, quote, note FROM citations WHERE ${col(schema.citations, owner)} = ? ORDER BY id`).all(id) as Row[]).map(
      (r) => ({ sourceId: r.source_id as string, quote: r.quote as string | null, note: r.note as string | null })
    )
  const insertCitations = (owner: CitationOwner, id: string | number, citations: Citation[]) => {
    const insert = prepare(`INSERT INTO citations (source_id, quote, note, ${col(schema.citations, owner)}) VALUES (?, ?, ?, ?)`)
    for (const c of citations) insert.run(c.sourceId, c.quote, c.note, id)
  }
  const citationsDiffer = (owner: CitationOwner, id: string | number, citations: Citation[]): boolean =>
    JSON.stringify(readCitations(owner, id)) !== JSON.stringify(citations)
  const replaceCitations = (owner: CitationOwner, id: string | number, citations: Citation[]) => {
    prepare(`DELETE FROM citations WHERE ${col(schema.citations, owner)} = ?`).run(id)
    insertCitations(owner, id, citations)
  }
  const readOtherNames = (owner: NameOwner, id: string): OtherName[] =>
    (
      prepare(`SELECT id, name, start_date, end_date, note FROM other_names WHERE ${col(schema.otherNames, owner)} = ? ORDER BY id`).all(
        id
      ) as Row[]
    ).map((r) => ({
      name: r.name as string,
      startDate: r.start_date as string | null,
      endDate: r.end_date as string | null,
      note: r.note as string | null,
      citations: readCitations('otherNameId', r.id as number)
    }))
  const insertOtherName = (owner: NameOwner, id: string, name: OtherName) => {
    const { lastInsertRowid } = prepare(
      `INSERT INTO other_names (${col(schema.otherNames, owner)}, name, start_date, end_date, note) VALUES (?, ?, ?, ?, ?)`
    ).run(id, name.name, name.startDate, name.endDate, name.note)
    insertCitations('otherNameId', Number(lastInsertRowid), name.citations)
  }
  const otherNamesDiffer = (owner: NameOwner, id: string, names: OtherName[]): boolean => JSON.stringify(readOtherNames(owner, id)) !== JSON.stringify(names)
  const replaceOtherNames = (owner: NameOwner, id: string, names: OtherName[]) => {
    prepare(`DELETE FROM other_names WHERE ${col(schema.otherNames, owner)} = ?`).run(id)
    for (const name of names) insertOtherName(owner, id, name)
  }

  // Each table's rows have the same properties (the calls below spell them all out), so its
  // statements are made once, not once per record.
  const upsertStatements = new Map<Table, { keys: string[]; tableName: string; select: Database.Statement; insert: Database.Statement }>()
  const upsertStatementsOf = (table: Table, row: Row, idKey: string) => {
    let made = upsertStatements.get(table)
    if (!made) {
      const names = columnsOf(table)
      const keys = Object.keys(row)
      const tableName = getTableName(table)
      made = {
        keys,
        tableName,
        select: prepare(`SELECT * FROM "${tableName}" WHERE ${col(table, idKey)} = ?`),
        insert: prepare(`INSERT INTO "${tableName}" (${keys.map((k) => `"${names.get(k)}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
      }
      upsertStatements.set(table, made)
    }
    return made
  }

  // ----- one record: insert, update or leave alone -----
  const upsert = (
    table: Table,
    summary: SummaryTable,
    row: Row,
    idKey: string,
    owned: { citations?: [CitationOwner, Citation[]]; otherNames?: [NameOwner, OtherName[]] } = {}
  ) => {
    options.onProgress?.(++progressDone, progressTotal)
    const names = columnsOf(table)
    const { keys, tableName, select, insert } = upsertStatementsOf(table, row, idKey)
    const id = row[idKey] as string
    const existing = bulk && isEditable(summary) ? undefined : (select.get(id) as Row | undefined)
    if (!existing) {
      noteChange(summary, id, 'create')
      insert.run(...keys.map((k) => row[k]))
      if (owned.citations) insertCitations(owned.citations[0], id, owned.citations[1])
      if (owned.otherNames) for (const name of owned.otherNames[1]) insertOtherName(owned.otherNames[0], id, name)
      changes[summary].created++
      noteChanged(summary, id, 'create')
      return
    }
    const changed = keys.filter((k) => existing[names.get(k) as string] !== row[k])
    const citationsChanged = owned.citations ? citationsDiffer(owned.citations[0], id, owned.citations[1]) : false
    const namesChanged = owned.otherNames ? otherNamesDiffer(owned.otherNames[0], id, owned.otherNames[1]) : false
    if (changed.length === 0 && !citationsChanged && !namesChanged) {
      changes[summary].unchanged++
      return
    }
    noteChange(summary, id, 'update')
    if (changed.length > 0) {
      prepare(`UPDATE "${tableName}" SET ${changed.map((k) => `"${names.get(k)}" = ?`).join(', ')} WHERE ${col(table, idKey)} = ?`).run(
        ...changed.map((k) => row[k]),
        id
      )
    }
    // citationsChanged and namesChanged are true only when the record owns such lists.
    if (citationsChanged) {
      const [owner, list] = owned.citations as [CitationOwner, Citation[]]
      replaceCitations(owner, id, list)
    }
    if (namesChanged) {
      const [owner, list] = owned.otherNames as [NameOwner, OtherName[]]
      replaceOtherNames(owner, id, list)
    }
    if (isEditable(summary)) prepare(`UPDATE "${tableName}" SET version = version + 1 WHERE ${col(table, idKey)} = ?`).run(id)
    changes[summary].updated++
    noteChanged(summary, id, 'update')
  }

  const citationsOf = (list: SeedCitation[] | undefined): Citation[] =>
    (list ?? []).map((c) => ({ sourceId: c.source, quote: orNull(c.quote), note: orNull(c.note) }))
  const otherNamesOf = (list: SeedOtherName[] | undefined): OtherName[] =>
    (list ?? []).map((n) => ({
      name: n.name,
      startDate: orNull(n.start_date),
      endDate: orNull(n.end_date),
      note: orNull(n.note),
      citations: citationsOf(n.sources)
    }))

  // Foreign keys are checked at commit, so records may refer to ones defined later in the files.
  sqlite.pragma('defer_foreign_keys = ON')

  if (options.reset) {
    const counts: [SummaryTable, string][] = [
      ['participations', 'participations'],
      ['sessions', 'sessions'],
      ['positions', 'positions'],
      ['events', 'events'],
      ['people', 'people'],
      ['organisations', 'organisations'],
      ['country_names', 'other_names WHERE country_code IS NOT NULL'],
      ['sources', 'sources'],
      ['countries', 'countries']
    ]
    for (const [summary, from] of counts) changes[summary].deleted = (prepare(`SELECT count(*) AS n FROM ${from}`).get() as { n: number }).n
    for (const collection of EDITABLE_COLLECTIONS) {
      for (const id of prepare(`SELECT id FROM "${collection}" ORDER BY id`).pluck().all() as string[]) {
        noteChange(collection, id, 'delete')
        noteChanged(collection, id, 'delete')
      }
    }
    for (const table of ['citations', 'other_names', 'participations', 'sessions', 'positions', 'events', 'people', 'organisations', 'sources', 'countries']) {
      prepare(`DELETE FROM "${table}"`).run()
    }
  }

  const { records, sourceTexts } = seed

  // Sources first: the ISO dataset that backs the country list, then the files' own.
  if (isoCountries) upsert(schema.sources, 'sources', { id: ISO_SOURCE.id, kind: ISO_SOURCE.kind, title: ISO_SOURCE.title, publisher: ISO_SOURCE.publisher, publishedOn: null, place: null, url: ISO_SOURCE.url, content: null, note: ISO_SOURCE.note }, 'id')
  for (const { record: s } of records.sources) {
    upsert(
      schema.sources,
      'sources',
      {
        id: s.id,
        kind: s.kind,
        title: s.title,
        publisher: s.publisher,
        publishedOn: orNull(s.published_on),
        place: orNull(s.place),
        url: orNull(s.url),
        content: orNull(sourceTexts.get(s.id)),
        note: orNull(s.note)
      },
      'id'
    )
  }

  if (isoCountries) writeCountries()
  writeRecords()
  return changes

  // Countries, with the package's other names and the files' (which carry dates, notes and quotes).
  function writeCountries() {
    const isoCitation: Citation = { sourceId: ISO_SOURCE.id, quote: null, note: null }
    const namesByCountry = new Map<string, Map<string, OtherName>>()
    // A name the package gave as another name of a country and now is its name (North Macedonia,
    // listed after MK's full name until ISO_SHORT_NAMES): not another name any more, unless a source
    // besides the package cites it (a file naming it so writes it again below).
    const noLongerOtherName = prepare(
      'DELETE FROM other_names WHERE country_code = ? AND name = ? AND NOT EXISTS (SELECT 1 FROM citations WHERE other_name_id = other_names.id AND source_id <> ?)'
    )
    for (const country of isoCountryList()) {
      upsert(schema.countries, 'countries', { code: country.code, alpha3: country.alpha3, numeric: country.numeric, name: country.name }, 'code', {
        citations: ['countryCode', [isoCitation]]
      })
      changes.country_names.deleted += noLongerOtherName.run(country.code, country.name, ISO_SOURCE.id).changes
      namesByCountry.set(
        country.code,
        new Map(country.otherNames.map((name) => [name, { name, startDate: null, endDate: null, note: null, citations: [isoCitation] }]))
      )
    }
    const namedInFiles = new Set<OtherName>()
    for (const { record: n } of records.country_names) {
      const names = namesByCountry.get(n.country) as Map<string, OtherName>
      const fromPackage = names.get(n.name)
      const name: OtherName = {
        name: n.name,
        startDate: orNull(n.start_date),
        endDate: orNull(n.end_date),
        note: orNull(n.note),
        citations: [...(fromPackage?.citations ?? []), ...citationsOf(n.sources)]
      }
      names.set(n.name, name)
      namedInFiles.add(name)
    }
    // Country names are upserted one by one (by country and name): an operator's file that adds a
    // name must not remove the others, as a record's replaced list would. A name that only the
    // package gives is created if missing and otherwise left as earlier files described it.
    for (const [code, names] of namesByCountry) {
      for (const name of names.values()) {
        const existing = prepare('SELECT id, start_date, end_date, note FROM other_names WHERE country_code = ? AND name = ?').get(code, name.name) as
          | Row
          | undefined
        if (!existing) {
          insertOtherName('countryCode', code, name)
          changes.country_names.created++
          continue
        }
        if (!namedInFiles.has(name)) {
          changes.country_names.unchanged++
          continue
        }
        const rowChanged = existing.start_date !== name.startDate || existing.end_date !== name.endDate || existing.note !== name.note
        if (rowChanged) {
          prepare('UPDATE other_names SET start_date = ?, end_date = ?, note = ? WHERE id = ?').run(name.startDate, name.endDate, name.note, existing.id)
        }
        const citationsChanged = citationsDiffer('otherNameId', existing.id as number, name.citations)
        if (citationsChanged) replaceCitations('otherNameId', existing.id as number, name.citations)
        changes.country_names[rowChanged || citationsChanged ? 'updated' : 'unchanged']++
      }
  }

  }

  function writeRecords() {
    for (const { record: o } of records.organisations) {
      upsert(
        schema.organisations,
        'organisations',
        {
          id: o.id,
          name: o.name,
          abbreviation: orNull(o.abbreviation),
          classification: o.classification,
          portfolio: orNull(o.portfolio),
          countryCode: orNull(o.country),
          parentId: orNull(o.parent),
          note: orNull(o.note)
        },
        'id',
        { citations: ['organisationId', citationsOf(o.sources)], otherNames: ['organisationId', otherNamesOf(o.other_names)] }
      )
    }
    for (const { record: p } of records.people) {
      upsert(
        schema.people,
        'people',
        {
          id: p.id,
          name: p.name,
          honorificPrefix: orNull(p.honorific_prefix),
          givenName: orNull(p.given_name),
          familyName: orNull(p.family_name),
          sortName: p.sort_name,
          sortKey: fold(p.sort_name),
          note: orNull(p.note)
        },
        'id',
        { citations: ['personId', citationsOf(p.sources)], otherNames: ['personId', otherNamesOf(p.other_names)] }
      )
    }
    for (const { record: p } of records.positions) {
      upsert(
        schema.positions,
        'positions',
        { id: p.id, personId: p.person, organisationId: p.organisation, title: orNull(p.title), asOf: p.as_of, note: orNull(p.note) },
        'id',
        { citations: ['positionId', citationsOf(p.sources)] }
      )
    }
    for (const { record: e } of records.events) {
      upsert(
        schema.events,
        'events',
        {
          id: e.id,
          name: e.name,
          classification: e.classification,
          startDate: e.start_date,
          endDate: orNull(e.end_date),
          city: orNull(e.city),
          countryCode: orNull(e.country),
          continuationOfId: orNull(e.continuation_of),
          note: orNull(e.note)
        },
        'id',
        { citations: ['eventId', citationsOf(e.sources)] }
      )
    }
    for (const { record: s } of records.sessions) {
      upsert(
        schema.sessions,
        'sessions',
        { id: s.id, eventId: s.event, name: s.name, classification: s.classification, note: orNull(s.note) },
        'id',
        { citations: ['sessionId', citationsOf(s.sources)] }
      )
    }
    // Inserting a row into each of their indexes in turn took most of a large write (in random
    // order, and at a million participations those pages no longer fit in the page cache); made
    // again afterwards, each is one sorted pass. Nothing here reads through them. Foreign keys
    // need none: the seed checks found every record the participations refer to in the files, and
    // those are written by now, so no deferred violation is pending; SQLite looks for a new parent
    // row's children (here, without an index) only while one is. Were one pending, the write would
    // be slow, and still refused at commit.
    if (bulk) refillWithoutIndexes(sqlite, ['participations', 'citations'], writeParticipations)
    else writeParticipations()
  }

  function writeParticipations() {
    for (const { record: p } of records.participations) {
      const participantType = p.person ? 'person' : p.organisation ? 'organisation' : p.delegation ? 'delegation' : 'sector'
      upsert(
        schema.participations,
        'participations',
        {
          id: p.id,
          eventId: p.event,
          sessionId: orNull(p.session),
          participantType,
          personId: orNull(p.person),
          organisationId: orNull(p.organisation),
          delegationCountryCode: orNull(p.delegation),
          sector: orNull(p.sector),
          role: p.role,
          roleAsWorded: orNull(p.role_as_worded),
          onBehalfOfId: orNull(p.on_behalf_of),
          countryCode: orNull(p.country),
          note: orNull(p.note)
        },
        'id',
        { citations: ['participationId', citationsOf(p.sources)] }
      )
    }
  }
}
