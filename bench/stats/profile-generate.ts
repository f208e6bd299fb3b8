// Where `lantern generate` spends its time, stage by stage, at a fraction of the country:
//   1. the model alone (rows made and dropped),
//   2. the model and COPY text serialisation (lines made and dropped),
//   3. the whole run into PostgreSQL (generate and COPY; keys, indexes and foreign keys; ANALYZE).
//
//   node bench/stats/profile-generate.ts --scale 0.05 [--years 2006-2025] [--skip-load | --load-only] [--no-descriptions]
// --no-descriptions: person rows without physical descriptions (as before they existed), to see what they cost.
// Uses LANTERN_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/lantern_stats_profile (created, emptied, dropped).
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { england } from '../../src/modules/generate/country.ts'
import { targetsFor } from '../../src/modules/generate/calibration.ts'
import {
  IdSource,
  expectedLookedAfterIncidents,
  foldedNamesOfPools,
  generateAuthority,
  generateForce,
  missingWeights,
  type ModelContext,
} from '../../src/modules/generate/generate.model.ts'
import { once } from 'node:events'
import { sql } from 'kysely'
import { from as copyFrom } from 'pg-copy-streams'
import { loadDefinitions, dropDefinition } from '../../src/modules/generate/generate.repository.ts'
import { GENERATED_COLUMNS, GENERATED_TABLES, copyTextSink, type GeneratedTable, type Sink } from '../../src/modules/generate/generate.sink.ts'
import { generateNationalData, parseGenerateOptions } from '../../src/modules/generate/generate.service.ts'

const { values } = parseArgs({ options: { scale: { type: 'string' }, years: { type: 'string' }, 'skip-load': { type: 'boolean' }, 'load-only': { type: 'boolean' }, 'no-descriptions': { type: 'boolean' } } })
const options = { ...parseGenerateOptions({ scale: values.scale ?? '0.05', years: values.years }), ...(values['no-descriptions'] ? { descriptions: false } : {}) }
const url = new URL(process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lantern_stats_profile')
const name = url.pathname.slice(1)
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ')

function modelOnly(serialise: boolean, keep?: Map<GeneratedTable, Uint8Array[]>): { seconds: number; cpuSeconds: number; rows: number; bytes: number } {
  let rows = 0
  let bytes = 0
  // The workers' sink: COPY text in UTF-8 chunks (kept for the COPY-only stage, or dropped).
  const text = copyTextSink((table, chunk) => {
    bytes += chunk.byteLength
    keep?.get(table)?.push(chunk)
  })
  const sink: Sink = {
    add: (table, row) => {
      rows += 1
      if (serialise) text.add(table, row)
    },
    flush: async () => {},
    finish: async () => text.finish(),
    rowCount: () => rows,
    abort: async () => {},
  }
  const country = england()
  const base = {
    options,
    country,
    agencies: { idOf: (code: string) => `00000000-0000-7000-8000-${code.padStart(12, '0').slice(-12)}`, singleCompetentAuthority: '00000000-0000-7000-8000-00000000000a', immigrationCompetentAuthority: '00000000-0000-7000-8000-00000000000b', guardianService: '00000000-0000-7000-8000-00000000000c' },
    phonetic: new Map(foldedNamesOfPools().map((text) => [text, text.toUpperCase()])),
  }
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const sums = new Map<number, { weight: number; fixed: number }>()
  for (const la of country.authorities) {
    for (const [year, entry] of missingWeights(base, la)) {
      const total = sums.get(year) ?? { weight: 0, fixed: 0 }
      total.weight += entry.weight
      total.fixed += entry.fixed
      sums.set(year, total)
    }
  }
  const missingScale = new Map([...sums].map(([year, { weight, fixed }]) => [year, Math.max(0, targetsFor(year).childrenMissing * options.scale - fixed) / weight]))
  const ctx: ModelContext = { ...base, sink, missingScale, ids: new IdSource() }
  for (const la of country.authorities) generateAuthority(ctx, la)
  const expected = expectedLookedAfterIncidents(options)
  for (const force of country.forces) generateForce(ctx, force, expected)
  void text.finish()
  const cpu = process.cpuUsage(cpuBefore)
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, bytes }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: new URL('/postgres', url).toString() })
  await client.connect()
  await client.query(statement)
  await client.end()
}

async function stagesOneAndTwo(): Promise<void> {
  const model = modelOnly(false)
  console.log(`  1. model only:                 ${model.seconds.toFixed(1)} s (CPU ${model.cpuSeconds.toFixed(1)} s), ${model.rows.toLocaleString('en-GB')} rows (load ${load()})`)
  const chunks = new Map<GeneratedTable, Uint8Array[]>(GENERATED_TABLES.map((table) => [table, []]))
  const text = modelOnly(true, chunks)
  console.log(`  2. model + COPY text:          ${text.seconds.toFixed(1)} s (CPU ${text.cpuSeconds.toFixed(1)} s), ${(text.bytes / 1e6).toFixed(0)} MB (serialisation ${(text.seconds - model.seconds).toFixed(1)} s; load ${load()})`)
  if (values['skip-load']) return
  // COPY alone: the text made above, into the tables with their keys, indexes, foreign keys and triggers dropped.
  for (const parallel of [true]) {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin(`CREATE DATABASE ${name}`)
    const database = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 4 })
    await migrateToLatest(database.db)
    await loadReferenceAgencies(database.db)
    const dropped = await loadDefinitions(database.db, GENERATED_TABLES)
    for (const definition of [...dropped].reverse()) await dropDefinition(database.db, definition)
    const copyTable = async (table: GeneratedTable) => {
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      const stream = client.query(copyFrom(`COPY ${table} (${GENERATED_COLUMNS[table].join(', ')}) FROM STDIN`))
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve())
        stream.on('error', reject)
      })
      for (const chunk of chunks.get(table) ?? []) if (!stream.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await once(stream, 'drain')
      stream.end()
      await done
      await client.end()
    }
    const wal = async () => BigInt((await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(database.db)).rows[0]?.lsn.split('/').reduce((a, b) => a * 2 ** 32 + parseInt(b, 16), 0) ?? 0)
    const walBefore = await wal()
    const started = performance.now()
    if (parallel) await Promise.all(GENERATED_TABLES.map(copyTable))
    else for (const table of GENERATED_TABLES) await copyTable(table)
    const seconds = (performance.now() - started) / 1000
    console.log(`  ${parallel ? '2b. COPY only, a connection per table in parallel' : '2a. COPY only, one table at a time'}: ${seconds.toFixed(1)} s, WAL ${(Number((await wal()) - walBefore) / 1e6).toFixed(0)} MB (load ${load()})`)
    await database.close()
  }
}

async function main(): Promise<void> {
  console.log(`profile-generate: scale ${options.scale}, years ${options.firstYear}-${options.lastYear}, seed ${options.seed}; load average ${load()}`)
  if (!values['load-only']) await stagesOneAndTwo()
  if (values['skip-load']) return
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin(`CREATE DATABASE ${name}`)
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 4 })
  try {
    await migrateToLatest(database.db)
    await loadReferenceAgencies(database.db)
    // CPU seconds, which the load of other people's work does not change: this process (every thread) and the
    // server processes serving this database (read from /proc every half second while they live; same machine).
    const serverTicks = new Map<number, number>()
    const sampler = new pg.Client({ connectionString: url.toString() })
    await sampler.connect()
    let sampling = true
    const sample = async () => {
      while (sampling) {
        const { rows } = await sampler.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
        for (const { pid } of rows) {
          try {
            const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
            serverTicks.set(pid, Number(fields[11]) + Number(fields[12]))
          } catch {
            // The process ended between the query and the read.
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
    const sampled = sample()
    const cpuBefore = process.cpuUsage()
    const result = await generateNationalData(database.db, { engine: 'postgres', postgresUrl: url.toString() }, options)
    const cpu = process.cpuUsage(cpuBefore)
    sampling = false
    await sampled
    await sampler.end()
    const serverSeconds = [...serverTicks.values()].reduce((sum, ticks) => sum + ticks, 0) / 100
    const nodeSeconds = (cpu.user + cpu.system) / 1e6
    console.log(`  CPU: lantern (all threads) ${nodeSeconds.toFixed(1)} s, PostgreSQL backends ${serverSeconds.toFixed(1)} s: ${(nodeSeconds + serverSeconds).toFixed(1)} s of CPU, ${((nodeSeconds + serverSeconds) / 2).toFixed(1)} s on 2 idle cores at best`)
    const s = result.seconds
    console.log(`  3. into PostgreSQL:            ${s.total.toFixed(1)} s: generate and COPY ${s.generateAndLoad.toFixed(1)} s, keys/indexes/foreign keys ${s.indexes.toFixed(1)} s (load ${load()})`)
    for (const [stage, seconds] of Object.entries(s.stages)) console.log(`       ${stage.padEnd(40)} ${seconds.toFixed(1)} s`)
    const slowest = Object.entries(s.definitions).sort((a, b) => b[1] - a[1]).slice(0, 12)
    console.log(`     slowest definitions (two at a time): ${slowest.map(([definition, seconds]) => `${definition} ${seconds.toFixed(1)}`).join(', ')}`)
  } finally {
    await database.close()
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
