import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser } from './browser.ts'
import { PersonPage } from './pages/person-page.ts'
import { FormPage } from './pages/form-page.ts'
import { PurposePage } from './pages/purpose-page.ts'
import { apiAs, uniqueName } from './api.ts'

const SOCIAL_WORKER = 'social.worker@kent.gov.example'
const DECISION_MAKER = 'decision.maker@sca.example'
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)

const browser = useBrowser()

test('a placement is added, shown out of area with its distance, and ended; an NRM referral is made and a decision recorded', async () => {
  const api = await apiAs(SOCIAL_WORKER)
  const family = uniqueName('Tran')
  const child = await api.post<{ id: string }>('/people', { names: [{ kind: 'given', text: 'Minh' }, { kind: 'family', text: family }], sex: 'male', dateOfBirth: { earliest: '2010-06-01', latest: '2010-06-01', source: 'documented' } })
  const page = await browser.signedIn(SOCIAL_WORKER)
  const person = await new PersonPage(page).open(child.id)
  await page.getByTestId('add-placement').click()
  const form = new FormPage(page)
  assert.equal(await form.heading(), 'Add a placement')
  await form.checkAccessibility()
  await form.save()
  assert.deepEqual((await form.errorSummary()).map((error) => error.text), [
    'Enter the date the placement started',
    'Select the reason for the new episode',
    'Select the legal status',
    'Select the category of need',
    'Select the placement type',
  ])
  await form.checkAccessibility()
  await form.date('startedOn', daysAgo(20))
  await form.select({ reasonForNewEpisode: 'S', legalStatus: 'V2', categoryOfNeed: 'N8', placementType: 'U1', placementProvider: 'PR1' })
  await form.fill({ homePostcode: 'CT1 2AB', placementPostcode: 'CR0 1ZZZ' })
  await form.save()
  assert.deepEqual(await form.errorSummary(), [{ text: 'Enter a real postcode, like CT1 2AB', href: '#placementPostcode' }])
  await form.fill({ placementPostcode: 'CR0 1AA' })
  await form.save()
  assert.match(await page.getByTestId('done').innerText(), /The placement has been saved/)
  const row = (await page.getByTestId('placements').locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')
  assert.match(row, /U1: .*CR0 1AA Out of area \d+ miles/)
  assert.deepEqual(await person.flags(), ['Looked after'])

  // End it before it began: the care service's rule, shown on the field.
  await page.getByRole('link', { name: /^Change U1/ }).click()
  await form.date('endedOn', daysAgo(30))
  await form.select({ reasonEnded: 'E13' })
  await form.save()
  const errors = await form.errorSummary()
  assert.equal(errors[0]?.href, '#endedOn-day')
  await form.checkAccessibility()
  await form.date('endedOn', daysAgo(1))
  await form.save()
  assert.deepEqual(await person.flags(), [], 'no longer looked after')

  // The referral.
  await page.getByTestId('refer').click()
  assert.equal(await form.heading(), 'Refer to the National Referral Mechanism')
  await form.checkAccessibility()
  await form.save()
  assert.deepEqual((await form.errorSummary()).map((error) => error.href), ['#referredOn-day', '#competentAuthorityId', '#exploitationTypes', '#exploitationLocation', '#ageAtExploitation'])
  await form.date('referredOn', '2031-01-01')
  await form.save()
  assert.equal((await form.errorSummary())[0]?.text, 'The referral date must not be in the future')
  await form.date('referredOn', daysAgo(3))
  await form.selectByLabel('competentAuthorityId', 'Single Competent Authority')
  await form.pick('exploitationTypes', 'criminal')
  await form.pick('countyLines', 'yes')
  await form.pick('exploitationLocation', 'uk')
  await form.pick('ageAtExploitation', 'child')
  await form.save()
  assert.match(await page.getByTestId('referral-status').innerText(), /awaiting reasonable grounds/)

  // Change it: all types unticked is refused; the NRM reference is added.
  await page.getByTestId('change-referral').click()
  assert.equal(await form.heading(), 'Change the referral')
  await page.locator('input[name="exploitationTypes"][value="criminal"]').uncheck()
  await form.save()
  assert.deepEqual(await form.errorSummary(), [{ text: 'Select at least one type of exploitation, or “not known”', href: '#exploitationTypes' }])
  await form.checkAccessibility()
  await form.pick('exploitationTypes', 'criminal')
  await form.fill({ nrmReference: `NRM-${family}` })
  await form.save()
  assert.match(await page.getByTestId('referrals').innerText(), new RegExp(`NRM-${family}`))

  // The competent authority decides: it reads the child for a purpose.
  await browser.context.clearCookies()
  const decider = await browser.signedIn(DECISION_MAKER)
  await decider.goto(`/people/${child.id}`)
  await new PurposePage(decider).give('Reasonable grounds decision on the referral')
  await decider.getByTestId('decide').click()
  const decision = new FormPage(decider)
  await decision.save()
  assert.deepEqual((await decision.errorSummary()).map((error) => error.href), ['#stage', '#outcome', '#decidedOn-day'])
  await decision.checkAccessibility()
  await decision.pick('stage', 'conclusive_grounds')
  await decision.pick('outcome', 'positive')
  await decision.pick('conclusiveFinding', 'human_trafficking')
  await decision.date('decidedOn', daysAgo(1))
  await decision.save()
  assert.equal((await decision.errorSummary()).length, 1, 'conclusive grounds before reasonable grounds is refused')
  await decision.pick('stage', 'reasonable_grounds')
  await decision.page.locator('input[name="conclusiveFinding"]:checked').evaluate((input) => { (input as unknown as { checked: boolean }).checked = false })
  await decision.save()
  assert.match(await decider.getByTestId('referral-status').innerText(), /awaiting conclusive grounds/)
  await new PersonPage(decider).checkAccessibility()
})
