import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { countOn, errorSummary, webClient } from '../../../../test/web-client.ts'

// The alerts pages through app.inject over a real database: a force's coordinator sees and acknowledges the alert
// raised for the third missing episode in 90 days; another force cannot see or acknowledge it; bad and forged
// forms change nothing.

const HOUR = 3_600_000
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * HOUR).toISOString()

describe('alerts pages', () => {
  let kit: TestKit
  let force: TestAgency
  let officer: TestUser
  let coordinator: TestUser
  let otherCoordinator: TestUser

  before(async () => {
    kit = await startTestKit()
    force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    otherCoordinator = await kit.user(await kit.agency('police_force'), ['missing_person_coordinator'])
  })
  after(() => kit.close())

  /** A person of the force missing for the third time in 90 days: the coordinator's repeat_missing alert. */
  async function repeatMissing(): Promise<{ alertId: string; personId: string; episodeId: string }> {
    const created = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    const personId = created.json().id as string
    let episodeId = ''
    for (const [start, end] of [[40, 39], [20, 19], [1, null]] as const) {
      const startedAt = daysAgo(start)
      const episode = await kit.request(officer, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'medium', rationale: 'Third time' } } })
      assert.equal(episode.statusCode, 201, episode.body)
      episodeId = episode.json().id
      if (end !== null) {
        const ended = await kit.request(officer, { method: 'POST', url: `/api/v1/episodes/${episodeId}/end`, payload: { version: episode.json().version, endedAt: daysAgo(end), outcome: 'returned' } })
        assert.equal(ended.statusCode, 200, ended.body)
      }
    }
    const alerts = await kit.services.alerts.list(coordinator.actor, { state: 'all', pageSize: 100 })
    const alert = alerts.items.find((item) => item.episodeId === episodeId)
    assert.ok(alert, 'the repeat-missing alert was raised')
    return { alertId: alert.id, personId, episodeId }
  }

  const acknowledged = async (alertId: string) => (await kit.services.alerts.get(coordinator.actor, alertId)).acknowledgedAt

  test('the list shows my agency’s alerts not yet acknowledged, each with its kind, time and escalation, linking to the alert; the home page counts them', async () => {
    const { alertId } = await repeatMissing()
    const web = await webClient(kit, coordinator)
    const list = await web.get('/alerts')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /<h1 class="govuk-heading-l">Alerts not yet acknowledged<\/h1>/)
    const row = new RegExp(`<tr class="govuk-table__row" data-alert-id="${alertId}">([\\s\\S]*?)</tr>`).exec(list.body)?.[1] ?? ''
    assert.match(row, new RegExp(`href="/alerts/${alertId}">Missing 3 times in 90 days`))
    assert.match(row, /Not acknowledged/)
    assert.match(row, /Not escalated/)
    assert.match(row, /\d{1,2}:\d\d[ap]m on \d{1,2} \w+ \d{4}/, 'when it was raised')

    const home = await web.get('/')
    const open = (await kit.services.alerts.list(coordinator.actor, { state: 'open', pageSize: 1 })).total
    assert.equal(countOn(home.body, 'alerts-open'), open)
    assert.match(home.body, /href="\/alerts" data-count="alerts-open"/)

    const welsh = await kit.app.inject({ method: 'GET', url: '/alerts', headers: { cookie: `${web.cookieHeader()}; lantern_language=cy` } })
    assert.match(welsh.body, /Ar goll 3 gwaith mewn 90 diwrnod/)
  })

  test('an alert shows what happened and links to the episode; acknowledging it records who and when, once', async () => {
    const { alertId, personId, episodeId } = await repeatMissing()
    const web = await webClient(kit, coordinator)
    const page = await web.get(`/alerts/${alertId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /This child has gone missing for the third time \(or more\) in 90 days\./)
    assert.match(page.body, /Missing episodes in 90 days\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s/)
    assert.match(page.body, new RegExp(`href="/people/${personId}/episodes/${episodeId}" data-testid="record-link"`))
    assert.match(page.body, /Nobody has acknowledged this alert yet/)
    assert.match(page.body, /data-testid="acknowledge"/)

    const done = await web.post(`/alerts/${alertId}/acknowledge`, { version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '' })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, `/alerts/${alertId}?acknowledged=true`)
    const after = await web.get(String(done.headers.location))
    assert.match(after.body, /You acknowledged this alert/)
    assert.match(after.body, /Acknowledged by Test missing_person_coordinator on \d{1,2}:\d\d[ap]m/)
    assert.doesNotMatch(after.body, /data-testid="acknowledge"/, 'no button once acknowledged')
    // Through the service, which publishes it (the alert.acknowledged event, with who did it).
    const event = await kit.db.selectFrom('outbox_event').select(['type', 'actor_user_id']).where('subject_id', '=', alertId).where('type', '=', 'alert.acknowledged').executeTakeFirst()
    assert.equal(event?.actor_user_id, coordinator.id)

    const openList = await web.get('/alerts')
    assert.doesNotMatch(openList.body, new RegExp(alertId), 'no longer among the unacknowledged')
    const acknowledgedList = await web.get('/alerts?state=acknowledged')
    assert.match(acknowledgedList.body, new RegExp(`data-alert-id="${alertId}"`))

    const again = await web.post(`/alerts/${alertId}/acknowledge`, { version: '2' })
    assert.equal(again.statusCode, 409, 'acknowledged once')
  })

  test('all alerts: the unacknowledged first, even when older', async () => {
    const older = await repeatMissing()
    const newer = await repeatMissing()
    const web = await webClient(kit, coordinator)
    const page = await web.get(`/alerts/${newer.alertId}`)
    await web.post(`/alerts/${newer.alertId}/acknowledge`, { version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '' })
    const all = await web.get('/alerts?state=all&pageSize=100')
    const order = [...all.body.matchAll(/data-alert-id="([^"]+)"/g)].map((match) => match[1])
    assert.ok(order.indexOf(older.alertId) >= 0 && order.indexOf(newer.alertId) > order.indexOf(older.alertId), 'the open older alert comes before the acknowledged newer one')
  })

  test('another force cannot see or acknowledge my alert, and it stays unacknowledged', async () => {
    const { alertId } = await repeatMissing()
    const outsider = await webClient(kit, otherCoordinator)
    assert.equal((await outsider.get(`/alerts/${alertId}`)).statusCode, 404)
    assert.doesNotMatch((await outsider.get('/alerts?state=all')).body, new RegExp(alertId))
    await outsider.get('/alerts')
    const refused = await outsider.post(`/alerts/${alertId}/acknowledge`, { version: '1' })
    assert.equal(refused.statusCode, 404)
    // Nor can a colleague whose role the alert is not addressed to.
    const colleague = await webClient(kit, officer)
    assert.equal((await colleague.get(`/alerts/${alertId}`)).statusCode, 404)
    assert.equal(await acknowledged(alertId), null)
  })

  test('a forged, stale or broken acknowledgement changes nothing', async () => {
    const { alertId } = await repeatMissing()
    const web = await webClient(kit, coordinator)
    const page = await web.get(`/alerts/${alertId}`)
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? ''
    const withoutToken = await web.post(`/alerts/${alertId}/acknowledge`, { version }, { csrf: null })
    assert.equal(withoutToken.statusCode, 403)
    assert.match(withoutToken.body, /Your form could not be sent/)
    const forged = await web.post(`/alerts/${alertId}/acknowledge`, { version }, { csrf: 'forged' })
    assert.equal(forged.statusCode, 403)
    const broken = await web.post(`/alerts/${alertId}/acknowledge`, { version: 'abc' })
    assert.equal(broken.statusCode, 400)
    assert.deepEqual(errorSummary(broken.body), [{ text: 'The page was out of date: check the alert and acknowledge it again', href: '#acknowledge' }])
    assert.match(broken.body, /<title>Error: /)
    const stale = await web.post(`/alerts/${alertId}/acknowledge`, { version: String(Number(version) + 5) })
    assert.equal(stale.statusCode, 409)
    assert.equal(await acknowledged(alertId), null)
  })

  test('an unknown filter gets the GOV.UK error pattern', async () => {
    const web = await webClient(kit, coordinator)
    const response = await web.get('/alerts?state=everything')
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummary(response.body), [{ text: 'Select which alerts to show', href: '#state' }])
    assert.equal((await web.get('/alerts/not-an-id')).statusCode, 404)
  })
})
