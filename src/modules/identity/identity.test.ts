import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import type { LiveEvent } from '../events/events.model.ts'
import { openDatabase } from '../../db/open.ts'
import { createIdentityService } from './identity.service.ts'

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()
const PURPOSE = 'Child found at Victoria coach station'

describe('identity: encounter search, links, reviews and alerts', () => {
  let kit: TestKit
  let kentOfficer: TestUser
  let kentCoordinator: TestUser
  let metOfficer: TestUser
  let metCoordinator: TestUser
  let councilLead: TestUser
  let analyst: TestUser
  const events: LiveEvent[] = []

  async function newPerson(user: TestUser, overrides: Record<string, unknown>) {
    const response = await kit.request(user, { method: 'POST', url: '/api/v1/people', payload: personBody(overrides) })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string; version: number }
  }

  async function reportMissing(user: TestUser, personId: string) {
    const startedAt = hoursAgo(5)
    const payload =
      user.agency.kind === 'police_force'
        ? {
            startedAt,
            initialRisk: { assessedAt: startedAt, grade: 'high', rationale: 'Trafficked child, placed two days ago', answers: {}, vulnerabilityFlags: [], informationSource: 'Carer', informationObtainedAt: startedAt },
          }
        : { startedAt, laCategory: 'M' }
    const response = await kit.request(user, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string }
  }

  async function search(user: TestUser, body: Record<string, unknown>, purpose: string | null = PURPOSE) {
    return kit.request(user, { method: 'POST', url: '/api/v1/encounter-searches', payload: body, ...(purpose ? { purpose } : {}) })
  }

  let yonas: { id: string }
  let yonasEpisode: { id: string }
  let nguyen: { id: string }

  before(async () => {
    kit = await startTestKit()
    const kent = await kit.agency('police_force')
    const met = await kit.agency('police_force')
    const council = await kit.agency('local_authority')
    kentOfficer = await kit.user(kent, ['police_officer'])
    kentCoordinator = await kit.user(kent, ['missing_person_coordinator'])
    metOfficer = await kit.user(met, ['police_officer'])
    metCoordinator = await kit.user(met, ['missing_person_coordinator'])
    councilLead = await kit.user(council, ['missing_from_care_lead'])
    analyst = await kit.user(council, ['analyst'])
    kit.services.events.hub.onEvent((event) => events.push(event))

    // Missing from Kent: an Eritrean boy, recorded with his father's name as his family name.
    yonas = await newPerson(kentOfficer, {
      names: [
        { kind: 'given', text: 'Yonas' },
        { kind: 'family', text: 'Tesfay' },
      ],
      sex: 'male',
      dateOfBirth: { earliest: '2009-03-14', latest: '2009-03-14', source: 'stated' },
      nationalities: ['ERI'],
      identifiers: [{ kind: 'home_office_reference', value: 'HO1234567' }],
    })
    yonasEpisode = await reportMissing(kentOfficer, yonas.id)
    // Recorded by the Met, not missing.
    nguyen = await newPerson(metOfficer, {
      names: [
        { kind: 'given', text: 'Van An' },
        { kind: 'family', text: 'Nguyen' },
      ],
      dateOfBirth: { earliest: '2008-01-01', latest: '2008-01-01', source: 'assessed' },
    })
    await kit.services.identity.catchUp()
  })

  after(async () => {
    await kit.close()
  })

  test('an officer finds a child missing from another force by a name in Ge\'ez script, with the explanation adding up', async () => {
    const response = await search(metOfficer, { name: 'ዮናስ ተስፋይ', ageFrom: 15, ageTo: 18, sex: 'male' })
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json()
    assert.equal(body.scope, 'missing')
    const first = body.results[0]
    assert.equal(first.person.personId, yonas.id)
    assert.equal(first.openEpisode.episodeId, yonasEpisode.id)
    assert.equal(first.openEpisode.owningAgency.id, kentOfficer.agency.id)
    const sum = first.explanation.prior.weight + first.explanation.fields.reduce((total: number, field: { weight: number }) => total + field.weight, 0)
    assert.ok(Math.abs(sum - first.matchWeight) < 1e-6, `${sum} is not ${first.matchWeight}`)
    assert.equal(first.explanation.fields[0].field, 'names')
    // Only people missing now: the Met's own Nguyen record is not on the register.
    assert.ok(body.results.every((result: { person: { personId: string } }) => result.person.personId !== nguyen.id))
  })

  test('the search and every match shown are audited, with the purpose, and names are not written to the audit log', async () => {
    await search(metOfficer, { givenNames: 'Yonas', familyName: 'Tesfai', dateOfBirth: '2009-03-14' })
    const rows = await kit.db.selectFrom('audit_event').select(['action', 'subject_person_id', 'purpose', 'detail']).where('actor_user_id', '=', metOfficer.id).orderBy('seq').execute()
    const searches = rows.filter((row) => row.action === 'SEARCH_ENCOUNTER')
    assert.ok(searches.length >= 1)
    assert.equal(searches.at(-1)?.purpose, PURPOSE)
    assert.ok(!JSON.stringify(searches.at(-1)?.detail).includes('Yonas'))
    assert.ok(rows.some((row) => row.action === 'VIEW_ENCOUNTER_MATCH' && row.subject_person_id === yonas.id))
  })

  test('search refuses without a purpose, for roles outside the police, and a bad query with the fields named', async () => {
    assert.equal((await search(metOfficer, { name: 'Yonas' }, null)).statusCode, 403)
    assert.equal((await search(analyst, { name: 'Yonas' })).statusCode, 403)
    assert.equal((await search(metOfficer, { name: 'Yonas', scope: 'all' })).statusCode, 403)
    const bad = await search(metOfficer, { ageFrom: 17, ageTo: 12 })
    assert.equal(bad.statusCode, 400)
    const fields = (bad.json().errors as { field: string }[]).map((error) => error.field)
    assert.deepEqual(fields.sort(), ['ageTo', 'name'])
  })

  test('a description in the query is checked field by field, and the search says it used one without writing it down', async () => {
    const bad = await search(metOfficer, { name: 'Yonas', description: { heightCm: 400, shoeSize: 9 } })
    assert.equal(bad.statusCode, 400)
    const fields = (bad.json().errors as { field: string }[]).map((error) => error.field)
    assert.ok(fields.some((field) => field.includes('heightCm')), JSON.stringify(fields))
    const good = await search(metOfficer, { name: 'Yonas', description: { heightCm: 160, hair: 'black', distinguishingMarks: 'burn on right hand' } })
    assert.equal(good.statusCode, 200, good.body)
    assert.equal(good.json().results[0].person.personId, yonas.id)
    const rows = await kit.db.selectFrom('audit_event').select(['detail']).where('actor_user_id', '=', metOfficer.id).where('action', '=', 'SEARCH_ENCOUNTER').orderBy('seq').execute()
    const detail = rows.at(-1)?.detail
    assert.equal((typeof detail === 'string' ? JSON.parse(detail) : detail).byDescription, true)
    assert.ok(!JSON.stringify(detail).includes('burn'))
  })

  test('a coordinator may search every person record', async () => {
    const response = await search(metCoordinator, { name: 'An Van Nguyen', scope: 'all' })
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.json().results[0].person.personId, nguyen.id)
    assert.equal(response.json().results[0].openEpisode, null)
  })

  test('a change to the register is searchable within a second, with no restart', async () => {
    const newcomer = await newPerson(kentOfficer, {
      names: [
        { kind: 'given', text: 'Ardit' },
        { kind: 'family', text: 'Hoxha' },
      ],
      dateOfBirth: { earliest: '2010-06-02', latest: '2010-06-02', source: 'stated' },
      nationalities: ['ALB'],
    })
    await reportMissing(kentOfficer, newcomer.id)
    const started = Date.now()
    let found = false
    // The index's own poll (every 250 ms) picks the change up; the search does not force a refresh here.
    while (!found && Date.now() - started < 1000) {
      found = kit.services.identity.index.index.search({ recordId: 'q', source: '', givenNames: 'Ardit Hoxhë', familyName: '', otherNames: [], dateOfBirth: null, dobEarliest: null, dobLatest: null, sex: 'U', nationality: null, identifiers: [], extra: {} }, { top: 3 }).some((hit) => hit.recordId === newcomer.id)
      if (!found) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.ok(found, 'not searchable within a second')
  })

  test('PostgreSQL, two instances: a person recorded through one is searchable on the other within a second', async (t) => {
    if (kit.listenVia.engine !== 'postgres') {
      t.skip('needs PostgreSQL: set LANTERN_TEST_DATABASE_URL (npm run test:pg) to run it')
      return
    }
    const second = await openDatabase({ engine: 'postgres', url: kit.listenVia.url, poolSize: 2 })
    const secondIdentity = createIdentityService(second.db)
    try {
      await secondIdentity.start()
      const recorded = await newPerson(kentOfficer, {
        names: [
          { kind: 'given', text: 'Merhawi' },
          { kind: 'family', text: 'Gebremedhin' },
        ],
        dateOfBirth: { earliest: '2011-02-03', latest: '2011-02-03', source: 'stated' },
      })
      const started = Date.now()
      let found = false
      while (!found && Date.now() - started < 1000) {
        found = secondIdentity.index.index.search({ recordId: 'q', source: '', givenNames: 'Merhawi Gebre Medhin', familyName: '', otherNames: [], dateOfBirth: null, dobEarliest: null, dobLatest: null, sex: 'U', nationality: null, identifiers: [], extra: {} }, { top: 3 }).some((hit) => hit.recordId === recorded.id)
        if (!found) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.ok(found, 'not searchable on the second instance within a second')
    } finally {
      await secondIdentity.stop()
      await second.close()
    }
  })

  test('a strong match to someone missing from another force alerts that force on the live event stream', async () => {
    events.length = 0
    const response = await search(metOfficer, { givenNames: 'Yonas', familyName: 'Tesfay', dateOfBirth: '2009-03-14', identifiers: [{ kind: 'home_office_reference', value: 'HO1234567' }] })
    assert.equal(response.statusCode, 200)
    assert.ok(response.json().results[0].matchProbability >= 0.9)
    const deadline = Date.now() + 2000
    while (!events.some((event) => event.type === 'identity.matched') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    const matched = events.find((event) => event.type === 'identity.matched')
    assert.ok(matched, 'no identity.matched event')
    assert.equal(matched.personId, yonas.id)
    assert.equal(matched.episodeId, yonasEpisode.id)
    assert.ok(matched.audience.some((entry) => entry.agencyId === kentOfficer.agency.id))
    assert.ok(!JSON.stringify(matched.payload).includes('Yonas'))
  })

  test('a new person record matching someone missing from another force raises one alert for it', async () => {
    events.length = 0
    const council = await newPerson(councilLead, {
      names: [
        { kind: 'given', text: 'Yonas' },
        { kind: 'family', text: 'Tesfai' },
      ],
      sex: 'male',
      dateOfBirth: { earliest: '2009-03-14', latest: '2009-03-14', source: 'stated' },
      nationalities: ['ERI'],
      identifiers: [{ kind: 'home_office_reference', value: 'HO1234567' }],
    })
    await kit.services.identity.catchUp()
    await kit.services.identity.catchUp()
    const deadline = Date.now() + 2000
    while (!events.some((event) => event.type === 'identity.matched') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    const alerts = events.filter((event) => event.type === 'identity.matched' && event.personId === yonas.id)
    assert.equal(alerts.length, 1)
    assert.equal(alerts[0]?.payload.matchedPersonId, council.id)
  })

  test('a linkage run links records into identities, queues uncertain pairs, and a decision is kept and respected next run', async () => {
    // Uncertain: the same names, no date of birth, another agency.
    const uncertain = await newPerson(councilLead, {
      names: [
        { kind: 'given', text: 'Van An' },
        { kind: 'family', text: 'Nguyen' },
      ],
      dateOfBirth: undefined,
      nationalities: ['VNM'],
    })
    const run = await kit.request(kentCoordinator, { method: 'POST', url: '/api/v1/identity-runs' })
    assert.equal(run.statusCode, 200, run.body)
    const summary = run.json()
    assert.ok(summary.linked >= 1, run.body)
    const identity = await kit.request(kentOfficer, { method: 'GET', url: `/api/v1/people/${yonas.id}/identity` })
    assert.equal(identity.statusCode, 200, identity.body)
    assert.equal(identity.json().records.length, 2)

    const queue = await kit.request(metOfficer, { method: 'GET', url: '/api/v1/identity-reviews', purpose: PURPOSE })
    assert.equal(queue.statusCode, 200, queue.body)
    const item = queue.json().items.find((entry: { records: { personId: string }[] }) => entry.records.some((record) => record.personId === uncertain.id))
    assert.ok(item, queue.body)
    assert.ok(item.records.some((record: { personId: string }) => record.personId === nguyen.id))

    const stale = await kit.request(metOfficer, { method: 'POST', url: `/api/v1/identity-reviews/${item.id}/decision`, payload: { decision: 'different_people', reason: 'Different mothers named', version: item.version + 1 } })
    assert.equal(stale.statusCode, 409)
    const outsider = await kit.request(kentOfficer, { method: 'POST', url: `/api/v1/identity-reviews/${item.id}/decision`, payload: { decision: 'different_people', reason: 'x', version: item.version } })
    assert.equal(outsider.statusCode, 404)
    const decided = await kit.request(metOfficer, { method: 'POST', url: `/api/v1/identity-reviews/${item.id}/decision`, payload: { decision: 'different_people', reason: 'Different mothers named', version: item.version } })
    assert.equal(decided.statusCode, 200, decided.body)
    assert.equal(decided.json().status, 'rejected')

    const again = await kit.request(kentCoordinator, { method: 'POST', url: '/api/v1/identity-runs' })
    assert.equal(again.json().rejected, 1)
    const queueAfter = await kit.request(metOfficer, { method: 'GET', url: '/api/v1/identity-reviews', purpose: PURPOSE })
    assert.ok(!queueAfter.json().items.some((entry: { records: { personId: string }[] }) => entry.records.some((record) => record.personId === uncertain.id)))
    const members = await kit.db.selectFrom('identity_member').select(['identity_id', 'person_id']).where('person_id', 'in', [nguyen.id, uncertain.id]).execute()
    assert.notEqual(members[0]?.identity_id, members[1]?.identity_id)
  })
})
