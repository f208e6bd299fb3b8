import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

describe('interviews after an episode', () => {
  let kit: TestKit
  let officer: TestUser
  let socialWorker: TestUser

  async function endedEpisode(user: TestUser, startedHoursAgo: number, endedHoursAgo: number) {
    const person = (await kit.request(user, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const startedAt = hoursAgo(startedHoursAgo)
    const payload = user.agency.kind === 'police_force'
      ? { startedAt, initialRisk: { assessedAt: startedAt, grade: 'low', rationale: 'Known to return' } }
      : { startedAt, laCategory: 'M' }
    const episode = (await kit.request(user, { method: 'POST', url: `/api/v1/people/${person.id}/episodes`, payload })).json()
    const ended = await kit.request(user, { method: 'POST', url: `/api/v1/episodes/${episode.id}/end`, payload: { version: episode.version, endedAt: hoursAgo(endedHoursAgo), outcome: 'returned', returnMethod: 'returned_voluntarily' } })
    assert.equal(ended.statusCode, 200, ended.body)
    return ended.json() as { id: string }
  }

  before(async () => {
    kit = await startTestKit()
    officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    socialWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
  })
  after(() => kit.close())

  test('a return home interview completed 71 hours after return is within 72 hours; one at 73 hours is not', async () => {
    const onTime = await endedEpisode(socialWorker, 100, 80)
    const done = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/episodes/${onTime.id}/return-home-interview`,
      payload: { offeredAt: hoursAgo(79), accepted: true, completedAt: hoursAgo(9), interviewerIndependent: true, exploitationIndicators: ['cce'] },
    })
    assert.equal(done.statusCode, 201, done.body)
    assert.equal(done.json().within72Hours, true)
    const late = await endedEpisode(socialWorker, 200, 180)
    const lateDone = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/episodes/${late.id}/return-home-interview`,
      payload: { offeredAt: hoursAgo(170), accepted: true, completedAt: hoursAgo(107) },
    })
    assert.equal(lateDone.statusCode, 201, lateDone.body)
    assert.equal(lateDone.json().within72Hours, false)
    // returned 180 hours ago, so due 108 hours ago
    assert.ok(Math.abs(Date.parse(lateDone.json().dueBy) - Date.parse(hoursAgo(108))) < 5_000)
  })

  test('offered, accepted, completed come in order; a completed interview needs acceptance', async () => {
    const episode = await endedEpisode(socialWorker, 50, 40)
    const response = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/episodes/${episode.id}/return-home-interview`,
      payload: { accepted: false, completedAt: hoursAgo(1) },
    })
    assert.equal(response.statusCode, 400)
    const fields = response.json().errors.map((e: { field: string }) => e.field)
    assert.deepEqual(fields.sort(), ['accepted', 'completedAt', 'offeredAt'])
    const offered = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/episodes/${episode.id}/return-home-interview`, payload: { offeredAt: hoursAgo(30) } })
    assert.equal(offered.statusCode, 201)
    const accepted = await kit.request(socialWorker, { method: 'PATCH', url: `/api/v1/return-home-interviews/${offered.json().id}`, payload: { version: 1, accepted: true, completedAt: hoursAgo(2) } })
    assert.equal(accepted.statusCode, 200, accepted.body)
    assert.equal(accepted.json().within72Hours, true)
    const stale = await kit.request(socialWorker, { method: 'PATCH', url: `/api/v1/return-home-interviews/${offered.json().id}`, payload: { version: 1, pushFactors: 'x' } })
    assert.equal(stale.statusCode, 409)
  })

  test('a prevention interview is done or has a recorded reason, and follows a police episode only', async () => {
    const episode = await endedEpisode(officer, 10, 5)
    const neither = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/prevention-interview`, payload: {} })
    assert.equal(neither.statusCode, 400)
    assert.equal(neither.json().errors[0].field, 'conductedAt')
    const declined = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/prevention-interview`, payload: { notConductedReason: 'Declined; parent present' } })
    assert.equal(declined.statusCode, 201, declined.body)
    const again = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/prevention-interview`, payload: { conductedAt: hoursAgo(1), method: 'face_to_face' } })
    assert.equal(again.statusCode, 409)
    const councilEpisode = await endedEpisode(socialWorker, 10, 5)
    const wrongKind = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/episodes/${councilEpisode.id}/prevention-interview`, payload: { conductedAt: hoursAgo(1) } })
    assert.equal(wrongKind.statusCode, 409)
    const malformed = await kit.request(officer, { method: 'PATCH', url: `/api/v1/prevention-interviews/${declined.json().id}`, payload: { version: 'one', method: 'telepathy' } })
    assert.equal(malformed.statusCode, 400)
    assert.deepEqual(malformed.json().errors.map((e: { field: string }) => e.field).sort(), ['method', 'version'])
  })

  test('no interview before the episode has ended', async () => {
    const person = (await kit.request(socialWorker, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const episode = (await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${person.id}/episodes`, payload: { startedAt: hoursAgo(3), laCategory: 'A' } })).json()
    const response = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/episodes/${episode.id}/return-home-interview`, payload: { offeredAt: hoursAgo(1) } })
    assert.equal(response.statusCode, 409)
  })
})
