import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, TEST_PASSWORD, type TestKit, type TestUser } from '../../../test/kit.ts'

// The encounter search and review pages through app.inject: the form, its errors, the results with their
// waterfall, and a review decision. (Chromium specs cover the web layer's journeys; these pages' logic is here.)

let kit: TestKit
let officer: TestUser
let otherOfficer: TestUser
let personId: string

type Cookies = Map<string, string>
const cookieHeader = (cookies: Cookies) => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')

async function get(url: string, cookies: Cookies) {
  const response = await kit.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(cookies) } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  return { response, csrf: /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '' }
}

async function signIn(user: TestUser): Promise<Cookies> {
  const cookies: Cookies = new Map()
  const { csrf } = await get('/sign-in', cookies)
  const response = await kit.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: csrf, email: user.email, password: TEST_PASSWORD } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  assert.equal(response.statusCode, 303)
  return cookies
}

before(async () => {
  kit = await startTestKit()
  officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  const created = await kit.request(otherOfficer, {
    method: 'POST',
    url: '/api/v1/people',
    payload: personBody({ names: [{ kind: 'given', text: 'Ardit' }, { kind: 'family', text: 'Hoxha' }], dateOfBirth: { earliest: '2010-06-02', latest: '2010-06-02', source: 'stated' }, nationalities: ['ALB'], description: { heightCm: 168, build: 'slim', hair: 'black', distinguishingMarks: 'scar above left eye' } }),
  })
  personId = created.json().id
  const startedAt = new Date(Date.now() - 3_600_000).toISOString()
  const episode = await kit.request(otherOfficer, {
    method: 'POST',
    url: `/api/v1/people/${personId}/episodes`,
    payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'high', rationale: 'Child at risk of exploitation', answers: {}, vulnerabilityFlags: [], informationSource: 'Carer', informationObtainedAt: startedAt } },
  })
  assert.equal(episode.statusCode, 201, episode.body)
  await kit.services.identity.catchUp()
})
after(async () => kit.close())

test('the encounter search page asks why, names each problem, and shows matches with how each score adds up', async () => {
  const cookies = await signIn(officer)
  const form = await get('/encounter-search', cookies)
  assert.equal(form.response.statusCode, 200)
  assert.match(form.response.body, /Who is this\?/)

  const missing = await kit.app.inject({ method: 'POST', url: '/encounter-search', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: form.csrf, name: '', purpose: '' } })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /There is a problem/)
  assert.match(missing.body, /href="#name"/)
  assert.match(missing.body, /href="#purpose"/)

  const badHeight = await kit.app.inject({ method: 'POST', url: '/encounter-search', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: form.csrf, name: 'Ardit', heightCm: 'tall', hair: 'black', purpose: 'Found at a car wash' } })
  assert.equal(badHeight.statusCode, 400)
  assert.match(badHeight.body, /href="#heightCm"/)
  assert.match(badHeight.body, /name="hair"[^>]*value="black"/, 'the answers are kept')

  const found = await kit.app.inject({
    method: 'POST',
    url: '/encounter-search',
    headers: { cookie: cookieHeader(cookies) },
    payload: { _csrf: form.csrf, name: 'Hoxhë Ardit', 'dateOfBirth-day': '2', 'dateOfBirth-month': '6', 'dateOfBirth-year': '2010', heightCm: '170', distinguishingMarks: 'scar over the left eyebrow', purpose: 'Found at a car wash' },
  })
  assert.equal(found.statusCode, 200, found.body)
  assert.match(found.body, /data-testid="match"/)
  assert.match(found.body, /Ardit Hoxha/)
  // What the record says the child looks like, to check against the child in front of the officer.
  assert.match(found.body, /Recorded as: 168 cm, slim, black\./)
  assert.match(found.body, /Marks: scar above left eye\./)
  const searched = await kit.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'SEARCH_ENCOUNTER').where('actor_user_id', '=', officer.id).orderBy('seq').execute()
  const detail = searched.at(-1)?.detail
  assert.equal((typeof detail === 'string' ? JSON.parse(detail) : detail).byDescription, true)
  assert.ok(!JSON.stringify(searched.at(-1)?.detail).includes('scar'), 'the description is not written to the audit log')
  assert.match(found.body, /How the score adds up/)
  assert.match(found.body, /Before any evidence/)
  const audited = await kit.db.selectFrom('audit_event').select(['purpose']).where('action', '=', 'VIEW_ENCOUNTER_MATCH').where('subject_person_id', '=', personId).execute()
  assert.ok(audited.some((row) => row.purpose === 'Found at a car wash'))
})

test('the review page needs a purpose before it shows another agency\'s records, and keeps a decision', async () => {
  // Two records of one child: ours without a date of birth, theirs with one.
  const ours = await kit.request(officer, {
    method: 'POST',
    url: '/api/v1/people',
    payload: personBody({ names: [{ kind: 'given', text: 'Ardit' }, { kind: 'family', text: 'Hoxha' }], dateOfBirth: undefined, nationalities: ['ALB'] }),
  })
  assert.equal(ours.statusCode, 201)
  await kit.services.identity.runLinkage({ ...officer.actor, roles: ['missing_person_coordinator'] })
  const cookies = await signIn(officer)
  const empty = await get('/identity-reviews?purpose=', cookies)
  assert.equal(empty.response.statusCode, 400)
  const page = await get(`/identity-reviews?purpose=${encodeURIComponent('Checking a duplicate')}`, cookies)
  assert.equal(page.response.statusCode, 200)
  const linkId = /action="\/identity-reviews\/([0-9a-f-]{36})"/.exec(page.response.body)?.[1]
  assert.ok(linkId, page.response.body)
  const noChoice = await kit.app.inject({ method: 'POST', url: `/identity-reviews/${linkId}`, headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: page.csrf, purpose: 'Checking a duplicate', version: '1', reason: '' } })
  assert.equal(noChoice.statusCode, 400)
  assert.match(noChoice.body, /Choose whether these are the same person/)
  const saved = await kit.app.inject({
    method: 'POST',
    url: `/identity-reviews/${linkId}`,
    headers: { cookie: cookieHeader(cookies) },
    payload: { _csrf: page.csrf, purpose: 'Checking a duplicate', version: '1', decision: 'same_person', reason: 'Same child, same school' },
  })
  assert.equal(saved.statusCode, 303, saved.body)
  const decision = await kit.db.selectFrom('identity_link_decision').select(['decision', 'reason']).execute()
  assert.deepEqual(decision, [{ decision: 'same_person', reason: 'Same child, same school' }])
})
