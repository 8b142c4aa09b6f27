// drizzle-kit configuration: `npm run db:generate` writes a migration for any schema change.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: process.env.DRIZZLE_OUT ?? './migrations'
})
