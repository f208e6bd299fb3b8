import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { addDays, londonDateOf } from '../../lib/dates.ts'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

describe('people', () => {
  let kit: TestKit
  let officer: TestUser
  let otherForceOfficer: TestUser
  let analyst: TestUser

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    const otherForce = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherForceOfficer = await kit.user(otherForce, ['police_officer'])
    analyst = await kit.user(force, ['analyst'])
  })
  after(() => kit.close())

  test('records a person with names in their script, a date of birth range and identifiers', async () => {
    const response = await kit.request(officer, {
      method: 'POST',
      url: '/api/v1/people',
      payload: personBody({
        names: [
          { kind: 'given', text: 'محمد', script: 'Arab', transliteration: 'Mohammed' },
          { kind: 'alias', text: 'Muhammad' },
        ],
        identifiers: [{ kind: 'pnc_id', value: '2019/0123456A' }],
        flags: { unaccompanied: true },
      }),
    })
    assert.equal(response.statusCode, 201, response.body)
    const person = response.json()
    assert.equal(person.owningAgencyId, officer.agency.id)
    assert.equal(person.access, 'owner')
    assert.deepEqual(person.names[0], { kind: 'given', text: 'محمد', script: 'Arab', transliteration: 'Mohammed' })
    assert.deepEqual(person.dateOfBirth, { earliest: '2008-01-01', latest: '2008-12-31', source: 'assessed' })
    assert.deepEqual(person.identifiers, [{ kind: 'pnc_id', value: '2019/0123456A' }])
    assert.equal(person.flags.unaccompanied, true)
    assert.equal(person.version, 1)
  })

  test('answers a malformed body with 400 naming every failing field, and records nothing', async () => {
    const before = await kit.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const response = await kit.request(officer, {
      method: 'POST',
      url: '/api/v1/people',
      payload: { names: [{ kind: 'nick', text: '' }], sex: 'x', dateOfBirth: { earliest: '2008-02-30', latest: 'soon', source: 'guessed' }, nationalities: ['Vietnam'] },
    })
    assert.equal(response.statusCode, 400)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    const fields = response.json().errors.map((error: { field: string }) => error.field)
    for (const field of ['names/0/kind', 'names/0/text', 'sex', 'dateOfBirth/earliest', 'dateOfBirth/latest', 'dateOfBirth/source', 'nationalities/0']) {
      assert.ok(fields.includes(field), `${field} in ${fields.join(', ')}`)
    }
    const afterCount = await kit.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(afterCount.n), Number(before.n))
  })

  test('refuses a date of birth range that ends before it starts, or is in the future', async () => {
    const response = await kit.request(officer, {
      method: 'POST',
      url: '/api/v1/people',
      payload: personBody({ dateOfBirth: { earliest: '2030-01-02', latest: '2030-01-01', source: 'estimated' } }),
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json().errors.map((e: { field: string }) => e.field), ['dateOfBirth/latest', 'dateOfBirth/latest'])
  })

  test('a stale version is refused with 409 and the current version, never overwritten', async () => {
    const created = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const first = await kit.request(officer, { method: 'PATCH', url: `/api/v1/people/${created.id}`, payload: { version: 1, description: { heightCm: 160 } } })
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json().version, 2)
    const stale = await kit.request(officer, { method: 'PATCH', url: `/api/v1/people/${created.id}`, payload: { version: 1, description: { heightCm: 170 } } })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
    const read = (await kit.request(officer, { method: 'GET', url: `/api/v1/people/${created.id}` })).json()
    assert.equal(read.description.heightCm, 160)
  })

  test('suspicion of trafficking is dated: today when turned on, a given earlier day kept, cleared when turned off', async () => {
    const today = londonDateOf(new Date())
    const post = (flags: Record<string, unknown>) => kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody({ flags }) })
    const patch = (id: string, version: number, flags: Record<string, unknown>) => kit.request(officer, { method: 'PATCH', url: `/api/v1/people/${id}`, payload: { version, flags } })

    const plain = (await post({})).json()
    assert.equal(plain.flags.suspectedTraffickingSince, null)
    const flagged = await patch(plain.id, 1, { suspectedTrafficking: true })
    assert.equal(flagged.statusCode, 200, flagged.body)
    assert.equal(flagged.json().flags.suspectedTraffickingSince, today)
    // Another change keeps the day; turning the flag off clears it; on again with the day it began.
    const other = await patch(plain.id, 2, { unaccompanied: true })
    assert.equal(other.json().flags.suspectedTraffickingSince, today)
    const cleared = await patch(plain.id, 3, { suspectedTrafficking: false })
    assert.deepEqual([cleared.json().flags.suspectedTrafficking, cleared.json().flags.suspectedTraffickingSince], [false, null])
    const again = await patch(plain.id, 4, { suspectedTrafficking: true, suspectedTraffickingSince: '2024-02-29' })
    assert.equal(again.json().flags.suspectedTraffickingSince, '2024-02-29')
    const row = await kit.db.selectFrom('person').select(['suspected_trafficking', 'suspected_trafficking_since']).where('id', '=', plain.id).executeTakeFirstOrThrow()
    assert.deepEqual(row, { suspected_trafficking: true, suspected_trafficking_since: '2024-02-29' })

    const created = (await post({ suspectedTrafficking: true, suspectedTraffickingSince: '2023-05-01' })).json()
    assert.equal(created.flags.suspectedTraffickingSince, '2023-05-01')
    const listed = (await kit.request(officer, { method: 'GET', url: '/api/v1/people?pageSize=100' })).json()
    assert.equal(listed.items.find((item: { id: string }) => item.id === created.id).flags.suspectedTraffickingSince, '2023-05-01')

    // A day without the flag, or in the future, is refused naming the field, and nothing changes.
    const without = await post({ suspectedTraffickingSince: '2023-05-01' })
    assert.equal(without.statusCode, 400)
    assert.deepEqual(without.json().errors.map((e: { field: string }) => e.field), ['flags/suspectedTraffickingSince'])
    const future = await patch(created.id, 1, { suspectedTraffickingSince: addDays(today, 1) })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(future.json().errors.map((e: { field: string }) => e.field), ['flags/suspectedTraffickingSince'])
    const offWithDay = await patch(created.id, 1, { suspectedTrafficking: false, suspectedTraffickingSince: '2023-05-01' })
    assert.equal(offWithDay.statusCode, 400)
    const unchanged = (await kit.request(officer, { method: 'GET', url: `/api/v1/people/${created.id}` })).json()
    assert.deepEqual([unchanged.version, unchanged.flags.suspectedTraffickingSince], [1, '2023-05-01'])
  })

  test("another force's person reads as not found, and an analyst is forbidden", async () => {
    const created = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const other = await kit.request(otherForceOfficer, { method: 'GET', url: `/api/v1/people/${created.id}`, purpose: 'curious' })
    assert.equal(other.statusCode, 404)
    const byAnalyst = await kit.request(analyst, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(byAnalyst.statusCode, 403)
    const anonymous = await kit.request(null, { method: 'GET', url: `/api/v1/people/${created.id}` })
    assert.equal(anonymous.statusCode, 401)
  })

  test('lists and finds people by a name or its sound, paginated', async () => {
    await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody({ names: [{ kind: 'full', text: 'Mohamed Abdi Yusuf' }] }) })
    const byName = await kit.request(officer, { method: 'GET', url: '/api/v1/people?name=abdi&pageSize=1' })
    assert.equal(byName.statusCode, 200, byName.body)
    const page = byName.json()
    assert.equal(page.pageSize, 1)
    assert.ok(page.total >= 1)
    assert.match(page.items[0].names[0].text, /Abdi/)
    const badPage = await kit.request(officer, { method: 'GET', url: '/api/v1/people?pageSize=1000' })
    assert.equal(badPage.statusCode, 400)
    assert.equal(badPage.json().errors[0].field, 'query/pageSize')
  })

  test('every read of a person is audited as a consultation', async () => {
    const created = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    await kit.request(officer, { method: 'GET', url: `/api/v1/people/${created.id}` })
    const events = await kit.db.selectFrom('audit_event').select(['action', 'operation', 'actor_user_id']).where('subject_person_id', '=', created.id).orderBy('seq').execute()
    assert.deepEqual(events.map((e) => [e.action, e.operation]), [['CREATE_PERSON', 'collection'], ['VIEW_PERSON', 'consultation']])
    assert.ok(events.every((e) => e.actor_user_id === officer.id))
  })
})
