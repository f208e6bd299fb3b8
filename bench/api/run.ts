// bench/api: requests per second and p50/p99 latency for reading an episode and creating one, on PGlite and
// on PostgreSQL, beside a bare Fastify route returning the same JSON (the ceiling), measured in one run with
// a load generator in a separate process on loopback.
//
//   npm run bench:api                    both engines (PostgreSQL from LANTERN_BENCH_DATABASE_URL or 127.0.0.1:5432)
//   npm run bench:api -- --duration 10   seconds per measurement (default 10)
//   npm run bench:api -- --engine postgres --processes 2   the app in 2 processes sharing the port (node:cluster;
//                                        PostgreSQL only, the same 20 database connections in all)
import cluster from 'node:cluster'
import { createServer } from 'node:net'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { writeFile, rm } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { sql } from 'kysely'
import path from 'node:path'
import Fastify from 'fastify'
import pg from 'pg'
import type { AddressInfo } from 'node:net'
import { openDatabase, type DatabaseHandle } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { services as buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/app.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { benchOfficer } from './officer.ts'

const run = promisify(execFile)
const { values } = parseArgs({
  options: { duration: { type: 'string' }, connections: { type: 'string' }, engine: { type: 'string' }, processes: { type: 'string' } },
})
const duration = Number(values.duration ?? 10)
const connections = Number(values.connections ?? 32)
const processes = Number(values.processes ?? 1)
const pgServer = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
// The app is stateless between requests (its only cache, authentication, lasts 5 s; jobs claim rows with SKIP
// LOCKED), so several processes can serve one port. Each holds its share of the 20 database connections.
const POOL_SIZE = 20

/** A worker of `--processes`: the app over the bench's database, on the port the primary chose. */
async function serveAsWorker() {
  const handle = await openDatabase({ engine: 'postgres', url: process.env.LANTERN_BENCH_WORKER_DATABASE ?? '', poolSize: Math.ceil(POOL_SIZE / processes) })
  const app = await buildApp(buildServices(handle.db, { sessionHours: 12 }), { logger: false })
  await app.listen({ host: '127.0.0.1', port: Number(process.env.LANTERN_BENCH_WORKER_PORT) })
  process.send?.('listening')
  process.on('disconnect', () => void app.close().then(() => handle.close()))
}

/** Starts `processes` workers serving the database at `url` on one port; resolves to its address and a stop. */
async function startWorkers(url: string): Promise<{ address: string; pids: number[]; stop: () => Promise<void> }> {
  const free = createServer()
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
  const port = (free.address() as AddressInfo).port
  await new Promise<void>((resolve) => free.close(() => resolve()))
  // Each worker accepts its own connections (no round robin through this process, which would cost a core's share).
  cluster.schedulingPolicy = cluster.SCHED_NONE
  const workers = Array.from({ length: processes }, () =>
    cluster.fork({ LANTERN_BENCH_WORKER_DATABASE: url, LANTERN_BENCH_WORKER_PORT: String(port) }),
  )
  await Promise.all(workers.map((worker) => new Promise<void>((resolve) => worker.once('message', () => resolve()))))
  return {
    address: `http://127.0.0.1:${port}`,
    pids: workers.flatMap((worker) => (worker.process.pid ? [worker.process.pid] : [])),
    stop: async () => {
      await Promise.all(workers.map((worker) => new Promise<void>((resolve) => { worker.once('exit', () => resolve()); worker.disconnect() })))
    },
  }
}

interface Figures {
  requestsPerSecond: number
  p50: number
  p99: number
  total: number
  non2xx: number
  errors: number
  /** CPU milliseconds per request: the app's processes, the database's server processes, the load generator. */
  cpu: { app: number; database: number | null; load: number }
}

/**
 * What each process costs is measured beside what it achieves: on a machine shared with other work, requests per
 * second follow whatever else runs, while CPU time per request hardly moves. Linux only: /proc/<pid>/stat.
 */
const TICK_MS = 10
function cpuMsOf(pids: readonly number[]): Map<number, number> {
  const times = new Map<number, number>()
  for (const pid of pids) {
    try {
      // After the command's parenthesised name: fields 14 and 15 of the line (utime, stime) in clock ticks.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      times.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS)
    } catch {
      // A process that has ended counts for nothing.
    }
  }
  return times
}
const spentSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0)

/** The server processes of the bench's database (PostgreSQL on this machine), or none. */
async function databasePids(handle: DatabaseHandle): Promise<number[] | null> {
  if (handle.engine !== 'postgres') return null
  // The connections' backends only: an autovacuum of the tables just set up is not the requests' work.
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`.execute(
    handle.db,
  )
  return rows.rows.map((row) => row.pid)
}

interface Processes {
  app: number[]
  database: DatabaseHandle | null
}

async function load(url: string, method: 'GET' | 'POST', paths: string[], token: string | null, body: unknown, measured: Processes): Promise<Figures> {
  const config = {
    url,
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    paths,
    body: body === null ? null : JSON.stringify(body),
    connections,
    duration,
  }
  const file = path.join(tmpdir(), `lantern-bench-${randomBytes(4).toString('hex')}.json`)
  await writeFile(file, JSON.stringify(config))
  // The database's connections are all open once the pool has served a burst; the load keeps them busy.
  const databaseBefore = measured.database ? await databasePids(measured.database) : null
  const appBefore = cpuMsOf(measured.app)
  const dbBefore = cpuMsOf(databaseBefore ?? [])
  const { stdout } = await run(process.execPath, [new URL('./load.ts', import.meta.url).pathname, file], { maxBuffer: 10 * 1024 * 1024 })
  const appSpent = spentSince(appBefore, cpuMsOf(measured.app))
  const databaseAfter = measured.database ? await databasePids(measured.database) : null
  const dbSpent = databaseAfter ? spentSince(dbBefore, cpuMsOf(databaseAfter)) : null
  await rm(file)
  const figures = JSON.parse(stdout) as Omit<Figures, 'cpu'> & { cpuMs: number }
  const requests = Math.max(1, figures.total)
  return { ...figures, cpu: { app: appSpent / requests, database: dbSpent === null ? null : dbSpent / requests, load: figures.cpuMs / requests } }
}

async function openEngine(engine: 'pglite' | 'postgres'): Promise<{ handle: DatabaseHandle; url: string | null; drop: () => Promise<void> } | null> {
  if (engine === 'pglite') return { handle: await openDatabase({ engine: 'pglite' }), url: null, drop: async () => {} }
  const name = `lantern_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgServer })
  try {
    await admin.connect()
  } catch {
    console.log(`PostgreSQL at ${new URL(pgServer).host} is not reachable: skipping the PostgreSQL measurements`)
    return null
  }
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(pgServer)
  url.pathname = `/${name}`
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: POOL_SIZE })
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: pgServer })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}

const episodeBody = () => {
  const at = new Date(Date.now() - 3_600_000).toISOString()
  return { startedAt: at, initialRisk: { assessedAt: at, grade: 'medium' as const, rationale: 'Benchmark report' }, lastSeen: { place: 'Town centre' } }
}

async function measureEngine(engine: 'pglite' | 'postgres') {
  const opened = await openEngine(engine)
  if (!opened) return null
  const { handle, drop } = opened
  if (processes > 1 && !opened.url) throw new Error('--processes needs PostgreSQL: PGlite lives in one process')
  const db = handle.db
  await migrateToLatest(db)
  await loadReferenceAgencies(db)
  const { services, token, actor } = await benchOfficer(db, 'Bench', 'Benchmark')

  // Enough people that every create in the run goes to a person with no open episode.
  const people = engine === 'postgres' ? 12_000 : 4_000
  const personIds: string[] = []
  // Sixteen at a time: setting up is not what is measured.
  for (let i = 0; i < people; i += 16) {
    const batch = Array.from({ length: Math.min(16, people - i) }, (_, j) =>
      services.people.create(actor, { names: [{ kind: 'full', text: `Bench Person ${i + j}` }], sex: 'unknown' }),
    )
    for (const person of await Promise.all(batch)) personIds.push(person.id)
  }
  const readTarget = await services.episodes.create(actor, personIds[0] ?? '', episodeBody())

  const app = await buildApp(services, { logger: false })
  const workers = processes > 1 && opened.url ? await startWorkers(opened.url) : null
  if (!workers) await app.listen({ host: '127.0.0.1', port: 0 })
  const url = workers?.address ?? `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const measured: Processes = { app: workers?.pids ?? [process.pid], database: handle }
  const read = await load(url, 'GET', [`/api/v1/episodes/${readTarget.id}`], token, null, measured)
  const create = await load(url, 'POST', personIds.slice(1).map((id) => `/api/v1/people/${id}/episodes`), token, episodeBody(), measured)
  const readSample = (await app.inject({ method: 'GET', url: `/api/v1/episodes/${readTarget.id}`, headers: { authorization: `Bearer ${token}` } })).json()
  await workers?.stop()
  await app.close()
  await handle.close()
  await drop()
  return { read, create, readSample }
}

async function measureCeiling(sample: unknown) {
  const bare = Fastify({ logger: false })
  bare.get('/episode', async () => sample)
  await bare.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`
  const figures = await load(url, 'GET', ['/episode'], null, null, { app: [process.pid], database: null })
  await bare.close()
  return figures
}

const ms = (value: number | null) => (value === null ? '-' : value.toFixed(2)).padStart(6)
const row = (label: string, f: Figures) =>
  `| ${label.padEnd(36)} | ${f.requestsPerSecond.toFixed(0).padStart(8)} | ${String(f.p50).padStart(6)} | ${String(f.p99).padStart(6)} | ${String(f.non2xx + f.errors).padStart(6)} | ${ms(f.cpu.app)} | ${ms(f.cpu.database)} | ${ms(f.cpu.load)} |`

async function main() {
  console.log(`bench/api: ${duration} s per measurement, ${connections} connections, ${processes} app process${processes > 1 ? 'es' : ''}, Node ${process.version}`)
  console.log(`load average before: ${loadavg().map((value) => value.toFixed(2)).join(', ')}`)
  const engines = (values.engine ? [values.engine] : ['postgres', 'pglite']) as ('pglite' | 'postgres')[]
  const lines: string[] = []
  let sample: unknown = null
  for (const engine of engines) {
    console.log(`measuring ${engine}...`)
    const figures = await measureEngine(engine)
    if (!figures) continue
    sample ??= figures.readSample
    lines.push(row(`${engine}: read an episode`, figures.read), row(`${engine}: create an episode`, figures.create))
  }
  if (sample) lines.push(row('ceiling: bare Fastify, same JSON', await measureCeiling(sample)))
  console.log(`\nload average after: ${loadavg().map((value) => value.toFixed(2)).join(', ')}`)
  console.log('CPU ms per request: app (its processes; with PGlite, the database too), db (PostgreSQL backends), gen (the load generator)')
  console.log('\n| measurement                          |  req/s   | p50 ms | p99 ms | failed |    app |     db |    gen |')
  console.log('|--------------------------------------|----------|--------|--------|--------|--------|--------|--------|')
  for (const line of lines) console.log(line)
  console.log('\nTargets on PostgreSQL: >= 3,000 reads/s and >= 500 creates/s, p99 < 20 ms.')
}

if (cluster.isWorker) await serveAsWorker()
else await main()
