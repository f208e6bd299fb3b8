import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { PersonPage } from './pages/person-page.ts'
import { ProfilePage } from './pages/profile-page.ts'
import { ReportJourney } from './pages/report-pages.ts'
import { apiAs, uniqueName } from './api.ts'

const SOCIAL_WORKER = 'social.worker@kent.gov.example'

const browser = useBrowser()

test('a Philomena profile: created from the person page, refused when empty or malformed (naming the line), viewed, changed, and used to report', async () => {
  const api = await apiAs(SOCIAL_WORKER)
  const family = uniqueName('Kowalczyk')
  const child = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Zofia' }, { kind: 'family', text: family }], sex: 'female' })
  const page = await browser.signedIn(SOCIAL_WORKER)
  const person = await new PersonPage(page).open(child.id)
  await page.getByTestId('new-philomena').click()
  const profile = new ProfilePage(page)
  assert.equal(await profile.heading(), 'Add a Philomena profile')
  await profile.checkAccessibility()

  await profile.save()
  assert.deepEqual(await profile.errorSummary(), [{ text: 'Select the basis the profile is held on', href: '#consentBasis' }])
  await profile.checkAccessibility()

  await profile.pick('consentBasis', 'consent')
  await profile.fill({
    previousMissingIncidents: 'many',
    placesPreviouslyFound: 'Folkestone harbour | 2025-12-01\nDreamland, Margate | 1st of May',
  })
  await profile.save()
  assert.deepEqual(await profile.errorSummary(), [
    { text: 'Previous missing incidents must be a whole number between 0 and 10000', href: '#previousMissingIncidents' },
    { text: 'Line 2: the date found must be a real date like 2025-12-01', href: '#placesPreviouslyFound' },
  ])
  assert.match(await page.locator('#placesPreviouslyFound').inputValue(), /1st of May/, 'answers are kept')
  await profile.fill({ previousMissingIncidents: '3', phones: 'not a phone number' })
  await profile.save()
  // The service's own rule, mapped to the list and the line.
  const errors = await profile.errorSummary()
  assert.deepEqual(errors.map((error) => error.href), ['#placesPreviouslyFound'])
  await profile.fill({ placesPreviouslyFound: 'Folkestone harbour | 2025-12-01' })
  await profile.save()
  assert.deepEqual(await profile.errorSummary(), [{ text: 'Line 1: number must be a phone number (digits, spaces, +, brackets, hyphens)', href: '#phones' }])
  await profile.fill({ phones: '' })

  await profile.fill({
    placesPreviouslyFound: 'Folkestone harbour | 2025-12-01\nDreamland, Margate',
    placesOfInterest: 'Margate seafront | Meets older friends',
    associates: 'Older male "J" | Associate | 07700 900456 | Suspected exploiter',
    legalStatus: 'Care order (section 31)',
  })
  await profile.pick('vulnerabilities', 'cce')
  await profile.pick('vulnerabilities', 'county_lines')
  await profile.save()
  assert.equal(await profile.heading(), 'Philomena protocol profile')
  const details = await profile.details()
  assert.equal(details['Previous missing incidents'], '3')
  assert.equal(details.Vulnerabilities, 'Child criminal exploitation, County lines')
  assert.match(details['Places found before'] ?? '', /Folkestone harbour \| 2025-12-01\nDreamland, Margate/)
  await profile.checkAccessibility()

  await profile.change()
  assert.equal(await page.locator('#legalStatus').inputValue(), 'Care order (section 31)')
  await profile.fill({ previousMissingIncidents: '4' })
  await profile.save()
  assert.equal((await profile.details())['Previous missing incidents'], '4')

  await person.open(child.id)
  assert.deepEqual(await page.getByTestId('profiles').locator('a').allInnerTexts(), ['Philomena protocol profile'])
  await page.getByTestId('profiles').locator('a').click()
  await profile.reportMissing()
  const journey = new ReportJourney(page)
  assert.match((await journey.prefilledBanner()) ?? '', /Philomena/)
  assert.equal(await journey.heading(), 'When and where were they last seen?')
})
