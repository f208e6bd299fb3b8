// Police and NRM files written set-based: a file of many records, several per person, imports whole with one
// person record per person, loads again with nothing written or audited, and a corrected file changes and
// audits exactly what it changes.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { toCsv } from '../../lib/csv.ts'
import { addDays } from '../../lib/dates.ts'
import { NRM_COLUMNS } from './nrm/nrm.import.ts'
import { POLICE_COLUMNS } from './police/police.import.ts'

type Row = Record<string, string>
const csv = (name: string, columns: readonly { name: string }[], rows: Row[]) => ({
  name,
  bytes: Buffer.from(toCsv([columns.map((column) => column.name), ...rows.map((row) => columns.map((column) => row[column.name] ?? ''))])),
})

const PEOPLE = 600

/** Three incidents for each person, a month apart, the first two traced; every other person with a final grade. */
function incidents(): Row[] {
  const rows: Row[] = []
  for (let person = 0; person < PEOPLE; person += 1) {
    for (let n = 0; n < 3; n += 1) {
      const day = addDays('2024-01-05', n * 30 + (person % 20))
      rows.push({
        incident_reference: `INC-${person}-${n}`, person_reference: `N${person}`, pnc_id: person % 3 === 0 ? `24/${person}A` : '', family_name: `Family${person}`, given_names: 'Sam',
        sex: person % 2 === 0 ? 'male' : 'female', date_of_birth: '2009-06-01', missing_since: `${day} 21:40`, initial_risk: 'medium', final_risk: person % 2 === 0 ? 'high' : '',
        traced_at: n < 2 ? `${addDays(day, 1)} 08:00` : '', traced_location: n < 2 ? 'Bus station' : '', return_method: n < 2 ? 'found_by_police' : '',
      })
    }
  }
  return rows
}

/** One referral per person, some sharing a Home Office reference (the same person referred twice). */
function referrals(): Row[] {
  return Array.from({ length: PEOPLE }, (_, n) => ({
    nrm_reference: `NRM-B-${n}`, referred_on: addDays('2024-02-01', n % 200), first_responder: 'FR-BULK', competent_authority: 'SCA-BULK', exploitation_types: 'criminal',
    county_lines: 'no', exploitation_location: 'uk', age_at_exploitation: 'child', reasonable_grounds: 'positive', reasonable_grounds_on: addDays('2024-02-01', (n % 200) + 5),
    family_name: `Referred${Math.floor(n / 2)}`, given_names: 'Alex', sex: 'female', dob_earliest: '2008-01-01', dob_latest: '2008-12-31', dob_source: 'assessed', nationality: 'VNM',
    home_office_reference: n % 2 === 0 ? `HO-${n}` : `HO-${n - 1}`,
  }))
}

describe('police and NRM files written set-based', () => {
  let kit: TestKit
  let force: TestAgency
  let sca: TestAgency
  let officer: TestUser
  let decisionMaker: TestUser

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force', { code: 'F-BULK' })
    sca = await kit.agency('competent_authority', { code: 'SCA-BULK' })
    await kit.agency('first_responder', { code: 'FR-BULK' })
    officer = await kit.user(force, ['police_officer'])
    decisionMaker = await kit.user(sca, ['nrm_decision_maker'])
  })
  after(() => kit.close())

  const counts = async (agencyId: string) => {
    const result = await sql<{ people: number; names: number; identifiers: number; episodes: number; grades: number; referrals: number; decisions: number; audit: number }>`
      select (select count(*) from person where owning_agency_id = ${agencyId})::int as people,
             (select count(*) from person_name n join person p on p.id = n.person_id where p.owning_agency_id = ${agencyId})::int as names,
             (select count(*) from person_identifier where issuing_agency_id = ${agencyId})::int as identifiers,
             (select count(*) from missing_episode where owning_agency_id = ${agencyId})::int as episodes,
             (select count(*) from risk_assessment r join missing_episode e on e.id = r.episode_id where e.owning_agency_id = ${agencyId})::int as grades,
             (select count(*) from nrm_referral r join person p on p.id = r.person_id where p.owning_agency_id = ${agencyId})::int as referrals,
             (select count(*) from nrm_decision d join nrm_referral r on r.id = d.referral_id join person p on p.id = r.person_id where p.owning_agency_id = ${agencyId})::int as decisions,
             (select count(*) from audit_event where actor_agency_id = ${agencyId} and action in ('IMPORT_PERSON', 'REIMPORT_PERSON'))::int as audit`.execute(kit.db)
    const row = result.rows[0]
    if (!row) throw new Error('no counts')
    return row
  }

  test('a force history: one person per person reference, every incident and grade, one audit event per person; again, nothing', async () => {
    const rows = incidents()
    const result = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, rows)] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    assert.equal(result.summary.created, rows.length)
    assert.equal(result.summary.peopleCreated, PEOPLE)
    const pnc = PEOPLE / 3
    assert.deepEqual(await counts(force.id), {
      people: PEOPLE, names: PEOPLE * 2, identifiers: PEOPLE + pnc, episodes: rows.length, grades: rows.length + (PEOPLE / 2) * 3, referrals: 0, decisions: 0, audit: PEOPLE,
    })
    // Each person's incidents are theirs: three episodes, the last still open.
    const [first] = (await sql<{ n: number; open: number }>`
      select count(*)::int as n, count(*) filter (where e.ended_at is null)::int as open from missing_episode e
      join person_identifier i on i.person_id = e.person_id and i.kind = 'force_reference' and i.value = 'N7'`.execute(kit.db)).rows
    assert.deepEqual(first, { n: 3, open: 1 })

    const before = await counts(force.id)
    const again = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, rows)] })
    assert.equal(again.status, 'imported')
    assert.deepEqual([again.summary.created, again.summary.updated, again.summary.unchanged, again.summary.peopleCreated], [0, 0, rows.length, 0])
    assert.deepEqual(await counts(force.id), before)
  })

  test('a corrected force history changes and audits exactly the people it changes', async () => {
    const rows = incidents()
    const traced = rows.find((row) => row.incident_reference === 'INC-5-2')
    const renamed = rows.filter((row) => row.person_reference === 'N9')
    if (!traced || renamed.length !== 3) throw new Error('fixture')
    traced.traced_at = '2024-06-30 10:00'
    traced.return_method = 'returned_voluntarily'
    for (const row of renamed) row.family_name = 'Renamed'
    const before = await counts(force.id)
    const result = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, rows)] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    // The episode traced later, and the first of N9's incidents (which renames them; the next two find them renamed).
    assert.equal(result.summary.updated, 2)
    const after = await counts(force.id)
    assert.deepEqual({ ...after, audit: after.audit - 2 }, before)
    const audited = await sql<{ value: string }>`
      select i.value from audit_event a join person_identifier i on i.person_id = a.subject_person_id and i.kind = 'force_reference'
      where a.record_id = ${result.id}::uuid and a.action = 'REIMPORT_PERSON' order by 1`.execute(kit.db)
    assert.deepEqual(audited.rows.map((row) => row.value), ['N5', 'N9'])
    const names = await sql<{ text: string }>`
      select n.text from person_name n join person_identifier i on i.person_id = n.person_id and i.kind = 'force_reference' and i.value = 'N9' order by n.position`.execute(kit.db)
    assert.deepEqual(names.rows.map((row) => row.text), ['Sam', 'Renamed'])
    assert.deepEqual((await kit.services.audit.verifyChain()).problems, [])
  })

  test('a file of more people than one audit statement takes (5,500): every one audited', async () => {
    const rows = Array.from({ length: 5_500 }, (_, n) => ({
      incident_reference: `BIG-${n}`, person_reference: `BIG-N${n}`, family_name: `Big${n}`, sex: 'unknown', missing_since: '2024-03-01 12:00', initial_risk: 'low',
    }))
    const before = await counts(force.id)
    const result = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, rows)] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    const after = await counts(force.id)
    assert.equal(after.people - before.people, rows.length)
    assert.equal(after.audit - before.audit, rows.length)
  })

  test('an NRM caseload: a person referred twice is one person; loading again writes nothing', async () => {
    const rows = referrals()
    const result = await kit.services.nrmImport.importReferrals(decisionMaker.actor, { files: [csv('referrals.csv', NRM_COLUMNS, rows)] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    assert.equal(result.summary.created, PEOPLE)
    // Odd rows share the Home Office reference of the row before: the same person, found by the identifier.
    assert.equal(result.summary.peopleCreated, PEOPLE / 2)
    const made = await counts(sca.id)
    assert.deepEqual({ people: made.people, referrals: made.referrals, decisions: made.decisions, audit: made.audit }, { people: PEOPLE / 2, referrals: PEOPLE, decisions: PEOPLE, audit: PEOPLE / 2 })
    const again = await kit.services.nrmImport.importReferrals(decisionMaker.actor, { files: [csv('referrals.csv', NRM_COLUMNS, rows)] })
    assert.deepEqual([again.summary.created, again.summary.updated, again.summary.peopleCreated], [0, 0, 0])
    assert.deepEqual(await counts(sca.id), made)
  })
})
