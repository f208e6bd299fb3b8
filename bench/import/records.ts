// bench/import/records.ts: a force's history of missing-person incidents and the Single Competent Authority's
// caseload of NRM referrals, generated with a seeded generator, imported set-based (one transaction per file),
// imported again unchanged, beside a peer measured in the same run: the naive way, one INSERT per row (person,
// names, identifiers, the record, its risk grades or decisions, source keys, an audit row) for a sample,
// scaled to the file.
//
//   node bench/import/records.ts                                   20,000 incidents and 10,000 referrals on PostgreSQL
//   node bench/import/records.ts --incidents 2000 --referrals 1000 --engine pglite
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/database.ts'
import { services as buildServices } from '../../src/services.ts'
import type { Actor } from '../../src/modules/access/actor.ts'
import { toCsv } from '../../src/lib/csv.ts'
import { Random } from '../../src/lib/random.ts'
import { addDays } from '../../src/lib/dates.ts'
import { uuidv7 } from '../../src/lib/ids.ts'
import { POLICE_COLUMNS } from '../../src/modules/interchange/police/police.import.ts'
import { NRM_COLUMNS } from '../../src/modules/interchange/nrm/nrm.import.ts'
import { openBenchDatabase } from './setup.ts'

const { values } = parseArgs({ options: { incidents: { type: 'string' }, referrals: { type: 'string' }, engine: { type: 'string' }, sample: { type: 'string' }, seed: { type: 'string' } } })
const incidentCount = Number(values.incidents ?? 20_000)
const referralCount = Number(values.referrals ?? 10_000)
const sampleSize = Number(values.sample ?? 1_000)
const engine = values.engine === 'pglite' ? 'pglite' : 'postgres'
const seed = Number(values.seed ?? 20261122)
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ')
const seconds = (ms: number) => (ms / 1000).toFixed(1)
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-GB')

const FAMILY = ['Smith', 'Jones', 'Nguyen', 'Khan', 'Ahmed', 'Taylor', 'Brown', 'Hoxha', 'Tran', 'Okafor', 'Wilson', 'Evans', 'Patel', 'Murphy']
const GIVEN = ['Amelia', 'Jack', 'Van An', 'Leon', 'Mia', 'Oliver', 'Ardit', 'Chloe', 'Tomasz', 'Grace', 'Musa', 'Ella', 'Kai', 'Noah James']
const RISKS = ['low', 'medium', 'medium', 'high', 'very_low'] as const
const pad = (n: number) => String(n).padStart(7, '0')

type Row = Record<string, string>
const csvFile = (name: string, columns: readonly { name: string }[], rows: Row[]) => ({
  name,
  bytes: Buffer.from(toCsv([columns.map((column) => column.name), ...rows.map((row) => columns.map((column) => row[column.name] ?? ''))])),
})

/** A force's incidents: about two per person, twenty days apart, most traced the next day. */
function policeRows(count: number): Row[] {
  const random = new Random(seed)
  const rows: Row[] = []
  for (let person = 0; rows.length < count; person += 1) {
    const dob = addDays('2006-01-01', random.int(0, 365 * 10))
    const details = {
      person_reference: `N${pad(person)}`, pnc_id: random.chance(0.3) ? `24/${pad(person)}A` : '', family_name: random.pick(FAMILY), given_names: random.pick(GIVEN),
      sex: random.chance(0.5) ? 'male' : 'female', date_of_birth: dob, nationality: 'GBR',
    }
    const incidents = Math.min(count - rows.length, random.int(1, 3))
    let day = random.int(0, 200)
    for (let n = 0; n < incidents; n += 1) {
      const since = `${addDays('2024-01-01', day)} ${String(random.int(10, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`
      const traced = n < incidents - 1 || random.chance(0.9)
      const initial = random.pick(RISKS)
      rows.push({
        ...details, incident_reference: `INC-${pad(rows.length)}`, missing_since: since, reported_at: '', initial_risk: initial,
        final_risk: random.chance(0.2) ? random.pick(RISKS) : '', missing_from: 'Home address', missing_from_type: random.pick(['home', 'foster_placement', 'childrens_home']),
        circumstances: 'Did not return after school', traced_at: traced ? `${addDays('2024-01-01', day + 1)} 09:30` : '', traced_location: traced ? 'Town centre' : '',
        return_method: traced ? random.pick(['returned_voluntarily', 'found_by_police']) : '', harm_outcome: traced ? 'no_apparent_harm' : '',
      })
      day += random.int(10, 30)
    }
  }
  return rows
}

/** The SCA's caseload: one referral per person, most with a positive reasonable-grounds decision, some concluded. */
function nrmRows(count: number, firstResponder: string): Row[] {
  const random = new Random(seed + 1)
  return Array.from({ length: count }, (_, n) => {
    const referred = addDays('2024-01-01', random.int(0, 300))
    const reasonable = random.chance(0.8) ? 'positive' : random.chance(0.5) ? 'negative' : ''
    const reasonableOn = reasonable ? addDays(referred, random.int(1, 10)) : ''
    const concluded = reasonable === 'positive' && random.chance(0.4)
    const assessed = random.chance(0.3)
    const dob = addDays('2006-01-01', random.int(0, 365 * 10))
    return {
      nrm_reference: `NRM-${pad(n)}`, referred_on: referred, first_responder: firstResponder, competent_authority: 'SCA', exploitation_types: random.pick(['criminal', 'criminal;sexual', 'labour']),
      county_lines: random.chance(0.3) ? 'yes' : 'no', exploitation_location: 'uk', age_at_exploitation: 'child', reasonable_grounds: reasonable, reasonable_grounds_on: reasonableOn,
      conclusive_grounds: concluded ? 'positive' : '', conclusive_grounds_on: concluded ? addDays(reasonableOn, 60) : '', conclusive_finding: concluded ? 'human_trafficking' : '',
      family_name: random.pick(FAMILY), given_names: random.pick(GIVEN), sex: random.chance(0.6) ? 'male' : 'female',
      date_of_birth: assessed ? '' : dob, dob_earliest: assessed ? dob : '', dob_latest: assessed ? addDays(dob, 364) : '', dob_source: assessed ? 'assessed' : 'stated',
      nationality: random.pick(['VNM', 'ALB', 'GBR', 'ERI;SDN']), home_office_reference: random.chance(0.5) ? `HO-${pad(n)}` : '',
    }
  })
}

async function actorFor(db: Kysely<Database>, code: string, role: 'police_officer' | 'nrm_decision_maker'): Promise<Actor> {
  const agency = await db.selectFrom('agency').select(['id', 'kind']).where('code', '=', code).executeTakeFirstOrThrow()
  const userId = uuidv7()
  await db.insertInto('app_user').values({ id: userId, agency_id: agency.id, email: `bench-${role}@${code.toLowerCase()}.example`, display_name: 'Bench', password_hash: 'x', roles: [role] }).execute()
  return { kind: 'user', userId, tokenId: null, agencyId: agency.id, agencyKind: agency.kind as Actor['agencyKind'], roles: [role], purpose: 'bench' }
}

/** The naive way for a sample: one INSERT per row of what the import writes for each record, in one transaction. */
async function naive(db: Kysely<Database>, actor: Actor, rows: Row[], kind: 'police' | 'nrm'): Promise<number> {
  const runId = uuidv7()
  await db.insertInto('import_run').values({ id: runId, agency_id: actor.agencyId, actor_user_id: actor.userId, actor_token_id: null, format: kind, collection_year: null, accept_valid: false, status: 'imported', files: '[]', summary: '{}', issue_count: 0, started_at: new Date(), finished_at: new Date() }).execute()
  const started = performance.now()
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const personId = uuidv7()
      await trx.insertInto('person').values({ id: personId, owning_agency_id: actor.agencyId, sex: row.sex ?? 'unknown', dob_earliest: row.date_of_birth || row.dob_earliest || null, dob_latest: row.date_of_birth || row.dob_latest || null, dob_source: 'stated' }).execute()
      for (const [position, [nameKind, text]] of [['given', row.given_names], ['family', row.family_name]].entries()) {
        await trx.insertInto('person_name').values({ id: uuidv7(), person_id: personId, position, kind: nameKind ?? 'given', text: text ?? '', script: 'Latn', transliteration: null, folded: (text ?? '').toLowerCase(), phonetic: sql<string>`dmetaphone(${(text ?? '').toLowerCase()})` }).execute()
      }
      const key = kind === 'police' ? `naive-${row.incident_reference}` : `naive-${row.nrm_reference}`
      await trx.insertInto('person_identifier').values({ id: uuidv7(), person_id: personId, kind: kind === 'police' ? 'force_reference' : 'nrm_reference', value: key, issuing_agency_id: actor.agencyId }).execute()
      const recordId = uuidv7()
      if (kind === 'police') {
        const since = new Date(`${(row.missing_since ?? '').replace(' ', 'T')}:00Z`)
        await trx.insertInto('missing_episode').values({ id: recordId, person_id: personId, owning_agency_id: actor.agencyId, recorded_by: 'police', started_at: since, reported_at: since, incident_reference: key, current_risk_grade: row.initial_risk ?? 'low' }).execute()
        await trx.insertInto('risk_assessment').values({ id: uuidv7(), episode_id: recordId, assessed_at: since, assessor_user_id: null, grade: row.initial_risk ?? 'low', app_version: 'bench', is_initial: true, rationale: 'bench', answers: '{}', vulnerability_flags: [], information_source: null, information_obtained_at: null, supervisor_reviewed_at: null, next_review_due_at: null }).execute()
      } else {
        await trx.insertInto('nrm_referral').values({ id: recordId, person_id: personId, referring_agency_id: actor.agencyId, competent_authority_id: actor.agencyId, referred_on: row.referred_on ?? '2024-01-01', nrm_reference: key, exploitation_types: ['criminal'], county_lines: false, exploitation_location: 'uk', age_at_exploitation: 'child' }).execute()
      }
      await trx.insertInto('interchange_source_record').values({ agency_id: actor.agencyId, format: kind, record_type: kind === 'police' ? 'missing_episode' : 'nrm_referral', source_key: key, record_id: recordId, person_id: personId, import_run_id: runId }).execute()
      await trx.insertInto('audit_event').values({ lane: null, actor_user_id: actor.userId, actor_agency_id: actor.agencyId, operation: 'collection', action: 'IMPORT_PERSON', subject_person_id: personId, record_type: 'import_run', record_id: runId, actor_token_id: null, purpose: null, recipient_agency_id: null, detail: null }).execute()
    }
  })
  return performance.now() - started
}

async function main() {
  console.log(`bench/import/records: ${incidentCount.toLocaleString('en-GB')} police incidents, ${referralCount.toLocaleString('en-GB')} NRM referrals, engine ${engine}, Node ${process.version}, load average ${load()}`)
  const { handle, drop } = await openBenchDatabase(engine)
  try {
    const db = handle.db
    const services = buildServices(db, { sessionHours: 12 })
    const force = await db.selectFrom('agency').select('code').where('kind', '=', 'police_force').orderBy('code').executeTakeFirstOrThrow()
    const officer = await actorFor(db, force.code, 'police_officer')
    const decisionMaker = await actorFor(db, 'SCA', 'nrm_decision_maker')
    const police = policeRows(incidentCount)
    const nrm = nrmRows(referralCount, force.code)
    const results: { what: string; ms: number; rows: number }[] = []
    for (const [what, run] of [
      ['police incidents: import', () => services.policeImport.importIncidents(officer, { files: [csvFile('incidents.csv', POLICE_COLUMNS, police)] })],
      ['police incidents: the same file again (all matched, nothing written)', () => services.policeImport.importIncidents(officer, { files: [csvFile('incidents.csv', POLICE_COLUMNS, police)] })],
      ['NRM referrals: import', () => services.nrmImport.importReferrals(decisionMaker, { files: [csvFile('referrals.csv', NRM_COLUMNS, nrm)] })],
      ['NRM referrals: the same file again (all matched, nothing written)', () => services.nrmImport.importReferrals(decisionMaker, { files: [csvFile('referrals.csv', NRM_COLUMNS, nrm)] })],
    ] as const) {
      const started = performance.now()
      const result = await run()
      const ms = performance.now() - started
      if (result.status !== 'imported') throw new Error(`${what}: ${result.status} ${JSON.stringify(result.issues.slice(0, 3))}`)
      if (what.includes('again') && (result.summary.created !== 0 || result.summary.updated !== 0)) throw new Error(`${what} changed records: ${JSON.stringify(result.summary)}`)
      results.push({ what, ms, rows: what.startsWith('police') ? police.length : nrm.length })
    }
    const policeSample = police.slice(0, sampleSize)
    const nrmSample = nrm.slice(0, sampleSize)
    const naivePolice = await naive(db, officer, policeSample, 'police')
    const naiveNrm = await naive(db, decisionMaker, nrmSample, 'nrm')
    results.push({ what: `peer: one INSERT per row, ${policeSample.length.toLocaleString('en-GB')} incidents, scaled to the file`, ms: (naivePolice / policeSample.length) * police.length, rows: police.length })
    results.push({ what: `peer: one INSERT per row, ${nrmSample.length.toLocaleString('en-GB')} referrals, scaled to the file`, ms: (naiveNrm / nrmSample.length) * nrm.length, rows: nrm.length })

    console.log('')
    console.log(`| ${'measurement'.padEnd(70)} | ${'time'.padStart(9)} | ${'rate'.padStart(18)} |`)
    console.log(`|${'-'.repeat(72)}|${'-'.repeat(11)}|${'-'.repeat(20)}|`)
    for (const { what, ms, rows } of results) console.log(`| ${what.padEnd(70)} | ${seconds(ms).padStart(7)} s | ${`${rate(rows, ms)} rows/s`.padStart(18)} |`)
    const counts = await sql<{ people: number; episodes: number; referrals: number; audit: number }>`
      select (select count(*) from person)::int as people, (select count(*) from missing_episode)::int as episodes,
             (select count(*) from nrm_referral)::int as referrals, (select count(*) from audit_event)::int as audit`.execute(db)
    console.log('')
    console.log(`database now: ${JSON.stringify(counts.rows[0])} (including the naive samples)`)
    console.log(`load average (1, 5, 15 min) at the end: ${load()}`)
  } finally {
    await drop()
  }
}

await main()
