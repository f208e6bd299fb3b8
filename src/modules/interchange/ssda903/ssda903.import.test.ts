import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { ForbiddenError } from '../../../lib/errors.ts'
import { createSsda903ImportService } from './ssda903.import.ts'
import { csvFiles, validReturn, xmlFile, YEAR, type Return } from './ssda903.test-files.ts'

const KENT = 'E10000016'
const fixture = (name: string) => ({ name, bytes: readFileSync(join(import.meta.dirname, 'fixtures', name)) })

describe('SSDA903 import', () => {
  let kit: TestKit
  let kent: TestAgency
  let lead: TestUser
  let otherLaWorker: TestUser
  let officer: TestUser
  let analyst: TestUser

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    lead = await kit.user(kent, ['missing_from_care_lead'])
    analyst = await kit.user(kent, ['analyst'])
    otherLaWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
    officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  })
  after(() => kit.close())

  const count = async (table: 'person' | 'care_episode' | 'missing_episode' | 'person_identifier' | 'audit_event') =>
    Number((await kit.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const snapshot = async () => ({ person: await count('person'), care: await count('care_episode'), missing: await count('missing_episode'), audit: await count('audit_event') })
  const importReturn = (tables: Return | ReturnType<typeof csvFiles>, options: { acceptValid?: boolean; la?: string; user?: TestUser } = {}) =>
    kit.services.ssda903.importReturn((options.user ?? lead).actor, {
      la: options.la ?? KENT,
      year: YEAR,
      files: Array.isArray(tables) ? tables : csvFiles(tables),
      acceptValid: options.acceptValid,
    })
  const personOfChild = async (child: string) =>
    kit.db
      .selectFrom('person_identifier as i')
      .innerJoin('person as p', 'p.id', 'i.person_id')
      .select(['p.id', 'p.sex', 'p.dob_earliest', 'p.ethnicity', 'p.unaccompanied', 'p.owning_agency_id'])
      .where('i.kind', '=', 'la_child_id')
      .where('i.value', '=', child)
      .where('p.owning_agency_id', '=', kent.id)
      .execute()

  test('a valid return makes the children, their care episodes and their M and A episodes, audited per child', async () => {
    const result = await importReturn(validReturn())
    assert.equal(result.status, 'imported', JSON.stringify(result.issues))
    assert.equal(result.issueCount, 0)
    assert.equal(result.summary.childrenCreated, 2)
    const [c1] = await personOfChild('C1')
    assert.ok(c1)
    assert.equal(c1.sex, 'male')
    assert.equal(c1.dob_earliest, '2009-03-14')
    assert.equal(c1.ethnicity, 'WBRI')
    const [c2] = await personOfChild('C2')
    assert.equal(c2?.unaccompanied, true, 'C2 is in the UASC table')
    const care = await kit.db.selectFrom('care_episode').selectAll().where('person_id', '=', c1.id).orderBy('started_on').execute()
    assert.deepEqual(care.map((row) => [row.started_on, row.placement_type, row.ended_on, row.reason_ended, row.responsible_agency_id]), [
      ['2023-05-01', 'U4', '2024-06-10', 'X1', kent.id],
      ['2024-06-10', 'K2', null, null, kent.id],
    ])
    assert.equal(care[1]?.placement_postcode, 'TN1 1AA')
    const missing = await kit.db.selectFrom('missing_episode').selectAll().where('person_id', '=', c1.id).orderBy('started_at').execute()
    assert.deepEqual(missing.map((row) => [row.la_category, row.recorded_by, row.started_at.toISOString(), row.ended_at?.toISOString()]), [
      ['A', 'local_authority', '2024-06-30T23:00:00.000Z', '2024-07-02T23:00:00.000Z'],
      ['M', 'local_authority', '2024-07-02T23:00:00.000Z', '2024-07-09T23:00:00.000Z'],
    ])
    // DfE: an A that became an M is two periods; Lantern links the M to the A it continues.
    assert.equal(missing[1]?.continues_episode_id, missing[0]?.id)
    const audits = await kit.db.selectFrom('audit_event').selectAll().where('record_id', '=', result.id).execute()
    assert.deepEqual(audits.map((row) => [row.action, row.operation, row.actor_user_id]).sort(), [
      ['IMPORT_PERSON', 'collection', lead.id],
      ['IMPORT_PERSON', 'collection', lead.id],
    ])
    assert.ok(audits.every((row) => !row.detail?.includes('2009')), 'no date of birth in the audit log')
  })

  test('importing the same year again changes nothing and writes no audit; a corrected return updates rather than duplicates', async () => {
    const before = await snapshot()
    const again = await importReturn(validReturn())
    assert.equal(again.status, 'imported')
    assert.equal(again.summary.childrenUnchanged, 2)
    assert.deepEqual(await snapshot(), before)

    const corrected = validReturn()
    corrected.Missing[2] = { CHILD: 'C2', DOB: '02/07/2008', MISSING: 'M', MIS_START: '01/02/2025', MIS_END: '09/02/2025' }
    corrected.Missing.splice(0, 2, { CHILD: 'C1', DOB: '14/03/2009', MISSING: 'M', MIS_START: '03/07/2024', MIS_END: '10/07/2024' })
    corrected.Header[0] = { ...(corrected.Header[0] ?? { CHILD: 'C1' }), ETHNIC: 'WIRI' }
    const result = await importReturn(corrected)
    assert.equal(result.status, 'imported', JSON.stringify(result.issues))
    assert.deepEqual(result.summary.missingEpisodes, { created: 0, updated: 2, removed: 1, unchanged: 0 })
    const after = await snapshot()
    assert.equal(after.person, before.person)
    assert.equal(after.missing, before.missing - 1, 'the A period the corrected return dropped is removed')
    const [c2] = await personOfChild('C2')
    const open = await kit.db.selectFrom('missing_episode').select(['ended_at', 'version']).where('person_id', '=', c2?.id ?? '').executeTakeFirstOrThrow()
    assert.equal(open.ended_at?.toISOString(), '2025-02-09T00:00:00.000Z')
    assert.equal(open.version, 2)
    const [c1] = await personOfChild('C1')
    assert.equal(c1?.ethnicity, 'WIRI')
    const audits = await kit.db.selectFrom('audit_event').select(['action', 'subject_person_id']).where('record_id', '=', result.id).execute()
    assert.deepEqual(audits.map((row) => row.action), ['REIMPORT_PERSON', 'REIMPORT_PERSON'])
    await importReturn(validReturn())
  })

  test('a return with an error imports nothing and reports every problem with rule, DfE message, table, line and field', async () => {
    const before = await snapshot()
    const tables = validReturn()
    tables.Header.push({ CHILD: 'C5', SEX: 'F', DOB: '01/01/2010', ETHNIC: 'WBRI', UPN: '', MOTHER: '', MC_DOB: '' })
    tables.Episodes.push({ CHILD: 'C5', DECOM: '01/05/2024', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U4', PLACE_PROVIDER: 'PR4', DEC: '', REC: '', REASON_PLACE_CHANGE: '', HOME_POST: '', PL_POST: '', URN: '' })
    tables.Missing.push({ CHILD: 'C5', DOB: '01/01/2010', MISSING: 'M', MIS_START: '01/06/2024', MIS_END: '05/06/2024' })
    tables.Missing.push({ CHILD: 'C5', DOB: '01/01/2010', MISSING: 'A', MIS_START: '04/06/2024', MIS_END: '06/06/2024' })
    const result = await importReturn(tables)
    assert.equal(result.status, 'refused')
    assert.deepEqual(result.issues.map(({ rule, table, line, field, key }) => ({ rule, table, line, field, key })), [
      { rule: '574', table: 'Missing', line: 6, field: 'MIS_START', key: 'C5' },
    ])
    assert.match(result.issues[0]?.message ?? '', /^A new missing\/away from placement without authorisation period cannot start/)
    assert.deepEqual(await snapshot(), { ...before })
    const report = await kit.services.imports.report(lead.actor, result.id)
    assert.equal(report.issues.length, 1)
    assert.equal(report.run.status, 'refused')

    // --accept-valid: the others go in, C5 is left out and named.
    const partial = await importReturn(tables, { acceptValid: true })
    assert.equal(partial.status, 'imported_in_part')
    assert.deepEqual(partial.summary.leftOut, ['C5'])
    assert.equal((await personOfChild('C5')).length, 0)
  })

  test('a child Lantern already holds is linked by CHILD, not duplicated; a clash with its own record refuses that child', async () => {
    const created = await kit.request(lead, {
      method: 'POST',
      url: '/api/v1/people',
      payload: { names: [{ kind: 'given', text: 'Amir' }], sex: 'male', identifiers: [{ kind: 'la_child_id', value: 'C7' }] },
    })
    assert.equal(created.statusCode, 201, created.body)
    const personId = created.json().id
    const episode = await kit.request(lead, {
      method: 'POST',
      url: `/api/v1/people/${personId}/episodes`,
      payload: { startedAt: '2024-08-01T20:00:00Z', laCategory: 'M' },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    const tables = validReturn()
    tables.Header.push({ CHILD: 'C7', SEX: 'M', DOB: '01/01/2010', ETHNIC: 'WBRI', UPN: '', MOTHER: '', MC_DOB: '' })
    tables.Episodes.push({ CHILD: 'C7', DECOM: '01/05/2024', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U4', PLACE_PROVIDER: 'PR4', DEC: '', REC: '', REASON_PLACE_CHANGE: '', HOME_POST: '', PL_POST: '', URN: '' })
    tables.Missing.push({ CHILD: 'C7', DOB: '01/01/2010', MISSING: 'M', MIS_START: '03/08/2024', MIS_END: '04/08/2024' })
    const refused = await importReturn(tables)
    assert.equal(refused.status, 'refused')
    assert.deepEqual(refused.issues.map(({ rule, table, line, key }) => ({ rule, table, line, key })), [{ rule: 'LANTERN', table: 'Missing', line: 5, key: 'C7' }])
    assert.match(refused.issues[0]?.message ?? '', /overlaps the M period from 2024-08-01 \(still open\)/)

    tables.Missing.pop()
    tables.Missing.push({ CHILD: 'C7', DOB: '01/01/2010', MISSING: 'M', MIS_START: '01/08/2024', MIS_END: '04/08/2024' })
    const linked = await importReturn(tables)
    assert.equal(linked.status, 'imported', JSON.stringify(linked.issues))
    const people = await personOfChild('C7')
    assert.deepEqual(people.map((row) => row.id), [personId])
    const episodes = await kit.db.selectFrom('missing_episode').select(['id', 'ended_at']).where('person_id', '=', personId).execute()
    assert.equal(episodes.length, 1, 'the return matched the episode recorded in Lantern')
    assert.equal(episodes[0]?.ended_at?.toISOString(), '2024-08-03T23:00:00.000Z')
  })

  test('576: the period Lantern holds open at the start of the year must open the return', async () => {
    const tables: Return = {
      Header: [{ CHILD: 'C8', SEX: 'F', DOB: '01/01/2010', ETHNIC: 'WBRI', UPN: '', MOTHER: '', MC_DOB: '' }],
      Episodes: [{ CHILD: 'C8', DECOM: '01/01/2024', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U4', PLACE_PROVIDER: 'PR4', DEC: '', REC: '', REASON_PLACE_CHANGE: '', HOME_POST: '', PL_POST: '', URN: '' }],
      Missing: [{ CHILD: 'C8', DOB: '01/01/2010', MISSING: 'M', MIS_START: '20/03/2024', MIS_END: '' }],
      UASC: [],
    }
    const lastYear = await kit.services.ssda903.importReturn(lead.actor, { la: KENT, year: 2024, files: csvFiles({ ...tables, Header: tables.Header.map((row) => ({ ...row, SEX: '2' })) }) })
    assert.equal(lastYear.status, 'imported', JSON.stringify(lastYear.issues))
    tables.Missing = [{ CHILD: 'C8', DOB: '01/01/2010', MISSING: 'M', MIS_START: '01/05/2024', MIS_END: '02/05/2024' }]
    const result = await importReturn(tables)
    assert.deepEqual(result.issues.map((issue) => issue.rule), ['576'])
  })

  test('only a case worker of the authority itself may import its return', async () => {
    for (const user of [otherLaWorker, officer, analyst]) {
      await assert.rejects(importReturn(validReturn(), { user }), ForbiddenError)
    }
    await assert.rejects(importReturn(validReturn(), { la: 'E99999999' }), /Local authority E99999999 was not found/)
  })

  describe('malformed files get a clear report and change nothing', () => {
    const cases: Record<string, { files: () => ReturnType<typeof csvFiles>; message: RegExp; line?: number; maxBytes?: number }> = {
      'wrong columns': {
        files: () => [{ name: 'missing.csv', bytes: Buffer.from('CHILD,DOB,TYPE,MIS_START,MIS_END\nC1,14/03/2009,M,01/07/2024,\n') }],
        message: /nearest is Missing .* lacks MISSING and has TYPE, which it should not/,
        line: 1,
      },
      'not UTF-8 (Windows-1252)': {
        files: () => [{ name: 'header.csv', bytes: Buffer.concat([Buffer.from('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,M,14/03/2009,WBRI,,,\nC\xe9'.replace('\xe9', ''), 'latin1'), Buffer.from([0xe9]), Buffer.from(',F,01/01/2010,WBRI,,,\n')]) }],
        message: /not UTF-8 text/,
        line: 3,
      },
      'UTF-16': { files: () => [{ name: 'header.csv', bytes: Buffer.from('\ufeffCHILD,SEX', 'utf16le') }], message: /UTF-16/ },
      'empty': { files: () => [{ name: 'header.csv', bytes: Buffer.from('') }], message: /The file is empty/ },
      'too large': { files: () => csvFiles(validReturn()), message: /files over .* are refused/, maxBytes: 100 },
      'a line with the wrong number of fields': {
        files: () => [...csvFiles(validReturn()).filter((file) => file.name !== 'missing.csv'), { name: 'missing.csv', bytes: Buffer.from('CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,14/03/2009,M,01/07/2024\n') }],
        message: /This line has 4 fields but the first line names 5 columns/,
        line: 2,
      },
      'an unclosed quote': {
        files: () => [{ name: 'header.csv', bytes: Buffer.from('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"C1,M,14/03/2009,WBRI,,,\n') }],
        message: /not valid CSV: The file ends inside a quoted field/,
        line: 2,
      },
      'no Header table': { files: () => csvFiles({ Missing: validReturn().Missing }), message: /There is no Header table/ },
      'malformed XML': { files: () => [{ name: 'return.xml', bytes: Buffer.from('<EXPSSDA903><CHILD><HEADER></CHILD></EXPSSDA903>') }], message: /not well-formed XML/ },
    }
    for (const [name, example] of Object.entries(cases)) {
      test(name, async () => {
        const before = await snapshot()
        const service = example.maxBytes ? createSsda903ImportService(kit.db, { maxFileBytes: example.maxBytes }) : kit.services.ssda903
        const result = await service.importReturn(lead.actor, { la: KENT, year: YEAR, files: example.files(), acceptValid: true })
        assert.equal(result.status, 'refused')
        assert.ok(result.issues.length > 0)
        assert.equal(result.issues[0]?.rule, 'FILE')
        assert.match(result.issues[0]?.message ?? '', example.message)
        if (example.line !== undefined) assert.equal(result.issues[0]?.line, example.line)
        assert.deepEqual(await snapshot(), before)
      })
    }

    test('dates written year first: each row fails DfE\'s date rule, and one line says why', async () => {
      const tables = validReturn()
      for (const row of tables.Missing) row.MIS_START = (row.MIS_START ?? '').split('/').reverse().join('-')
      const result = await importReturn(tables)
      assert.equal(result.status, 'refused')
      assert.deepEqual(result.issues.filter((issue) => issue.rule === 'FORMAT').map((issue) => [issue.field, issue.line]), [['MIS_START', 2]])
      assert.match(result.issues.find((issue) => issue.rule === 'FORMAT')?.message ?? '', /written year first \(2024-07-01\)/)
      assert.equal(result.issues.filter((issue) => issue.rule === '1004').length, 3)
    })
  })

  test("DfE's sample return: refused as a whole with the full report, imported in part with --accept-valid; the XML sample too", async () => {
    const files = ['header.csv', 'episodes.csv', 'missing.csv', 'uasc.csv', 'oc3.csv'].map(fixture)
    const service = createSsda903ImportService(kit.db)
    const other = await kit.agency('local_authority')
    const worker = await kit.user(other, ['social_worker'])
    const refused = await service.importReturn(worker.actor, { la: other.code, year: 2018, files })
    assert.equal(refused.status, 'refused')
    assert.ok(refused.issues.some((issue) => issue.rule === '148' && issue.table === 'Episodes' && issue.line === 3))
    assert.deepEqual(refused.summary.skippedTables, [{ file: 'oc3.csv', table: 'OC3', rows: 53 }])
    const partial = await service.importReturn(worker.actor, { la: other.code, year: 2018, files, acceptValid: true })
    assert.equal(partial.status, 'imported_in_part')
    const leftOut = partial.summary.leftOut as string[]
    assert.equal(leftOut.length, new Set(refused.issues.map((issue) => issue.key)).size)
    assert.equal(partial.summary.childrenImported, 2675 - leftOut.length)
    const xml = await service.importReturn(worker.actor, { la: other.code, year: 2018, files: [fixture('fake_903.xml')] })
    assert.equal(xml.status, 'refused')
    assert.ok(xml.issues.some((issue) => issue.rule === '105'), 'the sample leaves <UASC /> empty')
    assert.ok(xml.summary.skippedTables)
  })

  test('the XML layout imports the same records as the CSV tables', async () => {
    const other = await kit.agency('local_authority')
    const worker = await kit.user(other, ['social_worker'])
    const result = await kit.services.ssda903.importReturn(worker.actor, { la: other.code, year: YEAR, files: [xmlFile(validReturn())] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues))
    assert.equal(result.summary.childrenCreated, 2)
    assert.deepEqual(result.summary.missingEpisodes, { created: 3, updated: 0, removed: 0, unchanged: 0 })
    assert.deepEqual(result.summary.careEpisodes, { created: 3, updated: 0, removed: 0, unchanged: 0 })
    assert.deepEqual(result.summary.skippedTables, [{ file: 'return.xml', table: 'Reviews', rows: 2 }])
  })
})
