// bench/live: latency from a change committed through one app instance to the event received by SSE clients of
// another instance on the same PostgreSQL database, at 100 and at 1,000 connected clients, beside a plain
// NOTIFY round trip measured in the same run.
//
//   npm run bench:live                                   PostgreSQL from LANTERN_BENCH_DATABASE_URL or 127.0.0.1:5432
//   npm run bench:live -- --clients 100,1000 --events 200 --interval 50 --client-processes 2 --parser lean,full
//
// Three processes: this one is instance A (it records sightings through the real services, each in its own
// transaction, and notes when the commit returned); instance B (instance.ts) serves the SSE stream; the clients
// (clients.ts, in --client-processes processes, 2 by default: one per core, as clients on other machines would not
// queue behind each other) hold the connections to B and note when each event arrives: `lean` when its bytes
// arrive, `full` when the project's SSE client has parsed it (README.md). Times are epoch milliseconds from
// performance.timeOrigin + performance.now(), comparable between processes on one machine.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { createInterface } from 'node:readline'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import pg from 'pg'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { services as buildServices } from '../../src/services.ts'
import type { Actor } from '../../src/modules/access/actor.ts'
import { uuidv7 } from '../../src/lib/ids.ts'
import { newBearerSecret, secretHash } from '../../src/lib/secrets.ts'

const { values } = parseArgs({
  options: { clients: { type: 'string' }, events: { type: 'string' }, interval: { type: 'string' }, 'client-processes': { type: 'string' }, parser: { type: 'string' } },
})
const clientProcesses = Number(values['client-processes'] ?? 2)
const parsers = (values.parser ?? 'lean').split(',')
const clientCounts = (values.clients ?? '100,1000').split(',').map(Number)
const eventsPerRun = Number(values.events ?? 200)
const intervalMs = Number(values.interval ?? 50)
const server = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, n: sorted.length }
}

/** A child process that prints one line when ready; the line is returned. */
type Child = ChildProcessByStdio<Writable, Readable, null>

function start(script: string, args: string[]): Promise<{ child: Child; lines: AsyncIterator<string>; first: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  // Listened for from the start: a child may exit before anyone waits for it.
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return lines.next().then((line) => {
    if (line.done) throw new Error(`${script} ended before it was ready`)
    return { child, lines, first: line.value, exited }
  })
}

// ---------------------------------------------------------------- a fresh database with one force, its users and an open episode
const admin = new pg.Client({ connectionString: server })
try {
  await admin.connect()
} catch {
  console.log(`PostgreSQL at ${new URL(server).host} is not reachable: bench/live needs it (two instances share one database).`)
  process.exit(1)
}
const name = `lantern_bench_live_${randomBytes(4).toString('hex')}`
await admin.query(`CREATE DATABASE ${name}`)
const url = new URL(server)
url.pathname = `/${name}`
const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 10 })
const children: Child[] = []
try {
  await migrateToLatest(handle.db)
  const services = buildServices(handle.db, { sessionHours: 12 })
  const forceId = uuidv7()
  await handle.db.insertInto('agency').values({ id: forceId, kind: 'police_force', code: 'BENCH', name: 'Bench Police', nation: 'england', region: null, welsh_name: null, contact_phone: '101', contact_email: null, replaced_by_code: null }).execute()
  const userId = uuidv7()
  await handle.db.insertInto('app_user').values({ id: userId, agency_id: forceId, email: 'officer@bench.example', display_name: 'Bench officer', password_hash: 'x', roles: ['police_officer'] }).execute()
  const token = newBearerSecret('lts')
  await handle.db.insertInto('user_session').values({ id: uuidv7(), user_id: userId, token_hash: secretHash(token), expires_at: new Date(Date.now() + 6 * 3_600_000) }).execute()
  const actor: Actor = { kind: 'user', userId, tokenId: null, agencyId: forceId, agencyKind: 'police_force', roles: ['police_officer'], purpose: null }

  // ---------------------------------------------------------------- baseline: a plain NOTIFY round trip, same database
  const listener = new pg.Client({ connectionString: url.toString() })
  const notifier = new pg.Client({ connectionString: url.toString() })
  await listener.connect()
  await notifier.connect()
  await listener.query('LISTEN bench_baseline')
  const arrivals = new Map<string, number>()
  let waiter: (() => void) | null = null
  listener.on('notification', (message) => {
    arrivals.set(message.payload ?? '', now())
    waiter?.()
  })
  const baseline: number[] = []
  for (let i = 0; i < eventsPerRun; i += 1) {
    const arrived = new Promise<void>((resolve) => {
      waiter = resolve
    })
    await notifier.query(`SELECT pg_notify('bench_baseline', '${i}')`)
    const sent = now()
    if (!arrivals.has(String(i))) await arrived
    baseline.push((arrivals.get(String(i)) ?? sent) - sent)
    await sleep(intervalMs)
  }
  await listener.end()
  await notifier.end()

  // ---------------------------------------------------------------- instance B and its SSE clients
  const instance = await start('./instance.ts', [url.toString()])
  children.push(instance.child)
  const port = (JSON.parse(instance.first) as { port: number }).port
  const streamUrl = `http://127.0.0.1:${port}/api/v1/events/stream`

  const rows: string[] = []
  const loadAtStart = loadavg()
  const fmt = (value: number) => value.toFixed(1).padStart(7)
  const row = (label: string, figures: ReturnType<typeof summary>, received: string = String(figures.n)) =>
    `| ${label.padEnd(52)} | ${fmt(figures.p50)} | ${fmt(figures.p99)} | ${fmt(figures.max)} | ${received.padStart(13)} |`
  rows.push(row('baseline: plain NOTIFY round trip (1 listener)', summary(baseline)))

  for (const count of clientCounts) for (const parser of parsers) {
    const person = await services.people.create(actor, { names: [{ kind: 'full', text: 'Bench Person' }], sex: 'unknown' })
    const startedAt = new Date(Date.now() - 3_600_000).toISOString()
    const episode = await services.episodes.create(actor, person.id, { startedAt, initialRisk: { assessedAt: startedAt, grade: 'medium', rationale: 'Benchmark' } })
    const shares = Array.from({ length: clientProcesses }, (_, index) => Math.floor(count / clientProcesses) + (index < count % clientProcesses ? 1 : 0)).filter((share) => share > 0)
    const clients = await Promise.all(shares.map((share) => start('./clients.ts', [streamUrl, token, String(share), parser])))
    for (const group of clients) {
      children.push(group.child)
      if (group.first !== 'ready') throw new Error(`clients: ${group.first}`)
    }
    await sleep(500)

    const committedAt = new Map<string, number>()
    const writeTimes: number[] = []
    for (let i = 0; i < eventsPerRun; i += 1) {
      const requested = now()
      const updated = await services.episodes.recordSighting(actor, episode.id, { seenAt: new Date().toISOString(), place: `Place ${i}` })
      const committed = now()
      const newest = [...updated.sightings].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)
      if (newest) committedAt.set(newest.id, committed)
      writeTimes.push(committed - requested)
      await sleep(intervalMs)
    }
    await sleep(2000)
    const latencies: number[] = []
    for (const group of clients) {
      group.child.stdin.write('end\n')
      const received = JSON.parse((await group.lines.next()).value ?? '{}') as Record<string, number[]>
      for (const [sightingId, times] of Object.entries(received)) {
        const committed = committedAt.get(sightingId)
        if (committed !== undefined) for (const time of times) latencies.push(time - committed)
      }
    }
    instance.child.stdin.write('times\n')
    const fannedOut = JSON.parse((await instance.lines.next()).value ?? '{}') as Record<string, number>
    const serverSide: number[] = []
    for (const [sightingId, time] of Object.entries(fannedOut)) {
      const committed = committedAt.get(sightingId)
      if (committed !== undefined) serverSide.push(time - committed)
    }
    const figures = summary(latencies)
    const write = summary(writeTimes)
    const fanOut = summary(serverSide)
    rows.push(row(`${count} SSE clients of the other instance (${parser})`, figures, `${figures.n}/${count * eventsPerRun}`))
    rows.push(row(`  (instance B has written it to all ${count} streams)`, fanOut))
    rows.push(row('  (the write itself, request to commit returned)', write))
    await Promise.all(clients.map((group) => group.exited))
  }

  console.log(`\nbench/live: ${eventsPerRun} events per run, one every ${intervalMs} ms, clients in ${clientProcesses} processes, PostgreSQL ${new URL(server).host}, Node ${process.version}`)
  console.log('Latency from the commit returning in instance A to the event received by each SSE client of instance B (ms):\n')
  console.log(`| ${'measurement'.padEnd(52)} |  p50 ms |  p99 ms |  max ms | ${'received'.padStart(13)} |`)
  console.log(`|${'-'.repeat(54)}|---------|---------|---------|${'-'.repeat(15)}|`)
  for (const row of rows) console.log(row)
  const loadAtEnd = loadavg()
  console.log(`\nTarget: p99 < 100 ms at 1,000 clients. Load average (1, 5, 15 min): ${loadAtStart.map((v) => v.toFixed(2)).join(', ')} at the start, ${loadAtEnd.map((v) => v.toFixed(2)).join(', ')} at the end.`)
} finally {
  for (const child of children) child.kill('SIGTERM')
  await sleep(500)
  await handle.close()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
}
