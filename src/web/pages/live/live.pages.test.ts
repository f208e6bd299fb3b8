import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../../test/kit.ts'
import { countOn, webClient } from '../../../../test/web-client.ts'
import { openEventStream, type EventStream } from '../../../modules/events/sse-client.ts'

// What the home page's live script uses, over a real server: the event stream with the session cookie, and the
// board fragment that replaces the old board. The script itself is tested in Chromium (test/e2e/live-boards.test.ts).

describe('live boards: the stream and the board fragment', () => {
  let kit: TestKit
  let baseUrl: string
  let force: TestAgency
  let coordinator: TestUser
  let officer: TestUser
  let otherOfficer: TestUser
  const opened: EventStream[] = []

  before(async () => {
    kit = await startTestKit()
    await kit.app.listen({ host: '127.0.0.1', port: 0 })
    baseUrl = `http://127.0.0.1:${(kit.app.server.address() as AddressInfo).port}`
    force = await kit.agency('police_force')
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    officer = await kit.user(force, ['police_officer'])
    otherOfficer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  })
  after(async () => {
    for (const stream of opened) stream.close()
    await kit.close()
  })

  async function stream(cookie: string): Promise<EventStream> {
    const opening = await openEventStream(`${baseUrl}/live/events`, cookie ? { cookie } : {})
    opened.push(opening)
    return opening
  }

  async function report(user: TestUser) {
    const created = await kit.request(user, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    const startedAt = new Date(Date.now() - 3_600_000).toISOString()
    const episode = await kit.request(user, {
      method: 'POST',
      url: `/api/v1/people/${created.json().id}/episodes`,
      payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'high', rationale: 'Known to be exploited' } },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    return episode.json().id as string
  }

  test('the session cookie opens the person’s own stream: their force’s events arrive, another force’s do not', async () => {
    const web = await webClient(kit, coordinator)
    const mine = await stream(web.cookieHeader())
    assert.equal(mine.status, 200)
    const elsewhere = await report(otherOfficer)
    const episodeId = await report(officer)
    const message = await mine.next((m) => m.event === 'episode.reported')
    assert.equal(JSON.parse(message.data).episodeId, episodeId, 'the first episode reported it receives is its own force’s')
    assert.ok(!mine.messages.some((m) => m.data.includes(elsewhere)), 'nothing of the other force')
  })

  test('without a session, or with one the server no longer accepts, there is no stream', async () => {
    const none = await stream('')
    assert.equal(none.status, 303)
    const expired = await stream('lantern_session=lts_expired')
    assert.equal(expired.status, 303)
  })

  test('the board fragment is the home page’s board alone, and shows a new case at once', async () => {
    const web = await webClient(kit, coordinator)
    const before = await web.get('/live/board')
    assert.equal(before.statusCode, 200)
    assert.equal(before.headers['x-lantern-board'], 'police')
    assert.doesNotMatch(before.body, /<html|<main/, 'a fragment, no layout')
    const openBefore = countOn(before.body, 'open') ?? -1
    assert.ok(openBefore >= 0)
    const home = await web.get('/')
    assert.equal(countOn(home.body, 'open'), openBefore, 'the same counts as the page')
    assert.match(home.body, /data-live-board="police" data-live-source="\/live\/board" data-live-stream="\/live\/events" data-live-types="[^"]*episode\.reported/)
    assert.match(home.body, /role="status" aria-live="polite"/)
    const nonce = /'nonce-([^']+)'/.exec(String(home.headers['content-security-policy']))?.[1]
    assert.match(home.body, new RegExp(`<script type="module" src="/assets/lantern/live-board.mjs" nonce="${nonce?.replace(/[+/=]/g, '\\$&')}"></script>`))

    await report(officer)
    const after = await web.get('/live/board')
    assert.equal(countOn(after.body, 'open'), openBefore + 1)
    assert.equal((await kit.app.inject({ method: 'GET', url: '/assets/lantern/live-board.mjs' })).statusCode, 200)
  })

  test('the board fragment needs a session: the script sees the sign-in redirect, not a board', async () => {
    const response = await kit.app.inject({ method: 'GET', url: '/live/board' })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers['x-lantern-board'], undefined)
  })
})
