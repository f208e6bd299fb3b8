import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { ReportJourney } from './pages/report-pages.ts'
import { apiAs, uniqueName } from './api.ts'
import { londonParts } from '../../src/web/format.ts'

const OFFICER = 'officer@kent.police.example'
const SOCIAL_WORKER = 'social.worker@kent.gov.example'
const hoursAgo = (hours: number) => londonParts(new Date(Date.now() - hours * 3_600_000))

const browser = useBrowser()

/** A report journey in a new tab, signed in. */
async function journeyAs(email: string): Promise<ReportJourney> {
  return new ReportJourney(await browser.signedIn(email))
}

test('police report a new person: search first, every question page refuses empty and malformed answers, check answers, confirmation with the reference', async () => {
  const journey = await journeyAs(OFFICER)
  await journey.start()
  assert.equal(await journey.heading(), 'Who is missing?')
  await journey.checkAccessibility()

  // Find: empty search.
  await journey.search('')
  assert.deepEqual(await journey.errorSummary(), [{ text: 'Enter a name to search for', href: '#name' }])
  const family = uniqueName('Qorvath')
  await journey.search(family)
  assert.equal(await journey.page.getByTestId('no-results').count(), 1, 'nobody has this name yet')
  await journey.checkAccessibility()
  await journey.newPerson()

  // The person: empty, then malformed.
  assert.equal(await journey.heading(), 'About the missing person')
  await journey.checkAccessibility()
  await journey.continue()
  assert.match(await journey.title(), /^Error: /)
  assert.deepEqual(await journey.errorSummary(), [
    { text: 'Enter the given name or the family name', href: '#givenName' },
    { text: 'Select the person’s sex', href: '#sex' },
  ])
  await journey.checkAccessibility()
  await journey.fill({ givenName: 'Mariam', familyName: family, heightCm: 'tall' })
  await journey.date('dob', '31', '2', '2011')
  await journey.pick('sex', 'female')
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [
    { text: 'The date of birth must be a real date', href: '#dob-day' },
    { text: 'Height must be a whole number between 30 and 250', href: '#heightCm' },
  ])
  assert.equal(await journey.value('givenName'), 'Mariam', 'answers are kept')
  assert.equal(await journey.isPicked('sex', 'female'), true)
  await journey.date('dob', '14', '3', '2011')
  await journey.fill({ heightCm: '152', hair: 'Black, long' })
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [{ text: 'Select how the date of birth is known', href: '#dobSource' }])
  await journey.pick('dobSource', 'stated')
  await journey.continue()

  // Last seen: empty, then malformed.
  assert.equal(await journey.heading(), 'When and where were they last seen?')
  await journey.checkAccessibility()
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [
    { text: 'Enter when they were last seen', href: '#lastSeen-day' },
    { text: 'Enter where they were last seen', href: '#lastSeenPlace' },
  ])
  await journey.checkAccessibility()
  const seen = hoursAgo(5)
  await journey.date('lastSeen', seen.day, seen.month, seen.year, '25:99')
  await journey.fill({ lastSeenPlace: 'Canterbury bus station', lastSeenPostcode: 'NOT A POSTCODE' })
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [
    { text: 'The time for when they were last seen must be a real time, like 14:30 or 2:30pm', href: '#lastSeen-time' },
    { text: 'Enter a real postcode, like CT1 2AB', href: '#lastSeenPostcode' },
  ])
  await journey.fill({ 'lastSeen-time': `${seen.hour}:${seen.minute}`, lastSeenPostcode: 'CT1 2AB', lastSeenBy: 'Foster carer' })
  await journey.pick('missingFromType', 'foster_placement')
  await journey.continue()

  // Circumstances.
  assert.equal(await journey.heading(), 'What happened?')
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [{ text: 'Enter the circumstances', href: '#circumstances' }])
  await journey.checkAccessibility()
  await journey.fill({ circumstances: 'Left the placement after a phone call; seen getting into a car.', clothing: 'Grey hoodie', incidentReference: `KNT-${family}` })
  await journey.continue()

  // Risk.
  assert.equal(await journey.heading(), 'Risk assessment')
  await journey.checkAccessibility()
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [
    { text: 'Select the risk grade', href: '#grade' },
    { text: 'Enter why you chose this grade', href: '#rationale' },
  ])
  await journey.pick('q16', 'yes')
  await journey.fill({ 'q16-explanation': 'Seen with older males in a car' })
  await journey.pick('q3', 'yes')
  await journey.pick('vulnerabilityFlags', 'cse')
  await journey.pick('grade', 'high')
  await journey.fill({ rationale: 'Child at risk of sexual exploitation, out of character' })
  const past = hoursAgo(1)
  await journey.date('nextReview', past.day, past.month, past.year, `${past.hour}:${past.minute}`)
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [{ text: 'The next review must be in the future', href: '#nextReview-day' }])
  assert.equal(await journey.isPicked('q16', 'yes'), true, 'answers are kept')
  const later = londonParts(new Date(Date.now() + 4 * 3_600_000))
  await journey.date('nextReview', later.day, later.month, later.year, `${later.hour}:${later.minute}`)
  await journey.continue()

  // Check your answers, and change one.
  assert.equal(await journey.heading(), 'Check your answers before reporting')
  await journey.checkAccessibility()
  assert.equal((await journey.answers('check-person')).Name, `Mariam ${family}`)
  assert.equal((await journey.answers('check-last-seen'))['Where were they last seen?'], 'Canterbury bus station, CT1 2AB')
  const risk = await journey.answers('check-risk')
  assert.equal(risk['Risk grade'], 'High risk')
  assert.equal(risk['Questions answered'], '2 / 25')
  await journey.change('last-seen')
  assert.equal(await journey.value('lastSeenPlace'), 'Canterbury bus station')
  await journey.fill({ lastSeenPlace: 'Canterbury West station' })
  await journey.continue()
  assert.equal(await journey.heading(), 'Check your answers before reporting', 'a change returns to check answers')
  assert.equal((await journey.answers('check-last-seen'))['Where were they last seen?'], 'Canterbury West station, CT1 2AB')

  await journey.submit()
  assert.equal(await journey.heading(), 'Missing person reported')
  assert.match(await journey.reference(), /^[0-9a-f-]{36}$/)
  assert.equal(await journey.incidentReference(), `KNT-${family}`)
  await journey.checkAccessibility()

  // The person is now on the force's records: the search finds them (by sound, too).
  await journey.start()
  await journey.search(family)
  assert.deepEqual(await journey.results(), [`Mariam ${family}`])
  await journey.choose(`Mariam ${family}`)
  assert.equal(await journey.heading(), 'When and where were they last seen?', 'an existing person skips the person page')
  assert.deepEqual(browser.consoleErrors, [])
})

test('a local authority reports a child as missing or away, and the service refuses a second open episode', async () => {
  const family = uniqueName('Brennick')
  const journey = await journeyAs(SOCIAL_WORKER)
  await journey.start()
  await journey.newPerson()
  await journey.fill({ givenName: 'Tomasz', familyName: family, age: '15' })
  await journey.pick('sex', 'male')
  await journey.continue()
  const seen = hoursAgo(3)
  await journey.date('lastSeen', seen.day, seen.month, seen.year, `${seen.hour}:${seen.minute}`)
  await journey.fill({ lastSeenPlace: 'Children’s home in Margate' })
  await journey.continue()
  await journey.fill({ circumstances: 'Did not return from school.' })
  await journey.continue()
  assert.equal(await journey.heading(), 'Missing or away?')
  assert.equal(await journey.page.locator('#grade').count(), 0, 'a local authority does not grade police risk')
  await journey.continue()
  assert.deepEqual(await journey.errorSummary(), [{ text: 'Select missing or away without authorisation', href: '#laCategory' }])
  await journey.checkAccessibility()
  await journey.pick('laCategory', 'M')
  await journey.continue()
  assert.equal((await journey.answers('check-risk'))['Missing or away'], 'Missing')
  await journey.submit()
  assert.equal(await journey.heading(), 'Missing person reported')

  // The same child again while that episode is open: SSDA903 rule 574.
  await journey.start()
  await journey.search(family)
  await journey.choose(`Tomasz ${family}`)
  await journey.date('lastSeen', seen.day, seen.month, seen.year, `${seen.hour}:${seen.minute}`)
  await journey.fill({ lastSeenPlace: 'Margate' })
  await journey.continue()
  await journey.fill({ circumstances: 'Reported again by mistake' })
  await journey.continue()
  await journey.pick('laCategory', 'A')
  await journey.continue()
  await journey.submit()
  const errors = await journey.errorSummary()
  assert.equal(errors.length, 1)
  assert.match(errors[0]?.text ?? '', /already has an open episode.*rule 574/)
  await journey.checkAccessibility()
})

test('starting from a Philomena profile pre-fills what the profile holds', async () => {
  const api = await apiAs(OFFICER)
  const family = uniqueName('Okonkwo')
  const person = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Ada' }, { kind: 'family', text: family }], sex: 'female' })
  const profile = await api.post<{ id: string }>(`/people/${person.id}/protocol-profiles`, {
    protocol: 'philomena',
    consentBasis: 'best_interests',
    vulnerabilities: ['cse', 'county_lines'],
    details: {
      previousMissingIncidents: 4,
      placesOfInterest: [{ place: 'Dreamland, Margate', reason: 'Meets friends there' }],
      medical: { conditions: ['Asthma'], medication: [{ name: 'Salbutamol inhaler', effectIfMissed: 'Breathing difficulty' }] },
    },
    associates: [{ name: 'Older male known as "J"', relationship: 'Associate', risk: 'Suspected exploiter' }],
    lastReviewedOn: '2026-01-10',
  })
  const journey = await journeyAs(OFFICER)
  await journey.page.goto(`/report/from-profile?personId=${person.id}&profileId=${profile.id}`)
  assert.equal(await journey.heading(), 'When and where were they last seen?')
  assert.match((await journey.prefilledBanner()) ?? '', /filled in from the Philomena profile/)
  await journey.checkAccessibility()
  const seen = hoursAgo(2)
  await journey.date('lastSeen', seen.day, seen.month, seen.year, `${seen.hour}:${seen.minute}`)
  await journey.fill({ lastSeenPlace: 'Margate seafront' })
  await journey.continue()
  const circumstances = await journey.value('circumstances')
  assert.match(circumstances, /From the Philomena protocol profile/)
  assert.match(circumstances, /Dreamland, Margate: Meets friends there/)
  assert.match(circumstances, /Older male known as "J"/)
  await journey.continue()
  assert.equal(await journey.isPicked('vulnerabilityFlags', 'cse'), true)
  assert.equal(await journey.isPicked('vulnerabilityFlags', 'county_lines'), true)
  assert.equal(await journey.isPicked('q21', 'yes'), true)
  assert.equal(await journey.value('q21-explanation'), '4 previous missing incidents (Philomena profile)')
  assert.equal(await journey.isPicked('q5', 'yes'), true)
  assert.equal(await journey.value('q4-explanation'), 'Salbutamol inhaler: Breathing difficulty')
  assert.match(await journey.value('informationSource'), /Philomena protocol profile \(last reviewed 2026-01-10\)/)
  await journey.pick('grade', 'high')
  await journey.fill({ rationale: 'Philomena profile: CSE and county lines' })
  await journey.continue()
  await journey.submit()
  assert.equal(await journey.heading(), 'Missing person reported')
})
