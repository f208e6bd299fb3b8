import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()
// The smallest valid PNG: the register serves photos as the image itself.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

describe('the police national register', () => {
  let kit: TestKit
  let kentOfficer: TestUser
  let metOfficer: TestUser
  let socialWorker: TestUser
  let missingChild: { id: string }
  let episodeId: string
  let photoId: string

  before(async () => {
    kit = await startTestKit()
    const kent = await kit.agency('police_force', { name: 'Kent Police' })
    const met = await kit.agency('police_force', { name: 'Metropolitan Police Service' })
    const council = await kit.agency('local_authority')
    kentOfficer = await kit.user(kent, ['call_handler'])
    metOfficer = await kit.user(met, ['police_officer'])
    socialWorker = await kit.user(council, ['social_worker'])

    const thisYear = Number(new Date().toISOString().slice(0, 4))
    missingChild = (await kit.request(kentOfficer, {
      method: 'POST',
      url: '/api/v1/people',
      payload: personBody({
        names: [{ kind: 'given', text: 'Mohamed' }, { kind: 'family', text: 'Tesfaye' }],
        dateOfBirth: { earliest: `${thisYear - 16}-01-01`, latest: `${thisYear - 15}-01-01`, source: 'assessed' },
        description: { distinguishingMarks: 'Scar above left eyebrow' },
        flags: { unaccompanied: true },
      }),
    })).json()
    photoId = (await kit.request(kentOfficer, { method: 'POST', url: `/api/v1/people/${missingChild.id}/photos`, payload: { contentType: 'image/png', dataBase64: PNG } })).json().id
    const episode = await kit.request(kentOfficer, {
      method: 'POST',
      url: `/api/v1/people/${missingChild.id}/episodes`,
      payload: { startedAt: hoursAgo(20), initialRisk: { assessedAt: hoursAgo(19), grade: 'high', rationale: 'Unaccompanied, suspected trafficking' }, clothing: 'Red jacket' },
    })
    episodeId = episode.json().id

    // An A episode (whereabouts known) and an ended episode are not on the register.
    const away = (await kit.request(socialWorker, { method: 'POST', url: '/api/v1/people', payload: personBody({ names: [{ kind: 'full', text: 'Mohammed Away' }] }) })).json()
    await kit.request(socialWorker, { method: 'POST', url: `/api/v1/people/${away.id}/episodes`, payload: { startedAt: hoursAgo(5), laCategory: 'A' } })
  })
  after(() => kit.close())

  test("an officer of another force finds the child by a different spelling, with how to contact the owning force", async () => {
    const response = await kit.request(metOfficer, { method: 'GET', url: '/api/v1/register/episodes?name=Muhammad', purpose: 'Child found at Victoria coach station' })
    assert.equal(response.statusCode, 200, response.body)
    const page = response.json()
    assert.equal(page.total, 1, 'the away (A) child is not on the register')
    const entry = page.items[0]
    assert.equal(entry.personId, missingChild.id)
    assert.equal(entry.owningAgency.name, 'Kent Police')
    assert.equal(entry.owningAgency.contactPhone, '101')
    assert.equal(entry.riskGrade, 'high')
    assert.deepEqual(entry.photoIds, [photoId])
    assert.deepEqual(entry.ageRange, { youngest: 15, oldest: 16 })
    assert.equal(entry.description.clothing, 'Red jacket')
    const audited = await kit.db.selectFrom('audit_event').select(['action', 'purpose', 'operation']).where('actor_user_id', '=', metOfficer.id).execute()
    assert.deepEqual(audited.map((e) => [e.action, e.operation, e.purpose]), [['LIST_REGISTER', 'consultation', 'Child found at Victoria coach station']])
  })

  test('filters by age, sex and description words', async () => {
    const search = (query: string) => kit.request(metOfficer, { method: 'GET', url: `/api/v1/register/episodes?${query}`, purpose: 'encounter' })
    assert.equal((await search('ageFrom=15&ageTo=17&sex=male&description=scar')).json().total, 1)
    assert.equal((await search('ageFrom=30')).json().total, 0)
    assert.equal((await search('sex=female')).json().total, 0)
    assert.equal((await search('description=tattoo')).json().total, 0)
    const backwards = await search('ageFrom=17&ageTo=15')
    assert.equal(backwards.statusCode, 400)
  })

  test('the register needs a purpose, and is for police only', async () => {
    const noPurpose = await kit.request(metOfficer, { method: 'GET', url: '/api/v1/register/episodes' })
    assert.equal(noPurpose.statusCode, 403)
    assert.equal(noPurpose.json().title, 'Purpose required')
    const council = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/register/episodes', purpose: 'checking' })
    assert.equal(council.statusCode, 403)
  })

  test('an entry and its photo are served for an open episode, and gone once the child is found', async () => {
    const entry = await kit.request(metOfficer, { method: 'GET', url: `/api/v1/register/episodes/${episodeId}`, purpose: 'encounter' })
    assert.equal(entry.statusCode, 200)
    const photo = await kit.request(metOfficer, { method: 'GET', url: `/api/v1/register/episodes/${episodeId}/photos/${photoId}`, purpose: 'encounter' })
    assert.equal(photo.statusCode, 200)
    assert.equal(photo.headers['content-type'], 'image/png')
    assert.equal(photo.rawPayload.subarray(1, 4).toString('latin1'), 'PNG')
    const fullRecord = await kit.request(metOfficer, { method: 'GET', url: `/api/v1/people/${missingChild.id}`, purpose: 'encounter' })
    assert.equal(fullRecord.statusCode, 404, 'the register view is not the full record')
    await kit.request(kentOfficer, { method: 'POST', url: `/api/v1/episodes/${episodeId}/end`, payload: { version: 1, endedAt: hoursAgo(1), outcome: 'found', returnMethod: 'found_by_police' } })
    const gone = await kit.request(metOfficer, { method: 'GET', url: `/api/v1/register/episodes/${episodeId}`, purpose: 'encounter' })
    assert.equal(gone.statusCode, 404)
  })
})
