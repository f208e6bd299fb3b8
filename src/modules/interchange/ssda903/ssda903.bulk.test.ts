// A return big enough to go through the bulk writer in several statements per table (10,000 rows each) and the
// audit log in several statements in one transaction: imported once, imported again unchanged (nothing
// written, nothing audited), corrected (only the children that changed are written and audited), and refused
// whole for one bad row.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { CHUNK } from '../bulk.ts'
import { csvFiles, YEAR, type Return } from './ssda903.test-files.ts'

const KENT = 'E10000016'
const CHILDREN = 5_200

/** Children B0000..: two care episodes each (so more care rows than a statement takes), every fourth child three missing periods. */
function bigReturn(): Return {
  const tables: Return = { Header: [], Episodes: [], Missing: [], UASC: [] }
  for (let n = 0; n < CHILDREN; n += 1) {
    const child = `B${String(n).padStart(5, '0')}`
    const dob = `${String(1 + (n % 28)).padStart(2, '0')}/0${1 + (n % 9)}/${2008 + (n % 6)}`
    tables.Header.push({ CHILD: child, SEX: n % 2 === 0 ? 'M' : 'F', DOB: dob, ETHNIC: 'WBRI', UPN: n % 10 === 0 ? 'UN2' : `A${String(100_000_000_000 + n)}`, MOTHER: '', MC_DOB: '' })
    tables.Episodes.push(
      { CHILD: child, DECOM: '01/05/2023', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U4', PLACE_PROVIDER: 'PR4', DEC: '10/06/2024', REC: 'X1', REASON_PLACE_CHANGE: '', HOME_POST: 'ME14 1XQ', PL_POST: 'M1 1AE', URN: 'SC123456' },
      { CHILD: child, DECOM: '10/06/2024', RNE: 'P', LS: 'C2', CIN: 'N1', PLACE: 'K2', PLACE_PROVIDER: 'PR4', DEC: '', REC: '', REASON_PLACE_CHANGE: 'CARPL', HOME_POST: 'ME14 1XQ', PL_POST: 'TN1 1AA', URN: 'SC654321' },
    )
    if (n % 4 === 0) {
      const dobColumn = { CHILD: child, DOB: dob }
      tables.Missing.push(
        { ...dobColumn, MISSING: 'A', MIS_START: '01/07/2024', MIS_END: '03/07/2024' },
        { ...dobColumn, MISSING: 'M', MIS_START: '03/07/2024', MIS_END: '10/07/2024' },
        { ...dobColumn, MISSING: 'M', MIS_START: '01/09/2024', MIS_END: '02/09/2024' },
      )
    }
  }
  return tables
}

describe('SSDA903 import of a large return (bulk writes)', () => {
  let kit: TestKit
  let kent: TestAgency
  let lead: TestUser
  const tables = bigReturn()

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    lead = await kit.user(kent, ['missing_from_care_lead'])
  })
  after(() => kit.close())

  const importReturn = (files: Return) => kit.services.ssda903.importReturn(lead.actor, { la: KENT, year: YEAR, files: csvFiles(files) })
  const counts = async () => {
    const result = await sql<{ person: number; identifier: number; care: number; missing: number; audit: number; returned: number; changes: number }>`
      select (select count(*) from person where owning_agency_id = ${kent.id})::int as person,
             (select count(*) from person_identifier where issuing_agency_id = ${kent.id})::int as identifier,
             (select count(*) from care_episode where responsible_agency_id = ${kent.id})::int as care,
             (select count(*) from missing_episode where owning_agency_id = ${kent.id})::int as missing,
             (select count(*) from audit_event where action in ('IMPORT_PERSON', 'REIMPORT_PERSON'))::int as audit,
             (select count(*) from ssda903_return_child where agency_id = ${kent.id})::int as returned,
             (select count(*) from identity_change)::int as changes`.execute(kit.db)
    const row = result.rows[0]
    if (!row) throw new Error('no counts')
    return row
  }

  test('the return is bigger than one statement takes', () => {
    assert.ok(tables.Episodes.length > CHUNK)
  })

  test('a large return imports every child, episode and period, one audit event per child, chain unbroken', async () => {
    const result = await importReturn(tables)
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    assert.equal(result.summary.childrenCreated, CHILDREN)
    // Every child has a UPN or a reason code for none (UN2), kept as given.
    const upns = tables.Header.filter((row) => row.UPN).length
    assert.deepEqual(await counts(), {
      person: CHILDREN, identifier: CHILDREN + upns, care: tables.Episodes.length, missing: tables.Missing.length, audit: CHILDREN, returned: CHILDREN, changes: CHILDREN,
    })
    const audited = await sql<{ n: number }>`
      select count(distinct a.subject_person_id)::int as n from audit_event a join person p on p.id = a.subject_person_id
      where a.action = 'IMPORT_PERSON' and a.record_id = ${result.id}::uuid and a.operation = 'collection' and p.owning_agency_id = ${kent.id}`.execute(kit.db)
    assert.equal(audited.rows[0]?.n, CHILDREN)
    // The A that ends where an M starts is linked as continued, for every child who went missing.
    const continued = await sql<{ n: number }>`select count(*)::int as n from missing_episode where owning_agency_id = ${kent.id} and continues_episode_id is not null`.execute(kit.db)
    assert.equal(continued.rows[0]?.n, CHILDREN / 4)
    assert.deepEqual((await kit.services.audit.verifyChain()).problems, [])
  })

  test('importing the same large return again matches every record: nothing written, nothing audited, no duplicates', async () => {
    const before = await counts()
    const firstRuns = await sql<{ import_run_id: string }>`select distinct import_run_id from ssda903_return_child where agency_id = ${kent.id}`.execute(kit.db)
    const result = await importReturn(tables)
    assert.equal(result.status, 'imported')
    assert.equal(result.summary.childrenUnchanged, CHILDREN)
    assert.deepEqual(result.summary.careEpisodes, { created: 0, updated: 0, removed: 0, unchanged: tables.Episodes.length })
    assert.deepEqual(await counts(), before)
    // What the return made still names the run that made it.
    const runs = await sql<{ import_run_id: string }>`select distinct import_run_id from ssda903_return_child where agency_id = ${kent.id}`.execute(kit.db)
    assert.deepEqual(runs.rows, firstRuns.rows)
  })

  test('a corrected return writes and audits exactly the children it changes', async () => {
    const corrected = bigReturn()
    const [first, second, third] = [corrected.Header[0], corrected.Episodes[3], corrected.Missing.findIndex((row) => row.CHILD === 'B00008' && row.MIS_START === '01/09/2024')]
    if (!first || !second || third < 0) throw new Error('fixture')
    first.ETHNIC = 'WIRI' // B00000: the person changes
    second.URN = 'SC999999' // B00001's second episode changes
    corrected.Missing.splice(third, 1) // B00008 loses a period
    const before = await counts()
    const result = await importReturn(corrected)
    assert.equal(result.status, 'imported', JSON.stringify(result.issues.slice(0, 3)))
    assert.equal(result.summary.childrenUpdated, 3)
    assert.equal(result.summary.childrenUnchanged, CHILDREN - 3)
    assert.deepEqual(result.summary.missingEpisodes, { created: 0, updated: 0, removed: 1, unchanged: tables.Missing.length - 1 })
    const after = await counts()
    assert.equal(after.missing, before.missing - 1)
    assert.equal(after.audit, before.audit + 3)
    const audited = await sql<{ child: string }>`
      select i.value as child from audit_event a join person_identifier i on i.person_id = a.subject_person_id and i.kind = 'la_child_id'
      where a.action = 'REIMPORT_PERSON' and a.record_id = ${result.id}::uuid order by 1`.execute(kit.db)
    assert.deepEqual(audited.rows.map((row) => row.child), ['B00000', 'B00001', 'B00008'])
  })

  test('one bad row refuses the whole large return and changes nothing', async () => {
    const broken = bigReturn()
    const last = broken.Episodes.at(-1)
    if (!last) throw new Error('fixture')
    last.LS = 'ZZ'
    const before = await counts()
    const result = await importReturn(broken)
    assert.equal(result.status, 'refused')
    assert.ok(result.issues.some((issue) => issue.table === 'Episodes' && issue.field === 'LS' && issue.line === broken.Episodes.length + 1))
    assert.deepEqual(await counts(), before)
  })
})
