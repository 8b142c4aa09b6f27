// The drizzle schema itself: its foreign keys are the migrated database's and point at real columns, and every
// controlled vocabulary is enforced by a CHECK constraint built from src/vocabularies.ts.
import t from 'tap'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../../src/db/schema.js'
import { openDatabase } from '../../src/db/connection.js'
import { ORGANISATION_CLASSIFICATIONS, PARTICIPATION_ROLES } from '../../src/vocabularies.js'

const tables = Object.values(schema) as SQLiteTable[]
const configs = new Map(tables.map((table) => [getTableConfig(table).name, getTableConfig(table)]))

t.test('every foreign key of the schema is one the migrations make, and references a column that exists', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const pragma = (query: string) => db.$client.prepare(query).all() as Record<string, string>[]
  const key = (from: string, column: string, to: string, target: string) => `${from}.${column} -> ${to}.${target}`
  const declared = [...configs].flatMap(([name, config]) =>
    config.foreignKeys.flatMap((foreignKey) => {
      const { foreignTable, foreignColumns, columns } = foreignKey.reference()
      return columns.map((column, i) => key(name, column.name, getTableConfig(foreignTable).name, foreignColumns[i]?.name as string))
    })
  )
  const migrated = [...configs.keys()].flatMap((name) => pragma(`PRAGMA foreign_key_list(${name})`).map((fk) => key(name, fk.from as string, fk.table as string, fk.to as string)))
  t.ok(declared.length > 10, `${declared.length} foreign keys`)
  t.same([...declared].sort(), [...migrated].sort(), 'the schema declares the keys the migrated database has')
  for (const fk of [...configs.keys()].flatMap((name) => pragma(`PRAGMA foreign_key_list(${name})`))) {
    t.ok(pragma(`PRAGMA table_info(${fk.table})`).some((column) => column.name === fk.to), `${fk.table}.${fk.to} exists`)
  }
})

t.test('the vocabularies are CHECK constraints built from src/vocabularies.ts', async (t) => {
  const checks = [...configs.values()].flatMap((config) => config.checks.map((check) => ({ table: config.name, name: check.name })))
  t.ok(checks.some((c) => c.name === 'participations_role_check'))
  t.ok(checks.some((c) => c.name === 'organisations_classification_check'))
  t.ok(checks.some((c) => c.name === 'citations_one_owner'))
  const sql = (table: string, name: string) => {
    const check = configs.get(table)?.checks.find((c) => c.name === name)
    return JSON.stringify(check?.value)
  }
  for (const role of PARTICIPATION_ROLES) t.match(sql('participations', 'participations_role_check'), `'${role}'`)
  for (const classification of ORGANISATION_CLASSIFICATIONS) t.match(sql('organisations', 'organisations_classification_check'), `'${classification}'`)
  t.ok(configs.get('events')?.indexes.length, 'events are indexed')
})
