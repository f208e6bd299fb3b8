import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { reasonableGroundsDueAt } from './deadlines.rules.ts'

const HOUR = 3_600_000

interface TaskBody {
  id: string
  kind: string
  episodeId: string | null
  state: string
  dueAt: string
  closedAt: string | null
  closedReason: string | null
  doneOnTime: boolean | null
  ownerAgencyId: string
  ownerRole: string
  ownerUserId: string | null
  escalatedToRole: string | null
  version: number
}

describe('statutory deadlines as tasks with owners', () => {
  let kit: TestKit
  let force: TestAgency
  let officer: TestUser
  let coordinator: TestUser
  let otherForceOfficer: TestUser
  let forceAdministrator: TestUser
  let authority: TestAgency
  let socialWorker: TestUser
  let careLead: TestUser
  let decisionMaker: TestUser
  let otherDecisionMaker: TestUser

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    forceAdministrator = await kit.user(force, ['administrator'])
    otherForceOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    authority = await kit.agency('local_authority')
    socialWorker = await kit.user(authority, ['social_worker'])
    careLead = await kit.user(authority, ['missing_from_care_lead'])
    const competentAuthority = await kit.agency('competent_authority')
    decisionMaker = await kit.user(competentAuthority, ['nrm_decision_maker'])
    otherDecisionMaker = await kit.user(competentAuthority, ['nrm_decision_maker'])
  })
  after(() => kit.close())

  // Every instant in a test is counted from one moment, so deadlines compare exactly.
  const at = (anchor: number, hoursFromAnchor: number) => new Date(anchor + hoursFromAnchor * HOUR).toISOString()

  async function person(owner: TestUser): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  async function policeEpisode(startedAt: string, risk: Record<string, unknown> = {}) {
    const personId = await person(officer)
    const response = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${personId}/episodes`,
      payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'medium', rationale: 'Out of character', ...risk } },
    })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string; version: number; personId: string }
  }

  async function end(user: TestUser, episode: { id: string }, endedAt: string) {
    const current = (await kit.request(user, { method: 'GET', url: `/api/v1/episodes/${episode.id}` })).json()
    const response = await kit.request(user, {
      method: 'POST',
      url: `/api/v1/episodes/${episode.id}/end`,
      payload: { version: current.version, endedAt, outcome: 'returned', returnMethod: 'returned_voluntarily' },
    })
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as { id: string; version: number }
  }

  async function reopen(user: TestUser, episode: { id: string; version: number }) {
    const response = await kit.request(user, { method: 'POST', url: `/api/v1/episodes/${episode.id}/reopen`, payload: { version: episode.version, reason: 'not_the_person' } })
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as { id: string; version: number; open: boolean }
  }

  async function tasksOf(user: TestUser, query: string): Promise<TaskBody[]> {
    const response = await kit.request(user, { method: 'GET', url: `/api/v1/tasks?${query}` })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().items
  }

  async function task(user: TestUser, episodeId: string, kind: string): Promise<TaskBody | undefined> {
    return (await tasksOf(user, `state=all&episodeId=${episodeId}&kind=${kind}`))[0]
  }

  const notificationsOf = (userId: string, linkPath: string) =>
    kit.db.selectFrom('notification').select(['kind', 'link_path']).where('user_id', '=', userId).where('link_path', '=', linkPath).execute()

  // ---------------------------------------------------------------- UK Missing Persons Unit at 72 hours

  test('a police report makes a UK Missing Persons Unit task due 72 hours after last seen, owned by the reporting officer', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -10))
    const ukmpu = await task(officer, episode.id, 'ukmpu_notification')
    assert.ok(ukmpu)
    assert.equal(ukmpu.state, 'due')
    assert.equal(ukmpu.dueAt, at(anchor, 62))
    assert.equal(ukmpu.ownerAgencyId, force.id)
    assert.equal(ukmpu.ownerRole, 'police_officer')
    assert.equal(ukmpu.ownerUserId, officer.id)
  })

  test('the UK Missing Persons Unit task is done when the notification is recorded, and open again if it is withdrawn', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -80))
    assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.state, 'overdue')
    const notified = await kit.request(officer, { method: 'PATCH', url: `/api/v1/episodes/${episode.id}`, payload: { version: episode.version, ukmpuNotifiedAt: at(anchor, -9) } })
    assert.equal(notified.statusCode, 200, notified.body)
    const done = await task(officer, episode.id, 'ukmpu_notification')
    assert.equal(done?.state, 'done')
    assert.equal(done?.closedReason, 'notified')
    assert.equal(done?.closedAt, at(anchor, -9))
    assert.equal(done?.doneOnTime, true, 'notified 71 hours after last seen')
    const withdrawn = await kit.request(officer, { method: 'PATCH', url: `/api/v1/episodes/${episode.id}`, payload: { version: notified.json().version, ukmpuNotifiedAt: null } })
    assert.equal(withdrawn.statusCode, 200, withdrawn.body)
    assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.state, 'overdue')
  })

  test('found at 71 hours: the notification is not needed, and nothing escalates when the 72 hours pass', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -100))
    await end(officer, episode, at(anchor, -29)) // 71 hours after last seen
    const ukmpu = await task(officer, episode.id, 'ukmpu_notification')
    assert.equal(ukmpu?.state, 'cancelled')
    assert.equal(ukmpu?.closedReason, 'found_before_due')
    assert.equal(ukmpu?.closedAt, at(anchor, -29))
    await kit.services.deadlines.escalateOverdue()
    assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.escalatedToRole, null)
  })

  test('found at 73 hours without a notification: the task stays overdue and escalates to the missing person coordinator', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -100))
    await end(officer, episode, at(anchor, -27)) // 73 hours after last seen
    const ukmpu = await task(officer, episode.id, 'ukmpu_notification')
    assert.equal(ukmpu?.state, 'overdue')
    assert.ok((await kit.services.deadlines.escalateOverdue()) >= 1)
    const escalated = await task(coordinator, episode.id, 'ukmpu_notification')
    assert.equal(escalated?.escalatedToRole, 'missing_person_coordinator')
    assert.deepEqual(await notificationsOf(coordinator.id, `/tasks/${ukmpu?.id}`), [{ kind: 'task_escalated', link_path: `/tasks/${ukmpu?.id}` }])
    assert.deepEqual(await notificationsOf(officer.id, `/tasks/${ukmpu?.id}`), [], 'the officer is not the supervisor')
    const events = await kit.db.selectFrom('outbox_event').select('type').where('subject_id', '=', ukmpu?.id ?? '').where('type', '=', 'task.escalated').execute()
    assert.equal(events.length, 1)
    // Escalation happens once.
    await kit.services.deadlines.escalateOverdue()
    assert.equal((await notificationsOf(coordinator.id, `/tasks/${ukmpu?.id}`)).length, 1)
  })

  test('an open task escalates when the clock passes its deadline, not before', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -70))
    const ukmpu = await task(officer, episode.id, 'ukmpu_notification')
    assert.equal(ukmpu?.state, 'due')
    await kit.services.deadlines.escalateOverdue()
    assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.escalatedToRole, null)
    kit.clock.advance(3 * HOUR)
    try {
      assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.state, 'overdue')
      await kit.services.deadlines.escalateOverdue()
      assert.equal((await task(officer, episode.id, 'ukmpu_notification'))?.escalatedToRole, 'missing_person_coordinator')
    } finally {
      kit.clock.reset()
    }
  })

  test('an episode reopened after being found at 71 hours: the notification is needed again, and is already overdue', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -100))
    const ended = await end(officer, episode, at(anchor, -29))
    assert.equal((await task(officer, episode.id, 'prevention_interview'))?.state, 'due')
    const reopened = await reopen(officer, ended)
    assert.equal(reopened.open, true)
    const ukmpu = await task(officer, episode.id, 'ukmpu_notification')
    assert.equal(ukmpu?.state, 'overdue')
    assert.equal(ukmpu?.closedAt, null)
    assert.equal(ukmpu?.dueAt, at(anchor, -28))
    const prevention = await task(officer, episode.id, 'prevention_interview')
    assert.equal(prevention?.state, 'cancelled')
    assert.equal(prevention?.closedReason, 'episode_reopened')
    assert.equal((await task(officer, episode.id, 'risk_review'))?.state, 'overdue', 'the risk is reviewed again at once')
  })

  test('reopening is refused for an open episode, and when the person has another open episode', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -5))
    const open = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/reopen`, payload: { version: episode.version, reason: 'recorded_in_error' } })
    assert.equal(open.statusCode, 409)
    const ended = await end(officer, episode, at(anchor, -4))
    const later = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${episode.personId}/episodes`,
      payload: { startedAt: at(anchor, -2), initialRisk: { assessedAt: at(anchor, -2), grade: 'low', rationale: 'Again' } },
    })
    assert.equal(later.statusCode, 201, later.body)
    const refused = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${ended.id}/reopen`, payload: { version: ended.version, reason: 'recorded_in_error' } })
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().detail, /rule 574/)
    const badReason = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${ended.id}/reopen`, payload: { version: ended.version, reason: 'because' } })
    assert.equal(badReason.statusCode, 400)
    const audit = await kit.db.selectFrom('audit_event').select('action').where('record_id', '=', ended.id).where('action', '=', 'REOPEN_EPISODE').execute()
    assert.equal(audit.length, 0, 'a refused reopening changes nothing')
  })

  // ---------------------------------------------------------------- after the return: interviews

  test('the police prevention interview is due on return and done when recorded', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -30))
    await end(officer, episode, at(anchor, -20))
    const due = await task(officer, episode.id, 'prevention_interview')
    assert.equal(due?.state, 'due')
    assert.equal(due?.dueAt, at(anchor, 52))
    const recorded = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/episodes/${episode.id}/prevention-interview`,
      payload: { conductedAt: at(anchor, -2), method: 'face_to_face', harmDisclosed: false },
    })
    assert.equal(recorded.statusCode, 201, recorded.body)
    const done = await task(officer, episode.id, 'prevention_interview')
    assert.equal(done?.state, 'done')
    assert.equal(done?.closedAt, at(anchor, -2))
    assert.equal(done?.doneOnTime, true)
  })

  test("a child's return makes a return home interview task due in 72 hours for the local authority; offering it is done", async () => {
    const anchor = Date.now()
    const personId = await person(socialWorker)
    const created = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload: { startedAt: at(anchor, -30), laCategory: 'M' } })
    assert.equal(created.statusCode, 201, created.body)
    const episode = created.json()
    assert.equal(await task(socialWorker, episode.id, 'ukmpu_notification'), undefined, 'the police notify the UKMPU, not the authority')
    await end(socialWorker, episode, at(anchor, -20))
    const due = await task(careLead, episode.id, 'return_home_interview')
    assert.equal(due?.state, 'due')
    assert.equal(due?.dueAt, at(anchor, 52))
    assert.equal(due?.ownerAgencyId, authority.id)
    assert.equal(due?.ownerRole, 'social_worker')
    const offered = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/episodes/${episode.id}/return-home-interview`, payload: { offeredAt: at(anchor, -5) } })
    assert.equal(offered.statusCode, 201, offered.body)
    const done = await task(socialWorker, episode.id, 'return_home_interview')
    assert.equal(done?.state, 'done')
    assert.equal(done?.closedReason, 'interview_offered')
  })

  test('a return home interview due, then the episode reopened: the interview is cancelled; the next return makes it due again from then', async () => {
    const anchor = Date.now()
    const personId = await person(socialWorker)
    const created = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload: { startedAt: at(anchor, -30), laCategory: 'M' } })
    assert.equal(created.statusCode, 201, created.body)
    const ended = await end(socialWorker, created.json(), at(anchor, -20))
    const first = await task(socialWorker, ended.id, 'return_home_interview')
    assert.equal(first?.state, 'due')
    const reopened = await reopen(socialWorker, ended)
    const cancelled = await task(socialWorker, reopened.id, 'return_home_interview')
    assert.equal(cancelled?.state, 'cancelled')
    assert.equal(cancelled?.closedReason, 'episode_reopened')
    assert.deepEqual(await tasksOf(socialWorker, `state=open&episodeId=${reopened.id}&kind=return_home_interview`), [], 'nothing outstanding while missing again')
    // Found again: 72 hours from this return, not the first.
    await end(socialWorker, reopened, at(anchor, -2))
    const again = await task(socialWorker, reopened.id, 'return_home_interview')
    assert.equal(again?.state, 'due')
    assert.equal(again?.dueAt, at(anchor, 70))
    assert.equal(again?.escalatedToRole, null)
  })

  test('an A (away, whereabouts known) episode makes no return home interview task', async () => {
    const anchor = Date.now()
    const personId = await person(socialWorker)
    const episode = (await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload: { startedAt: at(anchor, -6), laCategory: 'A' } })).json()
    await end(socialWorker, episode, at(anchor, -5))
    assert.equal(await task(socialWorker, episode.id, 'return_home_interview'), undefined)
  })

  // ---------------------------------------------------------------- risk reviews at the grade's interval

  test('a risk review is due at the interval the grade sets, or when the assessor set it; a re-grade completes it and sets the next', async () => {
    const anchor = Date.now()
    const high = await policeEpisode(at(anchor, -1), { grade: 'high' })
    assert.equal((await task(officer, high.id, 'risk_review'))?.dueAt, at(anchor, 3), 'high: 4 hours')
    const low = await policeEpisode(at(anchor, -1), { grade: 'low' })
    assert.equal((await task(officer, low.id, 'risk_review'))?.dueAt, at(anchor, 23), 'low: 24 hours')
    const set = await policeEpisode(at(anchor, -1), { grade: 'medium', nextReviewDueAt: at(anchor, 1) })
    const first = await task(officer, set.id, 'risk_review')
    assert.equal(first?.dueAt, at(anchor, 1), "the assessor's time wins")

    const regraded = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/episodes/${set.id}/risk-assessments`,
      payload: { version: set.version, assessedAt: at(anchor, -0.5), grade: 'high', rationale: 'Seen with an adult of concern' },
    })
    assert.equal(regraded.statusCode, 201, regraded.body)
    const reviews = await tasksOf(officer, `state=all&episodeId=${set.id}&kind=risk_review`)
    const previous = reviews.find((review) => review.id === first?.id)
    assert.equal(previous?.state, 'done')
    assert.equal(previous?.closedReason, 'reviewed')
    const next = reviews.find((review) => review.id !== first?.id)
    assert.equal(next?.state, 'due')
    assert.equal(next?.dueAt, at(anchor, 3.5))

    await end(officer, regraded.json(), at(anchor, -0.25))
    const afterEnd = await tasksOf(officer, `state=all&episodeId=${set.id}&kind=risk_review`)
    assert.equal(afterEnd.find((review) => review.id === next?.id)?.state, 'cancelled')
  })

  // ---------------------------------------------------------------- NRM reasonable grounds at 5 working days

  test('an NRM referral gives its competent authority a reasonable-grounds task due at the end of the fifth working day', async () => {
    const personId = await person(socialWorker)
    // Wednesday 26 November 2025: the weekend of 29-30 November is inside the five working days.
    const referral = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/nrm-referrals`,
      payload: { competentAuthorityId: decisionMaker.agency.id, referredOn: '2025-11-26', exploitationTypes: ['criminal'], countyLines: true, exploitationLocation: 'uk', ageAtExploitation: 'child' },
    })
    assert.equal(referral.statusCode, 201, referral.body)
    assert.equal(referral.json().reasonableGroundsDueOn, '2025-12-03')
    const tasks = await tasksOf(decisionMaker, 'state=all&kind=nrm_reasonable_grounds')
    const rg = tasks.find((item) => item.ownerAgencyId === decisionMaker.agency.id && item.state !== 'done')
    assert.ok(rg)
    assert.equal(rg.dueAt, '2025-12-04T00:00:00.000Z', 'due by the end of Wednesday 3 December, London time')
    assert.equal(rg.state, 'overdue')
    assert.equal(rg.ownerRole, 'nrm_decision_maker')

    const decided = await kit.request(decisionMaker, {
      method: 'POST',
      url: `/api/v1/nrm-referrals/${referral.json().id}/decisions`,
      purpose: 'Reasonable grounds decision',
      payload: { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: '2025-12-02' },
    })
    assert.equal(decided.statusCode, 201, decided.body)
    const done = (await tasksOf(otherDecisionMaker, 'state=done&kind=nrm_reasonable_grounds')).find((item) => item.id === rg.id)
    assert.equal(done?.closedReason, 'decided')
  })

  test('an NRM referral the day before Easter: Good Friday, the weekend and Easter Monday are not among the 5 working days', async () => {
    const personId = await person(socialWorker)
    // Thursday 2 April 2026: Friday 3 (Good Friday), 4-5 (the weekend) and Monday 6 (Easter Monday) do not count.
    const referral = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/nrm-referrals`,
      payload: { competentAuthorityId: decisionMaker.agency.id, referredOn: '2026-04-02', exploitationTypes: ['labour'], countyLines: false, exploitationLocation: 'uk', ageAtExploitation: 'child' },
    })
    assert.equal(referral.statusCode, 201, referral.body)
    assert.equal(referral.json().reasonableGroundsDueOn, '2026-04-13')
    const tasks = await kit.db.selectFrom('task').select(['due_at', 'owner_agency_id', 'owner_role']).where('referral_id', '=', referral.json().id).execute()
    assert.deepEqual(tasks, [{ due_at: new Date('2026-04-13T23:00:00.000Z'), owner_agency_id: decisionMaker.agency.id, owner_role: 'nrm_decision_maker' }], 'the end of Monday 13 April, London summer time')
  })

  test('the reasonable-grounds deadline skips bank holidays and follows London time in summer', () => {
    // Friday 19 December 2025: Christmas Day and Boxing Day fall inside; due Tuesday 30 December.
    assert.equal(reasonableGroundsDueAt('2025-12-19').toISOString(), '2025-12-31T00:00:00.000Z')
    // Monday 30 June 2025: due Monday 7 July, ending at midnight BST (23:00 UTC).
    assert.equal(reasonableGroundsDueAt('2025-06-30').toISOString(), '2025-07-07T23:00:00.000Z')
  })

  // ---------------------------------------------------------------- the task list and its scope

  test("tasks are listed for the owning agency's case workers only: others get 404, administrators 403", async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -1))
    const mine = await tasksOf(officer, 'mine=true&state=open')
    assert.ok(mine.some((item) => item.episodeId === episode.id && item.kind === 'ukmpu_notification'))
    assert.ok(mine.every((item) => item.ownerUserId === officer.id))
    assert.ok(mine.every((item) => item.state === 'due' || item.state === 'overdue'))
    const coordinators = await tasksOf(coordinator, `episodeId=${episode.id}`)
    assert.equal(coordinators.length, 2, 'the notification and the risk review')
    assert.deepEqual(await tasksOf(otherForceOfficer, `state=all&episodeId=${episode.id}`), [])
    const someone = coordinators[0]
    const elsewhere = await kit.request(otherForceOfficer, { method: 'GET', url: `/api/v1/tasks/${someone?.id}` })
    assert.equal(elsewhere.statusCode, 404)
    const admin = await kit.request(forceAdministrator, { method: 'GET', url: '/api/v1/tasks' })
    assert.equal(admin.statusCode, 403)
    const bad = await kit.request(officer, { method: 'GET', url: '/api/v1/tasks?state=late' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /state/)
  })

  test('every task change is published to the owning agency', async () => {
    const anchor = Date.now()
    const episode = await policeEpisode(at(anchor, -1))
    const events = await kit.db
      .selectFrom('outbox_event')
      .select(['type', 'payload', 'audience'])
      .where('episode_id', '=', episode.id)
      .orderBy('seq')
      .execute()
    assert.deepEqual(
      events.map((event) => event.type),
      ['episode.reported', 'task.created', 'task.created'],
    )
    const created = events.filter((event) => event.type === 'task.created')
    assert.deepEqual(created.map((event) => event.payload.kind).sort(), ['risk_review', 'ukmpu_notification'])
    assert.deepEqual(created[0]?.audience, [{ agencyId: force.id, roles: ['call_handler', 'police_officer', 'missing_person_coordinator'], userId: null }])
  })
})
