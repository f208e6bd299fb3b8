import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { uuidv7 } from '../../lib/ids.ts'

// Real ONS codes, so the placement geography (from the postcode sector file) finds the agencies.
const KENT = 'E10000016'
const MANCHESTER = 'E08000003'
// ME14 1 is Maidstone (Kent), M1 1 central Manchester, TN1 1 Tunbridge Wells (Kent), CF10 1 Cardiff.
const MAIDSTONE = 'me14 1xq'
const MANCHESTER_CENTRE = 'M11AE'
const TUNBRIDGE_WELLS = 'TN1 1AA'
const CARDIFF = 'CF10 1AA'

interface FieldProblem {
  field: string
  message: string
}

const fieldsOf = (body: { errors?: FieldProblem[] }) => (body.errors ?? []).map((error) => error.field)

function episodeBody(overrides: Record<string, unknown> = {}) {
  return {
    startedOn: '2024-04-01',
    reasonForNewEpisode: 'S',
    legalStatus: 'C2',
    categoryOfNeed: 'N1',
    placementType: 'U4',
    placementProvider: 'PR4',
    homePostcode: MAIDSTONE,
    placementPostcode: MANCHESTER_CENTRE,
    providerUrn: 'sc123456',
    ...overrides,
  }
}

describe('care episodes', () => {
  let kit: TestKit
  let kent: TestAgency
  let manchester: TestAgency
  let kentWorker: TestUser
  let kentLead: TestUser
  let kentAnalyst: TestUser
  let manchesterWorker: TestUser
  let otherAuthorityWorker: TestUser
  let force: TestAgency
  let officer: TestUser
  let coordinator: TestUser

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    manchester = await kit.agency('local_authority', { code: MANCHESTER, name: 'Manchester' })
    const otherAuthority = await kit.agency('local_authority')
    force = await kit.agency('police_force')
    kentWorker = await kit.user(kent, ['social_worker'])
    kentLead = await kit.user(kent, ['missing_from_care_lead'])
    kentAnalyst = await kit.user(kent, ['analyst'])
    manchesterWorker = await kit.user(manchester, ['social_worker'])
    otherAuthorityWorker = await kit.user(otherAuthority, ['social_worker'])
    officer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
  })
  after(() => kit.close())

  async function child(owner: TestUser, overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody(overrides) })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  async function createEpisode(user: TestUser, personId: string, overrides: Record<string, unknown> = {}) {
    return kit.request(user, { method: 'POST', url: `/api/v1/people/${personId}/care-episodes`, payload: episodeBody(overrides) })
  }

  const countEpisodes = async () =>
    Number((await kit.db.selectFrom('care_episode').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  const auditOf = (personId: string) =>
    kit.db
      .selectFrom('audit_event')
      .select(['action', 'operation', 'record_type', 'record_id', 'actor_user_id', 'purpose'])
      .where('subject_person_id', '=', personId)
      .orderBy('seq')
      .execute()

  test('records an episode with the placement geography worked out from the postcodes', async () => {
    const personId = await child(kentWorker)
    const response = await createEpisode(kentWorker, personId)
    assert.equal(response.statusCode, 201, response.body)
    const episode = response.json()
    assert.equal(episode.personId, personId)
    assert.equal(episode.responsibleAgencyId, kent.id)
    assert.equal(episode.homePostcode, 'ME14 1XQ')
    assert.equal(episode.placementPostcode, 'M1 1AE')
    assert.equal(episode.providerUrn, 'SC123456')
    assert.equal(episode.placementDistrictCode, MANCHESTER)
    assert.equal(episode.hostAgencyId, manchester.id)
    assert.equal(episode.distanceMiles, 192.1)
    assert.equal(episode.outOfArea, true)
    assert.equal(episode.overTwentyMiles, true)
    assert.equal(episode.locationRestricted, false)
    assert.equal(episode.endedOn, null)
    assert.equal(episode.version, 1)

    const row = await kit.db.selectFrom('care_episode').selectAll().where('id', '=', episode.id).executeTakeFirstOrThrow()
    assert.equal(row.host_agency_id, manchester.id)
    assert.equal(Number(row.distance_miles), 192.1)
    assert.equal(row.created_by_user_id, kentWorker.id)

    const events = await auditOf(personId)
    assert.deepEqual(events.at(-1), {
      action: 'CREATE_CARE_EPISODE', operation: 'collection', record_type: 'care_episode', record_id: episode.id, actor_user_id: kentWorker.id, purpose: null,
    })
  })

  test('a placement in its own area is not out of area; an unknown or unregistered host leaves the host empty', async () => {
    const inArea = (await createEpisode(kentWorker, await child(kentWorker), { placementPostcode: TUNBRIDGE_WELLS })).json()
    assert.equal(inArea.hostAgencyId, kent.id)
    assert.equal(inArea.placementDistrictCode, 'E07000116')
    assert.equal(inArea.outOfArea, false)
    assert.equal(inArea.distanceMiles, 14.8)
    assert.equal(inArea.overTwentyMiles, false)

    // Cardiff is a real authority, but not registered in this database.
    const wales = (await createEpisode(kentWorker, await child(kentWorker), { placementPostcode: CARDIFF })).json()
    assert.equal(wales.placementDistrictCode, 'W06000015')
    assert.equal(wales.hostAgencyId, null)
    assert.equal(wales.outOfArea, true)
    assert.equal(wales.distanceMiles, 160.9)

    // Well formed, but no such sector: nothing can be known.
    const nowhere = (await createEpisode(kentWorker, await child(kentWorker), { placementPostcode: 'ZZ9 9ZZ' })).json()
    assert.deepEqual(
      [nowhere.placementPostcode, nowhere.placementDistrictCode, nowhere.hostAgencyId, nowhere.distanceMiles, nowhere.outOfArea, nowhere.overTwentyMiles],
      ['ZZ9 9ZZ', null, null, null, null, null],
    )
  })

  test('bad input gets 400 naming every failing field, and records nothing', async () => {
    const personId = await child(kentWorker)
    const before = await countEpisodes()
    const cases: { payload: Record<string, unknown>; fields: string[] }[] = [
      { payload: {}, fields: ['startedOn', 'reasonForNewEpisode', 'legalStatus', 'categoryOfNeed', 'placementType'] },
      {
        payload: episodeBody({
          reasonForNewEpisode: 'Q', legalStatus: 'C9', categoryOfNeed: 'N9', placementType: 'Z1X', placementProvider: 'PR9',
          reasonEnded: 'E99', reasonForPlacementChange: 'NOPE',
        }),
        fields: ['reasonForNewEpisode', 'legalStatus', 'categoryOfNeed', 'placementType', 'placementProvider', 'reasonEnded', 'reasonForPlacementChange'],
      },
      { payload: episodeBody({ startedOn: '2024-02-30', endedOn: 'tomorrow' }), fields: ['startedOn', 'endedOn'] },
      { payload: episodeBody({ homePostcode: 'not a postcode', placementPostcode: '12345' }), fields: ['homePostcode', 'placementPostcode'] },
      { payload: episodeBody({ providerUrn: 'SC 123/456' }), fields: ['providerUrn'] },
      { payload: episodeBody({ placeOfSafety: true }), fields: ['placeOfSafety'] },
    ]
    for (const { payload, fields } of cases) {
      const response = await kit.request(kentWorker, { method: 'POST', url: `/api/v1/people/${personId}/care-episodes`, payload })
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`)
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
      const found = fieldsOf(response.json())
      for (const field of fields) assert.ok(found.includes(field), `${field} in ${found.join(', ')}`)
    }
    const badPostcode = await createEpisode(kentWorker, personId, { homePostcode: 'not a postcode' })
    assert.deepEqual(badPostcode.json().errors, [{ field: 'homePostcode', message: 'must be a full UK postcode like ME14 1XQ' }])
    assert.equal(await countEpisodes(), before)
    assert.ok((await auditOf(personId)).every((event) => event.action !== 'CREATE_CARE_EPISODE'))
  })

  test('an episode cannot end before it starts, and an end date and its reason come together', async () => {
    const personId = await child(kentWorker)
    const before = await countEpisodes()
    const backwards = await createEpisode(kentWorker, personId, { startedOn: '2024-05-01', endedOn: '2024-04-30', reasonEnded: 'E4A' })
    assert.equal(backwards.statusCode, 400)
    assert.deepEqual(fieldsOf(backwards.json()), ['endedOn'])
    const noReason = await createEpisode(kentWorker, personId, { endedOn: '2024-06-01' })
    assert.equal(noReason.statusCode, 400)
    assert.deepEqual(fieldsOf(noReason.json()), ['reasonEnded'])
    const noDate = await createEpisode(kentWorker, personId, { reasonEnded: 'E8' })
    assert.equal(noDate.statusCode, 400)
    assert.deepEqual(fieldsOf(noDate.json()), ['endedOn'])
    assert.equal(await countEpisodes(), before)

    const sameDay = await createEpisode(kentWorker, personId, { startedOn: '2024-05-01', endedOn: '2024-05-01', reasonEnded: 'X1' })
    assert.equal(sameDay.statusCode, 201, sameDay.body)
    assert.equal(sameDay.json().reasonEnded, 'X1')
  })

  test('temporary placements have no provider (rules 178, 213); every other placement must name one', async () => {
    const personId = await child(kentWorker)
    const before = await countEpisodes()
    const withProvider = await createEpisode(kentWorker, personId, { placementType: 'T1', placementProvider: 'PR1' })
    assert.equal(withProvider.statusCode, 400)
    assert.deepEqual(fieldsOf(withProvider.json()), ['placementProvider'])
    const withoutProvider = await createEpisode(kentWorker, personId, { placementType: 'K2', placementProvider: null })
    assert.equal(withoutProvider.statusCode, 400)
    assert.deepEqual(fieldsOf(withoutProvider.json()), ['placementProvider'])
    assert.equal(await countEpisodes(), before)

    const temporary = await createEpisode(kentWorker, personId, { placementType: 'T1', placementProvider: null })
    assert.equal(temporary.statusCode, 201, temporary.body)
    assert.equal(temporary.json().placementProvider, null)
  })

  test('accepts placement codes of every year from 2022/23 to 2025/26', async () => {
    for (const [placementType, placementProvider, startedOn, endedOn] of [
      ['H5', 'PR4', '2022-05-01', '2023-01-01'],
      ['K3', 'PR4', '2024-05-01', '2025-01-01'],
      ['Z12', null, '2025-05-01', null],
    ] as const) {
      const personId = await child(kentWorker)
      const response = await createEpisode(kentWorker, personId, {
        placementType, placementProvider, startedOn, endedOn, reasonEnded: endedOn === null ? null : 'E8',
      })
      assert.equal(response.statusCode, 201, `${placementType}: ${response.body}`)
      assert.equal(response.json().placementType, placementType)
    }
  })

  test("nothing starts on or before the child's earliest possible date of birth (as rule 586)", async () => {
    const personId = await child(kentWorker, { dateOfBirth: { earliest: '2010-03-01', latest: '2010-09-30', source: 'assessed' } })
    const onBirth = await createEpisode(kentWorker, personId, { startedOn: '2010-03-01' })
    assert.equal(onBirth.statusCode, 400)
    assert.deepEqual(fieldsOf(onBirth.json()), ['startedOn'])
    assert.match(onBirth.json().errors[0].message, /2010-03-01/)
    const before = await createEpisode(kentWorker, personId, { startedOn: '2009-12-31' })
    assert.equal(before.statusCode, 400)
    assert.equal((await kit.db.selectFrom('care_episode').select('id').where('person_id', '=', personId).execute()).length, 0)
    const after = await createEpisode(kentWorker, personId, { startedOn: '2010-03-02' })
    assert.equal(after.statusCode, 201, after.body)
  })

  test("a child's episodes follow one another: an overlapping or second open episode is refused (rule 501)", async () => {
    const personId = await child(kentWorker)
    const first = await createEpisode(kentWorker, personId, { startedOn: '2024-04-01', endedOn: '2024-06-30', reasonEnded: 'X1' })
    assert.equal(first.statusCode, 201, first.body)
    // Starting the day the previous one ended is the normal chain of episodes.
    const second = await createEpisode(kentWorker, personId, { startedOn: '2024-06-30', reasonForNewEpisode: 'P' })
    assert.equal(second.statusCode, 201, second.body)

    const inside = await createEpisode(kentWorker, personId, { startedOn: '2024-05-01', endedOn: '2024-05-10', reasonEnded: 'X1' })
    assert.equal(inside.statusCode, 400)
    assert.deepEqual(fieldsOf(inside.json()), ['startedOn'])
    assert.match(inside.json().errors[0].message, /2024-04-01 to 2024-06-30/)
    const secondOpen = await createEpisode(kentWorker, personId, { startedOn: '2024-09-01' })
    assert.equal(secondOpen.statusCode, 400)
    assert.match(secondOpen.json().errors[0].message, /open care episode from 2024-06-30/)
    const openBefore = await createEpisode(kentWorker, personId, { startedOn: '2024-01-01' })
    assert.equal(openBefore.statusCode, 400)
    assert.equal((await kit.db.selectFrom('care_episode').select('id').where('person_id', '=', personId).execute()).length, 2)

    // Moving the first episode's end past the second's start is refused the same way.
    const stretch = await kit.request(kentWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${first.json().id}`, payload: { version: 1, endedOn: '2024-07-15' },
    })
    assert.equal(stretch.statusCode, 400)
    assert.deepEqual(fieldsOf(stretch.json()), ['startedOn'])
    const unchanged = await kit.db.selectFrom('care_episode').select(['ended_on', 'version']).where('id', '=', first.json().id).executeTakeFirstOrThrow()
    assert.deepEqual(unchanged, { ended_on: '2024-06-30', version: 1 })

    // Once the open episode ends, a later one may start.
    const ended = await kit.request(kentWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${second.json().id}`, payload: { version: 1, endedOn: '2024-08-31', reasonEnded: 'E4A' },
    })
    assert.equal(ended.statusCode, 200, ended.body)
    const later = await createEpisode(kentWorker, personId, { startedOn: '2024-09-01' })
    assert.equal(later.statusCode, 201, later.body)
  })

  test('a change is saved with the geography worked out again; a stale version gets 409 and overwrites nothing', async () => {
    const personId = await child(kentWorker)
    const created = (await createEpisode(kentWorker, personId)).json()
    const moved = await kit.request(kentWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${created.id}`, payload: { version: 1, placementPostcode: 'tn11aa', legalStatus: 'C1' },
    })
    assert.equal(moved.statusCode, 200, moved.body)
    const episode = moved.json()
    assert.equal(episode.version, 2)
    assert.equal(episode.legalStatus, 'C1')
    assert.equal(episode.placementPostcode, 'TN1 1AA')
    assert.equal(episode.hostAgencyId, kent.id)
    assert.equal(episode.outOfArea, false)
    assert.equal(episode.distanceMiles, 14.8)
    assert.equal(episode.homePostcode, 'ME14 1XQ', 'fields not sent are kept')
    assert.equal(episode.providerUrn, 'SC123456')

    const stale = await kit.request(kentWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${created.id}`, payload: { version: 1, placementPostcode: MANCHESTER_CENTRE },
    })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
    const read = (await kit.request(kentWorker, { method: 'GET', url: `/api/v1/care-episodes/${created.id}` })).json()
    assert.equal(read.placementPostcode, 'TN1 1AA')
    assert.equal(read.version, 2)

    const badPatch = await kit.request(kentWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${created.id}`, payload: { version: 2, placementPostcode: 'TN1', placementType: 'T2' },
    })
    assert.equal(badPatch.statusCode, 400)
    assert.deepEqual(fieldsOf(badPatch.json()).sort(), ['placementPostcode', 'placementProvider'])
    const noVersion = await kit.request(kentWorker, { method: 'PATCH', url: `/api/v1/care-episodes/${created.id}`, payload: { legalStatus: 'C2' } })
    assert.equal(noVersion.statusCode, 400)
    assert.deepEqual(fieldsOf(noVersion.json()), ['version'])

    const actions = (await auditOf(personId)).map((event) => [event.action, event.operation])
    assert.deepEqual(actions.filter(([action]) => action === 'UPDATE_CARE_EPISODE'), [['UPDATE_CARE_EPISODE', 'alteration']])
  })

  test('another local authority gets 404; the host authority reads with a purpose but cannot change', async () => {
    const personId = await child(kentWorker)
    const episode = (await createEpisode(kentWorker, personId)).json()

    for (const request of [
      { method: 'GET' as const, url: `/api/v1/people/${personId}/care-episodes` },
      { method: 'GET' as const, url: `/api/v1/care-episodes/${episode.id}` },
      { method: 'PATCH' as const, url: `/api/v1/care-episodes/${episode.id}`, payload: { version: 1, legalStatus: 'C1' } },
      { method: 'POST' as const, url: `/api/v1/people/${personId}/care-episodes`, payload: episodeBody({ startedOn: '2025-01-01' }) },
    ]) {
      const response = await kit.request(otherAuthorityWorker, { ...request, purpose: 'checking a placement' })
      assert.equal(response.statusCode, 404, `${request.method} ${request.url}: ${response.body}`)
    }
    const unknown = await kit.request(kentWorker, { method: 'GET', url: `/api/v1/care-episodes/${uuidv7()}` })
    assert.equal(unknown.statusCode, 404)

    const withoutPurpose = await kit.request(manchesterWorker, { method: 'GET', url: `/api/v1/people/${personId}/care-episodes` })
    assert.equal(withoutPurpose.statusCode, 403)
    const hosted = await kit.request(manchesterWorker, { method: 'GET', url: `/api/v1/people/${personId}/care-episodes`, purpose: 'return home interview' })
    assert.equal(hosted.statusCode, 200, hosted.body)
    assert.deepEqual(hosted.json().items.map((item: { id: string }) => item.id), [episode.id])
    assert.equal(hosted.json().items[0].placementPostcode, 'M1 1AE')
    const one = await kit.request(manchesterWorker, { method: 'GET', url: `/api/v1/care-episodes/${episode.id}`, purpose: 'return home interview' })
    assert.equal(one.statusCode, 200, one.body)
    const change = await kit.request(manchesterWorker, {
      method: 'PATCH', url: `/api/v1/care-episodes/${episode.id}`, payload: { version: 1, legalStatus: 'C1' }, purpose: 'correcting',
    })
    assert.equal(change.statusCode, 403)

    const consultations = (await auditOf(personId)).filter((event) => event.action === 'VIEW_CARE_EPISODES')
    assert.deepEqual(
      consultations.map((event) => [event.operation, event.record_type, event.record_id, event.actor_user_id, event.purpose]),
      [
        ['consultation', 'care_episode', episode.id, manchesterWorker.id, 'return home interview'],
        ['consultation', 'care_episode', episode.id, manchesterWorker.id, 'return home interview'],
      ],
    )
  })

  test('reading a child with no care episodes is audited too', async () => {
    const personId = await child(kentWorker)
    const response = await kit.request(kentWorker, { method: 'GET', url: `/api/v1/people/${personId}/care-episodes` })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { items: [] })
    const events = await auditOf(personId)
    assert.deepEqual(events.at(-1)?.action, 'VIEW_CARE_EPISODES')
    assert.equal(events.at(-1)?.record_type, 'person')
  })

  test('only a local authority can be the responsible authority; other roles and anonymous callers are refused', async () => {
    const policePerson = await child(officer)
    const byPolice = await createEpisode(officer, policePerson)
    assert.equal(byPolice.statusCode, 403)
    assert.match(byPolice.json().detail, /local authority/)
    const byAnalyst = await createEpisode(kentAnalyst, await child(kentWorker))
    assert.equal(byAnalyst.statusCode, 404)
    assert.equal((await kit.db.selectFrom('care_episode').select('id').where('person_id', '=', policePerson).execute()).length, 0)
    const anonymous = await kit.request(null, { method: 'GET', url: `/api/v1/people/${policePerson}/care-episodes` })
    assert.equal(anonymous.statusCode, 401)
  })

  test('a restricted placement is withheld from the host authority and a linked officer, and shown to the named roles', async () => {
    const personId = await child(kentWorker, { flags: { restrictedLocation: true, suspectedTrafficking: true } })
    const created = await createEpisode(kentWorker, personId)
    assert.equal(created.statusCode, 201, created.body)
    const episodeId = created.json().id
    // The social worker who recorded it holds no named role either.
    assert.equal(created.json().locationRestricted, true)
    assert.equal(created.json().placementPostcode, null)

    // The force's own record of the child, its missing episode linked to the authority's.
    const policeRecord = await child(officer)
    const theirs = uuidv7()
    await kit.db.insertInto('missing_episode').values({
      id: theirs, person_id: personId, owning_agency_id: kent.id, recorded_by: 'local_authority', la_category: 'M', started_at: new Date('2024-10-01T20:00:00Z'),
    }).execute()
    await kit.db.insertInto('missing_episode').values({
      id: uuidv7(), person_id: policeRecord, owning_agency_id: force.id, recorded_by: 'police', la_category: null, started_at: new Date('2024-10-01T21:00:00Z'), linked_episode_id: theirs,
    }).execute()

    const read = async (user: TestUser) => {
      const response = await kit.request(user, { method: 'GET', url: `/api/v1/care-episodes/${episodeId}`, purpose: 'missing child' })
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }
    for (const user of [manchesterWorker, officer, kentWorker]) {
      const episode = await read(user)
      assert.equal(episode.locationRestricted, true)
      assert.equal(episode.placementPostcode, null)
      assert.equal(episode.providerUrn, null)
      assert.equal(episode.placementDistrictCode, null)
    }
    const listed = await kit.request(officer, { method: 'GET', url: `/api/v1/people/${personId}/care-episodes`, purpose: 'missing child' })
    assert.equal(listed.json().items[0].placementPostcode, null)
    assert.equal(listed.json().items[0].locationRestricted, true)

    for (const user of [kentLead, coordinator]) {
      const episode = await read(user)
      assert.equal(episode.locationRestricted, false)
      assert.equal(episode.placementPostcode, 'M1 1AE')
      assert.equal(episode.providerUrn, 'SC123456')
      assert.equal(episode.placementDistrictCode, MANCHESTER)
    }

    const withheld = await kit.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'detail'])
      .where('record_id', '=', episodeId)
      .where('action', '=', 'VIEW_CARE_EPISODES')
      .execute()
    const byUser = new Map(withheld.map((event) => [event.actor_user_id, JSON.parse(event.detail ?? '{}').locationWithheld]))
    assert.equal(byUser.get(manchesterWorker.id), true)
    assert.equal(byUser.get(kentLead.id), false)
  })
})
