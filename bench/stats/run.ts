// bench/stats: the statistics tables over 20 years of national data on PostgreSQL, each beside the same counts
// done the plain way in the same run: a GROUP BY straight over the records (as-at lookups per episode, what
// one would write without the fact table) and a GROUP BY over the facts without disclosure control (the floor).
//
//   npm run bench:stats                              uses LANTERN_BENCH_DATABASE_URL or .../lantern_stats_bench;
//                                                    generates the country (--scale, default 1) if it is empty
//   npm run bench:stats -- --scale 0.1 --runs 5      a tenth of England, five timed runs per measurement
//   npm run bench:stats -- --drop                    drop the database afterwards
//   npm run bench:stats -- --refresh                 rebuild the statistics first even if they were built
import { parseArgs } from 'node:util'
import pg from 'pg'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { createStatisticsService } from '../../src/modules/statistics/statistics.service.ts'
import { loadavg } from 'node:os'
import { countByNaive, countByYearAndStatusFromRecords, timeToFirstMissing } from '../../src/modules/statistics/statistics.repository.ts'
import { generateNationalData, parseGenerateOptions } from '../../src/modules/generate/generate.service.ts'

const { values } = parseArgs({ options: { scale: { type: 'string' }, runs: { type: 'string' }, drop: { type: 'boolean' }, 'skip-naive-records': { type: 'boolean' }, refresh: { type: 'boolean' } } })
const runs = Number(values.runs ?? 5)
const url = new URL(process.env.LANTERN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lantern_stats_bench')
const name = url.pathname.slice(1)

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: new URL('/postgres', url).toString() })
  await admin.connect()
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
}

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: new URL('/postgres', url).toString() })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
}

async function time<T>(work: () => Promise<T>, times: number): Promise<{ median: number; min: number; result: T }> {
  const timings: number[] = []
  let result: T | undefined
  for (let i = 0; i < times; i += 1) {
    const started = performance.now()
    result = await work()
    timings.push(performance.now() - started)
  }
  timings.sort((a, b) => a - b)
  if (result === undefined) throw new Error('no runs')
  return { median: timings[Math.floor(timings.length / 2)] ?? 0, min: timings[0] ?? 0, result }
}

// The naive GROUP BYs over the wide facts (statistics_episode) for the tables that have no floor in the repository.
const NAIVE_STILL_MISSING = sql`
  SELECT y.year, s.trafficking_status, count(*) AS episodes, count(DISTINCT s.person_id) AS children
  FROM generate_series(2006, 2025) AS y (year)
  JOIN statistics_episode s ON s.financial_year <= y.year AND (s.end_financial_year IS NULL OR s.end_financial_year > y.year)
  WHERE s.recorded_by = 'local_authority' AND s.la_category = 'M'
  GROUP BY 1, 2`
const NAIVE_RECONCILIATION = sql`
  SELECT s.police_force_id,
    count(*) FILTER (WHERE s.recorded_by = 'local_authority' AND s.linked) AS both,
    count(*) FILTER (WHERE s.recorded_by = 'local_authority' AND NOT s.linked) AS la_only,
    count(*) FILTER (WHERE s.recorded_by = 'police' AND NOT s.linked) AS police_only
  FROM statistics_episode s
  WHERE s.financial_year BETWEEN 2006 AND 2025 AND (s.la_category = 'M' OR s.recorded_by = 'police')
  GROUP BY 1`

async function main(): Promise<void> {
  await ensureDatabase()
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 4 })
  const { db } = database
  await migrateToLatest(db)
  await loadReferenceAgencies(db)
  const statistics = createStatisticsService(db)
  const episodes = Number((await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM missing_episode`.execute(db)).rows[0]?.n ?? 0)
  console.log(`bench/stats on PostgreSQL ${url.host}/${name}: ${episodes.toLocaleString('en-GB')} missing episodes before the run; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
  if (episodes === 0) {
    const options = parseGenerateOptions({ scale: values.scale ?? '1' })
    console.log(`Generating England, scale ${options.scale}, years ending 31 March ${options.firstYear}-${options.lastYear}...`)
    const result = await generateNationalData(db, { engine: 'postgres', postgresUrl: url.toString() }, options)
    const rows = Object.values(result.counts).reduce((sum, n) => sum + n, 0)
    console.log(`  generate: ${rows.toLocaleString('en-GB')} rows (${result.counts.missing_episode.toLocaleString('en-GB')} missing episodes) in ${result.seconds.total.toFixed(1)} s (load ${result.seconds.generateAndLoad.toFixed(1)} s, keys, indexes and foreign keys ${result.seconds.indexes.toFixed(1)} s)`)
  }
  const asAt = new Date('2025-04-01T00:00:00Z')
  const refreshed = await statistics.latestRefreshOrNull()
  if (!refreshed || values.refresh) {
    const refresh = await statistics.refresh(null, asAt)
    console.log(`  refresh: ${refresh.episodes.toLocaleString('en-GB')} episode facts, ${refresh.careStarts.toLocaleString('en-GB')} starts of care, ${refresh.referrals.toLocaleString('en-GB')} referrals in ${refresh.seconds.toFixed(1)} s`)
  }
  const facts = Number((await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM statistics_episode WHERE recorded_by = 'local_authority'`.execute(db)).rows[0]?.n ?? 0)
  console.log(`  ${facts.toLocaleString('en-GB')} council episode facts; ${runs} timed runs each (after one warm-up); median (min) in ms\n`)

  const results: [string, number, number][] = []
  const measure = async (label: string, work: () => Promise<unknown>) => {
    await work()
    const { median, min } = await time(work, runs)
    results.push([label, median, min])
    console.log(`${label.padEnd(92)} ${median.toFixed(0).padStart(8)} ${`(${min.toFixed(0)})`.padStart(9)}`)
  }
  const base = { yearFrom: 2006, yearTo: 2025, categories: ['M'] as const, equals: [] }

  console.log('The parliamentary question: 2006-2012, children missing over 24 hours, by trafficking status as at each episode')
  await measure('  Lantern: statistics.parliamentaryQuestion (facts, disclosure control)', () => statistics.parliamentaryQuestion(null, {}))
  await measure('  floor: one GROUP BY over the facts, no disclosure control', () => countByNaive(db, 'year', 'traffickingStatus', { ...base, yearFrom: 2006, yearTo: 2012, over24Hours: true }))
  if (!values['skip-naive-records']) {
    await measure('  plain: one GROUP BY over the records, as-at lookups per episode', () => countByYearAndStatusFromRecords(db, { yearFrom: 2006, yearTo: 2012, categories: ['M'], over24Hours: true }, asAt))
  }

  console.log('\nA full breakdown: 20 years x trafficking status, every episode, children and margins')
  await measure('  Lantern: statistics.breakdown rows=year columns=traffickingStatus', () => statistics.breakdown(null, { rows: 'year', columns: 'traffickingStatus' }))
  await measure('  floor: one GROUP BY over the facts, no disclosure control', () => countByNaive(db, 'year', 'traffickingStatus', { ...base, over24Hours: false }))
  if (!values['skip-naive-records']) {
    await measure('  plain: one GROUP BY over the records, as-at lookups per episode', () => countByYearAndStatusFromRecords(db, { yearFrom: 2006, yearTo: 2025, categories: ['M'], over24Hours: false }, asAt))
  }

  console.log('\nLocal authorities: 20 years, responsible authority x placement group (secondary suppression over 153 rows)')
  await measure('  Lantern: statistics.breakdown rows=responsibleAuthority columns=placementGroup', () => statistics.breakdown(null, { rows: 'responsibleAuthority', columns: 'placementGroup' }))
  await measure('  floor: one GROUP BY over the facts, no disclosure control', () => countByNaive(db, 'responsibleAuthority', 'placementGroup', { ...base, over24Hours: false }))

  console.log('\nStill missing at 31 March, 2006-2025, by trafficking status')
  await measure('  Lantern: statistics.stillMissing', () => statistics.stillMissing(null, {}))
  await measure('  floor: one GROUP BY over the facts, no disclosure control', () => NAIVE_STILL_MISSING.execute(db))
  console.log('\nPolice v local authority, by police force, 2006-2025')
  await measure('  Lantern: statistics.reconciliation', () => statistics.reconciliation(null, {}))
  await measure('  floor: one GROUP BY over the facts, no disclosure control', () => NAIVE_RECONCILIATION.execute(db))
  console.log('\nTime to first missing after entering care, 2006-2025')
  await measure('  Lantern: statistics.timeToFirstMissing', () => statistics.timeToFirstMissing(null, {}))
  await measure('  floor: one GROUP BY over the starts of care, no disclosure control', () => timeToFirstMissing(db, 'care', 2006, 2025, 'traffickingStatus'))
  console.log(`\nload average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)

  const pq = await statistics.parliamentaryQuestion(null, {})
  console.log('\nThe parliamentary question from the generated records (rounded as published):')
  for (const row of pq.rows) console.log(`  ${row.label.padEnd(10)} ${row.cells.map((cell) => cell.text.padStart(7)).join(' ')}`)
  console.log(`  columns: ${pq.columns.map((column) => column.key).join(', ')}`)

  await database.close()
  if (values.drop) await dropDatabase()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
