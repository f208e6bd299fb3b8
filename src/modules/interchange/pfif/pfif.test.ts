import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, withPurpose, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { ForbiddenError, ValidationError } from '../../../lib/errors.ts'
import { NOTE_FIELDS, parsePfif, PERSON_FIELDS } from './pfif.format.ts'

describe('PFIF 1.4', () => {
  let kit: TestKit
  let force: TestAgency
  let officer: TestUser
  let otherOfficer: TestUser
  let personId: string
  let flaggedId: string

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force', { code: 'PF-TEST', name: 'Test Constabulary' })
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    const person = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody({ description: { heightCm: 160, hair: 'black' } }) })
    assert.equal(person.statusCode, 201, person.body)
    personId = person.json().id
    const episode = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/episodes`,
      payload: { startedAt: '2024-07-13T20:40:00Z', lastSeen: { place: 'Victoria coach station' }, initialRisk: { grade: 'high', assessedAt: '2024-07-13T21:00:00Z', rationale: 'Child, trafficking indicators' } },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    const flagged = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody({ names: [{ kind: 'given', text: 'Mira' }], flags: { restrictedLocation: true } }) })
    flaggedId = flagged.json().id
    const flaggedEpisode = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${flaggedId}/episodes`,
      payload: { startedAt: '2024-08-01T10:00:00Z', lastSeen: { place: 'Safe house, 4 Secret Road' }, initialRisk: { grade: 'high', assessedAt: '2024-08-01T10:30:00Z', rationale: 'Exploitation' } },
    })
    assert.equal(flaggedEpisode.statusCode, 201, flaggedEpisode.body)
  })
  after(() => kit.close())

  test('export: the open cases in PFIF 1.4, fields in the specification order, a recorded disclosure to the recipient', async () => {
    const exported = await kit.services.pfif.exportPeople(withPurpose(officer.actor, 'Tracing request from the Red Cross'), { people: 'open', recipient: 'British Red Cross tracing service', domain: 'lantern.test.police.uk' })
    assert.equal(exported.persons, 2)
    const parsed = parsePfif(exported.document)
    assert.equal(parsed.error, null)
    const person = parsed.persons.find((record) => record.fields.person_record_id === `lantern.test.police.uk/person.${personId}`)
    assert.ok(person)
    assert.equal(person.fields.full_name, 'Van An Nguyen')
    assert.equal(person.fields.family_name, 'Nguyen')
    assert.equal(person.fields.sex, 'male')
    assert.equal(person.fields.date_of_birth, '2008')
    assert.match(person.fields.description ?? '', /Height 160 cm; hair black/)
    assert.ok(Object.keys(person.fields).every((field) => (PERSON_FIELDS as readonly string[]).includes(field)))
    const note = parsed.notes.find((record) => record.fields.person_record_id === person.fields.person_record_id)
    assert.equal(note?.fields.status, 'believed_missing')
    assert.equal(note?.fields.last_known_location, 'Victoria coach station')
    assert.ok(Object.keys(note?.fields ?? {}).every((field) => (NOTE_FIELDS as readonly string[]).includes(field)))
    // The restricted child goes without where they were.
    assert.doesNotMatch(exported.document, /Secret Road/)
    assert.deepEqual(exported.withheld, ['last_known_location'])
    const disclosure = await kit.db.selectFrom('disclosure').selectAll().where('id', '=', exported.disclosureId).executeTakeFirstOrThrow()
    assert.equal(disclosure.recipient, 'British Red Cross tracing service')
    assert.equal(disclosure.purpose, 'Tracing request from the Red Cross')
    const audits = await kit.db.selectFrom('audit_event').select(['subject_person_id', 'operation']).where('record_id', '=', exported.disclosureId).execute()
    assert.deepEqual(audits.map((row) => row.operation), ['disclosure', 'disclosure'])
  })

  test("only the agency that recorded a person may disclose it, and only with a purpose", async () => {
    await assert.rejects(
      kit.services.pfif.exportPeople(withPurpose(otherOfficer.actor, 'Tracing'), { people: [personId], recipient: 'Red Cross', domain: 'lantern.other.police.uk' }),
      (error: unknown) => error instanceof Error && /not found|another agency/.test(error.message),
    )
    await assert.rejects(
      kit.services.pfif.exportPeople(officer.actor, { people: [personId], recipient: 'Red Cross', domain: 'lantern.test.police.uk' }),
      (error: unknown) => error instanceof ValidationError && error.errors[0]?.field === 'purpose',
    )
  })

  test('import: persons and notes become the agency\'s records; importing again updates them; bad records are reported with their line', async () => {
    const document = (status: string) => `<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>tracing.example.org/p.1</pfif:person_record_id>
    <pfif:source_date>2024-07-20T10:00:00Z</pfif:source_date>
    <pfif:full_name>Adel Haddad</pfif:full_name>
    <pfif:given_name>Adel</pfif:given_name>
    <pfif:family_name>Haddad</pfif:family_name>
    <pfif:sex>male</pfif:sex>
    <pfif:age>15-16</pfif:age>
    <pfif:note>
      <pfif:note_record_id>tracing.example.org/n.1</pfif:note_record_id>
      <pfif:author_name>Tracing volunteer</pfif:author_name>
      <pfif:source_date>2024-07-21T09:00:00Z</pfif:source_date>
      <pfif:status>${status}</pfif:status>
      <pfif:last_known_location>Calais</pfif:last_known_location>
      <pfif:text>Seen at the port.</pfif:text>
    </pfif:note>
  </pfif:person>
</pfif:pfif>`
    const first = await kit.services.pfif.importDocument(officer.actor, { files: [{ name: 'tracing.xml', bytes: Buffer.from(document('believed_alive')) }] })
    assert.equal(first.status, 'imported', JSON.stringify(first.issues))
    assert.equal(first.summary.personsCreated, 1)
    const notes = await kit.db.selectFrom('pfif_note').selectAll().execute()
    assert.equal(notes.length, 1)
    assert.equal(notes[0]?.status, 'believed_alive')
    const person = await kit.db.selectFrom('person').selectAll().where('id', '=', notes[0]?.person_id ?? '').executeTakeFirstOrThrow()
    assert.equal(person.owning_agency_id, force.id)
    assert.deepEqual([person.dob_earliest, person.dob_latest, person.dob_source], ['2007-07-21', '2009-07-20', 'estimated'])

    const second = await kit.services.pfif.importDocument(officer.actor, { files: [{ name: 'tracing.xml', bytes: Buffer.from(document('believed_missing')) }] })
    assert.equal(second.status, 'imported')
    assert.equal(second.summary.notesUpdated, 1)
    assert.equal((await kit.db.selectFrom('pfif_note').select('status').execute()).map((row) => row.status).join(), 'believed_missing')
    assert.equal((await kit.db.selectFrom('person').select('id').where('owning_agency_id', '=', force.id).execute()).length, 3, 'no duplicate person')

    const bad = await kit.services.pfif.importDocument(officer.actor, { files: [{ name: 'tracing.xml', bytes: Buffer.from(document('lost').replace('<pfif:sex>male</pfif:sex>', '<pfif:sex>boy</pfif:sex>')) }] })
    assert.equal(bad.status, 'refused')
    assert.deepEqual(bad.issues.map(({ field, line }) => [field, line]), [['sex', 3], ['status', 11]])
    const malformed = await kit.services.pfif.importDocument(officer.actor, { files: [{ name: 'tracing.xml', bytes: Buffer.from('<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.3"></pfif:pfif>') }] })
    assert.equal(malformed.status, 'refused')
    assert.match(malformed.issues[0]?.message ?? '', /a PFIF 1.4 document is <pfif:pfif/)
    await assert.rejects(kit.services.pfif.importDocument({ ...officer.actor, roles: ['analyst'] }, { files: [{ name: 'x.xml', bytes: Buffer.from(document('believed_alive')) }] }), ForbiddenError)
  })
})
