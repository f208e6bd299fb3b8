import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

// A read of an episode checks access and writes its audit row in one statement, and a create writes the episode,
// its risk assessment and their audit rows in one (docs/adr/0021): these tests pin down that both answer and log
// exactly as the step-by-step versions did.

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

describe('an episode read and an episode create, each in as few statements as the rules allow', () => {
  let kit: TestKit
  let officer: TestUser
  let otherOfficer: TestUser
  let socialWorker: TestUser
  let policeEpisode: { id: string; personId: string }
  let councilEpisode: { id: string; personId: string }

  const viewsOf = (episodeId: string) =>
    kit.db.selectFrom('audit_event').selectAll().where('action', '=', 'VIEW_EPISODE').where('record_id', '=', episodeId).orderBy('seq').execute()

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    socialWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
    const person = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const started = hoursAgo(3)
    const reported = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${person.id}/episodes`,
      payload: { startedAt: started, initialRisk: { assessedAt: started, grade: 'high', rationale: 'Not answering phone' } },
    })
    policeEpisode = reported.json()
    const child = (await kit.request(socialWorker, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    councilEpisode = (
      await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${child.id}/episodes`, payload: { startedAt: hoursAgo(4), laCategory: 'M' } })
    ).json()
    const linked = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${policeEpisode.id}/links`, payload: { version: 1, otherEpisodeId: councilEpisode.id } })
    assert.equal(linked.statusCode, 200, linked.body)
  })
  after(() => kit.close())

  test('an allowed read returns the episode and writes one VIEW_EPISODE row naming the person, the actor and the purpose', async () => {
    const response = await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${policeEpisode.id}`, purpose: 'daily review' })
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.json().id, policeEpisode.id)
    assert.equal(response.json().riskAssessments.length, 1)
    const views = await viewsOf(policeEpisode.id)
    assert.equal(views.length, 1)
    const [view] = views
    assert.equal(view?.subject_person_id, policeEpisode.personId)
    assert.equal(view?.record_type, 'missing_episode')
    assert.equal(view?.operation, 'consultation')
    assert.equal(view?.actor_user_id, officer.id)
    assert.equal(view?.actor_agency_id, officer.agency.id)
    assert.equal(view?.purpose, 'daily review')
    assert.equal(view?.detail, null)
  })

  test('a linked force reads the other agency’s episode only with a purpose, and only the allowed read is logged', async () => {
    const withoutPurpose = await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${councilEpisode.id}` })
    assert.equal(withoutPurpose.statusCode, 403)
    assert.equal(withoutPurpose.json().title, 'Purpose required')
    assert.equal((await viewsOf(councilEpisode.id)).length, 0, 'a refused read writes no audit row, as before')
    const withPurpose = await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${councilEpisode.id}`, purpose: 'locate missing child' })
    assert.equal(withPurpose.statusCode, 200, withPurpose.body)
    const views = await viewsOf(councilEpisode.id)
    assert.deepEqual(
      views.map((view) => [view.actor_user_id, view.subject_person_id, view.purpose]),
      [[officer.id, councilEpisode.personId, 'locate missing child']],
    )
  })

  test('no access is 404 "Person was not found", an unknown id 404 "Episode was not found", and neither is logged', async () => {
    const before = await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const noAccess = await kit.request(otherOfficer, { method: 'GET', url: `/api/v1/episodes/${policeEpisode.id}`, purpose: 'curious' })
    assert.equal(noAccess.statusCode, 404)
    assert.equal(noAccess.json().detail, 'Person was not found')
    const unknown = await kit.request(officer, { method: 'GET', url: '/api/v1/episodes/0190a5b2-0000-7000-8000-000000000000' })
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().detail, 'Episode was not found')
    const afterCount = await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(afterCount.n), Number(before.n))
  })

  test('a read whose audit row cannot be written returns nothing (the row and the read are one statement)', async () => {
    await sql`create function refuse_view_episode() returns trigger language plpgsql as $$
      begin
        if new.action = 'VIEW_EPISODE' then raise exception 'audit store unavailable'; end if;
        return new;
      end $$`.execute(kit.db)
    await sql`create trigger refuse_view_episode before insert on audit_event for each row execute function refuse_view_episode()`.execute(kit.db)
    try {
      const before = (await viewsOf(policeEpisode.id)).length
      const response = await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${policeEpisode.id}` })
      assert.equal(response.statusCode, 500)
      assert.ok(!response.body.includes(policeEpisode.personId), 'nothing of the episode is returned')
      assert.equal((await viewsOf(policeEpisode.id)).length, before)
    } finally {
      await sql`drop trigger refuse_view_episode on audit_event`.execute(kit.db)
      await sql`drop function refuse_view_episode()`.execute(kit.db)
    }
  })

  test('the rows written by one-statement reads keep every lane chain intact', async () => {
    for (let i = 0; i < 5; i += 1) await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${policeEpisode.id}` })
    const result = await kit.services.audit.verifyChain()
    assert.deepEqual(result.problems, [])
    assert.ok(result.checked > 5)
  })

  test('a create returns the episode exactly as a read of it then does, and writes its audit rows in order', async () => {
    const person = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json()
    const started = hoursAgo(2)
    const created = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${person.id}/episodes`,
      payload: {
        startedAt: started,
        incidentReference: 'KNT-2026-1121-0099',
        lastSeen: { place: 'Ashford station', postcode: 'tn23 1aa' },
        initialRisk: { assessedAt: started, grade: 'medium', rationale: 'Known associates', answers: { q3: { answer: 'yes', explanation: 'Aged 15' } } },
      },
    })
    assert.equal(created.statusCode, 201, created.body)
    const read = await kit.request(officer, { method: 'GET', url: `/api/v1/episodes/${created.json().id}` })
    const { hoursMissing: _created, ...fromCreate } = created.json()
    const { hoursMissing: _read, ...fromRead } = read.json()
    assert.deepEqual(fromCreate, fromRead)
    const audit = await kit.db
      .selectFrom('audit_event')
      .select(['action', 'record_type', 'record_id', 'detail'])
      .where('subject_person_id', '=', person.id)
      .where('action', '!=', 'CREATE_PERSON')
      .orderBy('seq')
      .execute()
    assert.deepEqual(audit, [
      { action: 'CREATE_EPISODE', record_type: 'missing_episode', record_id: fromCreate.id, detail: null },
      { action: 'RECORD_RISK_ASSESSMENT', record_type: 'risk_assessment', record_id: fromCreate.riskAssessments[0].id, detail: '{"grade":"medium"}' },
      { action: 'VIEW_EPISODE', record_type: 'missing_episode', record_id: fromCreate.id, detail: null },
    ])
    assert.deepEqual((await kit.services.audit.verifyChain()).problems, [])
  })

  test('a refused create writes nothing: another agency’s person, a linked force, an open episode, an overlapping period', async () => {
    const count = async () =>
      Number((await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) +
      Number((await kit.db.selectFrom('missing_episode').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    const started = hoursAgo(1)
    const report = (user: TestUser, personId: string, startedAt = started) =>
      kit.request(user, {
        method: 'POST',
        url: `/api/v1/people/${personId}/episodes`,
        payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'low', rationale: 'Late home' } },
      })
    const notTheirs = await report(otherOfficer, policeEpisode.personId)
    assert.equal(notTheirs.statusCode, 404)
    assert.equal(notTheirs.json().detail, 'Person was not found')
    const linkedOnly = await report(officer, councilEpisode.personId)
    assert.equal(linkedOnly.statusCode, 403)
    assert.equal(linkedOnly.json().detail, 'Only the agency that recorded this person can change it')
    const second = await report(officer, policeEpisode.personId)
    assert.equal(second.statusCode, 409)
    assert.equal(
      second.json().detail,
      `The person already has an open episode (${policeEpisode.id}): end it before opening another (SSDA903 rule 574)`,
    )
    assert.equal(await count(), before)

    const ended = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/episodes/${policeEpisode.id}/end`,
      // Version 2: linked to the council's episode.
      payload: { version: 2, endedAt: hoursAgo(1), outcome: 'found', returnMethod: 'found_by_police' },
    })
    assert.equal(ended.statusCode, 200, ended.body)
    const afterEnd = await count()
    const overlapping = await report(officer, policeEpisode.personId, hoursAgo(2))
    assert.equal(overlapping.statusCode, 409)
    assert.equal(
      overlapping.json().detail,
      `This period overlaps the person's episode ${policeEpisode.id}: missing periods must not overlap (SSDA903 rule 574)`,
    )
    assert.equal(await count(), afterEnd)
  })
})
