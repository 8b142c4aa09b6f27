// The drizzle schema itself: every foreign key points at a real table and column, and every
// controlled vocabulary is enforced by a CHECK constraint built from src/vocabularies.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../../src/db/schema.js'
import { migrationsFolder } from '../../src/paths.js'
import { ORGANISATION_CLASSIFICATIONS, PARTICIPATION_ROLES } from '../../src/vocabularies.js'

const tables = Object.values(schema) as SQLiteTable[]
const configs = new Map(tables.map((table) => [getTableConfig(table).name, getTableConfig(table)]))

t.test('every foreign key references an existing column of an existing table', async (t) => {
  let count = 0
  for (const [name, config] of configs) {
    for (const foreignKey of config.foreignKeys) {
      const { foreignTable, foreignColumns, columns } = foreignKey.reference()
      const target = configs.get(getTableConfig(foreignTable).name)
      t.ok(target, `${name} -> ${getTableConfig(foreignTable).name}`)
      for (const column of foreignColumns) t.ok(target?.columns.some((c) => c.name === column.name), `${name}.${columns[0]?.name} -> ${column.name}`)
      count++
    }
  }
  const migrations = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(join(migrationsFolder, f), 'utf8'))
  const declared = migrations.join('\n').match(/FOREIGN KEY/g)?.length
  t.equal(count, declared, 'as many foreign keys as the migrations declare')
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
