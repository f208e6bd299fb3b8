// bench/search: the encounter search index beside PostgreSQL's pg_trgm similarity query, on the same persons,
// in one run, at each size: latency (p50, p99), the true record in the top 10 (index) and top 20 (pg_trgm),
// index build time and memory.
//
//   node bench/search/run.ts [--sizes 100000,1000000] [--queries 2000] [--pg-queries 300] [--no-pg] [--mix referral,register] [--no-descriptions]
//
// Two mixes of persons: `referral`, the nationality groups as among children referred as potential victims of
// trafficking (55% from the arrived groups: the hardest case, and the mix of issue 5's figures so far); and
// `register`, the groups as a register of everyone missing holds them (the arrived groups 3%; generator.ts,
// REGISTER_MIX), searched with encounters of arrived children only (the children Lantern is built around,
// among the namesakes a national register really holds) and of British children.
//   PostgreSQL from LANTERN_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a database
//   is created for the run and dropped after.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import v8 from 'node:v8'
import vm from 'node:vm'
import pg from 'pg'
import { generateEncounters, generateRecords, GROUPS, REFERRAL_MIX, REGISTER_MIX, type Group } from '../../src/linkage/synthetic/generator.ts'
import { SearchIndex } from '../../src/linkage/search-index.ts'
import { loadPersonModel } from '../../src/linkage/models/person-model.ts'
import { matchableForm } from '../../src/lib/names.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, queries: { type: 'string' }, 'pg-queries': { type: 'string' }, 'no-pg': { type: 'boolean' }, mix: { type: 'string' }, 'no-descriptions': { type: 'boolean' } },
})
const MIXES = { referral: REFERRAL_MIX, register: REGISTER_MIX }
const mixes = (values.mix ?? 'referral,register').split(',') as (keyof typeof MIXES)[]
for (const mix of mixes) if (!(mix in MIXES)) throw new Error(`--mix: "${mix}" is not one of ${Object.keys(MIXES).join(', ')}`)
const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number)
const queryCount = Number(values.queries ?? 2000)
const pgQueryCount = Number(values['pg-queries'] ?? 300)
const pgServer = process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const usedMemory = () => {
  gc()
  gc()
  const memory = process.memoryUsage()
  return memory.heapUsed + memory.arrayBuffers
}
const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0
const fullName = (record: PersonRecord) => matchableForm({ text: `${record.givenNames} ${record.familyName}`, transliteration: null })

async function postgres(corpus: PersonRecord[], queries: PersonRecord[]): Promise<string> {
  const name = `lantern_bench_search_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgServer })
  try {
    await admin.connect()
  } catch {
    return `PostgreSQL at ${new URL(pgServer).host} not reachable: skipped`
  }
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(pgServer)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query('CREATE EXTENSION pg_trgm')
    await client.query('CREATE TABLE bench_person (id text PRIMARY KEY, full_name text NOT NULL, dob_earliest date, dob_latest date)')
    for (let start = 0; start < corpus.length; start += 5000) {
      const chunk = corpus.slice(start, start + 5000)
      const params: (string | null)[] = []
      const rows = chunk.map((record, k) => {
        params.push(record.recordId, fullName(record), record.dobEarliest, record.dobLatest)
        return `($${k * 4 + 1}, $${k * 4 + 2}, $${k * 4 + 3}, $${k * 4 + 4})`
      })
      await client.query(`INSERT INTO bench_person VALUES ${rows.join(',')}`, params)
    }
    const indexStarted = performance.now()
    await client.query('CREATE INDEX bench_person_trgm ON bench_person USING gin (full_name gin_trgm_ops)')
    await client.query('ANALYZE bench_person')
    const indexSeconds = (performance.now() - indexStarted) / 1000
    const latencies: number[] = []
    let found = 0
    const personOf = new Map(corpus.map((record) => [record.recordId, record.extra.person_id]))
    for (const query of queries.slice(0, pgQueryCount)) {
      const started = performance.now()
      const result = await client.query<{ id: string }>(
        'SELECT id, similarity(full_name, $1) AS score FROM bench_person WHERE full_name % $1 ORDER BY score DESC LIMIT 20',
        [fullName(query)],
      )
      latencies.push(performance.now() - started)
      if (result.rows.some((row) => personOf.get(row.id) === query.extra.person_id)) found++
    }
    latencies.sort((a, b) => a - b)
    const n = Math.min(pgQueryCount, queries.length)
    return `pg_trgm similarity: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, true record in top 20 for ${((100 * found) / n).toFixed(1)}% (${n} queries; GIN index built in ${indexSeconds.toFixed(1)} s)`
  } finally {
    await client.end()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

/** The share of queries whose person is among the hits, overall and by the query's group. */
function tally(queries: PersonRecord[], found: boolean[]): string {
  const share = (hits: number, all: number) => `${((100 * hits) / all).toFixed(1)}%`
  const byGroup = GROUPS.flatMap((group) => {
    const mine = queries.flatMap((query, q) => (query.extra.group === group ? [found[q] as boolean] : []))
    return mine.length === 0 ? [] : [`${group} ${share(mine.filter(Boolean).length, mine.length)} of ${mine.length}`]
  })
  return `${share(found.filter(Boolean).length, queries.length)} (${byGroup.join(', ')})`
}

/** One size and mix: its own function, so that the last run's corpus and index are garbage before this one measures memory. */
async function run(size: number, mix: keyof typeof MIXES): Promise<void> {
  const querySets: { label: string; groups?: readonly Group[] }[] =
    mix === 'referral' ? [{ label: 'encounters of any child' }] : [{ label: 'encounters of arrived children', groups: GROUPS.filter((group) => group !== 'GBR') }, { label: 'encounters of British children', groups: ['GBR'] }]
  console.log(`\n== ${size.toLocaleString('en-GB')} persons (one record each) in the ${mix} mix, ${queryCount} queries a set (targets at 1M: p50 <= 5 ms, p99 <= 25 ms, top 10 >= 99%)`)
  // --no-descriptions: the same persons and records with no physical description, to see what it adds.
  const descriptions = !values['no-descriptions']
  const { records: corpus } = generateRecords({ persons: size, seed: 5, furtherRecordChance: 0, mix: MIXES[mix], descriptions })
  const model = loadPersonModel()
  const before = usedMemory()
  const started = performance.now()
  const index = new SearchIndex(model, corpus)
  const buildSeconds = (performance.now() - started) / 1000
  const memory = usedMemory() - before
  console.log(`index: built in ${buildSeconds.toFixed(1)} s, ${Math.round(memory / 1e6)} MB (heap and array buffers after GC)`)
  const personOf = new Map(corpus.map((record) => [record.recordId, record.extra.person_id]))
  for (const set of querySets) {
    const queries = generateEncounters({ persons: size, seed: 5, furtherRecordChance: 0, mix: MIXES[mix], descriptions, corpus, queries: queryCount, ...(set.groups ? { queryGroups: set.groups } : {}) })
    for (const query of queries.slice(0, 100)) index.search(query, { top: 10 })
    const latencies: number[] = []
    const cpuTimes: number[] = []
    const found: boolean[] = []
    const cpuBefore = process.cpuUsage()
    for (const query of queries) {
      const queryStarted = performance.now()
      const queryCpu = process.cpuUsage()
      const hits = index.search(query, { top: 10 })
      latencies.push(performance.now() - queryStarted)
      const used = process.cpuUsage(queryCpu)
      cpuTimes.push((used.user + used.system) / 1000)
      found.push(hits.some((hit) => personOf.get(hit.recordId) === query.extra.person_id))
    }
    const cpu = process.cpuUsage(cpuBefore)
    latencies.sort((a, b) => a - b)
    cpuTimes.sort((a, b) => a - b)
    // CPU time a query is what the code costs; the wall clock adds whatever else the machine runs.
    console.log(`${set.label}:`)
    console.log(
      `  index: p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms; CPU ${((cpu.user + cpu.system) / 1000 / queries.length).toFixed(2)} ms a query (p50 ${percentile(cpuTimes, 0.5).toFixed(2)}, p99 ${percentile(cpuTimes, 0.99).toFixed(2)}); true record in the top 10 for ${tally(queries, found)}`,
    )
    // pg_trgm beside it, on the first set of queries (the harder one).
    if (!values['no-pg'] && set === querySets[0]) console.log(`  ${await postgres(corpus, queries)}`)
  }
}

console.log(`bench/search on Node ${process.version}, ${new Date().toISOString()}`)
for (const size of sizes) for (const mix of mixes) await run(size, mix)
