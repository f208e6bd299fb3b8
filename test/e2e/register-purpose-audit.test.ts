import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { RegisterPage } from './pages/register-page.ts'
import { PurposePage } from './pages/purpose-page.ts'
import { PersonPage } from './pages/person-page.ts'
import { AuditTrailPage } from './pages/audit-trail-page.ts'
import { apiAs, uniqueName } from './api.ts'

const KENT_OFFICER = 'officer@kent.police.example'
const MET_OFFICER = 'officer@met.police.example'
const CROYDON = 'social.worker@croydon.gov.example'
const KENT_SOCIAL_WORKER = 'social.worker@kent.gov.example'
const KENT_LEAD = 'missing.lead@kent.gov.example'
const iso = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * 3_600_000).toISOString()

const browser = useBrowser()

test('police search the national register by any spelling of a name, age and description, with a purpose, and see how to contact the owning force', async () => {
  const met = await apiAs(MET_OFFICER)
  const family = uniqueName('Mahmoud')
  const person = await met.post<{ id: string }>('/people', {
    names: [{ kind: 'given', text: 'Yusuf' }, { kind: 'family', text: family }, { kind: 'nickname', text: 'Yoyo' }],
    sex: 'male',
    dateOfBirth: { earliest: '2010-05-01', latest: '2011-04-30', source: 'assessed' },
    description: { heightCm: 150, distinguishingMarks: 'Burn scar on right forearm' },
    flags: { unaccompanied: true },
  })
  await met.post(`/people/${person.id}/episodes`, {
    startedAt: iso(-20),
    clothing: 'Red puffer jacket',
    lastSeen: { place: 'Croydon bus garage' },
    incidentReference: `MET-${family}`,
    initialRisk: { assessedAt: iso(-19), grade: 'high', rationale: 'Unaccompanied child' },
  })

  const page = await browser.signedIn(KENT_OFFICER)
  const register = await new RegisterPage(page).open()
  assert.equal(await register.heading(), 'Search the national register')
  await register.checkAccessibility()

  await register.search({})
  assert.deepEqual(await register.errorSummary(), [
    { text: 'Enter at least one thing to search by: a name, an age, a date of birth, a sex or description words', href: '#name' },
    { text: 'Enter why you are searching', href: '#purpose' },
  ])
  await register.checkAccessibility()
  await register.search({ ageFrom: 'fifteen', ageTo: '12', purpose: 'Boy found at Ashford' })
  assert.deepEqual(await register.errorSummary(), [{ text: 'Youngest age must be a whole number from 0 to 120', href: '#ageFrom' }])
  await register.search({ ageFrom: '16', ageTo: '12', purpose: 'Boy found at Ashford' })
  assert.deepEqual(await register.errorSummary(), [{ text: 'The oldest age must not be below the youngest', href: '#ageTo' }])

  // Another spelling of the family name, an age range and a word of the description.
  await register.search({ name: family.replace(/^Mahmoud/, 'Mahmud'), ageFrom: '13', ageTo: '17', description: 'scar', purpose: 'Boy found alone at Ashford International' })
  const entries = await register.entries()
  const entry = entries.find((candidate) => candidate.name.startsWith(`Yusuf ${family}`))
  assert.ok(entry, `found by sound: ${entries.map((candidate) => candidate.name).join('; ')}`)
  assert.equal(entry.owner, 'Metropolitan Police Service')
  assert.match(entry.text, /Yoyo/)
  assert.match(entry.text, /Red puffer jacket/)
  assert.match(entry.text, /Contact 101/)
  assert.match(entry.text, new RegExp(`MET-${family}`))
  await register.checkAccessibility()
})

test('a record outside the agency asks for a purpose, which is audited with every read, and the audit trail shows who saw it', async () => {
  const croydon = await apiAs(CROYDON)
  const family = uniqueName('Osei')
  const child = await croydon.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Kwame' }, { kind: 'family', text: family }], sex: 'male', dateOfBirth: { earliest: '2011-02-03', latest: '2011-02-03', source: 'documented' } })
  await croydon.post(`/people/${child.id}/care-episodes`, {
    startedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
    reasonForNewEpisode: 'S', legalStatus: 'C2', categoryOfNeed: 'N1', placementType: 'U1', placementProvider: 'PR1',
    homePostcode: 'CR0 1AA', placementPostcode: 'CT1 2AB',
  })

  // Kent is the host authority: it may read the child, with a purpose.
  const page = await browser.signedIn(KENT_SOCIAL_WORKER)
  await page.goto(`/people/${child.id}`)
  const purpose = new PurposePage(page)
  assert.equal(await purpose.heading(), 'Why do you need this record?')
  await purpose.checkAccessibility()
  await purpose.give('')
  assert.deepEqual(await purpose.errorSummary(), [{ text: 'Enter why you need this record', href: '#purpose' }])
  await purpose.give('x'.repeat(501))
  assert.deepEqual(await purpose.errorSummary(), [{ text: 'Your reason must be 500 characters or fewer', href: '#purpose' }])
  await purpose.checkAccessibility()
  await purpose.give('Child placed in our area: planning a visit')
  const person = new PersonPage(page)
  assert.equal(await person.heading(), `Kwame ${family}`)
  assert.equal((await person.identity())['Your access'], 'Placed in your area')
  assert.deepEqual(await person.flags(), ['Looked after'])

  // Someone from an agency with no access at all sees "not found": existence does not leak.
  await browser.context.clearCookies()
  const police = await browser.signedIn(KENT_OFFICER)
  await police.goto(`/people/${child.id}`)
  assert.equal(await new PersonPage(police).heading(), 'Page not found')

  // The missing-from-care lead reads the trail: the purpose is in it.
  await browser.context.clearCookies()
  const lead = await browser.signedIn(KENT_LEAD)
  await lead.goto(`/people/${child.id}`)
  await new PurposePage(lead).give('Checking who has looked at this placement')
  await lead.getByTestId('audit-trail').click()
  const trail = new AuditTrailPage(lead)
  assert.equal(await trail.heading(), 'Who has seen and changed this record')
  const rows = await trail.rows()
  assert.ok(rows.some((row) => row[1]?.startsWith('Hannah Lees') && row[2]?.startsWith('Looked at') && row[3] === 'Child placed in our area: planning a visit'), JSON.stringify(rows.slice(0, 8)))
  assert.ok(rows.some((row) => row[1]?.startsWith('Marcus Bell') && row[2]?.startsWith('Collected')))
  await trail.checkAccessibility()
})
