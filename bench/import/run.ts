// bench/import: a national SSDA903 year (about 115,000 children, 90,000 Missing rows), generated with a seeded
// generator as every English authority's return, validated and imported on PostgreSQL, each return by a user
// of its authority, beside peers measured in the same run: validation alone (read and check, no database), a
// raw COPY of the same records and audit rows into a fresh database of the same schema (the floor), and a
// naive import of a sample, one INSERT per row, scaled to the year.
//
//   npm run bench:import                               115,000 children on PostgreSQL (LANTERN_BENCH_DATABASE_URL or 127.0.0.1:5432)
//   npm run bench:import -- --children 20000 --engine pglite
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import { sql } from 'kysely'
import { services as buildServices } from '../../src/services.ts'
import { uuidv7 } from '../../src/lib/ids.ts'
import { startOfLondonDay } from '../../src/lib/dates.ts'
import { readReturn, childrenOf } from '../../src/modules/interchange/ssda903/ssda903.read.ts'
import { validateReturn } from '../../src/modules/interchange/ssda903/ssda903.validate.ts'
import { generateNationalYear, YEAR } from './generate.ts'
import { openBenchDatabase, prepareBench } from './setup.ts'
import { copyPeer } from './copy-peer.ts'

const { values } = parseArgs({ options: { children: { type: 'string' }, engine: { type: 'string' }, sample: { type: 'string' }, seed: { type: 'string' }, parallel: { type: 'string' } } })
const childCount = Number(values.children ?? 115_000)
const sampleSize = Number(values.sample ?? 2_000)
// Returns of different authorities arrive independently and lock different rows: import them N at a time.
const parallel = Math.max(1, Number(values.parallel ?? 2))
const engine = values.engine === 'pglite' ? 'pglite' : 'postgres'
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ')

/** Runs `work` over the items, at most `width` at once. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      if (item !== undefined) await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
}

const seconds = (ms: number) => (ms / 1000).toFixed(1)
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-GB')

async function main() {
  console.log(`bench/import: ${childCount.toLocaleString('en-GB')} children, engine ${engine}, ${parallel} return(s) at a time, Node ${process.version}, load average ${load()}`)
  const { handle, drop, authorities } = await openBenchDatabase(engine)
  let started = performance.now()
  const year = generateNationalYear(childCount, Number(values.seed ?? 20261121), authorities)
  const bytes = year.returns.reduce((sum, item) => sum + item.year.files.reduce((inner, file) => inner + file.bytes.byteLength, 0), 0)
  console.log(
    `generated in ${seconds(performance.now() - started)} s: ${year.returns.length} authorities' returns, ${year.children.toLocaleString('en-GB')} children, ` +
      `${year.episodes.toLocaleString('en-GB')} episodes, ${year.missing.toLocaleString('en-GB')} Missing rows, ${(bytes / 1024 / 1024).toFixed(1)} MB of CSV`,
  )

  // Peer 1: validation alone, as the import does it, no database.
  started = performance.now()
  for (const { year: one } of year.returns) {
    const read = readReturn(one.files, 1024 * 1024 * 1024)
    const issues = [...read.issues, ...validateReturn(read.tables, { year: YEAR, format: 'csv', openAtStart: new Map() })]
    if (issues.length > 0) throw new Error(`the generated year should be valid: ${JSON.stringify(issues.slice(0, 5))}`)
  }
  const validationMs = performance.now() - started

  try {
    const db = handle.db
    const services = buildServices(db, { sessionHours: 12 })
    const { actorOf } = await prepareBench(db, year.returns.map((item) => item.la))

    // The import: each return read, validated (with what Lantern holds), written and audited per child in one transaction.
    started = performance.now()
    await inParallel(year.returns, parallel, async ({ la, year: one }) => {
      const result = await services.ssda903.importReturn(actorOf(la), { la, year: YEAR, files: one.files })
      if (result.status !== 'imported') throw new Error(`import of ${la} ${result.status}: ${JSON.stringify(result.issues.slice(0, 5))}`)
    })
    const importMs = performance.now() - started

    // The same year again: everything matched, nothing changed.
    started = performance.now()
    await inParallel(year.returns, parallel, async ({ la, year: one }) => {
      const again = await services.ssda903.importReturn(actorOf(la), { la, year: YEAR, files: one.files })
      if (again.summary.childrenUnchanged !== one.children) throw new Error(`re-import of ${la} changed ${JSON.stringify(again.summary)}`)
    })
    const againMs = performance.now() - started
    const loadAfterImport = load()

    // Peer 2: a raw COPY of the same records and audit rows into a fresh database of the same schema.
    let copy: { ms: number; rows: number } | null = null
    if (engine === 'postgres') {
      const peer = await openBenchDatabase('postgres')
      try {
        if (peer.url) copy = await copyPeer(peer.url, year)
      } finally {
        await peer.drop()
      }
    }
    const [first] = year.returns
    if (!first) throw new Error('no returns')
    const firstAgency = { id: actorOf(first.la).agencyId }
    const userId = actorOf(first.la).userId ?? ''
    const read = readReturn(first.year.files, 1024 * 1024 * 1024)

    // Peer 3: the naive way, one INSERT per row (person, two identifiers, episodes, missing periods, an
    // audit row), for a sample of children in one transaction; scaled to the year.
    const sample = childrenOf(read, new Set()).slice(0, sampleSize)
    if (sample.length < sampleSize) console.log(`(the naive sample is the first return's ${sample.length} children)`)
    let sampleRows = 0
    started = performance.now()
    await db.transaction().execute(async (trx) => {
      for (const child of sample) {
        const personId = uuidv7()
        await trx.insertInto('person').values({ id: personId, owning_agency_id: firstAgency.id, sex: child.sex, dob_earliest: child.dateOfBirth, dob_latest: child.dateOfBirth, dob_source: 'documented', ethnicity: child.ethnicity }).execute()
        await trx.insertInto('person_identifier').values({ id: uuidv7(), person_id: personId, kind: 'la_child_id', value: `naive-${child.child}`, issuing_agency_id: firstAgency.id }).execute()
        sampleRows += 2
        if (child.upn) {
          await trx.insertInto('person_identifier').values({ id: uuidv7(), person_id: personId, kind: 'upn', value: child.upn, issuing_agency_id: firstAgency.id }).execute()
          sampleRows += 1
        }
        for (const episode of child.episodes) {
          await trx.insertInto('care_episode').values({
            id: uuidv7(), person_id: personId, responsible_agency_id: firstAgency.id, started_on: episode.startedOn, reason_for_new_episode: episode.reasonForNewEpisode,
            legal_status: episode.legalStatus, category_of_need: episode.categoryOfNeed, placement_type: episode.placementType, placement_provider: episode.placementProvider,
            ended_on: episode.endedOn, reason_ended: episode.reasonEnded, home_postcode: episode.homePostcode, placement_postcode: episode.placementPostcode,
          }).execute()
          sampleRows += 1
        }
        for (const period of child.missing) {
          await trx.insertInto('missing_episode').values({
            id: uuidv7(), person_id: personId, owning_agency_id: firstAgency.id, recorded_by: 'local_authority', la_category: period.category,
            started_at: startOfLondonDay(period.startedOn), ended_at: period.endedOn === null ? null : startOfLondonDay(period.endedOn),
          }).execute()
          sampleRows += 1
        }
        await trx.insertInto('audit_event').values({ lane: null, actor_user_id: userId, actor_agency_id: firstAgency.id, operation: 'collection', action: 'IMPORT_PERSON', subject_person_id: personId, record_type: 'person', record_id: personId, actor_token_id: null, purpose: null, recipient_agency_id: null, detail: null }).execute()
        sampleRows += 1
      }
    })
    const naiveMs = performance.now() - started
    const naiveScaledMs = (naiveMs / sample.length) * childCount

    const rows = await sql<{ people: number; care: number; missing: number; audit: number }>`
      select (select count(*) from person) as people, (select count(*) from care_episode) as care,
             (select count(*) from missing_episode) as missing, (select count(*) from audit_event) as audit`.execute(db)
    const counts = rows.rows[0]
    const written = year.children + year.episodes + year.missing

    const row = (what: string, ms: number, rateText: string) => console.log(`| ${what.padEnd(72)} | ${seconds(ms).padStart(7)} s | ${rateText.padStart(22)} |`)
    console.log('')
    console.log(`| ${'measurement'.padEnd(72)} | ${'time'.padStart(9)} | ${'rate'.padStart(22)} |`)
    console.log(`|${'-'.repeat(74)}|${'-'.repeat(11)}|${'-'.repeat(24)}|`)
    row('validation alone (read CSV + DfE rules, no database)', validationMs, `${rate(childCount, validationMs)} children/s`)
    row(`import: ${year.returns.length} returns, ${parallel} at a time, validated, written, audited`, importMs, `${rate(childCount, importMs)} children/s`)
    row('re-import of the year (all matched, nothing written)', againMs, `${rate(childCount, againMs)} children/s`)
    if (copy) row(`peer: raw COPY of the same records and audit rows (${copy.rows.toLocaleString('en-GB')} rows)`, copy.ms, `${rate(copy.rows, copy.ms)} rows/s`)
    row(`peer: one INSERT per row, ${sample.length.toLocaleString('en-GB')} children, scaled to the year`, naiveScaledMs, `${rate(sample.length, naiveMs)} children/s`)
    console.log('')
    console.log(`import wrote ${written.toLocaleString('en-GB')} records (${rate(written, importMs)} records/s); the naive sample ${sampleRows.toLocaleString('en-GB')} rows; target: the import under 30 s on PostgreSQL.`)
    console.log(`database now: ${Number(counts?.people).toLocaleString('en-GB')} people, ${Number(counts?.care).toLocaleString('en-GB')} care episodes, ${Number(counts?.missing).toLocaleString('en-GB')} missing episodes, ${Number(counts?.audit).toLocaleString('en-GB')} audit rows (including the naive sample)`)
    console.log(`load average (1, 5, 15 min): ${loadAfterImport} after the re-import, ${load()} at the end`)
  } finally {
    await drop()
  }
}

await main()
