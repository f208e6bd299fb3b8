import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import type { PersonInput } from '../people/people.schemas.ts'

// The board filters behind the home pages' counts: review overdue, actions overdue, M or A.

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()
const hoursAhead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString()

let kit: TestKit
let officer: TestUser
let socialWorker: TestUser

async function policeEpisode(nextReviewDueAt: string | null) {
  const person = await kit.services.people.create(officer.actor, personBody() as PersonInput)
  const startedAt = hoursAgo(10)
  return kit.services.episodes.create(officer.actor, person.id, {
    startedAt,
    initialRisk: { assessedAt: hoursAgo(9), grade: 'medium', rationale: 'Out of character', nextReviewDueAt },
  })
}

before(async () => {
  kit = await startTestKit()
  officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  socialWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
})
after(() => kit.close())

test('reviewOverdue lists open episodes whose latest assessment is past its review time', async () => {
  const late = await policeEpisode(hoursAgo(1))
  const onTime = await policeEpisode(hoursAhead(3))
  const regraded = await policeEpisode(hoursAgo(2))
  // A newer assessment with a future review replaces the overdue one.
  await kit.services.episodes.recordRiskAssessment(officer.actor, regraded.id, {
    version: regraded.version, assessedAt: hoursAgo(0.5), grade: 'high', rationale: 'Seen with an older man', nextReviewDueAt: hoursAhead(1),
  })
  const listed = await kit.services.episodes.listForAgency(officer.actor, { reviewOverdue: true })
  assert.deepEqual(listed.items.map((item) => item.id), [late.id])
  assert.ok(!listed.items.some((item) => item.id === onTime.id))
})

test('actionsOverdue lists episodes with an action past due and not completed', async () => {
  const withLate = await policeEpisode(null)
  const withDone = await policeEpisode(null)
  await kit.services.episodes.recordAction(officer.actor, withLate.id, { kind: 'cctv', description: 'Station CCTV', dueAt: hoursAgo(1) })
  const done = await kit.services.episodes.recordAction(officer.actor, withDone.id, { kind: 'cctv', description: 'Bus CCTV', dueAt: hoursAgo(1) })
  await kit.services.episodes.updateAction(officer.actor, done.id, { version: done.version, completedAt: hoursAgo(0.5), result: 'Nothing seen' })
  const listed = await kit.services.episodes.listForAgency(officer.actor, { actionsOverdue: true })
  assert.deepEqual(listed.items.map((item) => item.id), [withLate.id])
  assert.equal(listed.items[0]?.overdueActions, 1)
})

test('laCategory separates children missing (M) from away without authorisation (A)', async () => {
  const missingChild = await kit.services.people.create(socialWorker.actor, personBody() as PersonInput)
  const awayChild = await kit.services.people.create(socialWorker.actor, personBody() as PersonInput)
  const missing = await kit.services.episodes.create(socialWorker.actor, missingChild.id, { startedAt: hoursAgo(5), laCategory: 'M' })
  const away = await kit.services.episodes.create(socialWorker.actor, awayChild.id, { startedAt: hoursAgo(5), laCategory: 'A' })
  assert.deepEqual((await kit.services.episodes.listForAgency(socialWorker.actor, { open: true, laCategory: 'M' })).items.map((item) => item.id), [missing.id])
  assert.deepEqual((await kit.services.episodes.listForAgency(socialWorker.actor, { open: true, laCategory: 'A' })).items.map((item) => item.id), [away.id])
})
