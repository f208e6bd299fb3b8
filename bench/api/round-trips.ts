// bench/api/round-trips.ts: the statements one episode read and one episode create send to PostgreSQL, each
// counted as a round trip (BEGIN and COMMIT included), since on this machine throughput follows that count.
//
//   node bench/api/round-trips.ts            (PostgreSQL from LANTERN_BENCH_DATABASE_URL or 127.0.0.1:5432)
//   node bench/api/round-trips.ts --sql      and print each statement's first line
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { services as buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/app.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { systemActor, type Actor } from '../../src/modules/access/actor.ts'
import { newBearerSecret, secretHash } from '../../src/lib/secrets.ts'
import { uuidv7 } from '../../src/lib/ids.ts'

const { values } = parseArgs({ options: { sql: { type: 'boolean' } } })
const server = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

// Every statement node-postgres sends passes through Client.prototype.query.
let sent: string[] | null = null
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text
  sent?.push((text ?? '?').trim().split('\n')[0]?.slice(0, 110) ?? '')
  return query.apply(this, args)
} as typeof pg.Client.prototype.query

const name = `lantern_trips_${randomBytes(4).toString('hex')}`
const admin = new pg.Client({ connectionString: server })
await admin.connect()
await admin.query(`CREATE DATABASE ${name}`)
await admin.end()
const url = new URL(server)
url.pathname = `/${name}`
const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 2 })
try {
  const db = handle.db
  await migrateToLatest(db)
  await loadReferenceAgencies(db)
  const services = buildServices(db, { sessionHours: 12 })
  const force = await db.selectFrom('agency').select(['id']).where('code', '=', 'E23000032').executeTakeFirstOrThrow()
  const userId = uuidv7()
  await db.insertInto('app_user').values({ id: userId, agency_id: force.id, email: `trips-${userId}@example.test`, display_name: 'Trips', password_hash: 'x', roles: ['police_officer'] }).execute()
  const token = newBearerSecret('lts')
  await db.insertInto('user_session').values({ id: uuidv7(), user_id: userId, token_hash: secretHash(token), expires_at: new Date(Date.now() + 3_600_000) }).execute()
  const actor: Actor = { ...systemActor(force.id, 'police_force', ['police_officer'], 'Round trips'), kind: 'user', userId }
  const people = await Promise.all([0, 1, 2].map((i) => services.people.create(actor, { names: [{ kind: 'full', text: `Trips Person ${i}` }], sex: 'unknown' })))
  const app = await buildApp(services, { logger: false })
  const headers = { authorization: `Bearer ${token}` }
  const at = () => new Date(Date.now() - 3_600_000).toISOString()
  const body = () => ({ startedAt: at(), initialRisk: { assessedAt: at(), grade: 'medium', rationale: 'Round trips' }, lastSeen: { place: 'Town centre' } })

  // The first request of each kind warms the authentication cache; the second is the one counted.
  const measure = async (label: string, send: () => Promise<{ statusCode: number }>) => {
    await send()
    sent = []
    const response = await send()
    const statements = sent
    sent = null
    console.log(`${label}: ${statements.length} round trips (status ${response.statusCode})`)
    if (values.sql) for (const statement of statements) console.log(`    ${statement}`)
  }
  const first = await app.inject({ method: 'POST', url: `/api/v1/people/${people[0]?.id}/episodes`, headers, payload: body() })
  await measure('read an episode', () => app.inject({ method: 'GET', url: `/api/v1/episodes/${first.json().id}`, headers }))
  let next = 1
  await measure('create an episode', () => app.inject({ method: 'POST', url: `/api/v1/people/${people[next++]?.id}/episodes`, headers, payload: body() }))
  await app.close()
} finally {
  await handle.close()
  const dropper = new pg.Client({ connectionString: server })
  await dropper.connect()
  await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await dropper.end()
}
