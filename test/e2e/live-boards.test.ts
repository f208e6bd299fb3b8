import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { openBrowser, useBrowser } from './browser.ts'
import { apiAs, uniqueName, type ApiClient } from './api.ts'
import { HomePage } from './pages/home-page.ts'
import { AlertsPage, PreferencesPage, TasksPage } from './pages/work-pages.ts'

// Issue 7 in the browser: the coordinator's home page updates without a reload when another user reports a case
// and an alert is raised; the alerts and tasks pages, with and without JavaScript; the email choices. Every record
// is the spec's own (made through the API as the force's officer), so other specs changing the demo data do not
// matter: counts are compared with themselves before and after.

const COORDINATOR = 'coordinator@kent.police.example'
const OFFICER = 'officer@kent.police.example'
const CALL_HANDLER = 'call.handler@kent.police.example'
const DAY = 24 * 3_600_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

const browser = useBrowser()
let officerApi: ApiClient
let coordinatorApi: ApiClient

before(async () => {
  officerApi = await apiAs(OFFICER)
  coordinatorApi = await apiAs(COORDINATOR)
})

/** A person of the force, with a name no demo person has. */
async function newPerson(): Promise<string> {
  const person = await officerApi.post<{ id: string }>('/people', {
    names: [{ kind: 'given', text: uniqueName('Live') }, { kind: 'family', text: uniqueName('Board') }],
    sex: 'female',
    dateOfBirth: { earliest: '2010-01-01', latest: '2010-12-31', source: 'assessed' },
    nationalities: ['GBR'],
  })
  return person.id
}

async function missing(personId: string, startedAt: string, endedAt: string | null = null): Promise<string> {
  const episode = await officerApi.post<{ id: string; version: number }>(`/people/${personId}/episodes`, {
    startedAt,
    initialRisk: { assessedAt: startedAt, grade: 'medium', rationale: 'Made up for the browser suite' },
  })
  if (endedAt) await officerApi.post(`/episodes/${episode.id}/end`, { version: episode.version, endedAt, outcome: 'returned' })
  return episode.id
}

/** A person missing twice already in the last 90 days: the next episode raises the coordinator's repeat_missing alert. */
async function twiceMissing(): Promise<string> {
  const personId = await newPerson()
  await missing(personId, ago(40 * DAY), ago(39 * DAY))
  await missing(personId, ago(20 * DAY), ago(19 * DAY))
  return personId
}

async function alertOf(episodeId: string): Promise<string> {
  const alerts = await coordinatorApi.get<{ items: { id: string; episodeId: string }[] }>('/alerts?state=all&pageSize=100')
  const alert = alerts.items.find((item) => item.episodeId === episodeId)
  assert.ok(alert, 'the alert was raised')
  return alert.id
}

test("the coordinator's home page updates without a reload when another user reports a case and an alert is raised, keeping focus", async () => {
  const personId = await twiceMissing()
  const page = await browser.signedIn(COORDINATOR)
  const home = new HomePage(page)
  assert.equal(await home.heading(), 'Open cases for Kent Police')
  await home.waitForLive()
  await home.checkAccessibility()
  const before = await home.counts()
  const open = before.get('open')?.value ?? -1
  const alerts = before.get('alerts-open')?.value ?? -1
  assert.ok(open >= 0 && alerts >= 0, 'the open cases and unacknowledged alerts are counted')
  await home.markNotReloaded()

  // Another user (the force's officer, through the API) reports the third episode: a new case, and an alert.
  const episodeId = await missing(personId, ago(3_600_000))
  await home.waitForCount('open', open + 1)
  await home.waitForCount('alerts-open', alerts + 1)
  assert.equal(await home.wasReloaded(), false, 'updated without a reload')
  await page.locator('[data-live-status]', { hasText: 'The board was updated.' }).waitFor()
  await home.checkAccessibility()

  // The keyboard focus stays where it was when the board is replaced.
  await page.locator('[data-count="alerts-open"]').focus()
  await missing(await newPerson(), ago(2 * 3_600_000))
  await home.waitForCount('open', open + 2)
  assert.equal(await page.locator('[data-count="alerts-open"]').evaluate((element) => element.ownerDocument.activeElement === element), true, 'focus kept on the same count')

  // The count links to the list; the alert is there, and acknowledged it leaves the count.
  const alertId = await alertOf(episodeId)
  await home.openCount('alerts-open')
  const alertsPage = new AlertsPage(page)
  assert.equal(await alertsPage.heading(), 'Alerts not yet acknowledged')
  assert.match(await alertsPage.row(alertId).innerText(), /Missing 3 times in 90 days[\s\S]*Not acknowledged[\s\S]*Not escalated/)
  await alertsPage.checkAccessibility()
  await alertsPage.openAlert(alertId)
  assert.equal(await alertsPage.heading(), 'Missing 3 times in 90 days')
  assert.equal((await alertsPage.summary()).get('Missing episodes in 90 days'), '3')
  await alertsPage.checkAccessibility()
  await alertsPage.acknowledgeButton().click()
  assert.match((await alertsPage.summary()).get('Acknowledgement') ?? '', /^Acknowledged by Sam Okafor on /)
  await alertsPage.checkAccessibility()
  await home.open()
  assert.equal((await home.counts()).get('alerts-open')?.value, alerts, 'acknowledged: no longer counted')
  assert.deepEqual(browser.consoleErrors, [], 'no console errors, so the live script was not blocked by the content security policy')
  await browser.closePage(page)
})

test('the alerts list shows a new alert without a reload, and says so', async () => {
  const personId = await twiceMissing()
  const page = await browser.signedIn(COORDINATOR)
  const alerts = await new AlertsPage(page).open()
  assert.equal(await alerts.heading(), 'Alerts not yet acknowledged')
  await alerts.waitForLive()
  await alerts.markNotReloaded()
  const total = await alerts.total()

  // The force's officer reports the child's third episode in 90 days: the coordinator's alert is raised.
  const alertId = await alertOf(await missing(personId, ago(3_600_000)))
  await alerts.row(alertId).waitFor()
  assert.match(await alerts.row(alertId).innerText(), /Missing 3 times in 90 days[\s\S]*Not acknowledged/)
  assert.equal(await alerts.total(), total + 1)
  assert.equal(await alerts.wasReloaded(), false, 'updated without a reload')
  await page.locator('[data-live-status]', { hasText: 'The list was updated.' }).waitFor()
  await alerts.checkAccessibility()
  assert.deepEqual(browser.consoleErrors, [])
  await browser.closePage(page)
})

test('tasks: the overdue UK Missing Persons Unit notification, in the list and on its page, completed on its form', async () => {
  // Reported by the call handler, so "only tasks I own" finds it among the force's many demo tasks.
  const callHandlerApi = await apiAs(CALL_HANDLER)
  const personId = await newPerson()
  const startedAt = ago(80 * 3_600_000)
  const episode = await callHandlerApi.post<{ id: string }>(`/people/${personId}/episodes`, {
    startedAt,
    initialRisk: { assessedAt: startedAt, grade: 'low', rationale: 'Made up for the browser suite' },
  })
  const tasks = await callHandlerApi.get<{ items: { id: string; kind: string }[] }>(`/tasks?state=all&episodeId=${episode.id}`)
  const taskId = tasks.items.find((task) => task.kind === 'ukmpu_notification')?.id ?? ''
  assert.ok(taskId, 'the notification task exists')
  const page = await browser.signedIn(CALL_HANDLER)
  const home = new HomePage(page)
  assert.ok(((await home.counts()).get('tasks-overdue')?.value ?? 0) >= 1)
  await home.openCount('tasks-overdue')
  const list = new TasksPage(page)
  assert.equal(await list.heading(), 'Overdue tasks')
  await list.checkAccessibility()
  await list.onlyMine()
  await list.filterKind('Notify the UK Missing Persons Unit')
  assert.equal(await list.heading(), 'My overdue tasks')
  assert.match(await list.row(taskId).innerText(), /Notify the UK Missing Persons Unit[\s\S]*Overdue/)
  await list.checkAccessibility()
  await list.filterKind('Review the risk assessment')
  assert.equal(await list.row(taskId).count(), 0, 'filtered out by kind')
  await list.filterKind('Notify the UK Missing Persons Unit')

  await list.row(taskId).getByRole('link').click()
  assert.equal(await list.heading(), 'Notify the UK Missing Persons Unit')
  assert.equal(await list.state(), 'Overdue')
  assert.equal(await list.summaryValue('Owner'), 'Priya Shah (police officer), Kent Police')
  await list.checkAccessibility()
  await list.complete()
  assert.equal(await list.heading(), 'When was the UK Missing Persons Unit notified?')
  await list.checkAccessibility()
  await list.fill({ 'notifiedAt-day': '', 'notifiedAt-month': '', 'notifiedAt-year': '', 'notifiedAt-time': '' })
  await list.save()
  assert.deepEqual(await list.errorSummary(), [{ text: 'Enter the time the unit was notified', href: '#notifiedAt-day' }])
  await list.checkAccessibility()
  const now = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() - 120_000))
  const part = (type: string) => now.find((item) => item.type === type)?.value ?? ''
  await list.fill({ 'notifiedAt-day': part('day'), 'notifiedAt-month': part('month'), 'notifiedAt-year': part('year'), 'notifiedAt-time': `${part('hour')}:${part('minute')}` })
  await list.save()
  assert.equal(await list.state(), 'Done')
  await list.checkAccessibility()
  assert.deepEqual(browser.consoleErrors, [])
  await browser.closePage(page)
})

test('email notifications: chosen from the footer link, saved with the version read', async () => {
  const page = await browser.signedIn('decision.maker@sca.example')
  const preferences = new PreferencesPage(page)
  await preferences.openFromFooter()
  assert.equal(await preferences.heading(), 'Email notifications')
  await preferences.checkAccessibility()
  const chosen = (await preferences.checked()).includes('task_created') ? ['alert_raised'] : ['alert_raised', 'task_created']
  await preferences.choose(chosen)
  await preferences.save()
  await page.getByText('Your email choices were saved.').waitFor()
  assert.deepEqual(await preferences.checked(), chosen)
  await preferences.checkAccessibility()
  await preferences.switchLanguage('Cymraeg')
  assert.equal(await preferences.heading(), 'Hysbysiadau e-bost')
  await preferences.checkAccessibility()
  await preferences.switchLanguage('English')
  await browser.closePage(page)
})

test('the alerts and tasks pages work without JavaScript: filter, acknowledge, open a task', async () => {
  const personId = await twiceMissing()
  const episodeId = await missing(personId, ago(3_600_000))
  const alertId = await alertOf(episodeId)
  const noScript = await openBrowser({ javaScriptEnabled: false })
  try {
    const page = await noScript.signedIn(COORDINATOR)
    const home = new HomePage(page)
    assert.ok(((await home.counts()).get('alerts-open')?.value ?? 0) >= 1, 'the counts are on the page without the live script')
    const alerts = new AlertsPage(page)
    await alerts.open()
    await alerts.showOnly('all')
    assert.equal(await alerts.heading(), 'All alerts')
    await alerts.openAlert(alertId)
    await alerts.acknowledgeButton().click()
    assert.match((await alerts.summary()).get('Acknowledgement') ?? '', /^Acknowledged by Sam Okafor/)
    await alerts.open('acknowledged')
    assert.equal(await alerts.row(alertId).count(), 1)

    const tasks = new TasksPage(page)
    await tasks.open()
    await tasks.filterKind('Review the risk assessment')
    assert.equal(await tasks.heading(), 'Open tasks')
    const reviewRows = page.locator('[data-task-id]')
    assert.ok((await reviewRows.count()) >= 1, 'the new episodes have risk reviews')
    for (const text of await reviewRows.allInnerTexts()) assert.match(text, /^Review the risk assessment/)
    await tasks.showState('Done')
    assert.equal(await tasks.heading(), 'Tasks done')
  } finally {
    await noScript.close()
  }
})
