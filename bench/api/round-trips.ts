// bench/api/round-trips.ts: the statements one episode read and one episode create send to PostgreSQL, each
// counted as a round trip (BEGIN and COMMIT included), since on this machine throughput follows that count.
//
//   node bench/api/round-trips.ts            (PostgreSQL from LANTERN_BENCH_DATABASE_URL or 127.0.0.1:5432)
//   node bench/api/round-trips.ts --sql      and print each statement's first line, with its time in ms (send to
//                                           answer, the commit's wait for the disk included), the median of 20 runs
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { buildApp } from '../../src/app.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { benchOfficer } from './officer.ts'

const { values } = parseArgs({ options: { sql: { type: 'boolean' } } })
const server = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

// Every statement node-postgres sends passes through Client.prototype.query.
let sent: { text: string; ms: number }[] | null = null
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text
  const result = query.apply(this, args)
  if (sent && result instanceof Promise) {
    const statement = { text: (text ?? '?').trim().split('\n')[0]?.slice(0, 100) ?? '', ms: 0 }
    const started = performance.now()
    sent.push(statement)
    void result.then(() => (statement.ms = performance.now() - started), () => {})
  }
  return result
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
  const { services, token, actor } = await benchOfficer(db, 'Trips', 'Round trips')
  const people = await Promise.all(Array.from({ length: 23 }, (_, i) => services.people.create(actor, { names: [{ kind: 'full', text: `Trips Person ${i}` }], sex: 'unknown' })))
  const app = await buildApp(services, { logger: false })
  const headers = { authorization: `Bearer ${token}` }
  const at = () => new Date(Date.now() - 3_600_000).toISOString()
  const body = () => ({ startedAt: at(), initialRisk: { assessedAt: at(), grade: 'medium', rationale: 'Round trips' }, lastSeen: { place: 'Town centre' } })

  // The first request of each kind warms the authentication cache; the next 20 are counted and timed.
  const measure = async (label: string, send: () => Promise<{ statusCode: number }>) => {
    await send()
    const runs: { text: string; ms: number }[][] = []
    let status = 0
    for (let i = 0; i < 20; i += 1) {
      sent = []
      status = (await send()).statusCode
      runs.push(sent)
      sent = null
    }
    const first = runs[0] ?? []
    const median = (index: number) => runs.map((run) => run[index]?.ms ?? 0).sort((a, b) => a - b)[10] ?? 0
    const total = first.reduce((sum, _, index) => sum + median(index), 0)
    console.log(`${label}: ${first.length} round trips (status ${status}), ${total.toFixed(1)} ms in the database's answers`)
    if (values.sql) first.forEach((statement, index) => console.log(`  ${median(index).toFixed(2).padStart(6)}  ${statement.text}`))
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
