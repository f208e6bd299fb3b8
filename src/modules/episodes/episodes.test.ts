import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

const initialRisk = (assessedAt: string, grade = 'medium') => ({
  assessedAt,
  grade,
  rationale: 'Looked-after child, not answering phone, known associates in another town',
  answers: { q3: { answer: 'yes', explanation: 'Aged 15' }, q16: { answer: 'unknown' } },
  vulnerabilityFlags: ['looked_after_child', 'cce'],
  informationSource: 'Duty manager, children’s home',
  informationObtainedAt: assessedAt,
  nextReviewDueAt: new Date(Date.parse(assessedAt) + 6 * 3_600_000).toISOString(),
})

describe('missing episodes', () => {
  let kit: TestKit
  let officer: TestUser
  let coordinator: TestUser
  let socialWorker: TestUser
  let otherOfficer: TestUser

  async function newPerson(user: TestUser, overrides: Record<string, unknown> = {}) {
    const response = await kit.request(user, { method: 'POST', url: '/api/v1/people', payload: personBody(overrides) })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string; version: number }
  }

  async function report(user: TestUser, personId: string, startedAt: string, extra: Record<string, unknown> = {}) {
    const payload = user.agency.kind === 'police_force' ? { startedAt, initialRisk: initialRisk(startedAt), ...extra } : { startedAt, laCategory: 'M', ...extra }
    return kit.request(user, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload })
  }

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    const council = await kit.agency('local_authority')
    officer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    socialWorker = await kit.user(council, ['social_worker'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  })
  after(() => kit.close())

  test('a police report carries the initial risk grade, the 25 questions and a UKMPU notification due 72 hours on', async () => {
    const person = await newPerson(officer)
    const startedAt = hoursAgo(5)
    const response = await report(officer, person.id, startedAt, { incidentReference: 'KNT-2026-1121-0042', lastSeen: { place: 'Ashford station', postcode: 'tn23 1aa' } })
    assert.equal(response.statusCode, 201, response.body)
    const episode = response.json()
    assert.equal(episode.recordedBy, 'police')
    assert.equal(episode.open, true)
    assert.equal(episode.currentRiskGrade, 'medium')
    assert.equal(episode.riskAssessments.length, 1)
    assert.equal(episode.riskAssessments[0].isInitial, true)
    assert.deepEqual(episode.riskAssessments[0].answers.q3, { answer: 'yes', explanation: 'Aged 15' })
    assert.equal(episode.lastSeen.postcode, 'TN23 1AA')
    assert.equal(Date.parse(episode.ukmpuNotificationDueAt) - Date.parse(startedAt), 72 * 3_600_000)
  })

  test('a police report without a risk grade, or a local authority one without M or A, is refused naming the field', async () => {
    const person = await newPerson(officer)
    const noRisk = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${person.id}/episodes`, payload: { startedAt: hoursAgo(1) } })
    assert.equal(noRisk.statusCode, 400)
    assert.deepEqual(noRisk.json().errors.map((e: { field: string }) => e.field), ['initialRisk'])
    const child = await newPerson(socialWorker)
    const noCategory = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${child.id}/episodes`, payload: { startedAt: hoursAgo(1) } })
    assert.equal(noCategory.statusCode, 400)
    assert.deepEqual(noCategory.json().errors.map((e: { field: string }) => e.field), ['laCategory'])
  })

  test('malformed bodies on every episode operation give 400 with the failing fields and change nothing', async () => {
    const person = await newPerson(officer)
    const episode = (await report(officer, person.id, hoursAgo(3))).json()
    const cases: [string, string, unknown, string[]][] = [
      ['POST', `/api/v1/people/${person.id}/episodes`, {}, ['startedAt']],
      ['POST', `/api/v1/people/${person.id}/episodes`, { startedAt: 'yesterday', initialRisk: { grade: 'severe' } }, ['startedAt', 'initialRisk/assessedAt', 'initialRisk/grade', 'initialRisk/rationale']],
      ['PATCH', `/api/v1/episodes/${episode.id}`, { lastSeen: { postcode: 'NOT A CODE' } }, ['version']],
      ['PATCH', `/api/v1/episodes/${episode.id}`, { version: 1, lastSeen: { postcode: 'NOT A CODE' } }, ['lastSeen/postcode']],
      ['POST', `/api/v1/episodes/${episode.id}/end`, { version: 1, outcome: 'vanished' }, ['endedAt', 'outcome']],
      ['POST', `/api/v1/episodes/${episode.id}/risk-assessments`, { version: 1, assessedAt: hoursAgo(1), grade: 'high', rationale: '', answers: { q26: { answer: 'yes' } } }, ['rationale', 'answers/q26']],
      ['POST', `/api/v1/episodes/${episode.id}/actions`, { kind: 'séance', description: '' }, ['kind', 'description']],
      ['POST', `/api/v1/episodes/${episode.id}/sightings`, { seenAt: 42 }, ['seenAt', 'place']],
      ['POST', `/api/v1/episodes/${episode.id}/links`, { version: 1, otherEpisodeId: 'not-an-id' }, ['otherEpisodeId']],
    ]
    for (const [method, url, payload, fields] of cases) {
      const response = await kit.request(officer, { method: method as 'POST', url, payload: payload as object })
      assert.equal(response.statusCode, 400, `${method} ${url}: ${response.body}`)
      const got = response.json().errors.map((e: { field: string }) => e.field)
      for (const field of fields) assert.ok(got.includes(field), `${method} ${url}: ${field} in ${got.join(', ')}`)
    }
    const unchanged = (await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${episode.id}` })).json()
    assert.equal(unchanged.version, 1)
    assert.equal(unchanged.actions.length, 0)
    assert.equal(unchanged.sightings.length, 0)
  })

  test('SSDA903 rule 574: a second open episode, or an overlapping period, is refused', async () => {
    const person = await newPerson(officer)
    const first = (await report(officer, person.id, hoursAgo(48))).json()
    const second = await report(officer, person.id, hoursAgo(2))
    assert.equal(second.statusCode, 409)
    assert.match(second.json().detail, /574/)
    await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${first.id}/end`, payload: { version: 1, endedAt: hoursAgo(24), outcome: 'found', returnMethod: 'found_by_police' } })
    const overlapping = await report(officer, person.id, hoursAgo(30))
    assert.equal(overlapping.statusCode, 409)
    const after = await report(officer, person.id, hoursAgo(24))
    assert.equal(after.statusCode, 201, 'a period may start the moment the last one ended')
  })

  test('SSDA903 rules 567 and 586: an end before the start, or a start before the date of birth, is refused', async () => {
    const person = await newPerson(officer, { dateOfBirth: { earliest: '2010-05-01', latest: '2010-05-01', source: 'documented' } })
    const episode = (await report(officer, person.id, hoursAgo(10))).json()
    const backwards = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/end`, payload: { version: 1, endedAt: hoursAgo(11), outcome: 'returned' } })
    assert.equal(backwards.statusCode, 400)
    assert.equal(backwards.json().errors[0].field, 'endedAt')
    const beforeBirth = await kit.request(officer, { method: 'PATCH', url: `/api/v1/episodes/${episode.id}`, payload: { version: 1, startedAt: '2010-05-01T10:00:00Z' } })
    assert.equal(beforeBirth.statusCode, 400)
    assert.match(beforeBirth.json().errors[0].message, /586/)
  })

  test('an A that becomes an M is two linked episodes, the end of one the start of the next', async () => {
    const child = await newPerson(socialWorker)
    const away = (await report(socialWorker, child.id, hoursAgo(20), { laCategory: 'A' })).json()
    const switchedAt = hoursAgo(8)
    const ended = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/episodes/${away.id}/end`, payload: { version: 1, endedAt: switchedAt, outcome: 'returned' } })
    assert.equal(ended.statusCode, 200, ended.body)
    const sameCategory = await report(socialWorker, child.id, switchedAt, { laCategory: 'A', continuesEpisodeId: away.id })
    assert.equal(sameCategory.statusCode, 400)
    const missing = await report(socialWorker, child.id, switchedAt, { laCategory: 'M', continuesEpisodeId: away.id })
    assert.equal(missing.statusCode, 201, missing.body)
    assert.equal(missing.json().continuesEpisodeId, away.id)
    assert.equal(missing.json().laCategory, 'M')
  })

  test('re-grading keeps the risk history and refuses a stale version', async () => {
    const person = await newPerson(officer)
    const episode = (await report(officer, person.id, hoursAgo(6))).json()
    const regraded = await kit.request(coordinator, {
      method: 'POST',
      url: `/api/v1/episodes/${episode.id}/risk-assessments`,
      payload: { version: 1, ...initialRisk(hoursAgo(1), 'high'), rationale: 'Seen with an adult linked to county lines' },
    })
    assert.equal(regraded.statusCode, 201, regraded.body)
    const body = regraded.json()
    assert.equal(body.currentRiskGrade, 'high')
    assert.deepEqual(body.riskAssessments.map((r: { grade: string }) => r.grade), ['medium', 'high'])
    assert.equal(body.version, 2)
    const stale = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/risk-assessments`, payload: { version: 1, ...initialRisk(hoursAgo(1), 'low') } })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
  })

  test('actions log: an action past its due time is overdue until completed; sightings must follow the last sighting', async () => {
    const person = await newPerson(officer)
    const episode = (await report(officer, person.id, hoursAgo(12))).json()
    const action = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/actions`, payload: { kind: 'cctv', description: 'Check station CCTV', dueAt: hoursAgo(1) } })
    assert.equal(action.statusCode, 201, action.body)
    assert.equal(action.json().overdue, true)
    const board = (await kit.request(coordinator, { method: 'GET', url: '/api/v1/episodes?open=true' })).json()
    assert.equal(board.items.find((item: { id: string }) => item.id === episode.id)?.overdueActions, 1)
    const done = await kit.request(officer, { method: 'PATCH', url: `/api/v1/episode-actions/${action.json().id}`, payload: { version: 1, completedAt: hoursAgo(0.5), result: 'Seen boarding a train to London' } })
    assert.equal(done.statusCode, 200, done.body)
    assert.equal(done.json().overdue, false)
    const early = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/sightings`, payload: { seenAt: hoursAgo(13), place: 'High Street' } })
    assert.equal(early.statusCode, 400)
    const sighting = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/sightings`, payload: { seenAt: hoursAgo(2), place: 'London Victoria', postcode: 'SW1V 1JU' } })
    assert.equal(sighting.statusCode, 201, sighting.body)
    assert.equal(sighting.json().sightings[0].postcode, 'SW1V 1JU')
  })

  test('the force board lists open episodes high risk first, and only its own', async () => {
    const low = await newPerson(coordinator)
    const high = await newPerson(coordinator)
    await report(coordinator, low.id, hoursAgo(30), { initialRisk: initialRisk(hoursAgo(30), 'low') })
    await report(coordinator, high.id, hoursAgo(3), { initialRisk: initialRisk(hoursAgo(3), 'high') })
    const board = (await kit.request(coordinator, { method: 'GET', url: '/api/v1/episodes?open=true&pageSize=100' })).json()
    const grades = board.items.map((item: { currentRiskGrade: string }) => item.currentRiskGrade)
    assert.equal(grades[0], 'high')
    assert.ok(grades.indexOf('high') < grades.indexOf('low'))
    const theirs = (await kit.request(otherOfficer, { method: 'GET', url: '/api/v1/episodes?open=true' })).json()
    assert.equal(theirs.total, 0)
  })

  test("linking a police incident with the council's record lets the force read the child's record, with a purpose", async () => {
    const child = await newPerson(socialWorker)
    const councilEpisode = (await report(socialWorker, child.id, hoursAgo(10))).json()
    const policeRecord = await newPerson(officer)
    const policeEpisode = (await report(officer, policeRecord.id, hoursAgo(9))).json()
    const before = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${child.id}`, purpose: 'locate missing child' })
    assert.equal(before.statusCode, 404)
    const linked = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${policeEpisode.id}/links`, payload: { version: 1, otherEpisodeId: councilEpisode.id } })
    assert.equal(linked.statusCode, 200, linked.body)
    assert.equal(linked.json().linkedEpisodeId, councilEpisode.id)
    const withoutPurpose = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${child.id}` })
    assert.equal(withoutPurpose.statusCode, 403)
    assert.equal(withoutPurpose.json().title, 'Purpose required')
    const withPurpose = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${child.id}`, purpose: 'locate missing child' })
    assert.equal(withPurpose.statusCode, 200)
    assert.equal(withPurpose.json().access, 'linked')
    const audit = await kit.db.selectFrom('audit_event').select(['action', 'purpose']).where('subject_person_id', '=', child.id).where('actor_user_id', '=', officer.id).execute()
    assert.deepEqual(audit.map((e) => [e.action, e.purpose]), [['LINK_EPISODES', null], ['VIEW_PERSON', 'locate missing child']])
    const edit = await kit.request(officer, { method: 'PATCH', url: `/api/v1/episodes/${councilEpisode.id}`, payload: { version: 2, clothing: 'red coat' } })
    assert.equal(edit.statusCode, 403, 'a linked force reads the council record but cannot change it')
  })

  test("another force cannot see or change an episode, and an unknown id is 404", async () => {
    const person = await newPerson(officer)
    const episode = (await report(officer, person.id, hoursAgo(2))).json()
    assert.equal((await kit.request(otherOfficer, { method: 'GET', url: `/api/v1/episodes/${episode.id}`, purpose: 'x' })).statusCode, 404)
    assert.equal((await kit.request(otherOfficer, { method: 'POST', url: `/api/v1/episodes/${episode.id}/end`, payload: { version: 1, endedAt: hoursAgo(1), outcome: 'found' } })).statusCode, 404)
    assert.equal((await kit.request(officer, { method: 'GET', url: '/api/v1/episodes/0190a5b2-0000-7000-8000-000000000000' })).statusCode, 404)
  })
})
