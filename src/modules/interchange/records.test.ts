import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { toCsv } from '../../lib/csv.ts'
import { ForbiddenError } from '../../lib/errors.ts'
import { NRM_COLUMNS } from './nrm/nrm.import.ts'
import { POLICE_COLUMNS } from './police/police.import.ts'

function csv(name: string, columns: readonly { name: string }[], rows: Record<string, string>[]) {
  return { name, bytes: Buffer.from(toCsv([columns.map((column) => column.name), ...rows.map((row) => columns.map((column) => row[column.name] ?? ''))])) }
}

describe('NRM referrals and police incidents from CSV', () => {
  let kit: TestKit
  let sca: TestAgency
  let barnardos: TestAgency
  let force: TestAgency
  let decisionMaker: TestUser
  let responder: TestUser
  let officer: TestUser

  before(async () => {
    kit = await startTestKit()
    sca = await kit.agency('competent_authority', { code: 'SCA-TEST' })
    barnardos = await kit.agency('first_responder', { code: 'FR-TEST' })
    force = await kit.agency('police_force', { code: 'F-TEST' })
    decisionMaker = await kit.user(sca, ['nrm_decision_maker'])
    responder = await kit.user(barnardos, ['first_responder'])
    officer = await kit.user(force, ['police_officer'])
  })
  after(() => kit.close())

  const referral = (overrides: Record<string, string> = {}) => ({
    nrm_reference: 'NRM-1', referred_on: '2024-05-02', first_responder: 'FR-TEST', competent_authority: 'SCA-TEST', exploitation_types: 'criminal;sexual',
    county_lines: 'yes', exploitation_location: 'uk', age_at_exploitation: 'child', reasonable_grounds: 'positive', reasonable_grounds_on: '2024-05-09',
    family_name: 'Nguyen', given_names: 'Van An', sex: 'male', dob_earliest: '2008-01-01', dob_latest: '2008-12-31', dob_source: 'assessed', nationality: 'VNM',
    home_office_reference: 'HO-77', ...overrides,
  })

  test('a referral with its decisions and its person; loading again updates, not duplicates', async () => {
    const first = await kit.services.nrmImport.importReferrals(responder.actor, { files: [csv('referrals.csv', NRM_COLUMNS, [referral()])] })
    assert.equal(first.status, 'imported', JSON.stringify(first.issues))
    const rows = await kit.db.selectFrom('nrm_referral').selectAll().where('nrm_reference', '=', 'NRM-1').execute()
    assert.equal(rows.length, 1)
    assert.deepEqual(rows[0]?.exploitation_types, ['criminal', 'sexual'])
    assert.equal(rows[0]?.referring_agency_id, barnardos.id)
    const decisions = await kit.db.selectFrom('nrm_decision').selectAll().where('referral_id', '=', rows[0]?.id ?? '').execute()
    assert.deepEqual(decisions.map((row) => [row.stage, row.outcome, row.decided_on, row.recovery_period_ends_on]), [['reasonable_grounds', 'positive', '2024-05-09', '2024-06-08']])
    const person = await kit.db.selectFrom('person').selectAll().where('id', '=', rows[0]?.person_id ?? '').executeTakeFirstOrThrow()
    assert.equal(person.owning_agency_id, barnardos.id)
    assert.deepEqual(person.nationalities, ['VNM'])
    const names = await kit.db.selectFrom('person_name').select(['kind', 'text']).where('person_id', '=', person.id).orderBy('position').execute()
    assert.deepEqual(names, [{ kind: 'given', text: 'Van An' }, { kind: 'family', text: 'Nguyen' }])

    const second = await kit.services.nrmImport.importReferrals(responder.actor, {
      files: [csv('referrals.csv', NRM_COLUMNS, [referral({ conclusive_grounds: 'positive', conclusive_grounds_on: '2024-09-01', conclusive_finding: 'human_trafficking' })])],
    })
    assert.equal(second.status, 'imported', JSON.stringify(second.issues))
    assert.equal(second.summary.updated, 1)
    assert.equal((await kit.db.selectFrom('nrm_referral').select('id').where('nrm_reference', '=', 'NRM-1').execute()).length, 1)
    assert.equal((await kit.db.selectFrom('person').select('id').where('owning_agency_id', '=', barnardos.id).execute()).length, 1)
    const audits = await kit.db.selectFrom('audit_event').select('action').where('subject_person_id', '=', person.id).where('record_type', '=', 'import_run').execute()
    assert.deepEqual(audits.map((row) => row.action), ['IMPORT_PERSON', 'REIMPORT_PERSON'])
  })

  test('every bad row is reported with its line and field; nothing is written; --accept-valid takes the good ones', async () => {
    const rows = [
      referral({ nrm_reference: 'NRM-2' }),
      referral({ nrm_reference: 'NRM-3', exploitation_types: 'criminal;pickpocketing' }),
      referral({ nrm_reference: 'NRM-4', conclusive_grounds: 'positive', conclusive_grounds_on: '2024-05-20', conclusive_finding: 'human_trafficking' }),
      referral({ nrm_reference: 'NRM-5', competent_authority: 'NOPE' }),
    ]
    const refused = await kit.services.nrmImport.importReferrals(responder.actor, { files: [csv('referrals.csv', NRM_COLUMNS, rows)] })
    assert.equal(refused.status, 'refused')
    assert.deepEqual(refused.issues.map(({ line, field, key }) => ({ line, field, key })), [
      { line: 3, field: 'exploitation_types', key: 'NRM-3' },
      { line: 4, field: 'conclusive_grounds_on', key: 'NRM-4' },
      { line: 5, field: 'competent_authority', key: 'NRM-5' },
    ])
    assert.match(refused.issues[1]?.message ?? '', /recovery period runs until 2024-06-08/)
    assert.equal((await kit.db.selectFrom('nrm_referral').select('id').where('nrm_reference', '=', 'NRM-2').execute()).length, 0)
    const partial = await kit.services.nrmImport.importReferrals(responder.actor, { files: [csv('referrals.csv', NRM_COLUMNS, rows)], acceptValid: true })
    assert.equal(partial.status, 'imported_in_part')
    assert.deepEqual(partial.summary.leftOut, ['NRM-3', 'NRM-4', 'NRM-5'])
    assert.equal((await kit.db.selectFrom('nrm_referral').select('id').where('nrm_reference', '=', 'NRM-2').execute()).length, 1)
  })

  test('a competent authority may load its own caseload; nobody else\'s referrals, and not a police officer', async () => {
    const own = await kit.services.nrmImport.importReferrals(decisionMaker.actor, { files: [csv('referrals.csv', NRM_COLUMNS, [referral({ nrm_reference: 'NRM-9' })])] })
    assert.equal(own.status, 'imported', JSON.stringify(own.issues))
    const stranger = await kit.services.nrmImport.importReferrals(officer.actor, { files: [csv('referrals.csv', NRM_COLUMNS, [referral({ nrm_reference: 'NRM-10' })])] })
    assert.equal(stranger.status, 'refused')
    assert.match(stranger.issues[0]?.message ?? '', /neither the first responder nor the competent authority/)
  })

  const incident = (overrides: Record<string, string> = {}) => ({
    incident_reference: 'KNT-24-001', person_reference: 'NOM-1', family_name: 'Hoxha', given_names: 'Arben', sex: 'male', date_of_birth: '2007-03-02',
    missing_since: '2024-07-13 21:40', reported_at: '2024-07-13 23:05', initial_risk: 'medium', final_risk: 'high', missing_from: 'Children\'s home',
    missing_from_type: 'childrens_home', traced_at: '2024-07-15T10:00:00Z', traced_location: 'Victoria coach station', return_method: 'found_by_police',
    harm_outcome: 'no_apparent_harm', ...overrides,
  })

  test('a force extract becomes episodes with their risk history; loading again updates; overlapping incidents are refused', async () => {
    const result = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, [incident(), incident({ incident_reference: 'KNT-24-002', missing_since: '2024-08-01 08:00', reported_at: '', traced_at: '', traced_location: '', return_method: '', harm_outcome: '', final_risk: '', initial_risk: 'absent' })])] })
    assert.equal(result.status, 'imported', JSON.stringify(result.issues))
    const episodes = await kit.db.selectFrom('missing_episode').selectAll().where('owning_agency_id', '=', force.id).orderBy('started_at').execute()
    assert.deepEqual(episodes.map((row) => [row.incident_reference, row.recorded_by, row.started_at.toISOString(), row.ended_at?.toISOString() ?? null, row.current_risk_grade, row.outcome]), [
      ['KNT-24-001', 'police', '2024-07-13T20:40:00.000Z', '2024-07-15T10:00:00.000Z', 'high', 'found'],
      ['KNT-24-002', 'police', '2024-08-01T07:00:00.000Z', null, 'very_low', null],
    ])
    assert.equal(new Set(episodes.map((row) => row.person_id)).size, 1, 'both incidents are the same person (NOM-1)')
    const risks = await kit.db.selectFrom('risk_assessment').select(['grade', 'is_initial']).where('episode_id', '=', episodes[0]?.id ?? '').orderBy('assessed_at').execute()
    assert.deepEqual(risks, [{ grade: 'medium', is_initial: true }, { grade: 'high', is_initial: false }])

    const traced = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, [incident({ incident_reference: 'KNT-24-002', missing_since: '2024-08-01 08:00', reported_at: '', traced_at: '2024-08-02 09:00', final_risk: '', initial_risk: 'absent' })])] })
    assert.equal(traced.status, 'imported', JSON.stringify(traced.issues))
    assert.equal(traced.summary.updated, 1)
    assert.equal((await kit.db.selectFrom('missing_episode').select('id').where('owning_agency_id', '=', force.id).execute()).length, 2)

    const overlapping = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, [incident({ incident_reference: 'KNT-24-003', missing_since: '2024-07-14 12:00', reported_at: '', traced_at: '2024-07-14T18:00:00Z' })])] })
    assert.equal(overlapping.status, 'refused')
    assert.match(overlapping.issues[0]?.message ?? '', /overlaps the episode from 2024-07-13T20:40:00.000Z .*KNT-24-001/)
  })

  test('a police extract: wrong columns and bad values are reported; only a force imports incidents', async () => {
    const wrong = await kit.services.policeImport.importIncidents(officer.actor, { files: [{ name: 'incidents.csv', bytes: Buffer.from('incident,name\nX,Y\n') }] })
    assert.equal(wrong.status, 'refused')
    assert.match(wrong.issues[0]?.message ?? '', /lacks incident_reference, sex, missing_since, initial_risk and has INCIDENT, NAME/)
    const bad = await kit.services.policeImport.importIncidents(officer.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, [incident({ incident_reference: 'KNT-24-009', missing_since: '13/07/2024', initial_risk: 'severe' })])] })
    assert.deepEqual(bad.issues.map(({ field, line }) => [field, line]), [['initial_risk', 2], ['missing_since', 2]])
    await assert.rejects(kit.services.policeImport.importIncidents(responder.actor, { files: [csv('incidents.csv', POLICE_COLUMNS, [incident()])] }), ForbiddenError)
  })
})
