import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { csvFiles, validReturn, YEAR } from './ssda903.test-files.ts'

describe('SSDA903 export', () => {
  let kit: TestKit
  let kent: TestAgency
  let lead: TestUser
  let worker: TestUser

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: 'E10000016', name: 'Kent' })
    lead = await kit.user(kent, ['missing_from_care_lead'])
    worker = await kit.user(kent, ['social_worker'])
  })
  after(() => kit.close())

  const exportYear = (user: TestUser = lead) => kit.services.ssda903Export.exportReturn(user.actor, { la: 'E10000016', year: YEAR, recipient: 'Department for Education' })
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8')

  test('import -> export gives back the same Header, Episodes and Missing files, byte for byte; import -> export again is stable', async () => {
    const sent = csvFiles(validReturn())
    const imported = await kit.services.ssda903.importReturn(lead.actor, { la: 'E10000016', year: YEAR, files: sent })
    assert.equal(imported.status, 'imported', JSON.stringify(imported.issues))
    const exported = await exportYear()
    assert.deepEqual(exported.issues, [])
    assert.ok(exported.disclosureId)
    for (const file of exported.files) {
      const original = sent.find((candidate) => candidate.name === file.name)
      assert.ok(original, file.name)
      assert.equal(file.text, text(original.bytes), `${file.name} round-trips`)
    }
    const again = await kit.services.ssda903.importReturn(lead.actor, {
      la: 'E10000016',
      year: YEAR,
      files: exported.files.map((file) => ({ name: file.name, bytes: Buffer.from(file.text) })),
    })
    assert.equal(again.status, 'imported')
    assert.equal(again.summary.childrenUnchanged, 2)
    const second = await exportYear()
    assert.deepEqual(second.files, exported.files)
  })

  test('every export is a disclosure: recorded with its recipient, and audited for each child', async () => {
    const exported = await exportYear()
    const disclosure = await kit.db.selectFrom('disclosure').selectAll().where('id', '=', exported.disclosureId ?? '').executeTakeFirstOrThrow()
    assert.equal(disclosure.recipient, 'Department for Education')
    assert.equal(disclosure.person_count, 2)
    assert.equal(disclosure.actor_user_id, lead.id)
    assert.ok(disclosure.fields.includes('Missing.MIS_START'))
    const audits = await kit.db.selectFrom('audit_event').selectAll().where('record_id', '=', exported.disclosureId ?? '').execute()
    assert.equal(audits.length, 2)
    assert.ok(audits.every((row) => row.action === 'DISCLOSE_RECORD' && row.operation === 'disclosure' && row.detail?.includes('Department for Education')))
  })

  test('the placement of a flagged child is withheld from a role that may not see it', async () => {
    const [c1] = await kit.db.selectFrom('person_identifier').select('person_id').where('value', '=', 'C1').where('kind', '=', 'la_child_id').execute()
    await kit.db.updateTable('person').set({ restricted_location: true }).where('id', '=', c1?.person_id ?? '').execute()
    const byWorker = await exportYear(worker)
    assert.equal(byWorker.summary.placementsWithheld, 1)
    const episodes = byWorker.files.find((file) => file.table === 'Episodes')?.text ?? ''
    assert.doesNotMatch(episodes, /TN1 1AA|SC654321/)
    const byLead = await exportYear(lead)
    assert.match(byLead.files.find((file) => file.table === 'Episodes')?.text ?? '', /TN1 1AA/)
  })

  test('an export that would break a rule is refused with the report, and nothing is disclosed', async () => {
    const [c2] = await kit.db.selectFrom('person_identifier').select('person_id').where('value', '=', 'C2').where('kind', '=', 'la_child_id').execute()
    await kit.db.updateTable('person').set({ ethnicity: null }).where('id', '=', c2?.person_id ?? '').execute()
    const before = await kit.db.selectFrom('disclosure').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const refused = await exportYear()
    assert.equal(refused.disclosureId, null)
    assert.deepEqual(refused.files, [])
    assert.deepEqual(refused.issues.map(({ rule, table, line, field }) => ({ rule, table, line, field })), [{ rule: '103', table: 'Header', line: 3, field: 'ETHNIC' }])
    const afterCount = await kit.db.selectFrom('disclosure').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(afterCount.n), Number(before.n))
  })
})
