import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import type { Database } from './database.ts'
import { preparedNameOf } from './prepared.ts'

export type Engine = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Kysely<Database>
  engine: Engine
  close: () => Promise<void>
  /** What LISTEN needs (src/modules/events): PGlite's own instance, or the URL for a dedicated PostgreSQL connection. */
  listenVia: ListenVia
}

export type ListenVia = { engine: 'pglite'; pglite: PGlite } | { engine: 'postgres'; url: string }

export type DatabaseLocation =
  | { engine: 'postgres'; url: string; poolSize?: number }
  // dataDir undefined: in memory (tests)
  | { engine: 'pglite'; dataDir?: string }

const DATE_OID = 1082
const INT8_OID = 20

// Calendar dates stay ISO strings (never a Date at local midnight); bigint counts fit a JS number.
const parsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
}

/**
 * Kysely sends every statement as `client.query(text, values)`: a text marked by `executePrepared` goes instead as
 * a named prepared statement, which node-postgres parses once per connection.
 */
function sendPreparedByName(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((...args: unknown[]) => {
    const [text, values] = args
    const name = typeof text === 'string' && args.length === 2 ? preparedNameOf(text) : undefined
    return name ? query({ name, text, values }) : query(...args)
  }) as typeof client.query
}

export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  if (location.engine === 'postgres') {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID || oid === INT8_OID ? parsers[oid] : pg.types.getTypeParser(oid, format),
    }
    const pool = new pg.Pool({ connectionString: location.url, max: location.poolSize ?? 20, types })
    // An idle connection the server ends (a restart, a failover) is dropped and replaced, not a crash.
    pool.on('error', () => {})
    pool.on('connect', sendPreparedByName)
    // Fail fast with a clear message when the server is not there.
    const client = await pool.connect()
    client.release()
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, engine: 'postgres', close: () => db.destroy(), listenVia: { engine: 'postgres', url: location.url } }
  }
  const pglite = await PGlite.create(location.dataDir ?? 'memory://', {
    extensions: { pg_trgm, fuzzystrmatch, unaccent },
    parsers,
  })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return { db, engine: 'pglite', close: () => db.destroy(), listenVia: { engine: 'pglite', pglite } }
}
