// The bench's database: a fresh PostgreSQL database it creates and drops (or PGlite in memory), migrated,
// with the reference agencies and one user per authority to import its return.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Kysely } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { Database } from '../../src/db/database.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { localAuthorities } from '../../src/modules/agencies/reference-data.ts'
import type { Actor } from '../../src/modules/access/actor.ts'
import { uuidv7 } from '../../src/lib/ids.ts'

export const PG_SERVER = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface BenchDatabase {
  handle: DatabaseHandle
  /** The URL of the database (PostgreSQL), for a connection of its own. */
  url: string | null
  drop: () => Promise<void>
  /** Every active English upper-tier authority's code. */
  authorities: string[]
}

export async function openBenchDatabase(engine: 'postgres' | 'pglite'): Promise<BenchDatabase> {
  const authorities = localAuthorities().filter((agency) => agency.nation === 'england' && agency.active).map((agency) => agency.code)
  if (engine === 'pglite') {
    const handle = await openDatabase({ engine: 'pglite' })
    await migrateToLatest(handle.db)
    await loadReferenceAgencies(handle.db)
    return { handle, url: null, drop: () => handle.close(), authorities }
  }
  const name = `lantern_bench_import_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_SERVER })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(PG_SERVER)
  url.pathname = `/${name}`
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 4 })
  await migrateToLatest(handle.db)
  await loadReferenceAgencies(handle.db)
  return {
    handle,
    url: url.toString(),
    authorities,
    drop: async () => {
      await handle.close()
      const dropper = new pg.Client({ connectionString: PG_SERVER })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}

/** A user of each authority (a missing-from-care lead), to import its return. */
export async function prepareBench(db: Kysely<Database>, las: readonly string[]): Promise<{ actorOf: (la: string) => Actor }> {
  const agencyIds = new Map((await db.selectFrom('agency').select(['id', 'code']).where('kind', '=', 'local_authority').execute()).map((row) => [row.code, row.id]))
  const actors = new Map<string, Actor>()
  for (const la of las) {
    const agencyId = agencyIds.get(la)
    if (!agencyId) throw new Error(`no agency ${la}`)
    const userId = uuidv7()
    await db.insertInto('app_user').values({ id: userId, agency_id: agencyId, email: `bench@${la}.gov.example`, display_name: 'Bench', password_hash: 'x', roles: ['missing_from_care_lead'] }).execute()
    actors.set(la, { kind: 'user', userId, tokenId: null, agencyId, agencyKind: 'local_authority', roles: ['missing_from_care_lead'], purpose: 'bench' })
  }
  return {
    actorOf: (la) => {
      const actor = actors.get(la)
      if (!actor) throw new Error(`no actor for ${la}`)
      return actor
    },
  }
}
