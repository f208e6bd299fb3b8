import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { recordEvent } from '../events/events.service.ts'
import { IDENTITY_MATCH_ALERT_PROBABILITY } from './alerts.rules.ts'

// Real ONS codes: Kent places a child in Manchester, so Manchester is the host authority and Greater Manchester
// Police the host force (alerts/reference/police-force-of-authority.csv).
const KENT = 'E10000016'
const MANCHESTER = 'E08000003'
const KENT_POLICE = 'E23000032'
const GREATER_MANCHESTER_POLICE = 'E23000005'

const HOUR = 3_600_000
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString()
const daysAgo = (days: number) => hoursAgo(days * 24)

interface AlertBody {
  id: string
  rule: string
  personId: string
  episodeId: string
  agencyId: string
  roles: string[]
  userId: string | null
  detail: Record<string, unknown>
  acknowledgedAt: string | null
  acknowledgedByUserId: string | null
  escalatedToRole: string | null
  version: number
}

describe('alerts: who must know, told at once', () => {
  let kit: TestKit
  let kent: TestAgency
  let kentWorker: TestUser
  let kentLead: TestUser
  let manchesterWorker: TestUser
  let kentPolice: TestAgency
  let kentOfficer: TestUser
  let kentCoordinator: TestUser
  let gmpOfficer: TestUser
  let gmpCoordinator: TestUser
  let metOfficer: TestUser
  let decisionMaker: TestUser
  let guardian: TestUser
  let otherGuardian: TestUser

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    kentWorker = await kit.user(kent, ['social_worker'])
    kentLead = await kit.user(kent, ['missing_from_care_lead'])
    const manchester = await kit.agency('local_authority', { code: MANCHESTER, name: 'Manchester' })
    manchesterWorker = await kit.user(manchester, ['social_worker'])
    kentPolice = await kit.agency('police_force', { code: KENT_POLICE, name: 'Kent Police' })
    kentOfficer = await kit.user(kentPolice, ['police_officer'])
    kentCoordinator = await kit.user(kentPolice, ['missing_person_coordinator'])
    const gmp = await kit.agency('police_force', { code: GREATER_MANCHESTER_POLICE, name: 'Greater Manchester Police' })
    gmpOfficer = await kit.user(gmp, ['police_officer'])
    gmpCoordinator = await kit.user(gmp, ['missing_person_coordinator'])
    metOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    decisionMaker = await kit.user(await kit.agency('competent_authority'), ['nrm_decision_maker'])
    const guardianService = await kit.agency('ictg_service')
    guardian = await kit.user(guardianService, ['ictg_guardian'])
    otherGuardian = await kit.user(guardianService, ['ictg_guardian'])
  })
  after(() => kit.close())

  async function person(owner: TestUser): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  async function placeInManchester(personId: string) {
    const response = await kit.request(kentWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/care-episodes`,
      payload: { startedOn: '2026-01-05', reasonForNewEpisode: 'S', legalStatus: 'C2', categoryOfNeed: 'N1', placementType: 'K2', placementProvider: 'PR4', homePostcode: 'ME14 1XQ', placementPostcode: 'M1 1AE' },
    })
    assert.equal(response.statusCode, 201, response.body)
    assert.equal(response.json().outOfArea, true)
  }

  async function missing(user: TestUser, personId: string, startedAt: string, category: 'M' | 'A' | null = 'M') {
    const payload = category
      ? { startedAt, laCategory: category }
      : { startedAt, initialRisk: { assessedAt: startedAt, grade: 'high', rationale: 'Known to be exploited' } }
    const response = await kit.request(user, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string; version: number }
  }

  async function end(user: TestUser, episode: { id: string; version: number }, endedAt: string) {
    const response = await kit.request(user, { method: 'POST', url: `/api/v1/episodes/${episode.id}/end`, payload: { version: episode.version, endedAt, outcome: 'returned' } })
    assert.equal(response.statusCode, 200, response.body)
  }

  async function alertsOf(user: TestUser, query = ''): Promise<AlertBody[]> {
    const response = await kit.request(user, { method: 'GET', url: `/api/v1/alerts?pageSize=100${query}` })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().items
  }

  const alertsFor = async (user: TestUser, episodeId: string, query = '') => (await alertsOf(user, query)).filter((alert) => alert.episodeId === episodeId)

  // ---------------------------------------------------------------- a child placed out of area goes missing

  test('a child placed in Manchester goes missing: the host authority and the host force are alerted, nobody else', async () => {
    const personId = await person(kentWorker)
    await placeInManchester(personId)
    const episode = await missing(kentWorker, personId, hoursAgo(2))
    const [host] = await alertsFor(manchesterWorker, episode.id)
    assert.equal(host?.rule, 'placed_child_missing')
    assert.deepEqual(host?.roles, ['social_worker', 'missing_from_care_lead'])
    assert.equal(typeof host?.detail.careEpisodeId, 'string')
    const [hostForce] = await alertsFor(gmpOfficer, episode.id)
    assert.equal(hostForce?.rule, 'placed_child_missing')
    for (const uninvolved of [kentWorker, kentOfficer, metOfficer, decisionMaker]) assert.deepEqual(await alertsFor(uninvolved, episode.id), [])
    // Published to each recipient, and emailed as a link.
    const raised = await kit.db.selectFrom('outbox_event').select(['audience']).where('episode_id', '=', episode.id).where('type', '=', 'alert.raised').execute()
    assert.equal(raised.length, 2)
    const emails = await kit.db.selectFrom('notification').select(['kind', 'link_path']).where('user_id', '=', manchesterWorker.id).where('link_path', '=', `/alerts/${host?.id}`).execute()
    assert.deepEqual(emails, [{ kind: 'alert_raised', link_path: `/alerts/${host?.id}` }])
  })

  test('away without authorisation (A) is not missing: no alert', async () => {
    const personId = await person(kentWorker)
    await placeInManchester(personId)
    const episode = await missing(kentWorker, personId, hoursAgo(2), 'A')
    assert.deepEqual(await alertsFor(manchesterWorker, episode.id), [])
  })

  // ---------------------------------------------------------------- a child with an open NRM referral goes missing

  test('a child with an open NRM referral goes missing: the decision-maker and the assigned guardian are alerted', async () => {
    const personId = await person(kentWorker)
    const referral = await kit.services.trafficking.createReferral(kentWorker.actor, personId, {
      competentAuthorityId: decisionMaker.agency.id,
      referredOn: '2026-10-01',
      exploitationTypes: ['criminal'],
      countyLines: true,
      exploitationLocation: 'uk',
      ageAtExploitation: 'child',
    })
    await kit.services.trafficking.assignGuardian(kentWorker.actor, personId, { guardianAgencyId: guardian.agency.id, guardianUserId: guardian.id, role: 'direct_worker', allocatedOn: '2026-10-02' })
    const episode = await missing(kentWorker, personId, hoursAgo(1))
    const [authority] = await alertsFor(decisionMaker, episode.id)
    assert.equal(authority?.rule, 'referred_child_missing')
    assert.deepEqual(authority?.detail.referralIds, [referral.id])
    const [guardianAlert] = await alertsFor(guardian, episode.id)
    assert.equal(guardianAlert?.userId, guardian.id)
    assert.deepEqual(await alertsFor(otherGuardian, episode.id), [], 'only the assigned guardian')
  })

  test('a referral closed by a negative reasonable-grounds decision alerts nobody', async () => {
    const personId = await person(kentWorker)
    const referral = await kit.services.trafficking.createReferral(kentWorker.actor, personId, {
      competentAuthorityId: decisionMaker.agency.id,
      referredOn: '2026-10-01',
      exploitationTypes: ['labour'],
      countyLines: false,
      exploitationLocation: 'uk',
      ageAtExploitation: 'child',
    })
    await kit.services.trafficking.recordDecision({ ...decisionMaker.actor, purpose: 'Decision' }, referral.id, { stage: 'reasonable_grounds', outcome: 'negative', decidedOn: '2026-10-06' })
    const episode = await missing(kentWorker, personId, hoursAgo(1))
    assert.deepEqual(await alertsFor(decisionMaker, episode.id), [])
  })

  // ---------------------------------------------------------------- the third time in 90 days

  test('the third missing episode in 90 days alerts the coordinator; two in the window do not', async () => {
    const personId = await person(kentOfficer)
    await end(kentOfficer, await missing(kentOfficer, personId, daysAgo(125), null), daysAgo(124))
    await end(kentOfficer, await missing(kentOfficer, personId, daysAgo(60), null), daysAgo(59))
    const second = await missing(kentOfficer, personId, daysAgo(30), null)
    assert.deepEqual(await alertsFor(kentCoordinator, second.id), [], 'the episode 95 days before it is outside its window')
    await end(kentOfficer, second, daysAgo(29))
    const third = await missing(kentOfficer, personId, hoursAgo(3), null)
    const [repeat] = await alertsFor(kentCoordinator, third.id)
    assert.equal(repeat?.rule, 'repeat_missing')
    assert.equal(repeat?.detail.missingEpisodesIn90Days, 3)
    assert.deepEqual(repeat?.roles, ['missing_person_coordinator'])
    assert.deepEqual(await alertsFor(kentOfficer, third.id), [], 'addressed to the coordinator')
  })

  test("an authority's A episodes are not counted as missing", async () => {
    const personId = await person(kentWorker)
    await end(kentWorker, await missing(kentWorker, personId, daysAgo(20), 'A'), daysAgo(19))
    await end(kentWorker, await missing(kentWorker, personId, daysAgo(10), 'M'), daysAgo(9))
    const third = await missing(kentWorker, personId, hoursAgo(3), 'M')
    assert.deepEqual(await alertsFor(kentLead, third.id), [])
  })

  // ---------------------------------------------------------------- matched elsewhere (identity, issue 5)

  async function linkedRecords() {
    // Kent's record of the child, placed and missing (M); Kent Police's own record and incident, linked to it.
    const child = await person(kentWorker)
    await placeInManchester(child)
    const laEpisode = await missing(kentWorker, child, hoursAgo(5))
    const policeRecord = await person(kentOfficer)
    const incident = await missing(kentOfficer, policeRecord, hoursAgo(5), null)
    const linked = await kit.request(kentOfficer, { method: 'POST', url: `/api/v1/episodes/${incident.id}/links`, payload: { version: incident.version, otherEpisodeId: laEpisode.id } })
    assert.equal(linked.statusCode, 200, linked.body)
    return { policeRecord, incident }
  }

  test('a match above the threshold from another force alerts the owning force and the authority holding the linked record', async () => {
    const { policeRecord, incident } = await linkedRecords()
    await recordEvent(kit.db, {
      type: 'identity.matched',
      actor: metOfficer.actor,
      personId: policeRecord,
      episodeId: incident.id,
      payload: { matchProbability: 0.97, matchWeight: 14.2, source: 'encounter_search', otherPersonId: null },
    })
    const [force] = await alertsFor(kentOfficer, incident.id)
    assert.equal(force?.rule, 'child_matched_elsewhere')
    assert.equal(force?.detail.matchedByAgencyId, metOfficer.agency.id)
    assert.equal(force?.detail.matchProbability, 0.97)
    const [authority] = await alertsFor(kentWorker, incident.id)
    assert.equal(authority?.rule, 'child_matched_elsewhere')
    assert.deepEqual(await alertsFor(metOfficer, incident.id), [], 'the searching force is not alerted')
    // The same match again adds nothing while the alert is open.
    await recordEvent(kit.db, { type: 'identity.matched', actor: metOfficer.actor, personId: policeRecord, episodeId: incident.id, payload: { matchProbability: 0.99, source: 'encounter_search' } })
    assert.equal((await alertsFor(kentOfficer, incident.id)).length, 1)
  })

  test('a match below the threshold alerts nobody', async () => {
    const { policeRecord, incident } = await linkedRecords()
    await recordEvent(kit.db, {
      type: 'identity.matched',
      actor: metOfficer.actor,
      personId: policeRecord,
      episodeId: incident.id,
      payload: { matchProbability: IDENTITY_MATCH_ALERT_PROBABILITY - 0.01, source: 'encounter_search' },
    })
    assert.deepEqual(await alertsFor(kentOfficer, incident.id), [])
    assert.deepEqual(await alertsFor(kentWorker, incident.id), [])
  })

  // ---------------------------------------------------------------- acknowledged by a person; escalated if not

  test('an alert is acknowledged once, by a person of the alerted agency', async () => {
    const personId = await person(kentWorker)
    await placeInManchester(personId)
    const episode = await missing(kentWorker, personId, hoursAgo(1))
    const [alert] = await alertsFor(manchesterWorker, episode.id)
    assert.ok(alert)
    const outsider = await kit.request(kentWorker, { method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, payload: { version: alert.version } })
    assert.equal(outsider.statusCode, 404)
    const asSystem = kit.services.alerts.acknowledge({ ...manchesterWorker.actor, kind: 'token', userId: null, tokenId: manchesterWorker.id }, alert.id, alert.version)
    await assert.rejects(asSystem, /acknowledged by a person/)
    const stale = await kit.request(manchesterWorker, { method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, payload: { version: alert.version + 1 } })
    assert.equal(stale.statusCode, 409)
    const acknowledged = await kit.request(manchesterWorker, { method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, payload: { version: alert.version } })
    assert.equal(acknowledged.statusCode, 200, acknowledged.body)
    assert.equal(acknowledged.json().acknowledgedByUserId, manchesterWorker.id)
    const again = await kit.request(manchesterWorker, { method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, payload: { version: acknowledged.json().version } })
    assert.equal(again.statusCode, 409)
    assert.deepEqual(await alertsFor(manchesterWorker, episode.id), [], 'no longer open')
    assert.equal((await alertsFor(manchesterWorker, episode.id, '&state=acknowledged')).length, 1)
  })

  test('an alert nobody acknowledges within the escalation time goes to the supervising role, once', async () => {
    const personId = await person(kentWorker)
    await placeInManchester(personId)
    const episode = await missing(kentWorker, personId, hoursAgo(1))
    const [forceAlert] = await alertsFor(gmpOfficer, episode.id)
    const [authorityAlert] = await alertsFor(manchesterWorker, episode.id)
    assert.ok(forceAlert && authorityAlert)
    await kit.request(manchesterWorker, { method: 'POST', url: `/api/v1/alerts/${authorityAlert.id}/acknowledge`, payload: { version: authorityAlert.version } })

    kit.clock.advance(29 * 60_000)
    try {
      await kit.services.alerts.escalateUnacknowledged()
      assert.equal((await alertsFor(gmpOfficer, episode.id))[0]?.escalatedToRole, null, 'not before 30 minutes')
      kit.clock.advance(2 * 60_000)
      assert.ok((await kit.services.alerts.escalateUnacknowledged()) >= 1)
      await kit.services.alerts.escalateUnacknowledged()
    } finally {
      kit.clock.reset()
    }
    const [escalated] = await alertsFor(gmpCoordinator, episode.id)
    assert.equal(escalated?.escalatedToRole, 'missing_person_coordinator')
    const emails = await kit.db.selectFrom('notification').select('kind').where('user_id', '=', gmpCoordinator.id).where('link_path', '=', `/alerts/${forceAlert.id}`).execute()
    assert.deepEqual(emails.map((email) => email.kind).sort(), ['alert_escalated', 'alert_raised'])
    const acknowledgedOne = await kit.request(manchesterWorker, { method: 'GET', url: `/api/v1/alerts/${authorityAlert.id}` })
    assert.equal(acknowledgedOne.json().escalatedToRole, null, 'an acknowledged alert does not escalate')
    const events = await kit.db.selectFrom('outbox_event').select('type').where('subject_id', '=', forceAlert.id).orderBy('seq').execute()
    assert.deepEqual(events.map((event) => event.type), ['alert.raised', 'alert.escalated'])
  })

  test('a reopened episode alerts again once the earlier alert was acknowledged', async () => {
    const personId = await person(kentWorker)
    await placeInManchester(personId)
    const episode = await missing(kentWorker, personId, hoursAgo(3))
    const [first] = await alertsFor(manchesterWorker, episode.id)
    assert.ok(first)
    await kit.request(manchesterWorker, { method: 'POST', url: `/api/v1/alerts/${first.id}/acknowledge`, payload: { version: first.version } })
    await end(kentWorker, episode, hoursAgo(2))
    const current = (await kit.request(kentWorker, { method: 'GET', url: `/api/v1/episodes/${episode.id}` })).json()
    const reopened = await kit.request(kentWorker, { method: 'POST', url: `/api/v1/episodes/${episode.id}/reopen`, payload: { version: current.version, reason: 'not_the_person' } })
    assert.equal(reopened.statusCode, 200, reopened.body)
    const [second] = await alertsFor(manchesterWorker, episode.id)
    assert.ok(second && second.id !== first.id)
  })
})
