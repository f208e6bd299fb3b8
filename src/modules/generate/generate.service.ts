import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Engine } from '../../db/open.ts'
import { recordOperatorAudit } from '../audit/audit.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { FIRST_YEAR, LAST_YEAR, targetsFor } from './calibration.ts'
import { england } from './country.ts'
import {
  expectedLookedAfterIncidents,
  foldedNamesOfPools,
  generateAuthority,
  generateForce,
  IdSource,
  missingWeights,
  type AgencyIds,
  type GenerateOptions,
  type ModelContext,
} from './generate.model.ts'
import { GENERATED_TABLES, batchedInsertSink, openCopyStreams, type CopyStreams, type GeneratedTable, type Sink } from './generate.sink.ts'
import type { FromWorker, ToWorker, WorkerSetup } from './generate.worker.ts'
import * as repo from './generate.repository.ts'

export class GenerateOptionsError extends Error {}

/** Reads `--scale`, `--years` and `--seed` as the CLI gives them; a bad one is named. */
export function parseGenerateOptions(raw: { scale?: string; years?: string; seed?: string }): GenerateOptions {
  const scale = raw.scale === undefined ? 1 : Number(raw.scale)
  if (!Number.isFinite(scale) || scale <= 0 || scale > 2) throw new GenerateOptionsError(`--scale must be a number above 0 and at most 2 (a fraction of the country), not "${raw.scale}"`)
  const years = (raw.years ?? `${FIRST_YEAR}-${LAST_YEAR}`).match(/^(\d{4})(?:-(\d{4}))?$/)
  const firstYear = Number(years?.[1])
  const lastYear = Number(years?.[2] ?? years?.[1])
  if (!years || firstYear < FIRST_YEAR || lastYear > LAST_YEAR || firstYear > lastYear)
    throw new GenerateOptionsError(`--years must be years ending 31 March between ${FIRST_YEAR} and ${LAST_YEAR}, like 2006-2025 or 2012, not "${raw.years}"`)
  const seed = raw.seed === undefined ? 20061 : Number(raw.seed)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new GenerateOptionsError(`--seed must be a whole number from 0 to 4294967295, not "${raw.seed}"`)
  return { scale, firstYear, lastYear, seed }
}

export interface GenerateProgress {
  done: number
  total: number
  stage: 'authorities' | 'forces' | 'indexes'
  rows: number
}

export interface GenerateResult {
  runId: string
  counts: Record<GeneratedTable, number>
  /** Wall-clock seconds; `stages` breaks the run down (docs/adr/0020). */
  seconds: { generateAndLoad: number; indexes: number; total: number; stages: Record<string, number>; definitions: Record<string, number> }
}

const DEFINITION_CONCURRENCY = 2
/** How far generation may run ahead of the server: COPY text handed to the sockets and not yet sent. */
const PENDING_BYTES = 256 << 20
/** One generator thread per core (the server's COPY backends share the cores with them). */
const defaultWorkers = () => Math.max(1, Math.min(4, availableParallelism()))
const RESTORE_ORDER = ['key', 'index', 'constraint', 'trigger'] as const
const RESTORE_LABELS = { key: 'primary and unique keys', index: 'indexes', constraint: 'foreign keys', trigger: 'row triggers' } as const

async function agencyIds(db: Kysely<Database>): Promise<AgencyIds & { byCode: ReadonlyMap<string, string> }> {
  const byCode = await repo.agencyIdsByCode(db)
  const idOf = (code: string) => {
    const id = byCode.get(code)
    if (!id) throw new Error(`Reference agency ${code} is missing: run lantern migrate first`)
    return id
  }
  return { byCode, idOf, singleCompetentAuthority: idOf('SCA'), immigrationCompetentAuthority: idOf('IECA'), guardianService: idOf('ICTG') }
}

async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]
        next += 1
        if (item !== undefined) await work(item)
      }
    }),
  )
}

/**
 * Generates a synthetic England (docs/adr/0013) and writes it straight into the register's tables: COPY on
 * PostgreSQL (secondary indexes and foreign keys dropped for the load and rebuilt once after), batched inserts in
 * one transaction on PGlite. One audit event records the run. For demos, tests and benchmarks only.
 */
export async function generateNationalData(
  db: Kysely<Database>,
  /** `workers`: generator threads on PostgreSQL (default one per core, at most 4); the data does not depend on it. */
  target: { engine: Engine; postgresUrl?: string; workers?: number },
  options: GenerateOptions,
  onProgress?: (progress: GenerateProgress) => void,
): Promise<GenerateResult> {
  const started = performance.now()
  const stages: Record<string, number> = {}
  const definitions: Record<string, number> = {}
  let mark = started
  const stage = (name: string) => {
    const now = performance.now()
    stages[name] = (stages[name] ?? 0) + (now - mark) / 1000
    mark = now
  }
  const country = england()
  const agencies = await agencyIds(db)
  const phonetic = await repo.phoneticKeys(db, foldedNamesOfPools())
  for (let year = options.firstYear; year <= options.lastYear; year += 1) targetsFor(year)

  // First pass: how likely an ordinary child is to go missing each year, so the total meets the published count.
  const base = { options, country, agencies, phonetic }
  const scaleOf = (weighed: Iterable<Iterable<[number, { weight: number; fixed: number }]>>) => {
    const sums = new Map<number, { weight: number; fixed: number }>()
    for (const entries of weighed) {
      for (const [year, entry] of entries) {
        const total = sums.get(year) ?? { weight: 0, fixed: 0 }
        total.weight += entry.weight
        total.fixed += entry.fixed
        sums.set(year, total)
      }
    }
    const scale = new Map<number, number>()
    for (const [year, { weight, fixed }] of sums) scale.set(year, weight > 0 ? Math.max(0, targetsFor(year).childrenMissing * options.scale - fixed) / weight : 0)
    return scale
  }

  const runId = uuidv7()
  const units = country.authorities.length + country.forces.length
  let rows = 0
  const count = (counts: Record<GeneratedTable, number>) => GENERATED_TABLES.reduce((sum, table) => sum + counts[table], 0)
  const expected = expectedLookedAfterIncidents(options)
  const progressOf = (done: number) => onProgress?.({ done, total: units, stage: done <= country.authorities.length ? 'authorities' : 'forces', rows })

  // In this thread (PGlite): one unit after another into the sink, each with its own id counter.
  const run = async (sink: Sink) => {
    const missingScale = scaleOf(country.authorities.map((la) => missingWeights(base, la)))
    stage('first pass (calibration weights)')
    for (let unit = 0; unit < units; unit += 1) {
      const ctx: ModelContext = { ...base, sink, missingScale, ids: new IdSource(unit) }
      const la = country.authorities[unit]
      if (la) generateAuthority(ctx, la)
      else generateForce(ctx, country.forces[unit - country.authorities.length] ?? { code: '', authorities: [] }, expected)
      await sink.flush()
      rows = sink.rowCount()
      progressOf(unit + 1)
    }
    return sink.finish()
  }

  // In worker threads (PostgreSQL): units handed out as workers come free, their COPY text written here.
  const runInWorkers = async (streams: CopyStreams, workerCount: number) => {
    const setup: WorkerSetup = {
      options,
      agencyIds: [...agencies.byCode],
      phonetic: [...phonetic],
      lookedAfterIncidents: [...expected],
    }
    const workers = Array.from({ length: Math.max(1, Math.min(workerCount, units)) }, () => new Worker(new URL('./generate.worker.ts', import.meta.url), { workerData: setup }))
    const totals = workers.map(() => Object.fromEntries(GENERATED_TABLES.map((table) => [table, 0])) as Record<GeneratedTable, number>)
    try {
      // The first pass, in the workers too: each authority's weights, in whichever worker is free, summed here.
      const weighed = new Array<[number, { weight: number; fixed: number }][]>(country.authorities.length)
      let toWeigh = 0
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const give = () => {
                if (toWeigh >= country.authorities.length) {
                  worker.off('message', listen)
                  resolve()
                } else {
                  worker.postMessage({ weigh: toWeigh } satisfies ToWorker)
                  toWeigh += 1
                }
              }
              const listen = (message: FromWorker) => {
                if ('weighed' in message) {
                  weighed[message.weighed] = message.sums
                  give()
                } else if ('failed' in message) reject(new Error(`A generator thread failed: ${message.failed}`))
              }
              worker.on('message', listen)
              worker.once('error', reject)
              give()
            }),
        ),
      )
      const missingScale = scaleOf(weighed)
      for (const worker of workers) worker.postMessage({ missingScale: [...missingScale] } satisfies ToWorker)
      stage('first pass (calibration weights)')
      let next = 0
      let done = 0
      await Promise.all(
        workers.map(
          (worker, w) =>
            new Promise<void>((resolve, reject) => {
              const give = () => {
                if (next >= units) {
                  worker.postMessage({ stop: true } satisfies ToWorker)
                  resolve()
                  return
                }
                worker.postMessage({ unit: next } satisfies ToWorker)
                next += 1
              }
              worker.on('message', (message: FromWorker) => {
                if ('chunk' in message) streams.write(message.table, message.chunk)
                else if ('failed' in message) reject(new Error(`A generator thread failed: ${message.failed}`))
                else if ('done' in message) {
                  totals[w] = message.counts
                  done += 1
                  rows = totals.reduce((sum, counts) => sum + count(counts), 0)
                  progressOf(done)
                  // The generator may run ahead of the server by PENDING_BYTES, no more.
                  streams.waitForRoom(PENDING_BYTES).then(give, reject)
                }
              })
              worker.on('error', reject)
              worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`A generator thread stopped with code ${code}`))))
              give()
            }),
        ),
      )
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()))
    }
    await streams.finish()
    return Object.fromEntries(GENERATED_TABLES.map((table) => [table, totals.reduce((sum, counts) => sum + counts[table], 0)])) as Record<GeneratedTable, number>
  }

  let counts: Record<GeneratedTable, number>
  let loaded = performance.now()
  if (target.engine === 'postgres') {
    if (!target.postgresUrl) throw new Error('A PostgreSQL URL is needed to COPY')
    await restoreInterrupted(db)
    const dropped = await repo.loadDefinitions(db, GENERATED_TABLES)
    await repo.insertRun(db, runId, { ...options }, dropped)
    for (const definition of [...dropped].reverse()) await repo.dropDefinition(db, definition)
    stage('drop keys, indexes and foreign keys')
    const streams = await openCopyStreams(target.postgresUrl)
    try {
      counts = await runInWorkers(streams, target.workers ?? defaultWorkers())
    } catch (error) {
      await streams.abort()
      throw error
    } finally {
      loaded = performance.now()
      stage('generate and COPY')
      // Indexes and foreign keys come back whatever happened; the run row keeps them until they have.
      let restored = 0
      const remaining = [...dropped]
      // Keys first (foreign keys need them), then indexes, then foreign keys, two at a time.
      // The identity change log is written while indexes and foreign keys build: it needs only the person key (it
      // reads person and writes identity_change, which no restore locks against reading).
      let noting: Promise<number> | null = null
      for (const kind of RESTORE_ORDER) {
        if (kind === 'index') {
          noting = repo.noteLoadedPeople(db)
          noting.catch(() => {})
        }
        if (kind === 'trigger') {
          await (noting ?? repo.noteLoadedPeople(db))
          stage('identity change log (the rest of it, after the foreign keys)')
        }
        await runLimited(
          dropped.filter((definition) => definition.kind === kind),
          DEFINITION_CONCURRENCY,
          async (definition) => {
            const begun = performance.now()
            await repo.restoreDefinition(db, definition)
            definitions[definition.name] = (performance.now() - begun) / 1000
            remaining.splice(remaining.indexOf(definition), 1)
            await repo.setRunDropped(db, runId, remaining)
            restored += 1
            onProgress?.({ done: restored, total: dropped.length, stage: 'indexes', rows })
          },
        )
        stage(`restore ${RESTORE_LABELS[kind]}`)
      }
    }
    await repo.analyze(db, GENERATED_TABLES)
    stage('ANALYZE')
  } else {
    counts = await db.transaction().execute(async (trx) => {
      await repo.insertRun(trx, runId, { ...options }, [])
      return run(batchedInsertSink(trx))
    })
    loaded = performance.now()
    stage('generate and insert')
  }

  await db.transaction().execute(async (trx) => {
    await repo.finishRun(trx, runId, counts)
    await recordOperatorAudit(trx, 'lantern generate: synthetic national data for demonstration, testing and benchmarks', [
      {
        action: 'GENERATE_SYNTHETIC_DATA',
        subjectPersonId: null,
        recordType: 'generation_run',
        recordId: runId,
        detail: { scale: options.scale, firstYear: options.firstYear, lastYear: options.lastYear, seed: options.seed, rows: count(counts) },
      },
    ])
  })
  stage('run log and audit')
  const finished = performance.now()
  return {
    runId,
    counts,
    seconds: {
      generateAndLoad: (loaded - started) / 1000,
      indexes: (finished - loaded) / 1000,
      total: (finished - started) / 1000,
      stages,
      definitions,
    },
  }
}

/** Puts back indexes and foreign keys an interrupted bulk load dropped. */
async function restoreInterrupted(db: Kysely<Database>): Promise<void> {
  for (const run of await repo.unrestoredDefinitions(db)) {
    if (run.dropped.some((entry) => entry.kind === 'trigger')) await repo.noteLoadedPeople(db)
    for (const kind of RESTORE_ORDER) {
      for (const definition of run.dropped.filter((entry) => entry.kind === kind)) await repo.restoreDefinition(db, definition)
    }
    await repo.setRunDropped(db, run.id, [])
  }
}
