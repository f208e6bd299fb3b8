import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { countOn, errorSummary, webClient } from '../../../../test/web-client.ts'

// The tasks pages through app.inject over a real database: a force's statutory deadlines (the UK Missing Persons
// Unit notification at 72 hours) listed by status, one task with its owner and escalation, and completing it on
// its own form; another force sees none of it; bad and forged forms change nothing.

const HOUR = 3_600_000
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString()

describe('tasks pages', () => {
  let kit: TestKit
  let force: TestAgency
  let officer: TestUser
  let otherOfficer: TestUser
  let coordinator: TestUser
  let outsider: TestUser

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    outsider = await kit.user(await kit.agency('police_force'), ['police_officer'])
  })
  after(() => kit.close())

  /** A person reported missing `hours` ago by the officer: their UK Missing Persons Unit notification task. */
  async function missingFor(hours: number) {
    const created = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    const startedAt = hoursAgo(hours)
    const episode = await kit.request(officer, {
      method: 'POST',
      url: `/api/v1/people/${created.json().id}/episodes`,
      payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'low', rationale: 'Not known to be at risk' } },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    const tasks = await kit.services.deadlines.list(officer.actor, { state: 'all', episodeId: episode.json().id, kind: 'ukmpu_notification' })
    const task = tasks.items[0]
    assert.ok(task, 'the notification task exists')
    return { task, personId: created.json().id as string, episodeId: episode.json().id as string }
  }

  const rowOf = (html: string, taskId: string) => new RegExp(`<tr class="govuk-table__row" data-task-id="${taskId}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? ''

  test('the list shows due and overdue tasks by status, filterable by kind and owner; the home page counts them', async () => {
    const overdue = await missingFor(80)
    const due = await missingFor(2)
    const web = await webClient(kit, officer)
    const open = await web.get('/tasks')
    assert.equal(open.statusCode, 200)
    assert.match(open.body, /<h1 class="govuk-heading-l">Open tasks<\/h1>/)
    assert.match(rowOf(open.body, overdue.task.id), /govuk-tag--red">Overdue/)
    assert.match(rowOf(open.body, due.task.id), /govuk-tag--blue">Due/)
    assert.match(rowOf(open.body, due.task.id), new RegExp(`href="/tasks/${due.task.id}">Notify the UK Missing Persons Unit`))
    // The list is a live region: the live script reads the page again when a task event arrives (docs/adr/0017).
    assert.match(open.body, /<div data-live-board="tasks" data-live-stream="\/live\/events" data-live-types="task\.created task\.updated task\.escalated">/)
    assert.match(open.body, /<script type="module" src="\/assets\/lantern\/live-board\.mjs" nonce="/)

    const onlyOverdue = await web.get('/tasks?state=overdue')
    assert.match(onlyOverdue.body, new RegExp(overdue.task.id))
    assert.doesNotMatch(onlyOverdue.body, new RegExp(due.task.id))
    assert.match(onlyOverdue.body, /aria-current="page"[^>]*>\s*Overdue|href="\/tasks\?state=overdue" aria-current="page"/, 'the sub-navigation marks the status shown')

    const reviews = await web.get('/tasks?kind=risk_review')
    assert.doesNotMatch(reviews.body, new RegExp(due.task.id), 'filtered by kind')
    assert.match(reviews.body, /Review the risk assessment/)

    const mine = await web.get('/tasks?mine=true')
    assert.match(mine.body, new RegExp(due.task.id), 'the reporting officer owns the notification')
    const colleague = await webClient(kit, otherOfficer)
    assert.doesNotMatch((await colleague.get('/tasks?mine=true')).body, new RegExp(due.task.id))
    assert.match((await colleague.get('/tasks')).body, new RegExp(due.task.id), "but it is on the force's list")

    const home = await web.get('/')
    const count = async (state: 'due' | 'overdue') => (await kit.services.deadlines.list(officer.actor, { state, pageSize: 1 })).total
    assert.equal(countOn(home.body, 'tasks-due'), await count('due'))
    assert.equal(countOn(home.body, 'tasks-overdue'), await count('overdue'))
    assert.match(home.body, /href="\/tasks\?state=overdue" data-count="tasks-overdue"/)
    assert.match(home.body, /href="\/tasks\?state=done&amp;days=7" data-count="tasks-done"/)
  })

  test('a task shows its deadline, owner and status; overdue, it shows the escalation to the coordinator', async () => {
    const { task, personId, episodeId } = await missingFor(80)
    assert.ok((await kit.services.deadlines.escalateOverdue()) >= 1)
    const web = await webClient(kit, coordinator)
    const page = await web.get(`/tasks/${task.id}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1 class="govuk-heading-l">Notify the UK Missing Persons Unit<\/h1>/)
    assert.match(page.body, /data-testid="task-state">Overdue/)
    assert.match(page.body, new RegExp(`Test police_officer \\(police officer\\), ${force.name}`))
    assert.match(page.body, /Escalated to the missing person coordinator on \d{1,2}:\d\d[ap]m/)
    assert.match(page.body, new RegExp(`href="/tasks/${task.id}/notification"`))
    assert.match(page.body, new RegExp(`href="/people/${personId}/episodes/${episodeId}" data-testid="record-link"`))
    assert.match((await web.get('/tasks?state=overdue')).body, /Escalated to missing person coordinator/)
  })

  test('completing the notification: bad and forged answers change nothing; a good one closes the task as done', async () => {
    const { task } = await missingFor(80)
    const web = await webClient(kit, officer)
    const form = await web.get(`/tasks/${task.id}/notification`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /When was the UK Missing Persons Unit notified\?/)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? ''
    const state = async () => (await kit.services.deadlines.get(officer.actor, task.id)).state

    const forged = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': '1', 'notifiedAt-month': '1', 'notifiedAt-year': '2026', 'notifiedAt-time': '10:00' }, { csrf: null })
    assert.equal(forged.statusCode, 403)
    const empty = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': '', 'notifiedAt-month': '', 'notifiedAt-year': '', 'notifiedAt-time': '' })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(errorSummary(empty.body), [{ text: 'Enter the time the unit was notified', href: '#notifiedAt-day' }])
    const unreal = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': '31', 'notifiedAt-month': '2', 'notifiedAt-year': '2026', 'notifiedAt-time': '10:00' })
    assert.deepEqual(errorSummary(unreal.body), [{ text: 'The time the unit was notified must be a real date', href: '#notifiedAt-day' }])
    assert.match(unreal.body, /name="notifiedAt-day" type="text" value="31"/, 'the answers are kept')
    const next = new Date(Date.now() + 48 * HOUR)
    const future = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': String(next.getUTCDate()), 'notifiedAt-month': String(next.getUTCMonth() + 1), 'notifiedAt-year': String(next.getUTCFullYear()), 'notifiedAt-time': '10:00' })
    assert.deepEqual(errorSummary(future.body), [{ text: 'The time the unit was notified must not be in the future', href: '#notifiedAt-day' }])
    const before = new Date(Date.now() - 30 * 24 * HOUR)
    const tooEarly = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': String(before.getUTCDate()), 'notifiedAt-month': String(before.getUTCMonth() + 1), 'notifiedAt-year': String(before.getUTCFullYear()), 'notifiedAt-time': '10:00' })
    assert.equal(tooEarly.statusCode, 400)
    assert.deepEqual(errorSummary(tooEarly.body), [{ text: 'The notification must not be before the person went missing', href: '#notifiedAt-day' }])
    assert.equal(await state(), 'overdue', 'nothing changed')

    const outside = await webClient(kit, outsider)
    assert.equal((await outside.get(`/tasks/${task.id}`)).statusCode, 404)
    await outside.get('/tasks')
    assert.equal((await outside.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': '1', 'notifiedAt-month': '1', 'notifiedAt-year': '2026', 'notifiedAt-time': '10:00' })).statusCode, 404)
    assert.doesNotMatch((await outside.get('/tasks?state=all')).body, new RegExp(task.id))
    assert.equal(await state(), 'overdue')

    const now = new Date(Date.now() - 60_000)
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now)
    const part = (type: string) => london.find((item) => item.type === type)?.value ?? ''
    const done = await web.post(`/tasks/${task.id}/notification`, { version, 'notifiedAt-day': part('day'), 'notifiedAt-month': part('month'), 'notifiedAt-year': part('year'), 'notifiedAt-time': `${part('hour')}:${part('minute')}` })
    assert.equal(done.statusCode, 303, done.body)
    const page = await web.get(String(done.headers.location))
    assert.match(page.body, /The notification was recorded/)
    assert.match(page.body, /data-testid="task-state">Done/)
    assert.match(page.body, /Done late/, 'notified after the 72 hours')
    assert.match(page.body, /The UK Missing Persons Unit was notified/)
    assert.doesNotMatch(page.body, /data-testid="complete"/, 'nothing left to do')
    assert.match((await web.get('/tasks?state=done&days=7')).body, new RegExp(task.id))
  })

  test('an unknown status or kind gets the GOV.UK error pattern', async () => {
    const web = await webClient(kit, officer)
    const response = await web.get('/tasks?state=later&kind=paperwork')
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummary(response.body), [
      { text: 'Select a status from the list', href: '#state' },
      { text: 'Select a task from the list', href: '#kind' },
    ])
  })

  test('roles without tasks are told so', async () => {
    const analyst = await kit.user(force, ['analyst'])
    const web = await webClient(kit, analyst)
    assert.equal((await web.get('/tasks')).statusCode, 403)
    assert.doesNotMatch((await web.get('/')).body, /data-count="tasks-due"/)
  })
})
