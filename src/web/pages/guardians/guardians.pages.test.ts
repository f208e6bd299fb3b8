import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { errorSummary, webClient, type WebClient } from '../../../../test/web-client.ts'
import { addDays, londonDateOf } from '../../../lib/dates.ts'

// Guardian assignments through the pages, over a real database: the owning force assigns an Independent Child
// Trafficking Guardian, names another and ends the assignment; the guardian service allocates its own guardians;
// another force gets 404, readers who may not allocate 403; forged, stale and bad forms change nothing.

const today = londonDateOf(new Date())
const daysAgo = (days: number) => addDays(today, -days)
const PURPOSE = 'ICTG casework'

function date(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? ''

describe('guardian assignment pages', () => {
  let kit: TestKit
  let officer: TestUser
  let otherOfficer: TestUser
  let guardianService: TestAgency
  let otherService: TestAgency
  let guardian: TestUser
  let colleague: TestUser
  let otherServiceGuardian: TestUser
  let authority: TestAgency
  let decisionMaker: TestUser

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    guardianService = await kit.agency('ictg_service', { name: 'Test Guardian Service' })
    otherService = await kit.agency('ictg_service', { name: 'Other Guardian Service' })
    guardian = await kit.user(guardianService, ['ictg_guardian'])
    colleague = await kit.user(guardianService, ['ictg_guardian'])
    otherServiceGuardian = await kit.user(otherService, ['ictg_guardian'])
    authority = await kit.agency('competent_authority')
    decisionMaker = await kit.user(authority, ['nrm_decision_maker'])
    // Names to tell the guardians apart on the pages.
    await kit.db.updateTable('app_user').set({ display_name: 'Chris Doyle' }).where('id', '=', guardian.id).execute()
    await kit.db.updateTable('app_user').set({ display_name: 'Bea Lund' }).where('id', '=', colleague.id).execute()
    await kit.db.updateTable('app_user').set({ display_name: 'Olu Ade' }).where('id', '=', otherServiceGuardian.id).execute()
  })
  after(() => kit.close())

  async function newChild(): Promise<string> {
    const created = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    return created.json().id as string
  }

  async function assignByApi(personId: string, payload: Record<string, unknown>): Promise<{ id: string; version: number }> {
    const response = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/guardian-assignments`, payload: { guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: daysAgo(10), ...payload } })
    assert.equal(response.statusCode, 201, response.body)
    return response.json()
  }

  /** A web client reading the child with a purpose (the child is another agency's). */
  async function readerOf(user: TestUser, personId: string): Promise<WebClient> {
    const web = await webClient(kit, user)
    assert.equal((await web.get(`/people/${personId}`)).statusCode, 403, 'the purpose page')
    assert.equal((await web.post('/purpose', { personId, returnTo: `/people/${personId}`, purpose: PURPOSE })).statusCode, 303)
    return web
  }

  const assignments = (personId: string) => kit.db.selectFrom('ictg_assignment').select(['id', 'guardian_agency_id', 'guardian_user_id', 'role', 'allocated_on', 'ended_on', 'version']).where('person_id', '=', personId).orderBy('id').execute()
  const audits = async (personId: string, action: string) =>
    (await kit.db.selectFrom('audit_event').select(['record_id', 'recipient_agency_id', 'detail', 'actor_user_id']).where('subject_person_id', '=', personId).where('action', '=', action).orderBy('seq').execute())
  const rowOf = (html: string, id: string) => new RegExp(`<tr class="govuk-table__row" data-assignment-id="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') ?? ''

  test('the owner assigns a guardian of a service; the person page lists the child’s guardians with name, role, service and dates, and the assignment is audited', async () => {
    const personId = await newChild()
    const web = await webClient(kit, officer)
    const before = await web.get(`/people/${personId}`)
    assert.match(before.body, /No Independent Child Trafficking Guardian has been assigned\./)
    assert.match(before.body, new RegExp(`href="/people/${personId}/guardian-assignments/new" data-testid="assign-guardian"`))

    const page = await web.get(`/people/${personId}/guardian-assignments/new`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1 class="govuk-heading-l">Assign an Independent Child Trafficking Guardian<\/h1>/)
    assert.match(page.body, new RegExp(`<option value="${guardian.id}">Chris Doyle, Test Guardian Service</option>`))
    assert.match(page.body, new RegExp(`<option value="${otherService.id}">Other Guardian Service</option>`))

    const saved = await web.post(`/people/${personId}/guardian-assignments/new`, { guardianAgencyId: guardianService.id, guardianUserId: guardian.id, role: 'regional_practitioner', ...date('allocatedOn', daysAgo(3)) })
    assert.equal(saved.statusCode, 303, saved.body)
    assert.equal(saved.headers.location, `/people/${personId}?saved=guardian`)
    const [assignment] = await assignments(personId)
    assert.deepEqual({ ...assignment, id: undefined }, { id: undefined, guardian_agency_id: guardianService.id, guardian_user_id: guardian.id, role: 'regional_practitioner', allocated_on: daysAgo(3), ended_on: null, version: 1 })
    assert.deepEqual((await audits(personId, 'ASSIGN_GUARDIAN')).map((row) => [row.record_id, row.recipient_agency_id, row.actor_user_id]), [[assignment?.id, guardianService.id, officer.id]])

    const shown = await web.get(String(saved.headers.location))
    assert.match(shown.body, /The guardian assignment has been saved/)
    const row = rowOf(shown.body, assignment?.id ?? '')
    assert.match(row, /Chris Doyle .*Regional practitioner .*Test Guardian Service .*\d{1,2} \w+ \d{4} .*Current .*Change or end/)
    assert.ok((await audits(personId, 'VIEW_GUARDIAN_ASSIGNMENT')).some((entry) => entry.record_id === assignment?.id && entry.actor_user_id === officer.id), 'reading the list is audited')

    // The guardian now reads the child and sees the assignment, which their service may change.
    const reader = await readerOf(guardian, personId)
    const theirs = await reader.get(`/people/${personId}`)
    assert.match(rowOf(theirs.body, assignment?.id ?? ''), /Chris Doyle .*Change or end/)

    const welsh = await kit.app.inject({ method: 'GET', url: `/people/${personId}/guardian-assignments/new`, headers: { cookie: `${web.cookieHeader()}; lantern_language=cy` } })
    assert.match(welsh.body, /Neilltuo Gwarcheidwad Masnachu Plant Annibynnol/)
  })

  test('the owner names another guardian, then ends the assignment: only what changed is sent, a stale version gets 409, an end before the allocation is shown on its field', async () => {
    const personId = await newChild()
    const { id } = await assignByApi(personId, { guardianUserId: guardian.id })
    const web = await webClient(kit, officer)
    const page = await web.get(`/people/${personId}/guardian-assignments/${id}/edit`)
    assert.equal(page.statusCode, 200, page.body)
    assert.match(page.body, /Test Guardian Service/)
    assert.match(page.body, new RegExp(`<option value="${guardian.id}" selected>Chris Doyle</option>`))
    assert.doesNotMatch(page.body, new RegExp(otherServiceGuardian.id), 'only the guardians of the assignment’s service')
    const version = versionOn(page.body)

    const tooEarly = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version, guardianUserId: guardian.id, role: 'direct_worker', ...date('endedOn', daysAgo(11)) })
    assert.equal(tooEarly.statusCode, 400)
    assert.deepEqual(errorSummary(tooEarly.body), [{ text: `The assignment must not end before it was allocated (${daysAgo(10)})`, href: '#endedOn-day' }])

    const renamed = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version, guardianUserId: colleague.id, role: 'direct_worker' })
    assert.equal(renamed.statusCode, 303, renamed.body)
    const updates = await audits(personId, 'UPDATE_GUARDIAN_ASSIGNMENT')
    assert.deepEqual(updates.map((row) => JSON.parse(row.detail ?? '{}').fields), [['guardianUserId']])

    const stale = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version, guardianUserId: colleague.id, role: 'direct_worker', ...date('endedOn', today) })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /This record has changed/)
    assert.equal((await assignments(personId))[0]?.ended_on, null)

    // The named guardian leaves the service; their assignment can still be ended (the guardian is not re-sent).
    await kit.db.updateTable('app_user').set({ active: false }).where('id', '=', colleague.id).execute()
    const current = await web.get(`/people/${personId}/guardian-assignments/${id}/edit`)
    assert.match(current.body, new RegExp(`<option value="${colleague.id}" selected>Bea Lund \\(no longer active\\)</option>`))
    const ended = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: versionOn(current.body), guardianUserId: colleague.id, role: 'direct_worker', ...date('endedOn', today) })
    assert.equal(ended.statusCode, 303, ended.body)
    await kit.db.updateTable('app_user').set({ active: true }).where('id', '=', colleague.id).execute()
    assert.deepEqual((await assignments(personId)).map((row) => [row.guardian_user_id, row.ended_on, row.version]), [[colleague.id, today, 3]])
    assert.deepEqual((await audits(personId, 'UPDATE_GUARDIAN_ASSIGNMENT')).map((row) => JSON.parse(row.detail ?? '{}').fields), [['guardianUserId'], ['endedOn']])
    const shown = await web.get(`/people/${personId}`)
    assert.doesNotMatch(rowOf(shown.body, id), /Current/)
  })

  test('another force gets 404 and nothing changes; readers who may not allocate or change get 403; a form without its CSRF token 403', async () => {
    const personId = await newChild()
    const { id } = await assignByApi(personId, { guardianUserId: guardian.id })
    const ofOtherService = await assignByApi(personId, { guardianAgencyId: otherService.id })
    const before = await assignments(personId)
    const allocation = { guardianAgencyId: guardianService.id, role: 'direct_worker', ...date('allocatedOn', daysAgo(1)) }

    const outsider = await webClient(kit, otherOfficer)
    await outsider.get('/')
    assert.equal((await outsider.get(`/people/${personId}/guardian-assignments/new`)).statusCode, 404)
    assert.equal((await outsider.post(`/people/${personId}/guardian-assignments/new`, allocation)).statusCode, 404)
    assert.equal((await outsider.get(`/people/${personId}/guardian-assignments/${id}/edit`)).statusCode, 404)
    assert.equal((await outsider.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: '1', role: 'direct_worker', ...date('endedOn', today) })).statusCode, 404)

    // An NRM decision-maker reads the child (a referral was made to them) but allocates nothing.
    const referral = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: { competentAuthorityId: authority.id, referredOn: daysAgo(5), exploitationTypes: ['criminal'], countyLines: false, exploitationLocation: 'uk', ageAtExploitation: 'child' } })
    assert.equal(referral.statusCode, 201, referral.body)
    const decider = await readerOf(decisionMaker, personId)
    const theirView = await decider.get(`/people/${personId}`)
    assert.match(rowOf(theirView.body, id), /Chris Doyle/, 'they see the guardians')
    assert.doesNotMatch(theirView.body, /data-testid="assign-guardian"|Change or end<span/)
    assert.equal((await decider.get(`/people/${personId}/guardian-assignments/new`)).statusCode, 403)
    assert.equal((await decider.post(`/people/${personId}/guardian-assignments/new`, allocation)).statusCode, 403)
    assert.equal((await decider.get(`/people/${personId}/guardian-assignments/${id}/edit`)).statusCode, 403)

    // The assigned guardian may change their own service's assignment, not another service's.
    const reader = await readerOf(guardian, personId)
    const page = await reader.get(`/people/${personId}`)
    assert.doesNotMatch(rowOf(page.body, ofOtherService.id), /Change or end/)
    const refused = await reader.get(`/people/${personId}/guardian-assignments/${ofOtherService.id}/edit`)
    assert.equal(refused.statusCode, 403)
    assert.equal((await reader.post(`/people/${personId}/guardian-assignments/${ofOtherService.id}/edit`, { version: '1', role: 'direct_worker', ...date('endedOn', today) })).statusCode, 403)

    const web = await webClient(kit, officer)
    await web.get(`/people/${personId}/guardian-assignments/new`)
    const forged = await web.post(`/people/${personId}/guardian-assignments/new`, allocation, { csrf: null })
    assert.equal(forged.statusCode, 403)
    assert.match(forged.body, /Your form could not be sent/)
    await web.get(`/people/${personId}/guardian-assignments/${id}/edit`)
    assert.equal((await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: '1', role: 'direct_worker', ...date('endedOn', today) }, { csrf: null })).statusCode, 403)
    // An assignment of another child, reached through this child's address.
    const elsewhere = await assignByApi(await newChild(), {})
    assert.equal((await web.get(`/people/${personId}/guardian-assignments/${elsewhere.id}/edit`)).statusCode, 404)

    assert.deepEqual(await assignments(personId), before)
    assert.deepEqual(await audits(personId, 'UPDATE_GUARDIAN_ASSIGNMENT'), [])
  })

  test('bad answers get the error pattern with the answers kept; the service’s rules land on their fields; nothing is recorded', async () => {
    const personId = await newChild()
    const web = await webClient(kit, officer)
    await web.get(`/people/${personId}/guardian-assignments/new`)
    const post = (form: Record<string, string>) => web.post(`/people/${personId}/guardian-assignments/new`, form)

    const empty = await post({ guardianUserId: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /<title>Error: Assign an Independent Child Trafficking Guardian/)
    assert.deepEqual(errorSummary(empty.body), [
      { text: 'Select the guardian service', href: '#guardianAgencyId' },
      { text: 'Select the guardian’s role', href: '#role' },
      { text: 'Enter the date the guardian was allocated', href: '#allocatedOn-day' },
    ])
    const unknownGuardian = await post({ guardianAgencyId: guardianService.id, guardianUserId: '01900000-0000-7000-8000-000000000000', role: 'direct_worker', ...date('allocatedOn', daysAgo(1)) })
    assert.deepEqual(errorSummary(unknownGuardian.body), [{ text: 'Select a guardian from the list', href: '#guardianUserId' }])
    assert.match(unknownGuardian.body, /value="direct_worker" checked/, 'the answers are kept')
    const future = await post({ guardianAgencyId: guardianService.id, role: 'direct_worker', ...date('allocatedOn', addDays(today, 2)) })
    assert.deepEqual(errorSummary(future.body), [{ text: 'The date must not be in the future', href: '#allocatedOn-day' }])
    const wrongService = await post({ guardianAgencyId: guardianService.id, guardianUserId: otherServiceGuardian.id, role: 'direct_worker', ...date('allocatedOn', daysAgo(1)) })
    assert.deepEqual(errorSummary(wrongService.body), [{ text: 'Must be an active guardian (role ictg_guardian) of that guardian service', href: '#guardianUserId' }])
    assert.deepEqual(await assignments(personId), [])
    assert.deepEqual(await audits(personId, 'ASSIGN_GUARDIAN'), [])

    const { id } = await assignByApi(personId, {})
    const page = await web.get(`/people/${personId}/guardian-assignments/${id}/edit`)
    const broken = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: 'x', guardianUserId: '', role: 'mentor', 'endedOn-day': '40', 'endedOn-month': '1', 'endedOn-year': '2025' })
    assert.equal(broken.statusCode, 400)
    assert.deepEqual(errorSummary(broken.body), [
      { text: 'Select the guardian’s role', href: '#role' },
      { text: 'The date the assignment ended must be a real date', href: '#endedOn-day' },
      { text: 'The page was out of date: check the assignment and save it again', href: '#save' },
    ])
    const unchanged = await web.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: versionOn(page.body), guardianUserId: '', role: 'direct_worker' })
    assert.equal(unchanged.headers.location, `/people/${personId}?saved=unchanged`)
    assert.deepEqual((await assignments(personId)).map((row) => row.version), [1])
    assert.deepEqual(await audits(personId, 'UPDATE_GUARDIAN_ASSIGNMENT'), [])
  })

  test('a guardian of the service allocates a colleague, to their own service only, and ending their own assignment takes them home', async () => {
    const personId = await newChild()
    const { id } = await assignByApi(personId, { guardianUserId: guardian.id })
    const reader = await readerOf(guardian, personId)
    const page = await reader.get(`/people/${personId}/guardian-assignments/new`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, new RegExp(`<option value="${guardianService.id}" selected>Test Guardian Service</option>`), 'their own service, chosen')
    assert.doesNotMatch(page.body, new RegExp(otherService.id))
    assert.match(page.body, new RegExp(`<option value="${colleague.id}">Bea Lund, Test Guardian Service</option>`))
    const elsewhere = await reader.post(`/people/${personId}/guardian-assignments/new`, { guardianAgencyId: otherService.id, role: 'direct_worker', ...date('allocatedOn', daysAgo(1)) })
    assert.deepEqual(errorSummary(elsewhere.body), [{ text: 'Select the guardian service', href: '#guardianAgencyId' }])
    const saved = await reader.post(`/people/${personId}/guardian-assignments/new`, { guardianAgencyId: guardianService.id, guardianUserId: colleague.id, role: 'regional_practice_coordinator', ...date('allocatedOn', daysAgo(1)) })
    assert.equal(saved.statusCode, 303, saved.body)
    assert.deepEqual((await audits(personId, 'ASSIGN_GUARDIAN')).at(-1)?.actor_user_id, guardian.id)

    const edit = await reader.get(`/people/${personId}/guardian-assignments/${id}/edit`)
    const ended = await reader.post(`/people/${personId}/guardian-assignments/${id}/edit`, { version: versionOn(edit.body), guardianUserId: guardian.id, role: 'direct_worker', ...date('endedOn', today) })
    assert.equal(ended.statusCode, 303, ended.body)
    assert.equal(ended.headers.location, '/', 'they no longer read the child')
    assert.equal((await reader.get(`/people/${personId}`)).statusCode, 404)
  })
})
