import { createHash } from 'node:crypto'
import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { Database } from './database.ts'

// Named prepared statements for the hot path (docs/adr/0021). PostgreSQL parses and plans an unnamed statement
// every time it runs: for the one-statement episode read that was about half the server's CPU time per read
// (1.3 to 1.55 ms against 0.70 ms prepared, measured here). A statement run through `executePrepared` is sent as a
// named prepared statement on each pooled connection (parsed once per connection, its plan cached by the server).
// Opt-in, not every query: a statement's text must come from a small, fixed set (a query built from a variable
// number of values would prepare without end), and its parameters should be ids, whose generic plan is as good as
// any. PGlite (one process, no network) runs it as it runs any query.

/** The texts of the statements to prepare, each with its statement name. */
const preparedNames = new Map<string, string>()

/** The statement name of a text marked for preparing, or undefined. */
export function preparedNameOf(text: string): string | undefined {
  return preparedNames.get(text)
}

/** Runs a query as a named prepared statement on PostgreSQL (as a plain query on PGlite). */
export async function executePrepared<O>(db: Kysely<Database>, query: Compilable<O>): Promise<O[]> {
  const compiled: CompiledQuery<O> = query.compile()
  if (!preparedNames.has(compiled.sql))
    preparedNames.set(compiled.sql, `lantern_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`)
  return (await db.executeQuery(compiled)).rows
}
