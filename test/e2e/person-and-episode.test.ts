import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { PersonPage } from './pages/person-page.ts'
import { EpisodePage } from './pages/episode-page.ts'
import { apiAs, uniqueName } from './api.ts'
import { londonParts } from '../../src/web/format.ts'

const OFFICER = 'officer@kent.police.example'
const SOCIAL_WORKER = 'social.worker@kent.gov.example'
const at = (hoursFromNow: number) => londonParts(new Date(Date.now() + hoursFromNow * 3_600_000))
const iso = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * 3_600_000).toISOString()
// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

const browser = useBrowser()

test('the person page shows identity with names and scripts, the date-of-birth range and source, photos, flags and one timeline', async () => {
  const api = await apiAs(OFFICER)
  const family = uniqueName('Haile')
  const person = await api.post<{ id: string }>('/people', {
    names: [
      { kind: 'given', text: 'Selam' },
      { kind: 'family', text: family },
      { kind: 'alias', text: 'ሰላም', script: 'Ethi', transliteration: 'Selam' },
    ],
    sex: 'female',
    dateOfBirth: { earliest: '2009-01-01', latest: '2010-12-31', source: 'assessed' },
    ageDisputed: true,
    nationalities: ['ERI'],
    description: { heightCm: 158, hair: 'Black, braided', distinguishingMarks: 'Scar on left hand' },
    flags: { unaccompanied: true, suspectedTrafficking: true },
  })
  await api.post(`/people/${person.id}/photos`, { contentType: 'image/png', dataBase64: PNG, takenOn: '2026-10-01', caption: 'Recent' })
  const episode = await api.post<{ id: string; version: number }>(`/people/${person.id}/episodes`, {
    startedAt: iso(-30),
    lastSeen: { place: 'Dover Priory station' },
    initialRisk: { assessedAt: iso(-29), grade: 'high', rationale: 'Unaccompanied, suspected trafficking' },
  })

  const page = await browser.signedIn(OFFICER)
  const personPage = await new PersonPage(page).open(person.id)
  assert.equal(await personPage.heading(), `Selam ${family}`)
  assert.deepEqual(await personPage.flags(), ['Missing now', 'Unaccompanied', 'Suspected trafficking'])
  const identity = await personPage.identity()
  assert.equal(identity['Date of birth'], 'Between 1 January 2009 and 31 December 2010')
  assert.equal(identity['How it is known'], 'From an age assessment')
  assert.equal(identity['Age disputed'], 'Yes')
  assert.deepEqual((await personPage.names())[2], ['Alias', 'ሰላም', 'Ethi', 'Selam'])
  assert.equal((await personPage.description())['Scars, marks, tattoos'], 'Scar on left hand')
  assert.deepEqual(await personPage.photoAlts(), [`Photo of Selam ${family}`])
  assert.equal(await personPage.photosLoaded(), true)
  assert.deepEqual(await personPage.timeline(), ['risk: Risk graded: High risk', 'episode: Missing episode began'])
  await personPage.checkAccessibility()

  // The episode: a sighting, a re-grade, an action, found, and the prevention interview; each form refuses bad input.
  await page.getByTestId('open-episode').click()
  const episodePage = new EpisodePage(page)
  assert.equal(await episodePage.heading(), 'Missing episode')
  await episodePage.checkAccessibility()

  await episodePage.doAction('Record a sighting or update')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [
    { text: 'Enter when they were seen', href: '#seenAt-day' },
    { text: 'Enter where they were seen', href: '#place' },
  ])
  await episodePage.checkAccessibility()
  await episodePage.dateTime('seenAt', at(-2), '7pm-ish')
  await episodePage.fill({ place: 'Folkestone', postcode: 'ZZ' })
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [
    { text: 'The time for when they were seen must be a real time, like 14:30 or 2:30pm', href: '#seenAt-time' },
    { text: 'Enter a real postcode, like CT1 2AB', href: '#postcode' },
  ])
  await episodePage.dateTime('seenAt', at(-2))
  await episodePage.fill({ postcode: 'CT20 1AA', reportedBy: 'Bus driver' })
  await episodePage.save()
  assert.equal(await episodePage.banner(), 'The sighting has been recorded.')
  assert.match((await episodePage.sightings())[0] ?? '', /Folkestone, CT20 1AA \(Bus driver\)/)

  await episodePage.doAction('Re-grade the risk')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [
    { text: 'Select the risk grade', href: '#grade' },
    { text: 'Enter why you chose this grade', href: '#rationale' },
  ])
  await episodePage.pick('grade', 'medium')
  await episodePage.fill({ rationale: 'Sighted in Folkestone, with a known friend' })
  await episodePage.save()
  assert.match(await episodePage.status(), /Missing now Medium risk/)
  assert.deepEqual((await episodePage.riskHistory()).map((row) => row[1]), ['Medium risk', 'High risk'], 'newest first, the history kept')

  await episodePage.doAction('Add an action')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [
    { text: 'Select the kind of action', href: '#kind' },
    { text: 'Describe the action', href: '#description' },
  ])
  await episodePage.checkAccessibility()
  await episodePage.select('kind', 'cctv')
  await episodePage.fill({ description: 'Folkestone bus station CCTV' })
  await episodePage.dateTime('dueAt', at(-1))
  await episodePage.save()
  assert.match((await episodePage.actionsLog())[0]?.[1] ?? '', /Overdue/)
  await episodePage.completeFirstAction('Seen boarding the 102 bus')
  assert.match((await episodePage.actionsLog())[0]?.[2] ?? '', /Completed .*Seen boarding the 102 bus/)

  await episodePage.doAction('Record found or returned')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [
    { text: 'Enter when they were found or returned', href: '#endedAt-day' },
    { text: 'Select found or returned', href: '#outcome' },
  ])
  await episodePage.dateTime('endedAt', at(2))
  await episodePage.pick('outcome', 'found')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [{ text: 'This must not be in the future', href: '#endedAt-day' }])
  await episodePage.dateTime('endedAt', at(-0.5))
  await episodePage.pick('returnMethod', 'found_by_police')
  await episodePage.pick('harmOutcome', 'no_apparent_harm')
  await episodePage.fill({ foundPlace: 'Folkestone Central station' })
  await episodePage.save()
  assert.match(await episodePage.status(), /^Found/)
  assert.deepEqual(await episodePage.availableActions(), ['Record the prevention interview'])
  await episodePage.checkAccessibility()

  await episodePage.doAction('Record the prevention interview')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [{ text: 'Select whether the interview was done', href: '#conducted' }])
  await episodePage.pick('conducted', 'no')
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [{ text: 'Enter why the interview was not done', href: '#notConductedReason' }])
  await episodePage.checkAccessibility()
  await episodePage.pick('conducted', 'yes')
  await episodePage.dateTime('conductedAt', at(-0.2))
  await episodePage.pick('method', 'face_to_face')
  await episodePage.pick('harmDisclosed', 'no')
  await episodePage.save()
  assert.equal((await episodePage.interview('prevention'))['How was it done?'], 'Face to face')

  await personPage.open(person.id)
  const timeline = await personPage.timeline()
  // Newest first: the re-grade was made now; the interview and the finding were dated 12 and 30 minutes ago.
  assert.deepEqual(timeline.slice(0, 3), ['risk: Risk graded: Medium risk', 'interview: Prevention interview (safe and well check)', 'episode: Found or returned'])
  assert.ok(!(await personPage.flags()).includes('Missing now'))
  assert.ok(episode.version >= 1)
  assert.deepEqual(browser.consoleErrors, [])
})

test('a local authority records the return home interview: offered, accepted, completed, within 72 hours or not', async () => {
  const api = await apiAs(SOCIAL_WORKER)
  const person = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Kai' }, { kind: 'family', text: uniqueName('Lowe') }], sex: 'male' })
  const episode = await api.post<{ id: string; version: number }>(`/people/${person.id}/episodes`, { startedAt: iso(-50), laCategory: 'M' })
  await api.post(`/episodes/${episode.id}/end`, { version: episode.version, endedAt: iso(-40), outcome: 'returned' })

  const page = await browser.signedIn(SOCIAL_WORKER)
  const episodePage = await new EpisodePage(page).open(person.id, episode.id)
  assert.deepEqual(await episodePage.availableActions(), ['Record the return home interview'])
  await episodePage.doAction('Record the return home interview')
  assert.match(await page.getByTestId('rhi-intro').innerText(), /within 72 hours of returning\. Due by/)
  await episodePage.checkAccessibility()
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [{ text: 'Select whether the interview has been offered', href: '#offered' }])
  await episodePage.pick('offered', 'yes')
  await episodePage.dateTime('offeredAt', at(-39))
  await episodePage.pick('accepted', 'not_yet')
  await episodePage.dateTime('completedAt', at(-2))
  await episodePage.save()
  assert.deepEqual(await episodePage.errorSummary(), [{ text: 'An interview can only be completed once the child has accepted it', href: '#completedAt-day' }])
  await episodePage.checkAccessibility()
  await episodePage.pick('accepted', 'yes')
  await episodePage.pick('interviewerIndependent', 'yes')
  await episodePage.pick('exploitationIndicators', 'older_associates')
  await episodePage.save()
  const interview = await episodePage.interview('return-home')
  assert.equal(interview['Within 72 hours'], 'Yes')
  assert.equal(interview['Exploitation indicators'], 'Older associates')
  await episodePage.checkAccessibility()
})

test('episode and person pages work in Welsh', async () => {
  const api = await apiAs(OFFICER)
  const person = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Iolo' }, { kind: 'family', text: uniqueName('Rhys') }], sex: 'male' })
  const episode = await api.post<{ id: string }>(`/people/${person.id}/episodes`, { startedAt: iso(-3), initialRisk: { assessedAt: iso(-2), grade: 'low', rationale: 'Known to return' } })
  const page = await browser.signedIn(OFFICER)
  const episodePage = await new EpisodePage(page).open(person.id, episode.id)
  await episodePage.switchLanguage('Cymraeg')
  assert.equal(await episodePage.heading(), 'Cyfnod ar goll')
  assert.match(await episodePage.status(), /Ar goll nawr Risg isel/)
  await episodePage.checkAccessibility()
  await episodePage.doAction('Cofnodi achos o’u gweld neu ddiweddariad')
  await episodePage.save()
  assert.equal(await episodePage.errorSummaryTitle(), 'Mae problem wedi codi')
  assert.match(await episodePage.title(), /^Gwall: /)
  await episodePage.checkAccessibility()
  await new PersonPage(page).open(person.id)
  assert.deepEqual(await new PersonPage(page).flags(), ['Ar goll nawr'])
  await new PersonPage(page).checkAccessibility()
  await episodePage.switchLanguage('English')
})
