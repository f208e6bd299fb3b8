// Exits 0 when the PostgreSQL server at the given URL answers within 5 seconds, 1 otherwise.
import pg from 'pg'

const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
try {
  await client.connect()
  await client.query('select 1')
  await client.end()
  process.exit(0)
} catch (error) {
  console.error(`PostgreSQL not reachable at ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
