import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { addDays, londonDateOf } from '../../lib/dates.ts'
import { recoveryPeriodDays } from './trafficking.service.ts'
import { addWorkingDays } from '../deadlines/working-days.ts'

const today = londonDateOf(new Date())
const daysAgo = (days: number) => addDays(today, -days)
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field)

describe('trafficking: NRM referrals, decisions and guardians', () => {
  let kit: TestKit
  let force: TestAgency
  let singleCompetentAuthority: TestAgency
  let immigrationCompetentAuthority: TestAgency
  let guardianService: TestAgency
  let otherGuardianService: TestAgency
  let officer: TestUser
  let otherForceOfficer: TestUser
  let decisionMaker: TestUser
  let otherAuthorityDecisionMaker: TestUser
  let guardian: TestUser
  let unassignedGuardian: TestUser
  let otherServiceGuardian: TestUser
  let guardianServiceAdministrator: TestUser

  const count = async (table: 'nrm_referral' | 'nrm_decision' | 'ictg_assignment') =>
    Number((await kit.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  async function newPerson(owner: TestUser = officer): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  function referralBody(overrides: Record<string, unknown> = {}) {
    return {
      competentAuthorityId: singleCompetentAuthority.id,
      referredOn: daysAgo(90),
      exploitationTypes: ['criminal'],
      countyLines: true,
      exploitationLocation: 'uk',
      ageAtExploitation: 'child',
      ...overrides,
    }
  }

  async function refer(personId: string, overrides: Record<string, unknown> = {}, by: TestUser = officer) {
    const response = await kit.request(by, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody(overrides) })
    assert.equal(response.statusCode, 201, response.body)
    return response.json()
  }

  async function decide(referralId: string, body: Record<string, unknown>, by: TestUser = decisionMaker) {
    return kit.request(by, { method: 'POST', url: `/api/v1/nrm-referrals/${referralId}/decisions`, payload: body })
  }

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force')
    const otherForce = await kit.agency('police_force')
    singleCompetentAuthority = await kit.agency('competent_authority')
    immigrationCompetentAuthority = await kit.agency('competent_authority')
    guardianService = await kit.agency('ictg_service')
    otherGuardianService = await kit.agency('ictg_service')
    officer = await kit.user(force, ['police_officer'])
    otherForceOfficer = await kit.user(otherForce, ['police_officer'])
    decisionMaker = await kit.user(singleCompetentAuthority, ['nrm_decision_maker'])
    otherAuthorityDecisionMaker = await kit.user(immigrationCompetentAuthority, ['nrm_decision_maker'])
    guardian = await kit.user(guardianService, ['ictg_guardian'])
    unassignedGuardian = await kit.user(guardianService, ['ictg_guardian'])
    otherServiceGuardian = await kit.user(otherGuardianService, ['ictg_guardian'])
    guardianServiceAdministrator = await kit.user(guardianService, ['administrator'])
  })
  after(() => kit.close())

  // ---------------------------------------------------------------- dates

  test('the reasonable-grounds decision is due 5 working days after the referral, weekends and bank holidays not counted', () => {
    assert.equal(addWorkingDays('2026-11-23', 5), '2026-11-30') // Monday -> next Monday
    assert.equal(addWorkingDays('2026-11-27', 5), '2026-12-04') // Friday -> next Friday
    assert.equal(addWorkingDays('2026-11-28', 5), '2026-12-04') // Saturday -> Friday
    assert.equal(addWorkingDays('2026-11-29', 5), '2026-12-04') // Sunday -> Friday
    assert.equal(addWorkingDays('2026-12-24', 5), '2027-01-05') // Christmas, Boxing Day (substitute) and New Year's Day skipped
  })

  test('the recovery period is 30 days from 30 January 2023 and 45 days before it', () => {
    assert.equal(recoveryPeriodDays('2023-01-30'), 30)
    assert.equal(recoveryPeriodDays('2023-01-29'), 45)
  })

  // ---------------------------------------------------------------- referrals

  test("the owning agency refers a person; it is the referring agency and the referral is audited as sent to the authority", async () => {
    const personId = await newPerson()
    const response = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/nrm-referrals`,
      payload: referralBody({ referredOn: '2025-11-28', nrmReference: ' NRM-123 ', exploitationTypes: ['criminal', 'labour'], notes: 'Found in a cannabis grow' }),
    })
    assert.equal(response.statusCode, 201, response.body)
    const referral = response.json()
    assert.equal(referral.personId, personId)
    assert.equal(referral.referringAgencyId, force.id)
    assert.equal(referral.competentAuthorityId, singleCompetentAuthority.id)
    assert.equal(referral.nrmReference, 'NRM-123')
    assert.deepEqual(referral.exploitationTypes, ['criminal', 'labour'])
    assert.equal(referral.status, 'awaiting_reasonable_grounds')
    assert.equal(referral.reasonableGroundsDueOn, '2025-12-05') // Friday -> next Friday
    assert.deepEqual(referral.decisions, [])
    assert.equal(referral.version, 1)
    const audit = await kit.db
      .selectFrom('audit_event')
      .select(['action', 'operation', 'recipient_agency_id'])
      .where('record_id', '=', referral.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(audit, { action: 'CREATE_NRM_REFERRAL', operation: 'collection', recipient_agency_id: singleCompetentAuthority.id })
  })

  test('a referral with an empty or malformed body is refused with 400 naming each field, and nothing is recorded', async () => {
    const personId = await newPerson()
    const before = await count('nrm_referral')
    const empty = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: {} })
    assert.equal(empty.statusCode, 400)
    for (const field of ['competentAuthorityId', 'referredOn', 'exploitationTypes', 'countyLines', 'exploitationLocation', 'ageAtExploitation']) {
      assert.ok(fieldsOf(empty.json()).includes(field), `${field} in ${fieldsOf(empty.json()).join(', ')}`)
    }
    const malformed = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/nrm-referrals`,
      payload: { competentAuthorityId: 'sca', referredOn: '2026-02-30', exploitationTypes: [], countyLines: 'yes', exploitationLocation: 'abroad', ageAtExploitation: 'teen', password: 'x' },
    })
    assert.equal(malformed.statusCode, 400)
    for (const field of ['competentAuthorityId', 'referredOn', 'exploitationTypes', 'countyLines', 'exploitationLocation', 'ageAtExploitation']) {
      assert.ok(fieldsOf(malformed.json()).includes(field), `${field} in ${fieldsOf(malformed.json()).join(', ')}`)
    }
    const unknownType = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody({ exploitationTypes: ['slavery'] }) })
    assert.equal(unknownType.statusCode, 400)
    assert.deepEqual(fieldsOf(unknownType.json()), ['exploitationTypes/0'])
    const repeated = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody({ exploitationTypes: ['sexual', 'sexual'] }) })
    assert.equal(repeated.statusCode, 400)
    assert.deepEqual(fieldsOf(repeated.json()), ['exploitationTypes'])
    assert.equal(await count('nrm_referral'), before)
  })

  test('a referral must go to a competent authority and must not be dated in the future', async () => {
    const personId = await newPerson()
    const before = await count('nrm_referral')
    const toPolice = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody({ competentAuthorityId: force.id }) })
    assert.equal(toPolice.statusCode, 400)
    assert.deepEqual(fieldsOf(toPolice.json()), ['competentAuthorityId'])
    const toNobody = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/nrm-referrals`,
      payload: referralBody({ competentAuthorityId: '01900000-0000-7000-8000-000000000000' }),
    })
    assert.deepEqual(fieldsOf(toNobody.json()), ['competentAuthorityId'])
    const future = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody({ referredOn: addDays(today, 1) }) })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(fieldsOf(future.json()), ['referredOn'])
    assert.equal(await count('nrm_referral'), before)
  })

  test('only the owning agency refers: another force and a decision-maker get 404, an unknown person 404', async () => {
    const personId = await newPerson()
    const byOtherForce = await kit.request(otherForceOfficer, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody() })
    assert.equal(byOtherForce.statusCode, 404)
    const byDecisionMaker = await kit.request(decisionMaker, { method: 'POST', url: `/api/v1/people/${personId}/nrm-referrals`, payload: referralBody() })
    assert.equal(byDecisionMaker.statusCode, 404)
    const unknown = await kit.request(officer, { method: 'POST', url: '/api/v1/people/01900000-0000-7000-8000-000000000000/nrm-referrals', payload: referralBody() })
    assert.equal(unknown.statusCode, 404)
    const list = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${personId}/nrm-referrals` })
    assert.deepEqual(list.json(), [])
  })

  test("a person's referrals come with their decisions; a competent authority sees only its own, with a purpose", async () => {
    const personId = await newPerson()
    const toSca = await refer(personId)
    const toIeca = await refer(personId, { competentAuthorityId: immigrationCompetentAuthority.id, referredOn: daysAgo(80) })
    assert.equal((await decide(toSca.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(85) })).statusCode, 201)

    const byOwner = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${personId}/nrm-referrals` })
    assert.equal(byOwner.statusCode, 200, byOwner.body)
    assert.deepEqual(byOwner.json().map((referral: { id: string }) => referral.id), [toSca.id, toIeca.id])
    assert.equal(byOwner.json()[0].decisions[0].stage, 'reasonable_grounds')
    assert.equal(byOwner.json()[0].status, 'awaiting_conclusive_grounds')

    const withoutPurpose = await kit.request(decisionMaker, { method: 'GET', url: `/api/v1/people/${personId}/nrm-referrals` })
    assert.equal(withoutPurpose.statusCode, 403)
    const bySca = await kit.request(decisionMaker, { method: 'GET', url: `/api/v1/people/${personId}/nrm-referrals`, purpose: 'NRM decision' })
    assert.deepEqual(bySca.json().map((referral: { id: string }) => referral.id), [toSca.id])
    const byIeca = await kit.request(otherAuthorityDecisionMaker, { method: 'GET', url: `/api/v1/people/${personId}/nrm-referrals`, purpose: 'NRM decision' })
    assert.deepEqual(byIeca.json().map((referral: { id: string }) => referral.id), [toIeca.id])

    const views = await kit.db
      .selectFrom('audit_event')
      .select(['record_id', 'purpose'])
      .where('action', '=', 'VIEW_NRM_REFERRAL')
      .where('actor_user_id', '=', decisionMaker.id)
      .where('subject_person_id', '=', personId)
      .execute()
    assert.deepEqual(views, [{ record_id: toSca.id, purpose: 'NRM decision' }])
  })

  test("one referral: the owner and its authority read it; another authority's decision-maker and unknown ids get 404", async () => {
    const personId = await newPerson()
    const toSca = await refer(personId)
    await refer(personId, { competentAuthorityId: immigrationCompetentAuthority.id })
    const byOwner = await kit.request(officer, { method: 'GET', url: `/api/v1/nrm-referrals/${toSca.id}` })
    assert.equal(byOwner.statusCode, 200)
    assert.equal(byOwner.json().id, toSca.id)
    const bySca = await kit.request(decisionMaker, { method: 'GET', url: `/api/v1/nrm-referrals/${toSca.id}`, purpose: 'NRM decision' })
    assert.equal(bySca.statusCode, 200)
    const byIeca = await kit.request(otherAuthorityDecisionMaker, { method: 'GET', url: `/api/v1/nrm-referrals/${toSca.id}`, purpose: 'NRM decision' })
    assert.equal(byIeca.statusCode, 404)
    const byOtherForce = await kit.request(otherForceOfficer, { method: 'GET', url: `/api/v1/nrm-referrals/${toSca.id}`, purpose: 'curious' })
    assert.equal(byOtherForce.statusCode, 404)
    const unknown = await kit.request(officer, { method: 'GET', url: '/api/v1/nrm-referrals/01900000-0000-7000-8000-000000000000' })
    assert.equal(unknown.statusCode, 404)
    const notAnId = await kit.request(officer, { method: 'GET', url: '/api/v1/nrm-referrals/42' })
    assert.equal(notAnId.statusCode, 400)
    assert.deepEqual(fieldsOf(notAnId.json()), ['params/id'])
  })

  test('the referring agency changes its referral with the version it read; a stale version gets 409', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const changed = await kit.request(officer, {
      method: 'PATCH',
      url: `/api/v1/nrm-referrals/${referral.id}`,
      payload: { version: 1, nrmReference: 'NRM-2026-9', exploitationTypes: ['criminal', 'sexual'] },
    })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.equal(changed.json().version, 2)
    assert.equal(changed.json().nrmReference, 'NRM-2026-9')
    const stale = await kit.request(officer, { method: 'PATCH', url: `/api/v1/nrm-referrals/${referral.id}`, payload: { version: 1, nrmReference: 'NRM-lost' } })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
    const read = await kit.request(officer, { method: 'GET', url: `/api/v1/nrm-referrals/${referral.id}` })
    assert.equal(read.json().nrmReference, 'NRM-2026-9')
    assert.deepEqual(read.json().exploitationTypes, ['criminal', 'sexual'])
  })

  test('a referral change with an empty or malformed body is refused with 400, and the referral is unchanged', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const empty = await kit.request(officer, { method: 'PATCH', url: `/api/v1/nrm-referrals/${referral.id}`, payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()), ['version'])
    const malformed = await kit.request(officer, {
      method: 'PATCH',
      url: `/api/v1/nrm-referrals/${referral.id}`,
      payload: { version: 'one', exploitationTypes: [], competentAuthorityId: force.id, referredOn: 'yesterday' },
    })
    assert.equal(malformed.statusCode, 400)
    assert.deepEqual(fieldsOf(malformed.json()).sort(), ['exploitationTypes', 'referredOn', 'version'])
    const notAuthority = await kit.request(officer, { method: 'PATCH', url: `/api/v1/nrm-referrals/${referral.id}`, payload: { version: 1, competentAuthorityId: force.id } })
    assert.deepEqual(fieldsOf(notAuthority.json()), ['competentAuthorityId'])
    const read = await kit.request(officer, { method: 'GET', url: `/api/v1/nrm-referrals/${referral.id}` })
    assert.equal(read.json().version, 1)
    assert.equal(read.json().competentAuthorityId, singleCompetentAuthority.id)
    const unknown = await kit.request(officer, { method: 'PATCH', url: '/api/v1/nrm-referrals/01900000-0000-7000-8000-000000000000', payload: { version: 1 } })
    assert.equal(unknown.statusCode, 404)
  })

  test('a decided referral stays with its authority, and cannot be re-dated after its first decision; the authority cannot edit it', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: daysAgo(20) })
    const decided = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(15) })
    assert.equal(decided.statusCode, 201, decided.body)
    const version = decided.json().version
    const moved = await kit.request(officer, {
      method: 'PATCH',
      url: `/api/v1/nrm-referrals/${referral.id}`,
      payload: { version, competentAuthorityId: immigrationCompetentAuthority.id },
    })
    assert.equal(moved.statusCode, 400)
    assert.deepEqual(fieldsOf(moved.json()), ['competentAuthorityId'])
    const redated = await kit.request(officer, { method: 'PATCH', url: `/api/v1/nrm-referrals/${referral.id}`, payload: { version, referredOn: daysAgo(10) } })
    assert.equal(redated.statusCode, 400)
    assert.deepEqual(fieldsOf(redated.json()), ['referredOn'])
    const byAuthority = await kit.request(decisionMaker, { method: 'PATCH', url: `/api/v1/nrm-referrals/${referral.id}`, payload: { version, nrmReference: 'X' }, purpose: 'NRM decision' })
    assert.equal(byAuthority.statusCode, 403)
    const read = await kit.request(officer, { method: 'GET', url: `/api/v1/nrm-referrals/${referral.id}` })
    assert.equal(read.json().competentAuthorityId, singleCompetentAuthority.id)
    assert.equal(read.json().referredOn, daysAgo(20))
  })

  // ---------------------------------------------------------------- decisions

  test("only a decision-maker of the referral's authority decides: the owner gets 403, others who cannot see the referral 404", async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const body = { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(80) }
    assert.equal((await decide(referral.id, body, officer)).statusCode, 403)
    assert.equal((await decide(referral.id, body, otherAuthorityDecisionMaker)).statusCode, 404)
    await refer(personId, { competentAuthorityId: immigrationCompetentAuthority.id })
    // Now the other authority can see the person, through its own referral, but still not this one.
    assert.equal((await decide(referral.id, body, otherAuthorityDecisionMaker)).statusCode, 404)
    assert.equal((await decide(referral.id, body, otherForceOfficer)).statusCode, 404)
    assert.equal((await decide('01900000-0000-7000-8000-000000000000', body)).statusCode, 404)
    const read = await kit.request(officer, { method: 'GET', url: `/api/v1/nrm-referrals/${referral.id}` })
    assert.deepEqual(read.json().decisions, [])
  })

  test('a decision with an empty or malformed body is refused with 400 naming each field, and nothing is recorded', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const before = await count('nrm_decision')
    const empty = await decide(referral.id, {})
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()).sort(), ['decidedOn', 'outcome', 'stage'])
    const malformed = await decide(referral.id, { stage: 'final', outcome: 'yes', decidedOn: '31/12/2025', conclusiveFinding: 'victim', reconsideration: 'no' })
    assert.equal(malformed.statusCode, 400)
    assert.deepEqual(fieldsOf(malformed.json()).sort(), ['conclusiveFinding', 'decidedOn', 'outcome', 'reconsideration', 'stage'])
    assert.equal(await count('nrm_decision'), before)
  })

  test('reasonable grounds come first: conclusive grounds before any reasonable-grounds decision are refused', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const response = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'negative', decidedOn: daysAgo(1) })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(fieldsOf(response.json()), ['stage'])
  })

  test('conclusive grounds only after a positive reasonable-grounds decision', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const negative = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: daysAgo(85) })
    assert.equal(negative.statusCode, 201, negative.body)
    assert.equal(negative.json().status, 'negative_reasonable_grounds')
    assert.equal(negative.json().decisions[0].recoveryPeriodEndsOn, null)
    const conclusive = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'negative', decidedOn: daysAgo(1) })
    assert.equal(conclusive.statusCode, 400)
    assert.deepEqual(fieldsOf(conclusive.json()), ['stage'])
  })

  test('a positive reasonable-grounds decision starts a 30-day recovery period; conclusive grounds may not be decided before it ends', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: daysAgo(60) })
    const reasonable = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(40) })
    assert.equal(reasonable.statusCode, 201, reasonable.body)
    const decided = reasonable.json()
    assert.equal(decided.version, 2, 'a decision bumps the referral version')
    assert.equal(decided.status, 'awaiting_conclusive_grounds')
    assert.equal(decided.decisions[0].recoveryPeriodEndsOn, daysAgo(10))
    assert.equal(decided.decisions[0].decidedByUserId, decisionMaker.id)

    const early = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'positive', conclusiveFinding: 'human_trafficking', decidedOn: daysAgo(11) })
    assert.equal(early.statusCode, 400)
    assert.deepEqual(fieldsOf(early.json()), ['decidedOn'])
    const onTime = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'positive', conclusiveFinding: 'human_trafficking', decidedOn: daysAgo(10) })
    assert.equal(onTime.statusCode, 201, onTime.body)
    assert.equal(onTime.json().status, 'positive_conclusive_grounds')
    assert.equal(onTime.json().version, 3)
    assert.equal(onTime.json().decisions[1].conclusiveFinding, 'human_trafficking')

    const audit = await kit.db
      .selectFrom('audit_event')
      .select(['action', 'record_type'])
      .where('subject_person_id', '=', personId)
      .where('action', '=', 'RECORD_NRM_DECISION')
      .execute()
    assert.equal(audit.length, 2)
  })

  test('a reasonable-grounds decision made before 30 January 2023 keeps the 45-day recovery period of its time', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: '2022-06-01' })
    const reasonable = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: '2022-06-10' })
    assert.equal(reasonable.statusCode, 201, reasonable.body)
    assert.equal(reasonable.json().decisions[0].recoveryPeriodEndsOn, '2022-07-25')
    const early = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'negative', decidedOn: '2022-07-24' })
    assert.deepEqual(fieldsOf(early.json()), ['decidedOn'])
  })

  test('a positive conclusive decision names its finding; a negative one, or a reasonable-grounds one, must not', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    const findingOnReasonable = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(85), conclusiveFinding: 'human_trafficking' })
    assert.equal(findingOnReasonable.statusCode, 400)
    assert.deepEqual(fieldsOf(findingOnReasonable.json()), ['conclusiveFinding'])
    assert.equal((await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(85) })).statusCode, 201)
    const withoutFinding = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'positive', decidedOn: daysAgo(5) })
    assert.equal(withoutFinding.statusCode, 400)
    assert.deepEqual(fieldsOf(withoutFinding.json()), ['conclusiveFinding'])
    const negativeWithFinding = await decide(referral.id, {
      stage: 'conclusive_grounds',
      outcome: 'negative',
      decidedOn: daysAgo(5),
      conclusiveFinding: 'slavery_servitude_forced_labour',
    })
    assert.equal(negativeWithFinding.statusCode, 400)
    assert.deepEqual(fieldsOf(negativeWithFinding.json()), ['conclusiveFinding'])
    const slavery = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'positive', decidedOn: daysAgo(5), conclusiveFinding: 'slavery_servitude_forced_labour' })
    assert.equal(slavery.statusCode, 201, slavery.body)
  })

  test('a decision is not dated before the referral, nor in the future', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: daysAgo(10) })
    const beforeReferral = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(11) })
    assert.equal(beforeReferral.statusCode, 400)
    assert.deepEqual(fieldsOf(beforeReferral.json()), ['decidedOn'])
    const future = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: addDays(today, 1) })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(fieldsOf(future.json()), ['decidedOn'])
    const sameDay = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(10) })
    assert.equal(sameDay.statusCode, 201, sameDay.body)
  })

  test('one decision per stage; a change is a reconsideration, which replaces the decision in force', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: daysAgo(100) })
    const nothingToReconsider = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(95), reconsideration: true })
    assert.equal(nothingToReconsider.statusCode, 400)
    assert.deepEqual(fieldsOf(nothingToReconsider.json()), ['reconsideration'])
    assert.equal((await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: daysAgo(95) })).statusCode, 201)
    const second = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(90) })
    assert.equal(second.statusCode, 400)
    assert.deepEqual(fieldsOf(second.json()), ['reconsideration'])
    const backdated = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(96), reconsideration: true })
    assert.equal(backdated.statusCode, 400)
    assert.deepEqual(fieldsOf(backdated.json()), ['decidedOn'])
    const reconsidered = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(90), reconsideration: true })
    assert.equal(reconsidered.statusCode, 201, reconsidered.body)
    assert.equal(reconsidered.json().status, 'awaiting_conclusive_grounds')
    assert.deepEqual(reconsidered.json().decisions.map((d: { reconsideration: boolean }) => d.reconsideration), [false, true])

    assert.equal((await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'negative', decidedOn: daysAgo(50) })).statusCode, 201)
    const secondConclusive = await decide(referral.id, { stage: 'conclusive_grounds', outcome: 'positive', conclusiveFinding: 'human_trafficking', decidedOn: daysAgo(20) })
    assert.deepEqual(fieldsOf(secondConclusive.json()), ['reconsideration'])
    const reasonableAfterConclusive = await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: daysAgo(20), reconsideration: true })
    assert.equal(reasonableAfterConclusive.statusCode, 400)
    assert.deepEqual(fieldsOf(reasonableAfterConclusive.json()), ['stage'])
    const conclusiveReconsidered = await decide(referral.id, {
      stage: 'conclusive_grounds',
      outcome: 'positive',
      conclusiveFinding: 'human_trafficking',
      decidedOn: daysAgo(20),
      reconsideration: true,
    })
    assert.equal(conclusiveReconsidered.statusCode, 201)
    assert.equal(conclusiveReconsidered.json().status, 'positive_conclusive_grounds')
  })

  test('the person\'s suspected-trafficking flag is left to the owning agency: a positive decision does not set it', async () => {
    const personId = await newPerson()
    const referral = await refer(personId)
    assert.equal((await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(85) })).statusCode, 201)
    const person = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${personId}` })
    assert.equal(person.json().flags.suspectedTrafficking, false)
  })

  // ---------------------------------------------------------------- the decision-maker's queue

  test("a decision-maker's queue holds their authority's referrals awaiting a decision, oldest first, with due dates and overdue flags", async () => {
    const authority = await kit.agency('competent_authority')
    const maker = await kit.user(authority, ['nrm_decision_maker'])
    const overdue = await refer(await newPerson(), { competentAuthorityId: authority.id, referredOn: daysAgo(30) })
    const fresh = await refer(await newPerson(), { competentAuthorityId: authority.id, referredOn: today })
    const decided = await refer(await newPerson(), { competentAuthorityId: authority.id, referredOn: daysAgo(60) })
    const refused = await refer(await newPerson(), { competentAuthorityId: authority.id, referredOn: daysAgo(60) })
    await refer(await newPerson(), { referredOn: daysAgo(30) }) // another authority's
    assert.equal((await decide(decided.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: daysAgo(50) }, maker)).statusCode, 201)
    assert.equal((await decide(refused.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: daysAgo(50) }, maker)).statusCode, 201)

    const awaitingReasonable = await kit.request(maker, { method: 'GET', url: '/api/v1/nrm-referrals?decision=awaiting_reasonable_grounds', purpose: 'NRM decisions' })
    assert.equal(awaitingReasonable.statusCode, 200, awaitingReasonable.body)
    const page = awaitingReasonable.json()
    assert.equal(page.total, 2)
    assert.deepEqual(page.items.map((item: { id: string }) => item.id), [overdue.id, fresh.id])
    assert.equal(page.items[0].reasonableGroundsDueOn, addWorkingDays(daysAgo(30), 5))
    assert.equal(page.items[0].reasonableGroundsOverdue, true)
    assert.equal(page.items[1].reasonableGroundsOverdue, false)

    const awaitingConclusive = await kit.request(maker, { method: 'GET', url: '/api/v1/nrm-referrals?decision=awaiting_conclusive_grounds', purpose: 'NRM decisions' })
    assert.deepEqual(awaitingConclusive.json().items.map((item: { id: string }) => item.id), [decided.id])
    assert.equal(awaitingConclusive.json().items[0].reasonableGroundsOverdue, false)

    const everything = await kit.request(maker, { method: 'GET', url: '/api/v1/nrm-referrals?pageSize=3&page=2', purpose: 'NRM decisions' })
    assert.equal(everything.json().total, 4)
    assert.equal(everything.json().items.length, 1)
    assert.equal(everything.json().items[0].id, fresh.id)

    const audited = await kit.db
      .selectFrom('audit_event')
      .select('record_id')
      .where('action', '=', 'VIEW_NRM_REFERRAL')
      .where('actor_user_id', '=', maker.id)
      .where('purpose', '=', 'NRM decisions')
      .execute()
    assert.equal(audited.length, 2 + 1 + 1)
  })

  test('the queue is for decision-makers with a purpose, and refuses a malformed query', async () => {
    assert.equal((await kit.request(officer, { method: 'GET', url: '/api/v1/nrm-referrals', purpose: 'x' })).statusCode, 403)
    assert.equal((await kit.request(decisionMaker, { method: 'GET', url: '/api/v1/nrm-referrals' })).statusCode, 403)
    const bad = await kit.request(decisionMaker, { method: 'GET', url: '/api/v1/nrm-referrals?decision=overdue&pageSize=0', purpose: 'NRM decisions' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fieldsOf(bad.json()).sort(), ['query/decision', 'query/pageSize'])
  })

  // ---------------------------------------------------------------- as at a date

  test('nrmStatusOn gives the strongest NRM standing in force on a date', async () => {
    const personId = await newPerson()
    const status = (date: string) => kit.services.trafficking.nrmStatusOn(personId, date)
    assert.equal(await status('2025-01-10'), 'none')
    const first = await refer(personId, { referredOn: '2025-01-10' })
    assert.equal((await decide(first.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: '2025-01-15' })).statusCode, 201)
    assert.equal((await decide(first.id, { stage: 'conclusive_grounds', outcome: 'positive', conclusiveFinding: 'human_trafficking', decidedOn: '2025-03-01' })).statusCode, 201)
    const second = await refer(personId, { referredOn: '2025-06-01', competentAuthorityId: immigrationCompetentAuthority.id })
    assert.equal((await decide(second.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: '2025-06-05' }, otherAuthorityDecisionMaker)).statusCode, 201)

    assert.equal(await status('2025-01-09'), 'none')
    assert.equal(await status('2025-01-10'), 'referred')
    assert.equal(await status('2025-01-14'), 'referred')
    assert.equal(await status('2025-01-15'), 'positive_reasonable_grounds')
    assert.equal(await status('2025-02-28'), 'positive_reasonable_grounds')
    assert.equal(await status('2025-03-01'), 'positive_conclusive_grounds')
    // A later negative referral does not undo the earlier finding.
    assert.equal(await status('2025-07-01'), 'positive_conclusive_grounds')
    await assert.rejects(status('2025-02-30'), /invalid fields/)
  })

  test('nrmStatusOn follows reconsiderations: a positive decision overturned leaves the person referred', async () => {
    const personId = await newPerson()
    const referral = await refer(personId, { referredOn: '2025-01-10' })
    assert.equal((await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: '2025-01-15' })).statusCode, 201)
    assert.equal((await decide(referral.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: '2025-02-01', reconsideration: true })).statusCode, 201)
    assert.equal(await kit.services.trafficking.nrmStatusOn(personId, '2025-01-20'), 'positive_reasonable_grounds')
    assert.equal(await kit.services.trafficking.nrmStatusOn(personId, '2025-02-01'), 'referred')
  })

  // ---------------------------------------------------------------- guardians

  test('the owning agency assigns a guardian, who can then read the child with a purpose; an unassigned guardian gets 404', async () => {
    const personId = await newPerson()
    const before = await kit.request(guardian, { method: 'GET', url: `/api/v1/people/${personId}`, purpose: 'ICTG casework' })
    assert.equal(before.statusCode, 404)
    const response = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/guardian-assignments`,
      payload: { guardianAgencyId: guardianService.id, guardianUserId: guardian.id, role: 'direct_worker', allocatedOn: daysAgo(3) },
    })
    assert.equal(response.statusCode, 201, response.body)
    const assignment = response.json()
    assert.equal(assignment.guardianUserId, guardian.id)
    assert.equal(assignment.role, 'direct_worker')
    assert.equal(assignment.endedOn, null)
    assert.equal(assignment.version, 1)

    const read = await kit.request(guardian, { method: 'GET', url: `/api/v1/people/${personId}`, purpose: 'ICTG casework' })
    assert.equal(read.statusCode, 200, read.body)
    assert.equal(read.json().access, 'guardian')
    const unassigned = await kit.request(unassignedGuardian, { method: 'GET', url: `/api/v1/people/${personId}`, purpose: 'ICTG casework' })
    assert.equal(unassigned.statusCode, 404)
    const audit = await kit.db.selectFrom('audit_event').select(['action', 'recipient_agency_id']).where('record_id', '=', assignment.id).executeTakeFirstOrThrow()
    assert.deepEqual(audit, { action: 'ASSIGN_GUARDIAN', recipient_agency_id: guardianService.id })
  })

  test('ending an assignment ends the guardian\'s access; it cannot end before it began, and a stale version gets 409', async () => {
    const personId = await newPerson()
    const assignment = (
      await kit.request(officer, {
        method: 'POST',
        url: `/api/v1/people/${personId}/guardian-assignments`,
        payload: { guardianAgencyId: guardianService.id, guardianUserId: guardian.id, role: 'regional_practitioner', allocatedOn: daysAgo(10) },
      })
    ).json()
    const tooEarly = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: daysAgo(11) } })
    assert.equal(tooEarly.statusCode, 400)
    assert.deepEqual(fieldsOf(tooEarly.json()), ['endedOn'])
    const ended = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: daysAgo(10) } })
    assert.equal(ended.statusCode, 200, ended.body)
    assert.equal(ended.json().endedOn, daysAgo(10))
    assert.equal(ended.json().version, 2)
    const stale = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: null } })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
    const read = await kit.request(guardian, { method: 'GET', url: `/api/v1/people/${personId}`, purpose: 'ICTG casework' })
    assert.equal(read.statusCode, 404)
  })

  test('an assignment change with an empty or malformed body is refused with 400; unknown ids 404; strangers 404', async () => {
    const personId = await newPerson()
    const assignment = (
      await kit.request(officer, {
        method: 'POST',
        url: `/api/v1/people/${personId}/guardian-assignments`,
        payload: { guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: daysAgo(10) },
      })
    ).json()
    const empty = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()), ['version'])
    const malformed = await kit.request(officer, {
      method: 'PATCH',
      url: `/api/v1/guardian-assignments/${assignment.id}`,
      payload: { version: 1, endedOn: 'today', role: 'mentor', guardianUserId: 'me' },
    })
    assert.equal(malformed.statusCode, 400)
    assert.deepEqual(fieldsOf(malformed.json()).sort(), ['endedOn', 'guardianUserId', 'role'])
    const notAGuardian = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, guardianUserId: otherServiceGuardian.id } })
    assert.deepEqual(fieldsOf(notAGuardian.json()), ['guardianUserId'])
    const future = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: addDays(today, 1) } })
    assert.deepEqual(fieldsOf(future.json()), ['endedOn'])
    const unknown = await kit.request(officer, { method: 'PATCH', url: '/api/v1/guardian-assignments/01900000-0000-7000-8000-000000000000', payload: { version: 1 } })
    assert.equal(unknown.statusCode, 404)
    const byStranger = await kit.request(otherForceOfficer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: today } })
    assert.equal(byStranger.statusCode, 404)
    const byOtherService = await kit.request(otherServiceGuardian, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, endedOn: today } })
    assert.equal(byOtherService.statusCode, 404)
    const unchanged = await kit.db.selectFrom('ictg_assignment').select(['version', 'ended_on', 'guardian_user_id']).where('id', '=', assignment.id).executeTakeFirstOrThrow()
    assert.deepEqual(unchanged, { version: 1, ended_on: null, guardian_user_id: null })

    // The service itself names the guardian later.
    const named = await kit.request(guardian, { method: 'PATCH', url: `/api/v1/guardian-assignments/${assignment.id}`, payload: { version: 1, guardianUserId: guardian.id } })
    assert.equal(named.statusCode, 200, named.body)
    assert.equal(named.json().guardianUserId, guardian.id)
  })

  test('an assignment names a guardian service and, optionally, one of its guardians; a bad body is refused and nothing recorded', async () => {
    const personId = await newPerson()
    const before = await count('ictg_assignment')
    const post = (payload: Record<string, unknown>, by: TestUser = officer) => kit.request(by, { method: 'POST', url: `/api/v1/people/${personId}/guardian-assignments`, payload })
    const empty = await post({})
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()).sort(), ['allocatedOn', 'guardianAgencyId', 'role'])
    const malformed = await post({ guardianAgencyId: 'barnardos', guardianUserId: 42, role: 'advocate', allocatedOn: '2026-13-01' })
    assert.deepEqual(fieldsOf(malformed.json()).sort(), ['allocatedOn', 'guardianAgencyId', 'guardianUserId', 'role'])
    const notAService = await post({ guardianAgencyId: force.id, role: 'direct_worker', allocatedOn: daysAgo(1) })
    assert.deepEqual(fieldsOf(notAService.json()), ['guardianAgencyId'])
    const otherServicesGuardian = await post({ guardianAgencyId: guardianService.id, guardianUserId: otherServiceGuardian.id, role: 'direct_worker', allocatedOn: daysAgo(1) })
    assert.deepEqual(fieldsOf(otherServicesGuardian.json()), ['guardianUserId'])
    const notAGuardianRole = await post({ guardianAgencyId: guardianService.id, guardianUserId: guardianServiceAdministrator.id, role: 'direct_worker', allocatedOn: daysAgo(1) })
    assert.deepEqual(fieldsOf(notAGuardianRole.json()), ['guardianUserId'])
    const future = await post({ guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: addDays(today, 1) })
    assert.deepEqual(fieldsOf(future.json()), ['allocatedOn'])
    assert.equal(await count('ictg_assignment'), before)
  })

  test('a guardian service allocates its own guardians to a child it cannot yet read, but no one else\'s; strangers get 404', async () => {
    const personId = await newPerson()
    const post = (payload: Record<string, unknown>, by: TestUser, id = personId) => kit.request(by, { method: 'POST', url: `/api/v1/people/${id}/guardian-assignments`, payload })
    const own = await post({ guardianAgencyId: guardianService.id, guardianUserId: unassignedGuardian.id, role: 'post_18_worker', allocatedOn: daysAgo(1) }, guardian)
    assert.equal(own.statusCode, 201, own.body)
    const someoneElses = await post({ guardianAgencyId: otherGuardianService.id, role: 'direct_worker', allocatedOn: daysAgo(1) }, guardian)
    assert.equal(someoneElses.statusCode, 403)
    const byAdministrator = await post({ guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: daysAgo(1) }, guardianServiceAdministrator)
    assert.equal(byAdministrator.statusCode, 404)
    const unknownPerson = await post({ guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: daysAgo(1) }, guardian, '01900000-0000-7000-8000-000000000000')
    assert.equal(unknownPerson.statusCode, 404)
    const byOtherForce = await post({ guardianAgencyId: guardianService.id, role: 'direct_worker', allocatedOn: daysAgo(1) }, otherForceOfficer)
    assert.equal(byOtherForce.statusCode, 404)
    const read = await kit.request(unassignedGuardian, { method: 'GET', url: `/api/v1/people/${personId}`, purpose: 'ICTG casework' })
    assert.equal(read.statusCode, 200)
  })
  test("a child's assignments are read by the child's readers, current first, each read audited; strangers get 404", async () => {
    const personId = await newPerson()
    const assign = async (payload: Record<string, unknown>) => {
      const response = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/guardian-assignments`, payload: { guardianAgencyId: guardianService.id, role: 'direct_worker', ...payload } })
      assert.equal(response.statusCode, 201, response.body)
      return response.json() as { id: string; version: number }
    }
    const list = (by: TestUser, purpose?: string) => kit.request(by, { method: 'GET', url: `/api/v1/people/${personId}/guardian-assignments`, purpose })
    const none = await list(officer)
    assert.equal(none.statusCode, 200)
    assert.deepEqual(none.json(), [])
    const emptyAudit = await kit.db.selectFrom('audit_event').select(['record_id']).where('subject_person_id', '=', personId).where('action', '=', 'VIEW_GUARDIAN_ASSIGNMENT').execute()
    assert.deepEqual(emptyAudit, [{ record_id: null }], 'finding none is itself a consultation')

    const earlier = await assign({ allocatedOn: daysAgo(30) })
    const ended = await kit.request(officer, { method: 'PATCH', url: `/api/v1/guardian-assignments/${earlier.id}`, payload: { version: earlier.version, endedOn: daysAgo(5) } })
    assert.equal(ended.statusCode, 200, ended.body)
    const current = await assign({ allocatedOn: daysAgo(40), guardianUserId: guardian.id })
    const listed = await list(officer)
    assert.deepEqual(listed.json().map((item: { id: string }) => item.id), [current.id, earlier.id], 'the current assignment first, though allocated before the ended one')
    assert.equal(listed.json()[1].endedOn, daysAgo(5))

    // The assigned guardian reads them (with a purpose, the child being another agency's); a stranger cannot.
    assert.equal((await list(guardian, 'ICTG casework')).statusCode, 200)
    assert.equal((await list(guardian)).statusCode, 403, 'a purpose is asked for')
    assert.equal((await list(otherForceOfficer, 'Curious')).statusCode, 404)
    assert.equal((await list(unassignedGuardian, 'ICTG casework')).statusCode, 404)
    const one = await kit.request(guardian, { method: 'GET', url: `/api/v1/guardian-assignments/${current.id}`, purpose: 'ICTG casework' })
    assert.equal(one.statusCode, 200, one.body)
    assert.equal(one.json().guardianUserId, guardian.id)
    assert.equal((await kit.request(otherForceOfficer, { method: 'GET', url: `/api/v1/guardian-assignments/${current.id}`, purpose: 'Curious' })).statusCode, 404)
    const audited = await kit.db.selectFrom('audit_event').select(['record_id', 'purpose']).where('actor_user_id', '=', guardian.id).where('action', '=', 'VIEW_GUARDIAN_ASSIGNMENT').execute()
    assert.deepEqual(audited.map((row) => row.record_id).sort(), [current.id, current.id, earlier.id].sort())
    assert.ok(audited.every((row) => row.purpose === 'ICTG casework'))
  })

  test('the guardian directory names the guardians of guardian services; a guardian service sees only its own; others are refused', async () => {
    const directory = await kit.services.users.guardianDirectory(officer.actor)
    const ids = directory.map((entry) => entry.id)
    assert.ok(ids.includes(guardian.id) && ids.includes(unassignedGuardian.id) && ids.includes(otherServiceGuardian.id))
    assert.ok(!ids.includes(guardianServiceAdministrator.id), 'only the guardian role')
    assert.deepEqual(directory.find((entry) => entry.id === guardian.id), { id: guardian.id, agencyId: guardianService.id, displayName: 'Test ictg_guardian', active: true })
    const own = await kit.services.users.guardianDirectory(guardian.actor)
    assert.ok(own.every((entry) => entry.agencyId === guardianService.id) && own.some((entry) => entry.id === unassignedGuardian.id))
    await assert.rejects(kit.services.users.guardianDirectory(guardianServiceAdministrator.actor), /does not allocate or read children/)
  })
})
