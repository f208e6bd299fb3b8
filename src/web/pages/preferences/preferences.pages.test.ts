import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { errorSummary, webClient } from '../../../../test/web-client.ts'

// The email preferences page through app.inject: a person's own choice, through the notifications service, with
// the version read; forged, unknown and stale answers change nothing.

const checked = (html: string) => [...html.matchAll(/name="emailKinds" type="checkbox" value="([a-z_]+)" checked/g)].map((match) => match[1])

describe('email preferences page', () => {
  let kit: TestKit
  let worker: TestUser

  before(async () => {
    kit = await startTestKit()
    worker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
  })
  after(() => kit.close())

  const saved = async () => kit.services.notifications.preferences(worker.actor)

  test('until a person chooses, the defaults are shown; every page links to the choice', async () => {
    const web = await webClient(kit, worker)
    const page = await web.get('/preferences/notifications')
    assert.equal(page.statusCode, 200)
    assert.deepEqual(checked(page.body), ['alert_raised', 'alert_escalated', 'task_escalated'])
    assert.match(page.body, /You have not chosen yet/)
    assert.match(page.body, /name="version" value="0"/)
    assert.match((await web.get('/')).body, /href="\/preferences\/notifications" data-testid="notification-preferences">Email notifications/)
  })

  test('forged, unknown and stale choices change nothing; a good one is saved with its version', async () => {
    const web = await webClient(kit, worker)
    await web.get('/preferences/notifications')
    const forged = await web.post('/preferences/notifications', { version: '0', emailKinds: ['task_created'] }, { csrf: null })
    assert.equal(forged.statusCode, 403)
    const unknown = await web.post('/preferences/notifications', { version: '0', emailKinds: ['task_created', 'everything'] })
    assert.equal(unknown.statusCode, 400)
    assert.deepEqual(errorSummary(unknown.body), [{ text: 'Select only the kinds of email listed', href: '#emailKinds' }])
    assert.deepEqual(checked(unknown.body), ['task_created'], 'the answers are kept')
    assert.equal((await saved()).defaults, true, 'nothing saved')

    const chosen = await web.post('/preferences/notifications', { version: '0', emailKinds: ['task_created', 'task_escalated'] })
    assert.equal(chosen.statusCode, 303)
    const page = await web.get(String(chosen.headers.location))
    assert.match(page.body, /Your email choices were saved/)
    assert.deepEqual(checked(page.body), ['task_created', 'task_escalated'])
    assert.deepEqual((await saved()).emailKinds, ['task_created', 'task_escalated'])
    const api = await kit.request(worker, { method: 'GET', url: '/api/v1/notification-preferences' })
    assert.deepEqual(api.json().emailKinds, ['task_created', 'task_escalated'], 'the same choice through the API')

    // A second window still holding version 0: refused, shown the choice as it is now.
    const stale = await web.post('/preferences/notifications', { version: '0', emailKinds: [] })
    assert.equal(stale.statusCode, 409)
    assert.match(errorSummary(stale.body)[0]?.text ?? '', /changed in another window/)
    assert.deepEqual(checked(stale.body), ['task_created', 'task_escalated'])
    assert.deepEqual((await saved()).emailKinds, ['task_created', 'task_escalated'])

    // None is a choice too.
    const version = String((await saved()).version)
    assert.equal((await web.post('/preferences/notifications', { version })).statusCode, 303)
    assert.deepEqual((await saved()).emailKinds, [])
  })
})
