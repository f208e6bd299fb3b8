import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { openDatabase } from '../../db/open.ts'
import { services as buildServices } from '../../services.ts'
import { buildApp } from '../../app.ts'
import { recordEvent } from './events.service.ts'
import { startEventFeed } from './events.feed.ts'
import type { LiveEvent } from './events.model.ts'
import { openEventStream, type EventStream } from './sse-client.ts'

// Real ONS codes so a placement's host authority is found from its postcode: Kent places a child in Manchester.
const KENT = 'E10000016'
const MANCHESTER = 'E08000003'

describe('events: the outbox, the live stream and its scope', () => {
  let kit: TestKit
  let baseUrl: string
  let force: TestAgency
  let officer: TestUser
  let otherForceOfficer: TestUser
  let kent: TestAgency
  let kentWorker: TestUser
  let manchesterWorker: TestUser
  let decisionMaker: TestUser
  let otherDecisionMaker: TestUser
  let guardian: TestUser
  let otherGuardian: TestUser
  let administrator: TestUser
  const opened: EventStream[] = []

  before(async () => {
    kit = await startTestKit()
    await kit.app.listen({ host: '127.0.0.1', port: 0 })
    baseUrl = `http://127.0.0.1:${(kit.app.server.address() as AddressInfo).port}`
    force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherForceOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    kentWorker = await kit.user(kent, ['social_worker'])
    manchesterWorker = await kit.user(await kit.agency('local_authority', { code: MANCHESTER, name: 'Manchester' }), ['social_worker'])
    const authority = await kit.agency('competent_authority')
    decisionMaker = await kit.user(authority, ['nrm_decision_maker'])
    otherDecisionMaker = await kit.user(await kit.agency('competent_authority'), ['nrm_decision_maker'])
    const guardianService = await kit.agency('ictg_service')
    guardian = await kit.user(guardianService, ['ictg_guardian'])
    otherGuardian = await kit.user(guardianService, ['ictg_guardian'])
    administrator = await kit.user(force, ['administrator'])
  })
  after(async () => {
    for (const stream of opened) stream.close()
    await kit.close()
  })

  async function stream(user: TestUser, query = '', headers: Record<string, string> = {}): Promise<EventStream> {
    const opening = await openEventStream(`${baseUrl}/api/v1/events/stream${query}`, { ...user.headers(), ...headers })
    opened.push(opening)
    return opening
  }

  const parsed = (data: string) => JSON.parse(data) as LiveEvent

  async function person(owner: TestUser): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  test('an event committed with its change reaches a stream of the owning agency, with ids and codes but no audience', async () => {
    const personId = await person(officer)
    const mine = await stream(officer)
    assert.equal(mine.status, 200)
    const event = await kit.db.transaction().execute((trx) =>
      recordEvent(trx, { type: 'episode.sighting_recorded', actor: officer.actor, personId, payload: { sightingId: 'x-1' } }),
    )
    const message = await mine.next((m) => m.event === 'episode.sighting_recorded' && parsed(m.data).seq === event.seq)
    assert.equal(message.id, String(event.seq))
    const data = parsed(message.data)
    assert.equal(data.personId, personId)
    assert.equal(data.actorAgencyId, force.id)
    assert.deepEqual(data.payload, { sightingId: 'x-1' })
    assert.equal('audience' in data, false, 'who else receives an event is not sent')
  })

  test('an event whose transaction rolls back is never published', async () => {
    const personId = await person(officer)
    const received: LiveEvent[] = []
    const stop = kit.services.events.hub.onEvent((event) => received.push(event))
    const committedSeen = eventSeen(kit, (event) => event.personId === personId && event.payload.marker === 'committed')
    await assert.rejects(
      kit.db.transaction().execute(async (trx) => {
        await recordEvent(trx, { type: 'person.updated', actor: officer.actor, personId, payload: { marker: 'rolled-back' } })
        throw new Error('the change failed')
      }),
      /the change failed/,
    )
    await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { marker: 'committed' } })
    await committedSeen
    stop()
    const updates = received.filter((event) => event.personId === personId && event.type === 'person.updated')
    assert.deepEqual(updates.map((event) => event.payload.marker), ['committed'])
    const rows = await kit.db.selectFrom('outbox_event').select('payload').where('person_id', '=', personId).where('type', '=', 'person.updated').execute()
    assert.deepEqual(rows.map((row) => row.payload.marker), ['committed'])
  })

  test("each stream receives only the events its agency and roles may read: owner, host authority, competent authority, the assigned guardian", async () => {
    const personId = await person(kentWorker)
    // Placed by Kent in Manchester: Manchester is the host authority and reads the child.
    const care = await kit.request(kentWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/care-episodes`,
      payload: { startedOn: '2024-04-01', reasonForNewEpisode: 'S', legalStatus: 'C2', categoryOfNeed: 'N1', placementType: 'U4', placementProvider: 'PR4', homePostcode: 'ME14 1XQ', placementPostcode: 'M1 1AE' },
    })
    assert.equal(care.statusCode, 201, care.body)
    await kit.services.trafficking.createReferral(kentWorker.actor, personId, {
      competentAuthorityId: decisionMaker.agency.id,
      referredOn: '2024-05-01',
      exploitationTypes: ['criminal'],
      countyLines: false,
      exploitationLocation: 'uk',
      ageAtExploitation: 'child',
    })
    await kit.services.trafficking.assignGuardian(kentWorker.actor, personId, {
      guardianAgencyId: guardian.agency.id,
      guardianUserId: guardian.id,
      role: 'direct_worker',
      allocatedOn: '2024-05-02',
    })

    const readers = [kentWorker, manchesterWorker, decisionMaker, guardian]
    const outsiders = [officer, otherForceOfficer, otherDecisionMaker, otherGuardian]
    const streams = new Map<TestUser, EventStream>()
    for (const user of [...readers, ...outsiders]) streams.set(user, await stream(user, '?types=person.updated'))
    const event = await recordEvent(kit.db, { type: 'person.updated', actor: kentWorker.actor, personId, payload: { fields: ['flags'] } })
    for (const user of readers) {
      const message = await streams.get(user)?.next((m) => parsed(m.data).seq === event.seq)
      assert.equal(message?.event, 'person.updated', `${user.roles.join()} of ${user.agency.name} should receive it`)
    }
    // A later event everyone may receive shows the outsiders' streams were live and skipped only the first.
    const marker = await recordEvent(kit.db, {
      type: 'person.updated',
      actor: null,
      payload: { marker: 'everyone' },
      audience: outsiders.map((user) => ({ agencyId: user.agency.id, roles: [...user.roles], userId: null })),
    })
    for (const user of outsiders) {
      const message = await streams.get(user)?.next((m) => parsed(m.data).seq >= event.seq)
      assert.equal(message && parsed(message.data).seq, marker.seq, `${user.roles.join()} of ${user.agency.name} must not receive the child's event`)
    }
  })

  test('only the types asked for are sent', async () => {
    const personId = await person(officer)
    const sightingsOnly = await stream(officer, '?types=episode.sighting_recorded')
    await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId })
    const sighting = await recordEvent(kit.db, { type: 'episode.sighting_recorded', actor: officer.actor, personId })
    const first = await sightingsOnly.next()
    assert.equal(parsed(first.data).seq, sighting.seq)
  })

  test('a client reconnecting with Last-Event-ID receives what it missed, in its scope, then the live events', async () => {
    const personId = await person(officer)
    const elsewhere = await person(otherForceOfficer)
    const before = await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { n: 0 } })
    const missedOne = await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { n: 1 } })
    await recordEvent(kit.db, { type: 'person.updated', actor: otherForceOfficer.actor, personId: elsewhere, payload: { n: 99 } })
    const missedTwo = await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { n: 2 } })
    const resumed = await stream(officer, '', { 'last-event-id': String(before.seq) })
    const live = await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { n: 3 } })
    const seqs: number[] = []
    for (let i = 0; i < 3; i += 1) seqs.push(parsed((await resumed.next()).data).seq)
    assert.deepEqual(seqs, [missedOne.seq, missedTwo.seq, live.seq])
  })

  test('a stream needs a signed-in actor whose role receives case events', async () => {
    const anonymous = await openEventStream(`${baseUrl}/api/v1/events/stream`)
    opened.push(anonymous)
    assert.equal(anonymous.status, 401)
    const admin = await stream(administrator)
    assert.equal(admin.status, 403)
    const badType = await kit.request(officer, { method: 'GET', url: '/api/v1/events/stream?types=no.such' })
    assert.equal(badType.statusCode, 400)
    assert.match(badType.body, /types/)
  })

  test('the stream is described in the OpenAPI document', async () => {
    const document = (await kit.request(null, { method: 'GET', url: '/api/v1/openapi.json' })).json()
    assert.ok(document.paths['/api/v1/events/stream'].get.responses['200'].content['text/event-stream'])
  })

  test('two app instances on one PostgreSQL database: an event committed through one reaches a stream of the other', async (t) => {
    if (kit.listenVia.engine !== 'postgres') {
      t.skip('needs PostgreSQL: set LANTERN_TEST_DATABASE_URL (npm run test:pg) to run it')
      return
    }
    const second = await openDatabase({ engine: 'postgres', url: kit.listenVia.url, poolSize: 3 })
    const secondServices = buildServices(second.db, { sessionHours: 12 })
    const secondApp = await buildApp(secondServices, { logger: false })
    const secondFeed = startEventFeed({ db: second.db, listenVia: second.listenVia, hub: secondServices.events.hub })
    await secondFeed.ready
    await secondApp.listen({ host: '127.0.0.1', port: 0 })
    try {
      const secondUrl = `http://127.0.0.1:${(secondApp.server.address() as AddressInfo).port}`
      const onSecond = await openEventStream(`${secondUrl}/api/v1/events/stream`, officer.headers())
      opened.push(onSecond)
      // The change goes through the first instance's API; its event comes out of the second's stream.
      const created = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
      assert.equal(created.statusCode, 201)
      const personId = created.json().id
      const message = await onSecond.next((m) => m.event === 'person.recorded' && parsed(m.data).personId === personId)
      assert.equal(parsed(message.data).actorAgencyId, force.id)
    } finally {
      await secondApp.close()
      await secondFeed.close()
      await second.close()
    }
  })

  test('PostgreSQL: when the LISTEN connection drops, the feed reconnects and publishes what was committed meanwhile', async (t) => {
    if (kit.listenVia.engine !== 'postgres') {
      t.skip('needs PostgreSQL: set LANTERN_TEST_DATABASE_URL (npm run test:pg) to run it')
      return
    }
    const personId = await person(officer)
    const received: number[] = []
    const stop = kit.services.events.hub.onEvent((event) => received.push(event.seq))
    const outageSeen = eventSeen(kit, (event) => event.personId === personId && event.payload.during === 'outage', 10_000)
    const afterSeen = eventSeen(kit, (event) => event.personId === personId && event.payload.during === 'after', 10_000)
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and application_name = 'lantern-events'`.execute(kit.db)
    const meanwhile = await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { during: 'outage' } })
    await outageSeen
    await recordEvent(kit.db, { type: 'person.updated', actor: officer.actor, personId, payload: { during: 'after' } })
    await afterSeen
    stop()
    assert.equal(received.filter((seq) => seq === meanwhile.seq).length, 1, 'published once, not twice')
  })
})

/** Resolves with the first event this instance publishes that passes the test. */
function eventSeen(kit: TestKit, matches: (event: LiveEvent) => boolean, timeoutMs = 5000): Promise<LiveEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error('no such event was published in time'))
    }, timeoutMs)
    const stop = kit.services.events.hub.onEvent((event) => {
      if (!matches(event)) return
      clearTimeout(timer)
      stop()
      resolve(event)
    })
  })
}
