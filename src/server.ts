// The service: configuration, database (migrated, and seeded when empty), HTTP, graceful close.
// The only file that calls listen().
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { openDatabase } from './db/connection.js'
import { isEmpty, seedDatabase } from './seed/seed-database.js'

/** Start-up problems an operator can fix end the process with one line, not a stack trace. */
function exitWith(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    /* c8 ignore next -- loadConfig throws nothing but ConfigError */
    if (!(error instanceof ConfigError)) throw error
    exitWith(error.message)
  }
  let db
  try {
    db = openDatabase(config.databasePath)
  } catch (error) {
    exitWith(`Cannot open DATABASE_PATH "${config.databasePath}": ${(error as Error).message}`)
  }
  const app = await buildApp({ db, logger: { level: config.logLevel } })
  if (isEmpty(db)) {
    const result = seedDatabase(db)
    app.log.info({ files: result.files, changes: result.total }, 'seeded the empty database from the bundled seeds')
  }

  // A second signal during the close finds app.close() and db.close() already done: both are idempotent.
  const close = async (signal: string) => {
    app.log.info({ signal }, 'closing')
    await app.close()
    db.$client.close()
    process.exit(0)
  }
  process.once('SIGTERM', (signal) => void close(signal))
  process.once('SIGINT', (signal) => void close(signal))

  await app.listen({ port: config.port, host: config.host })
}

await main()
