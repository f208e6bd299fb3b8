import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { PersonPage } from './pages/person-page.ts'
import { PersonDetailsPage } from './pages/person-details-page.ts'
import { apiAs, uniqueName } from './api.ts'

const SOCIAL_WORKER = 'social.worker@kent.gov.example'
const GUARDIAN_SERVICE = "Independent Child Trafficking Guardian service (Barnardo's)"
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
// A real 1x1 PNG, so the browser can draw it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

const browser = useBrowser()

test('a social worker changes a child’s details, adds a photo, and assigns, then ends, a child trafficking guardian', async () => {
  const api = await apiAs(SOCIAL_WORKER)
  const family = uniqueName('Tesfaye')
  const child = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Yonas' }, { kind: 'family', text: family }], sex: 'male', dateOfBirth: { earliest: '2010-01-01', latest: '2010-12-31', source: 'estimated' } })
  const page = await browser.signedIn(SOCIAL_WORKER)
  const person = await new PersonPage(page).open(child.id)
  await person.checkAccessibility()

  // Personal details: a bad form first, then names in two scripts, an assessed range and the trafficking flag.
  await person.changeDetails()
  const form = new PersonDetailsPage(page)
  assert.equal(await form.heading(), 'Change personal details')
  assert.equal(await form.nameText(1), family)
  await form.checkAccessibility()
  await form.name(0, { text: '' })
  await form.name(2, { kind: 'alias', text: 'ዮናስ', script: 'Ethiopic' })
  await form.fill({ nationalities: 'Eritrea' })
  await form.save()
  assert.equal(await form.errorSummaryTitle(), 'There is a problem')
  assert.deepEqual(await form.errorSummary(), [
    { text: 'Enter the script of name 3 as a four-letter code, like Latn or Arab', href: '#name-2-script' },
    { text: 'Enter each nationality as a three-letter code, like VNM', href: '#nationalities' },
  ])
  assert.equal(await form.fieldError('nationalities'), 'Enter each nationality as a three-letter code, like VNM')
  assert.match(await form.title(), /^Error: Change personal details/)
  await form.checkAccessibility()

  await form.name(0, { text: 'Yonas' })
  await form.name(2, { script: '', transliteration: 'Yonas' })
  await form.dateOfBirthRange('2009-06-01', '2010-05-31', 'assessed')
  await form.fill({ nationalities: 'ERI', heightCm: '160' })
  assert.equal(await form.sinceRevealed(), false, 'the day is asked only once the box is ticked')
  await form.suspectedTraffickingSince(daysAgo(20))
  await form.checkAccessibility()
  await form.save()
  assert.equal(await person.saved(), 'The personal details have been saved')
  assert.deepEqual((await person.names()).at(-1), ['Alias', 'ዮናስ', 'Ethi', 'Yonas'])
  const identity = await person.identity()
  assert.match(identity['Date of birth'] ?? '', /^Between 1 June 2009 and 31 May 2010$/)
  assert.equal(identity['How it is known'], 'From an age assessment')
  assert.equal(identity.Nationalities, 'ERI')
  assert.match(identity['Suspected of being trafficked since'] ?? '', /^\d{1,2} \w+ \d{4}$/)
  assert.ok((await person.flags()).includes('Suspected trafficking'))
  await person.checkAccessibility()

  // A photo: a text file is refused on its field; a PNG is added and drawn.
  await person.addPhoto()
  assert.equal(await form.heading(), 'Add a photo')
  await form.checkAccessibility()
  await form.chooseFile('notes.txt', 'text/plain', Buffer.from('not a photo'))
  await form.fill({ caption: 'At the station' })
  await form.save()
  assert.deepEqual(await form.errorSummary(), [{ text: 'The selected file must be a JPEG, PNG or WebP image', href: '#photo' }])
  await form.checkAccessibility()
  await form.chooseFile('face.png', 'image/png', PNG)
  await form.save()
  assert.equal(await person.saved(), 'The photo has been added')
  assert.equal((await person.photoAlts()).length, 1)
  assert.equal(await person.photosLoaded(), true)

  // A guardian: assigned by name, then the assignment ended.
  await person.assignGuardian()
  assert.equal(await form.heading(), 'Assign an Independent Child Trafficking Guardian')
  await form.checkAccessibility()
  await form.save()
  assert.deepEqual((await form.errorSummary()).map((error) => error.href), ['#role', '#allocatedOn-day'], 'the only service is chosen already')
  await form.checkAccessibility()
  await form.selectByLabel('guardianUserId', `Chris Doyle, ${GUARDIAN_SERVICE}`)
  await form.pick('role', 'direct_worker')
  await form.date('allocatedOn', daysAgo(2))
  await form.save()
  assert.equal(await person.saved(), 'The guardian assignment has been saved')
  const [assigned] = await person.guardians()
  assert.deepEqual([assigned?.[0], assigned?.[1], assigned?.[2], assigned?.[4]], ['Chris Doyle', 'Direct worker', GUARDIAN_SERVICE, 'Current'])
  await person.checkAccessibility()

  await person.changeGuardianAssignment('Chris Doyle')
  assert.equal(await form.heading(), 'Change or end the guardian assignment')
  await form.checkAccessibility()
  await form.date('endedOn', daysAgo(3))
  await form.save()
  assert.match((await form.errorSummary())[0]?.text ?? '', /^The assignment must not end before it was allocated/)
  await form.checkAccessibility()
  await form.date('endedOn', daysAgo(0))
  await form.save()
  const [ended] = await person.guardians()
  assert.notEqual(ended?.[4], 'Current')
  assert.match(ended?.[4] ?? '', /^\d{1,2} \w+ \d{4}$/)

  // The details form in Welsh.
  await person.changeDetails()
  await form.switchLanguage('Cymraeg')
  assert.equal(await form.heading(), 'Newid manylion personol')
  await form.checkAccessibility()
  await form.switchLanguage('English')
  assert.deepEqual(browser.consoleErrors, [])
  await browser.closePage(page)
})
