import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import { addDays, londonDateOf } from '../../lib/dates.ts'
import { monthsBefore } from './protocols.service.ts'

const today = londonDateOf(new Date())
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field)

function philomenaBody(overrides: Record<string, unknown> = {}) {
  return {
    protocol: 'philomena',
    consentBasis: 'best_interests',
    lastReviewedOn: addDays(today, -30),
    photoUpdatedOn: addDays(today, -30),
    vulnerabilities: ['cce', 'county_lines', 'trafficking'],
    details: {
      personal: { preferredName: 'Tommy', firstLanguage: 'Vietnamese', mobilityAndCommunicationAids: null },
      medical: {
        conditions: ['Asthma'],
        medication: [{ name: 'Salbutamol inhaler', dose: '2 puffs as needed', effectIfMissed: 'Breathless within hours on exertion' }],
        gp: { name: 'Dr Patel', practice: 'Riverside Surgery', phone: '01632 960000' },
      },
      routines: [{ when: 'Weekdays 15:30', description: 'Walks home from school via the retail park', place: 'Retail park' }],
      placesOfInterest: [{ place: 'Nail bar, High Street', reason: 'Said to work there' }],
      placesPreviouslyFound: [{ place: 'Coach station', foundOn: addDays(today, -60), notes: 'With two older males' }],
      phones: [{ number: '+44 7700 900123', provider: 'Vodafone', handset: 'Samsung A14' }],
      emails: ['tommy@example.test'],
      socialMedia: [{ platform: 'Snapchat', username: 'tommy_x' }],
      bankCards: [{ cardType: 'debit', issuer: 'Monzo', lastFourDigits: '4821' }],
      transportHabits: 'Uses buses; has been found on trains to London',
      locator: null,
      legalStatus: 'Section 20 (voluntary accommodation)',
      previousMissingIncidents: 4,
      significantIndividuals: [{ name: 'Ms Jones', relationship: 'Social worker', phone: '01632 960001' }],
    },
    riskAssessedLocations: [
      { address: 'Flat 3, 12 Mill Lane', reason: 'Known to stay overnight', associatedPeople: ['"Uncle" Minh'], riskNotes: 'Suspected cannabis grow' },
    ],
    associates: [{ name: 'Minh', relationship: 'Says he is an uncle', phone: '07700 900456', risk: 'Suspected exploiter' }],
    ...overrides,
  }
}

describe('protocols: Herbert and Philomena profiles', () => {
  let kit: TestKit
  let socialWorker: TestUser
  let otherAuthoritySocialWorker: TestUser
  let guardian: TestUser

  const count = async () => Number((await kit.db.selectFrom('protocol_profile').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  async function newPerson(owner: TestUser = socialWorker): Promise<string> {
    const response = await kit.request(owner, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id
  }

  async function createProfile(personId: string, body: Record<string, unknown> = philomenaBody()) {
    const response = await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${personId}/protocol-profiles`, payload: body })
    assert.equal(response.statusCode, 201, response.body)
    return response.json()
  }

  before(async () => {
    kit = await startTestKit()
    const localAuthority = await kit.agency('local_authority')
    const otherAuthority = await kit.agency('local_authority')
    const guardianService = await kit.agency('ictg_service')
    socialWorker = await kit.user(localAuthority, ['social_worker'])
    otherAuthoritySocialWorker = await kit.user(otherAuthority, ['social_worker'])
    guardian = await kit.user(guardianService, ['ictg_guardian'])
  })
  after(() => kit.close())

  test('six months back lands on the same day, or the last day of a shorter month', () => {
    assert.equal(monthsBefore('2026-03-15', 6), '2025-09-15')
    assert.equal(monthsBefore('2026-08-31', 6), '2026-02-28')
    assert.equal(monthsBefore('2024-08-31', 6), '2024-02-29')
  })

  test('the owning agency records a Philomena profile with its field groups, and owns it', async () => {
    const personId = await newPerson()
    const body = philomenaBody()
    const profile = await createProfile(personId, body)
    assert.equal(profile.personId, personId)
    assert.equal(profile.protocol, 'philomena')
    assert.equal(profile.ownerAgencyId, socialWorker.agency.id)
    assert.deepEqual(profile.details, body.details)
    assert.deepEqual(profile.riskAssessedLocations, body.riskAssessedLocations)
    assert.deepEqual(profile.associates, body.associates)
    assert.deepEqual(profile.vulnerabilities, ['cce', 'county_lines', 'trafficking'])
    assert.equal(profile.consentBasis, 'best_interests')
    assert.equal(profile.photoStale, false)
    assert.equal(profile.reviewDue, false)
    assert.equal(profile.version, 1)
    const audit = await kit.db.selectFrom('audit_event').select(['action', 'operation']).where('record_id', '=', profile.id).execute()
    assert.deepEqual(audit, [{ action: 'CREATE_PROTOCOL_PROFILE', operation: 'collection' }])
  })

  test('a profile with an empty or malformed body is refused with 400 naming each field, and nothing is recorded', async () => {
    const personId = await newPerson()
    const before = await count()
    const url = `/api/v1/people/${personId}/protocol-profiles`
    const empty = await kit.request(socialWorker, { method: 'POST', url, payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()).sort(), ['consentBasis', 'protocol'])
    const malformed = await kit.request(socialWorker, {
      method: 'POST',
      url,
      payload: {
        protocol: 'dementia',
        consentBasis: 'yes',
        vulnerabilities: ['gangs'],
        lastReviewedOn: 'last week',
        details: { phones: [{ number: 'call me' }], medical: { medication: [{ dose: '5mg' }] } },
        riskAssessedLocations: [{ reason: 'Hangs out there' }],
        associates: [{ relationship: 'friend' }],
      },
    })
    assert.equal(malformed.statusCode, 400)
    const fields = fieldsOf(malformed.json())
    for (const field of [
      'protocol',
      'consentBasis',
      'vulnerabilities/0',
      'lastReviewedOn',
      'details/phones/0/number',
      'details/medical/medication/0/name',
      'riskAssessedLocations/0/address',
      'associates/0/name',
    ]) {
      assert.ok(fields.includes(field), `${field} in ${fields.join(', ')}`)
    }
    const repeated = await kit.request(socialWorker, { method: 'POST', url, payload: philomenaBody({ vulnerabilities: ['cse', 'cse'] }) })
    assert.deepEqual(fieldsOf(repeated.json()), ['vulnerabilities'])
    const future = await kit.request(socialWorker, { method: 'POST', url, payload: philomenaBody({ photoUpdatedOn: addDays(today, 1), lastReviewedOn: addDays(today, 1) }) })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(fieldsOf(future.json()).sort(), ['lastReviewedOn', 'photoUpdatedOn'])
    assert.equal(await count(), before)
  })

  test('never a social media password: the schema refuses one, and nothing is recorded', async () => {
    const personId = await newPerson()
    const before = await count()
    const body = philomenaBody()
    const response = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/protocol-profiles`,
      payload: { ...body, details: { ...body.details, socialMedia: [{ platform: 'Instagram', username: 'tommy', password: 'hunter2' }] } },
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(fieldsOf(response.json()), ['details/socialMedia/0/password'])
    assert.doesNotMatch(response.body, /hunter2/)
    assert.equal(await count(), before)
  })

  test('bank cards are held masked: the last 4 digits only, anything longer is refused', async () => {
    const personId = await newPerson()
    const before = await count()
    const body = philomenaBody()
    const withCards = (bankCards: unknown[]) => ({ ...body, details: { ...body.details, bankCards } })
    const url = `/api/v1/people/${personId}/protocol-profiles`
    const fullNumber = await kit.request(socialWorker, { method: 'POST', url, payload: withCards([{ issuer: 'Monzo', lastFourDigits: '4000123456789010' }]) })
    assert.equal(fullNumber.statusCode, 400)
    assert.deepEqual(fieldsOf(fullNumber.json()), ['details/bankCards/0/lastFourDigits'])
    const five = await kit.request(socialWorker, { method: 'POST', url, payload: withCards([{ lastFourDigits: '12345' }]) })
    assert.deepEqual(fieldsOf(five.json()), ['details/bankCards/0/lastFourDigits'])
    const smuggled = await kit.request(socialWorker, { method: 'POST', url, payload: withCards([{ lastFourDigits: '1234', cardNumber: '4000123456781234' }]) })
    assert.equal(smuggled.statusCode, 400)
    assert.deepEqual(fieldsOf(smuggled.json()), ['details/bankCards/0/cardNumber'])
    assert.equal(await count(), before)
    const masked = await kit.request(socialWorker, { method: 'POST', url, payload: withCards([{ lastFourDigits: '1234' }]) })
    assert.equal(masked.statusCode, 201, masked.body)
    assert.deepEqual(masked.json().details.bankCards, [{ lastFourDigits: '1234' }])
  })

  test("a Herbert profile is allowed for anyone, but does not take the Philomena form's care and missing-history fields", async () => {
    const personId = await newPerson()
    const before = await count()
    const url = `/api/v1/people/${personId}/protocol-profiles`
    const withPhilomenaFields = await kit.request(socialWorker, {
      method: 'POST',
      url,
      payload: { protocol: 'herbert', consentBasis: 'consent', details: { legalStatus: 'Care order', previousMissingIncidents: 2, significantIndividuals: [] } },
    })
    assert.equal(withPhilomenaFields.statusCode, 400)
    assert.deepEqual(fieldsOf(withPhilomenaFields.json()).sort(), ['details/legalStatus', 'details/previousMissingIncidents', 'details/significantIndividuals'])
    assert.equal(await count(), before)
    const herbert = await kit.request(socialWorker, {
      method: 'POST',
      url,
      payload: {
        protocol: 'herbert',
        consentBasis: 'consent',
        vulnerabilities: ['dementia'],
        details: { locator: { type: 'GPS watch', contactCentreNumber: '0800 123 4567' }, routines: [{ when: 'Sundays', description: 'Church, then the park' }] },
      },
    })
    assert.equal(herbert.statusCode, 201, herbert.body)
    assert.deepEqual(herbert.json().details.locator, { type: 'GPS watch', contactCentreNumber: '0800 123 4567' })
  })

  test('photoStale after six months or with no photo date; reviewDue six months after the last review', async () => {
    const personId = await newPerson()
    const sixMonthsAgo = monthsBefore(today, 6)
    const current = await createProfile(personId, philomenaBody({ photoUpdatedOn: sixMonthsAgo, lastReviewedOn: sixMonthsAgo }))
    assert.equal(current.photoStale, false)
    assert.equal(current.reviewDue, false)
    const old = await createProfile(personId, philomenaBody({ photoUpdatedOn: addDays(sixMonthsAgo, -1), lastReviewedOn: addDays(sixMonthsAgo, -1) }))
    assert.equal(old.photoStale, true)
    assert.equal(old.reviewDue, true)
    const undated = await createProfile(personId, philomenaBody({ photoUpdatedOn: null, lastReviewedOn: null }))
    assert.equal(undated.photoStale, true)
    assert.equal(undated.reviewDue, false, 'a profile recorded today is not due for review')
  })

  test('readers of the person read the profiles with a purpose, audited; other agencies get 404', async () => {
    const personId = await newPerson()
    const profile = await createProfile(personId)
    const assigned = await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/guardian-assignments`,
      payload: { guardianAgencyId: guardian.agency.id, guardianUserId: guardian.id, role: 'direct_worker', allocatedOn: today },
    })
    assert.equal(assigned.statusCode, 201, assigned.body)

    const byOwner = await kit.request(socialWorker, { method: 'GET', url: `/api/v1/people/${personId}/protocol-profiles` })
    assert.equal(byOwner.statusCode, 200)
    assert.deepEqual(byOwner.json().map((item: { id: string }) => item.id), [profile.id])
    const withoutPurpose = await kit.request(guardian, { method: 'GET', url: `/api/v1/protocol-profiles/${profile.id}` })
    assert.equal(withoutPurpose.statusCode, 403)
    const byGuardian = await kit.request(guardian, { method: 'GET', url: `/api/v1/protocol-profiles/${profile.id}`, purpose: 'ICTG casework' })
    assert.equal(byGuardian.statusCode, 200, byGuardian.body)
    assert.equal(byGuardian.json().details.medical.medication[0].name, 'Salbutamol inhaler')
    const listByGuardian = await kit.request(guardian, { method: 'GET', url: `/api/v1/people/${personId}/protocol-profiles`, purpose: 'ICTG casework' })
    assert.equal(listByGuardian.json().length, 1)

    assert.equal((await kit.request(otherAuthoritySocialWorker, { method: 'GET', url: `/api/v1/protocol-profiles/${profile.id}`, purpose: 'curious' })).statusCode, 404)
    assert.equal((await kit.request(otherAuthoritySocialWorker, { method: 'GET', url: `/api/v1/people/${personId}/protocol-profiles`, purpose: 'curious' })).statusCode, 404)
    assert.equal((await kit.request(socialWorker, { method: 'GET', url: '/api/v1/protocol-profiles/01900000-0000-7000-8000-000000000000' })).statusCode, 404)

    const views = await kit.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'purpose'])
      .where('action', '=', 'VIEW_PROTOCOL_PROFILE')
      .where('record_id', '=', profile.id)
      .orderBy('seq')
      .execute()
    assert.deepEqual(views, [
      { actor_user_id: socialWorker.id, purpose: null },
      { actor_user_id: guardian.id, purpose: 'ICTG casework' },
      { actor_user_id: guardian.id, purpose: 'ICTG casework' },
    ])
  })

  test('only the owning agency writes: another agency gets 404, and a guardian who reads the child gets 403', async () => {
    const personId = await newPerson()
    const byOther = await kit.request(otherAuthoritySocialWorker, { method: 'POST', url: `/api/v1/people/${personId}/protocol-profiles`, payload: philomenaBody() })
    assert.equal(byOther.statusCode, 404)
    const profile = await createProfile(personId)
    await kit.request(socialWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/guardian-assignments`,
      payload: { guardianAgencyId: guardian.agency.id, guardianUserId: guardian.id, role: 'direct_worker', allocatedOn: today },
    })
    const byGuardian = await kit.request(guardian, { method: 'POST', url: `/api/v1/people/${personId}/protocol-profiles`, payload: philomenaBody(), purpose: 'ICTG casework' })
    assert.equal(byGuardian.statusCode, 403)
    const patchByGuardian = await kit.request(guardian, { method: 'PATCH', url: `/api/v1/protocol-profiles/${profile.id}`, payload: { version: 1, vulnerabilities: [] }, purpose: 'ICTG casework' })
    assert.equal(patchByGuardian.statusCode, 403)
    const patchByOther = await kit.request(otherAuthoritySocialWorker, { method: 'PATCH', url: `/api/v1/protocol-profiles/${profile.id}`, payload: { version: 1, vulnerabilities: [] } })
    assert.equal(patchByOther.statusCode, 404)
    const read = await kit.request(socialWorker, { method: 'GET', url: `/api/v1/protocol-profiles/${profile.id}` })
    assert.equal(read.json().version, 1)
    assert.equal(read.json().vulnerabilities.length, 3)
  })

  test('a profile is changed with the version read; details sent replace the old; a stale version gets 409', async () => {
    const personId = await newPerson()
    const profile = await createProfile(personId)
    const changed = await kit.request(socialWorker, {
      method: 'PATCH',
      url: `/api/v1/protocol-profiles/${profile.id}`,
      payload: { version: 1, details: { phones: [{ number: '07700 900999' }] }, photoUpdatedOn: today, associates: [] },
    })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.equal(changed.json().version, 2)
    assert.deepEqual(changed.json().details, { phones: [{ number: '07700 900999' }] })
    assert.deepEqual(changed.json().associates, [])
    assert.equal(changed.json().photoUpdatedOn, today)
    assert.equal(changed.json().riskAssessedLocations.length, 1, 'lists not sent are kept')
    const stale = await kit.request(socialWorker, { method: 'PATCH', url: `/api/v1/protocol-profiles/${profile.id}`, payload: { version: 1, consentBasis: 'consent' } })
    assert.equal(stale.statusCode, 409)
    assert.equal(stale.json().currentVersion, 2)
    const audit = await kit.db.selectFrom('audit_event').select('action').where('record_id', '=', profile.id).where('action', '=', 'UPDATE_PROTOCOL_PROFILE').execute()
    assert.equal(audit.length, 1)
  })

  test('a profile change with an empty or malformed body is refused with 400 and changes nothing; unknown ids 404', async () => {
    const herbertPerson = await newPerson()
    const profile = await createProfile(herbertPerson, { protocol: 'herbert', consentBasis: 'consent', vulnerabilities: ['dementia'] })
    const url = `/api/v1/protocol-profiles/${profile.id}`
    const empty = await kit.request(socialWorker, { method: 'PATCH', url, payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(fieldsOf(empty.json()), ['version'])
    const malformed = await kit.request(socialWorker, {
      method: 'PATCH',
      url,
      payload: { version: 0, protocol: 'philomena', consentBasis: 'maybe', details: { bankCards: [{ lastFourDigits: '12' }] } },
    })
    assert.equal(malformed.statusCode, 400)
    const fields = fieldsOf(malformed.json())
    for (const field of ['version', 'protocol', 'consentBasis', 'details/bankCards/0/lastFourDigits']) assert.ok(fields.includes(field), `${field} in ${fields.join(', ')}`)
    const philomenaField = await kit.request(socialWorker, { method: 'PATCH', url, payload: { version: 1, details: { previousMissingIncidents: 3 } } })
    assert.deepEqual(fieldsOf(philomenaField.json()), ['details/previousMissingIncidents'])
    const future = await kit.request(socialWorker, { method: 'PATCH', url, payload: { version: 1, lastReviewedOn: addDays(today, 2) } })
    assert.deepEqual(fieldsOf(future.json()), ['lastReviewedOn'])
    const unknown = await kit.request(socialWorker, { method: 'PATCH', url: '/api/v1/protocol-profiles/01900000-0000-7000-8000-000000000000', payload: { version: 1 } })
    assert.equal(unknown.statusCode, 404)
    const read = await kit.request(socialWorker, { method: 'GET', url })
    assert.equal(read.json().version, 1)
    assert.equal(read.json().protocol, 'herbert')
    assert.equal(read.json().consentBasis, 'consent')
  })
})
