import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import type { PersonInput } from '../people/people.schemas.ts'

// The local authority's worklist of outstanding return home interviews (due within 72 hours, or overdue).

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

let kit: TestKit
let socialWorker: TestUser
let otherCouncil: TestUser
let officer: TestUser

async function endedEpisode(user: TestUser, startedHoursAgo: number, endedHoursAgo: number) {
  const person = await kit.services.people.create(user.actor, personBody() as PersonInput)
  const episode = await kit.services.episodes.create(user.actor, person.id, { startedAt: hoursAgo(startedHoursAgo), laCategory: 'M' })
  const endedAt = hoursAgo(endedHoursAgo)
  await kit.services.episodes.end(user.actor, episode.id, { version: episode.version, endedAt, outcome: 'returned' })
  return { personId: person.id, episodeId: episode.id, endedAt }
}

before(async () => {
  kit = await startTestKit()
  const council = await kit.agency('local_authority')
  socialWorker = await kit.user(council, ['social_worker'])
  otherCouncil = await kit.user(await kit.agency('local_authority'), ['social_worker'])
  officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
})
after(() => kit.close())

test('returns within 72 hours are due, older ones overdue; completed, declined or not-conducted ones drop out', async () => {
  const dueSoon = await endedEpisode(socialWorker, 30, 20)
  const overdue = await endedEpisode(socialWorker, 120, 100)
  const offeredNotDone = await endedEpisode(socialWorker, 40, 30)
  const completed = await endedEpisode(socialWorker, 60, 50)
  const declined = await endedEpisode(socialWorker, 200, 150)
  const notConducted = await endedEpisode(socialWorker, 300, 250)
  await endedEpisode(otherCouncil, 30, 20)
  const interviews = kit.services.interviews
  await interviews.recordReturnHomeInterview(socialWorker.actor, offeredNotDone.episodeId, { offeredAt: hoursAgo(29) })
  await interviews.recordReturnHomeInterview(socialWorker.actor, completed.episodeId, { offeredAt: hoursAgo(49), accepted: true, completedAt: hoursAgo(10) })
  await interviews.recordReturnHomeInterview(socialWorker.actor, declined.episodeId, { offeredAt: hoursAgo(140), accepted: false })
  await interviews.recordReturnHomeInterview(socialWorker.actor, notConducted.episodeId, { notConductedReason: 'Child moved out of the area' })

  const due = await interviews.outstandingReturnHomeInterviews(socialWorker.actor, { window: 'due' })
  assert.deepEqual(due.items.map((item) => item.episodeId), [offeredNotDone.episodeId, dueSoon.episodeId], 'soonest due first')
  assert.equal(due.total, 2)
  assert.ok(due.items.every((item) => !item.overdue))
  assert.ok(due.items[0]?.offeredAt, 'the offer is shown')
  assert.equal(due.items[1]?.dueBy.getTime(), Date.parse(dueSoon.endedAt) + 72 * 3_600_000, 'due 72 hours after the return')

  const late = await interviews.outstandingReturnHomeInterviews(socialWorker.actor, { window: 'overdue' })
  assert.deepEqual(late.items.map((item) => item.episodeId), [overdue.episodeId])
  assert.equal(late.items[0]?.overdue, true)
})

test('each row listed is audited, and only local authorities have the worklist', async () => {
  const { personId } = await endedEpisode(socialWorker, 10, 5)
  await kit.services.interviews.outstandingReturnHomeInterviews(socialWorker.actor, { window: 'due' })
  const audited = await kit.db.selectFrom('audit_event').select('action').where('subject_person_id', '=', personId).where('action', '=', 'LIST_EPISODES').execute()
  assert.ok(audited.length >= 1)
  await assert.rejects(kit.services.interviews.outstandingReturnHomeInterviews(officer.actor, { window: 'due' }), { status: 403 })
})
