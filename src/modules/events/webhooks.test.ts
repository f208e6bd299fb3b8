import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import { RETRY_DELAYS_MS, MAX_ATTEMPTS } from './webhooks.service.ts'
import { signatureHeader, verifySignature } from './webhooks.signature.ts'

/** A partner system at the outer edge: a real HTTP server on loopback that records what it is sent. */
interface Partner {
  url: string
  received: { headers: http.IncomingHttpHeaders; body: string }[]
  /** Status codes to answer with, in turn; 200 once they run out. */
  answers: number[]
  close: () => Promise<void>
}

async function startPartner(): Promise<Partner> {
  const received: Partner['received'] = []
  const answers: number[] = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.statusCode = answers.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lantern`,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('webhooks: signed deliveries to partner systems, retried, with a dead-letter list', () => {
  let kit: TestKit
  let partner: Partner
  let officer: TestUser
  let administrator: TestUser
  let otherForceAdministrator: TestUser
  let otherForceOfficer: TestUser

  before(async () => {
    kit = await startTestKit()
    partner = await startPartner()
    const force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    administrator = await kit.user(force, ['administrator'])
    const otherForce = await kit.agency('police_force')
    otherForceAdministrator = await kit.user(otherForce, ['administrator'])
    otherForceOfficer = await kit.user(otherForce, ['police_officer'])
  })
  after(async () => {
    await partner.close()
    await kit.close()
  })

  async function subscribe(user: TestUser, body: Record<string, unknown>) {
    return kit.request(user, { method: 'POST', url: '/api/v1/webhook-subscriptions', payload: body })
  }

  async function reportEpisode(user: TestUser): Promise<{ personId: string; episodeId: string }> {
    const person = await kit.request(user, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    const at = new Date(Date.now() - 3_600_000).toISOString()
    const episode = await kit.request(user, {
      method: 'POST',
      url: `/api/v1/people/${person.json().id}/episodes`,
      payload: { startedAt: at, initialRisk: { assessedAt: at, grade: 'high', rationale: 'Vulnerable' } },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    return { personId: person.json().id, episodeId: episode.json().id }
  }

  async function deliveriesOf(user: TestUser, subscriptionId: string, query = '') {
    const response = await kit.request(user, { method: 'GET', url: `/api/v1/webhook-subscriptions/${subscriptionId}/deliveries?pageSize=100${query}` })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().items as { id: string; eventSeq: number; status: string; attempts: number; nextAttemptAt: string | null; lastError: string | null; lastStatusCode: number | null }[]
  }

  test('an event in scope is posted to the subscriber, signed with the secret shown once', async () => {
    const created = await subscribe(administrator, { url: partner.url, eventTypes: ['episode.reported'], roles: ['police_officer'] })
    assert.equal(created.statusCode, 201, created.body)
    const { secret, id } = created.json()
    assert.match(secret, /^lwh_/)
    const listed = await kit.request(administrator, { method: 'GET', url: '/api/v1/webhook-subscriptions' })
    assert.equal(listed.json().length, 1)
    assert.equal('secret' in listed.json()[0], false, 'the secret is not shown again')

    const { episodeId, personId } = await reportEpisode(officer)
    const counts = await kit.services.webhooks.deliverDue()
    assert.equal(counts.delivered, 1)
    const delivery = partner.received.at(-1)
    assert.ok(delivery)
    const body = JSON.parse(delivery.body)
    assert.equal(body.type, 'episode.reported')
    assert.equal(body.episodeId, episodeId)
    assert.equal(body.personId, personId)
    assert.equal('audience' in body, false)
    assert.equal(delivery.headers['lantern-event-type'], 'episode.reported')
    assert.equal(delivery.headers['lantern-event-id'], String(body.seq))
    const header = String(delivery.headers['lantern-signature'])
    assert.equal(verifySignature(secret, header, delivery.body, Math.floor(Date.now() / 1000)), true)
    assert.equal(verifySignature(secret, header, delivery.body.replace(episodeId, personId), Math.floor(Date.now() / 1000)), false, 'a changed body fails')
    assert.equal(verifySignature('another secret', header, delivery.body, Math.floor(Date.now() / 1000)), false)
    const [row] = await deliveriesOf(administrator, id)
    assert.equal(row?.status, 'delivered')
    assert.equal(row?.eventSeq, body.seq)
    // Only the types subscribed to: the person record made no delivery.
    assert.equal((await deliveriesOf(administrator, id)).length, 1)
    await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${id}/stop`, payload: { version: 1 } })
  })

  test("another agency's subscriber receives nothing outside its scope", async () => {
    const created = await subscribe(otherForceAdministrator, { url: partner.url, eventTypes: ['episode.reported'], roles: ['police_officer'] })
    assert.equal(created.statusCode, 201)
    await reportEpisode(officer)
    assert.deepEqual(await deliveriesOf(otherForceAdministrator, created.json().id), [])
    await reportEpisode(otherForceOfficer)
    assert.equal((await deliveriesOf(otherForceAdministrator, created.json().id)).length, 1)
    await kit.services.webhooks.deliverDue()
    await kit.request(otherForceAdministrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${created.json().id}/stop`, payload: { version: 1 } })
  })

  test('a failing partner is retried after each delay in turn, then the delivery is dead; sent again, it is delivered', async () => {
    const created = await subscribe(administrator, { url: partner.url, eventTypes: ['episode.sighting_recorded'], roles: ['missing_person_coordinator'] })
    const subscriptionId = created.json().id
    const { episodeId } = await reportEpisode(officer)
    const sighting = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episodeId}/sightings`, payload: { seenAt: new Date().toISOString(), place: 'Bus station' } })
    assert.equal(sighting.statusCode, 201, sighting.body)
    partner.answers.push(...Array.from({ length: MAX_ATTEMPTS }, () => 503))
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const counts = await kit.services.webhooks.deliverDue()
        const [row] = await deliveriesOf(administrator, subscriptionId)
        assert.equal(row?.attempts, attempt)
        assert.equal(row?.lastStatusCode, 503)
        if (attempt < MAX_ATTEMPTS) {
          assert.equal(counts.failed, 1)
          assert.equal(row?.status, 'pending')
          const delay = RETRY_DELAYS_MS[attempt - 1] ?? 0
          assert.ok(Math.abs(Date.parse(row?.nextAttemptAt ?? '') - (kit.clock.now().getTime() + delay)) < 2000, `attempt ${attempt} waits ${delay} ms`)
          // Not yet due: nothing is sent.
          assert.equal((await kit.services.webhooks.deliverDue()).failed, 0)
          kit.clock.advance(delay)
        } else {
          assert.equal(counts.dead, 1)
          assert.equal(row?.status, 'dead')
        }
      }
    } finally {
      kit.clock.reset()
    }
    const dead = await deliveriesOf(administrator, subscriptionId, '&status=dead')
    assert.equal(dead.length, 1)
    assert.equal(dead[0]?.lastError, 'answered 503')

    const again = await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${subscriptionId}/deliveries/${dead[0]?.id}/redeliver` })
    assert.equal(again.statusCode, 200, again.body)
    assert.equal(again.json().status, 'pending')
    assert.equal((await kit.services.webhooks.deliverDue()).delivered, 1)
    assert.equal((await deliveriesOf(administrator, subscriptionId))[0]?.status, 'delivered')
    const twice = await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${subscriptionId}/deliveries/${dead[0]?.id}/redeliver` })
    assert.equal(twice.statusCode, 409)
    await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${subscriptionId}/stop`, payload: { version: 1 } })
  })

  test('a partner that cannot be reached is recorded with the reason and retried', async () => {
    const closed = await startPartner()
    await closed.close()
    const created = await subscribe(administrator, { url: closed.url, eventTypes: ['person.recorded'], roles: ['police_officer'] })
    await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    await kit.services.webhooks.deliverDue()
    const [row] = await deliveriesOf(administrator, created.json().id)
    assert.equal(row?.status, 'pending')
    assert.match(row?.lastError ?? '', /ECONNREFUSED/)
    assert.equal(row?.lastStatusCode, null)
    await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${created.json().id}/stop`, payload: { version: 1 } })
  })

  test('a stopped subscription gets no new deliveries, and its pending ones are not sent', async () => {
    const created = await subscribe(administrator, { url: partner.url, eventTypes: ['person.recorded'], roles: ['police_officer'] })
    const id = created.json().id
    await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    const stopped = await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${id}/stop`, payload: { version: 1 } })
    assert.equal(stopped.statusCode, 200, stopped.body)
    assert.equal(stopped.json().active, false)
    const sentBefore = partner.received.length
    await kit.services.webhooks.deliverDue()
    assert.equal(partner.received.length, sentBefore)
    assert.equal((await deliveriesOf(administrator, id))[0]?.status, 'dead')
    await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal((await deliveriesOf(administrator, id)).length, 1)
    const again = await kit.request(administrator, { method: 'POST', url: `/api/v1/webhook-subscriptions/${id}/stop`, payload: { version: 2 } })
    assert.equal(again.statusCode, 409)
  })

  test('bad subscriptions are refused with the field named; only administrators subscribe; others see 404', async () => {
    const notAdmin = await subscribe(officer, { url: partner.url, eventTypes: ['episode.reported'], roles: ['police_officer'] })
    assert.equal(notAdmin.statusCode, 403)
    const bad = await subscribe(administrator, { url: 'ftp://partner.example/hook', eventTypes: [], roles: ['social_worker', 'analyst'] })
    assert.equal(bad.statusCode, 400)
    const fields = bad.json().errors.map((error: { field: string }) => error.field)
    assert.ok(fields.includes('url'), bad.body)
    assert.ok(fields.includes('eventTypes'), bad.body)
    const roles = await subscribe(administrator, { url: 'https://partner.example/hook', eventTypes: ['episode.reported'], roles: ['social_worker', 'analyst'] })
    assert.equal(roles.statusCode, 400)
    assert.deepEqual(roles.json().errors.map((error: { field: string }) => error.field), ['roles/0', 'roles/1'])
    const withPassword = await subscribe(administrator, { url: 'https://user:pw@partner.example/hook', eventTypes: ['episode.reported'], roles: ['police_officer'] })
    assert.equal(withPassword.statusCode, 400)
    const created = await subscribe(administrator, { url: 'https://partner.example/hook', eventTypes: ['episode.reported'], roles: ['police_officer'] })
    const elsewhere = await kit.request(otherForceAdministrator, { method: 'GET', url: `/api/v1/webhook-subscriptions/${created.json().id}/deliveries` })
    assert.equal(elsewhere.statusCode, 404)
    const stored = await kit.db.selectFrom('webhook_subscription').select('url').where('url', 'like', '%partner.example%').execute()
    assert.deepEqual(stored, [{ url: 'https://partner.example/hook' }], 'the refused ones were not stored')
  })

  test('a signature older than the tolerance is refused (a replayed delivery)', () => {
    const now = Math.floor(Date.now() / 1000)
    const body = '{"seq":1}'
    assert.equal(verifySignature('s', signatureHeader('s', now - 100, body), body, now), true)
    assert.equal(verifySignature('s', signatureHeader('s', now - 400, body), body, now), false)
    assert.equal(verifySignature('s', 't=abc,v1=zz', body, now), false)
  })
})
