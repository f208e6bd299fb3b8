// Screenshots of the main pages for the README: `npm run screenshots` (starts the app like the browser suite).
import { test, before, after } from 'node:test'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { openBrowser, type Browser } from './browser.ts'
import { SignInPage } from './pages/sign-in-page.ts'
import { ReportJourney } from './pages/report-pages.ts'
import { RegisterPage } from './pages/register-page.ts'
import { apiAs, uniqueName } from './api.ts'
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts'
import { londonParts } from '../../src/web/format.ts'

const FOLDER = path.resolve(import.meta.dirname, '../../docs/screenshots')
let browser: Browser

before(async () => {
  browser = await openBrowser()
})
after(async () => browser.close())

async function shot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: path.join(FOLDER, `${name}.png`), fullPage })
}

async function signIn(email: string): Promise<Page> {
  await browser.context.clearCookies()
  const page = await browser.newPage()
  await new SignInPage(page).open()
  await new SignInPage(page).signIn(email, DEMO_PASSWORD)
  return page
}

test('screenshots of the main pages', async () => {
  const first = await browser.newPage()
  await new SignInPage(first).open()
  await shot(first, 'sign-in', false)

  const police = await signIn('coordinator@kent.police.example')
  await shot(police, 'home-police')

  const api = await apiAs('officer@kent.police.example')
  const person = await api.post<{ id: string }>('/people', {
    names: [{ kind: 'given', text: 'Selam' }, { kind: 'family', text: uniqueName('Tesfaye') }, { kind: 'alias', text: 'ሰላም', script: 'Ethi', transliteration: 'Selam' }],
    sex: 'female', dateOfBirth: { earliest: '2009-01-01', latest: '2010-12-31', source: 'assessed' }, ageDisputed: true, nationalities: ['ERI'],
    description: { heightCm: 158, hair: 'Black, braided', eyes: 'Brown', distinguishingMarks: 'Scar on left hand' }, flags: { unaccompanied: true, suspectedTrafficking: true },
  })
  const started = new Date(Date.now() - 30 * 3_600_000).toISOString()
  const episode = await api.post<{ id: string; version: number }>(`/people/${person.id}/episodes`, {
    startedAt: started, lastSeen: { place: 'Dover Priory station', by: 'Foster carer' }, circumstances: 'Left the foster placement after a phone call; seen getting into a car.',
    clothing: 'Grey hoodie, white trainers', incidentReference: 'KNT-20261121-0042',
    initialRisk: { assessedAt: started, grade: 'high', rationale: 'Unaccompanied child, suspected trafficking', vulnerabilityFlags: ['trafficking'], nextReviewDueAt: new Date(Date.now() + 2 * 3_600_000).toISOString() },
  })
  await api.post(`/episodes/${episode.id}/sightings`, { seenAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), place: 'Folkestone bus station', reportedBy: 'Bus driver' })
  await api.post(`/episodes/${episode.id}/actions`, { kind: 'cctv', description: 'Folkestone bus station CCTV', dueAt: new Date(Date.now() - 3_600_000).toISOString() })
  const officer = await signIn('officer@kent.police.example')
  await officer.goto(`/people/${person.id}`)
  await shot(officer, 'person')
  await officer.goto(`/people/${person.id}/episodes/${episode.id}`)
  await shot(officer, 'episode')

  const journey = new ReportJourney(officer)
  await journey.start()
  await journey.newPerson()
  await journey.continue()
  await shot(officer, 'report-errors')
  await journey.fill({ givenName: 'Mariam', familyName: 'Haddad' })
  await journey.pick('sex', 'female')
  await journey.fill({ age: '14' })
  await journey.continue()
  const seen = londonParts(new Date(Date.now() - 4 * 3_600_000))
  await journey.date('lastSeen', seen.day, seen.month, seen.year, `${seen.hour}:${seen.minute}`)
  await journey.fill({ lastSeenPlace: 'Canterbury West station', lastSeenPostcode: 'CT2 8AN' })
  await journey.continue()
  await journey.fill({ circumstances: 'Did not return from school; friends say she went to meet an older man.', clothing: 'School uniform, black coat' })
  await journey.continue()
  await journey.pick('q16', 'yes')
  await journey.pick('grade', 'high')
  await journey.fill({ rationale: 'Risk of sexual exploitation' })
  await journey.continue()
  await shot(officer, 'report-check-answers')

  const register = await new RegisterPage(officer).open()
  await register.search({ ageFrom: '12', ageTo: '17', description: 'scar', purpose: 'Girl found alone at Ashford International' })
  await shot(officer, 'register-search')

  const social = await signIn('social.worker@kent.gov.example')
  await shot(social, 'home-local-authority')
  await social.goto('/language?lang=cy&returnTo=/')
  await shot(social, 'home-welsh')
  await social.goto('/language?lang=en&returnTo=/')
})
