import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openDatabase, type DatabaseHandle } from '../../db/open.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { personBody, startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { createMailer, EMAIL_EXPIRY_HOURS, EMAIL_RETRY_DELAYS_MS, type Mailer } from './notifications.mailer.ts'
import { queueEmails } from './notifications.queue.ts'
import { claimDueNotifications } from './notifications.repository.ts'
import { SUBJECTS } from './notifications.kinds.ts'
import { startSmtpTestServer, type ReceivedEmail, type SmtpTestServer } from './smtp-test-server.ts'

// Email end to end: a real change raises an alert, the rules queue emails by each person's choice, the mailer sends
// them through an SMTP relay (a local server on loopback), and what arrives is a link and nothing about the case.

// Real ONS codes: Kent places a child in Manchester, so Manchester is the host authority and Greater Manchester
// Police the host force (alerts/reference/police-force-of-authority.csv).
const KENT = 'E10000016'
const MANCHESTER = 'E08000003'
const GREATER_MANCHESTER_POLICE = 'E23000005'
const PUBLIC_URL = 'https://lantern.test'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString()

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

describe('notifications: email through an SMTP relay, a link and nothing else', () => {
  let kit: TestKit
  let smtp: SmtpTestServer
  let mailer: Mailer
  let kentWorker: TestUser
  let manchester: TestAgency
  let manchesterWorker: TestUser
  let manchesterLead: TestUser
  let gmp: TestAgency
  let gmpOfficer: TestUser
  let gmpCoordinator: TestUser

  before(async () => {
    kit = await startTestKit()
    smtp = await startSmtpTestServer()
    mailer = createMailer(kit.db, kit.clock, { smtp: { url: smtp.url, from: 'lantern@lantern.test' }, publicUrl: PUBLIC_URL })
    const kent = await kit.agency('local_authority', { code: KENT, name: 'Kent' })
    kentWorker = await kit.user(kent, ['social_worker'])
    manchester = await kit.agency('local_authority', { code: MANCHESTER, name: 'Manchester' })
    manchesterWorker = await kit.user(manchester, ['social_worker'])
    manchesterLead = await kit.user(manchester, ['missing_from_care_lead'])
    gmp = await kit.agency('police_force', { code: GREATER_MANCHESTER_POLICE, name: 'Greater Manchester Police' })
    gmpOfficer = await kit.user(gmp, ['police_officer'])
    gmpCoordinator = await kit.user(gmp, ['missing_person_coordinator'])
    // The lead wants no email at all; the coordinator only escalations.
    await choose(manchesterLead, [])
    await choose(gmpCoordinator, ['alert_escalated', 'task_escalated'])
  })
  after(async () => {
    mailer.close()
    await smtp.close()
    await kit.close()
  })
  beforeEach(() => {
    smtp.received = []
    smtp.refuse.clear()
    smtp.delayMs = 0
    kit.clock.reset()
  })

  async function choose(user: TestUser, emailKinds: string[]) {
    const current = (await kit.request(user, { method: 'GET', url: '/api/v1/notification-preferences' })).json()
    const response = await kit.request(user, { method: 'PUT', url: '/api/v1/notification-preferences', payload: { emailKinds, version: current.version } })
    assert.equal(response.statusCode, 200, response.body)
  }

  async function childPlacedInManchesterGoesMissing(startedHoursAgo: number) {
    const created = await kit.request(kentWorker, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    const personId: string = created.json().id
    const care = await kit.request(kentWorker, {
      method: 'POST',
      url: `/api/v1/people/${personId}/care-episodes`,
      payload: { startedOn: '2026-01-05', reasonForNewEpisode: 'S', legalStatus: 'C2', categoryOfNeed: 'N1', placementType: 'K2', placementProvider: 'PR4', homePostcode: 'ME14 1XQ', placementPostcode: 'M1 1AE' },
    })
    assert.equal(care.statusCode, 201, care.body)
    const episode = await kit.request(kentWorker, { method: 'POST', url: `/api/v1/people/${personId}/episodes`, payload: { startedAt: hoursAgo(startedHoursAgo), laCategory: 'M' } })
    assert.equal(episode.statusCode, 201, episode.body)
    return { personId, careEpisodeId: care.json().id as string, episodeId: episode.json().id as string }
  }

  async function alertOf(user: TestUser, episodeId: string): Promise<{ id: string; rule: string; version: number }> {
    const response = await kit.request(user, { method: 'GET', url: '/api/v1/alerts?pageSize=100&state=all' })
    assert.equal(response.statusCode, 200, response.body)
    const alert = (response.json().items as { id: string; rule: string; episodeId: string; version: number }[]).find((item) => item.episodeId === episodeId)
    assert.ok(alert, 'the user has an alert for the episode')
    return alert
  }

  const to = (user: TestUser) => smtp.received.filter((email) => email.to.includes(user.email))
  const linksIn = (email: ReceivedEmail): string[] => [...(email.body.match(/https?:\/\/\S+/g) ?? [])]
  const notificationsAbout = (linkPath: string) =>
    kit.db.selectFrom('notification').select(['user_id', 'kind', 'status', 'attempts', 'next_attempt_at', 'last_error', 'sent_at']).where('link_path', '=', linkPath).execute()

  /** Runs the mailer until nothing is due. */
  async function drain(which: Mailer = mailer, limit = 20) {
    const total = { sent: 0, failed: 0, expired: 0 }
    for (;;) {
      const counts = await which.sendDue(limit)
      total.sent += counts.sent
      total.failed += counts.failed
      total.expired += counts.expired
      if (counts.sent + counts.failed + counts.expired === 0) return total
    }
  }

  // ---------------------------------------------------------------- an alert, by preference, sent, a link only

  test('a child placed in Manchester goes missing: the host authority and force are emailed a link, by their choice, and nothing about the child', async () => {
    const { personId, careEpisodeId, episodeId } = await childPlacedInManchesterGoesMissing(2)
    const workerAlert = await alertOf(manchesterWorker, episodeId)
    const officerAlert = await alertOf(gmpOfficer, episodeId)
    assert.equal(workerAlert.rule, 'placed_child_missing')

    // Queued in the transaction of the change, for those who want it.
    const queuedForAuthority = await notificationsAbout(`/alerts/${workerAlert.id}`)
    assert.deepEqual(queuedForAuthority.map((row) => [row.user_id, row.kind, row.status]), [[manchesterWorker.id, 'alert_raised', 'pending']], 'not the lead: she opted out')
    const queuedForForce = await notificationsAbout(`/alerts/${officerAlert.id}`)
    assert.deepEqual(queuedForForce.map((row) => row.user_id), [gmpOfficer.id], 'not the coordinator: she chose escalations only')

    const counts = await drain()
    assert.equal(counts.sent, 2)
    assert.equal(counts.failed, 0)
    assert.equal(smtp.received.length, 2)
    for (const [user, alert] of [[manchesterWorker, workerAlert], [gmpOfficer, officerAlert]] as const) {
      const [email, ...more] = to(user)
      assert.ok(email, `${user.roles.join()} received an email`)
      assert.deepEqual(more, [], 'once')
      assert.deepEqual(email.to, [user.email])
      assert.equal(email.from, 'lantern@lantern.test')
      assert.equal(email.subject, SUBJECTS.alert_raised)
      assert.deepEqual(linksIn(email), [`${PUBLIC_URL}/alerts/${alert.id}`], 'one link, to the alert')
      assert.deepEqual(email.body.match(UUID), [alert.id], 'no id but the alert')
      // Nothing about the child, the placement or the case, in the subject, the body or any header.
      for (const secret of ['Van An', 'Nguy', 'VNM', 'ME14', 'M1 1AE', 'Manchester', 'Kent', 'placed', personId, careEpisodeId, episodeId]) {
        assert.ok(!email.subject.includes(secret), `the subject holds no "${secret}"`)
        assert.ok(!email.raw.includes(secret), `the email holds no "${secret}"`)
      }
      // The year of birth as a number of its own: the message id, the MIME boundary and the alert's id are random
      // hex and a timestamp, which hold the digits 2008 now and then (the test failed on such a run).
      assert.doesNotMatch(`${email.subject}\n${email.raw}`, /(?<![0-9A-Za-z])2008(?![0-9A-Za-z])/, 'the email holds no year of birth')
    }
    for (const uninvolved of [manchesterLead, gmpCoordinator, kentWorker]) assert.deepEqual(to(uninvolved), [])
    const sent = await notificationsAbout(`/alerts/${workerAlert.id}`)
    assert.equal(sent[0]?.status, 'sent')
    assert.equal(sent[0]?.attempts, 1)
    assert.ok(sent[0]?.sent_at)

    // Sent once: the next round finds nothing.
    assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 0, expired: 0 })
    assert.equal(smtp.received.length, 2)
  })

  test('a person who turned every email off gets none, whatever happens; turning one kind back on brings that kind', async () => {
    const quiet = await kit.user(manchester, ['social_worker'])
    await choose(quiet, [])
    const first = await childPlacedInManchesterGoesMissing(1)
    await drain()
    assert.deepEqual(to(quiet), [])
    assert.deepEqual(await kit.db.selectFrom('notification').select('id').where('user_id', '=', quiet.id).execute(), [], 'nothing queued either')

    await choose(quiet, ['alert_raised'])
    const second = await childPlacedInManchesterGoesMissing(1)
    await drain()
    const alert = await alertOf(quiet, second.episodeId)
    assert.deepEqual(to(quiet).map(linksIn), [[`${PUBLIC_URL}/alerts/${alert.id}`]])
    assert.notEqual(alert.id, (await alertOf(quiet, first.episodeId)).id)
  })

  // ---------------------------------------------------------------- refusals, retries, expiry

  test('a relay that refuses an email: tried again after 1, 5 and 30 minutes, then failed, never sent', async () => {
    const refused = await kit.user(await kit.agency('police_force'), ['missing_person_coordinator'])
    smtp.refuse.add(refused.email)
    const linkPath = `/tasks/${uuidv7()}`
    assert.equal(await queueEmails(kit.db, { agencyId: refused.agency.id, roles: ['missing_person_coordinator'], kind: 'task_escalated', linkPath }), 1)

    assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 1, expired: 0 })
    let [row] = await notificationsAbout(linkPath)
    assert.equal(row?.status, 'pending')
    assert.equal(row?.attempts, 1)
    assert.match(row?.last_error ?? '', /550/)

    let elapsed = 0
    for (const [index, delay] of EMAIL_RETRY_DELAYS_MS.entries()) {
      // Not before the delay...
      kit.clock.advance(delay - MINUTE / 2)
      elapsed += delay - MINUTE / 2
      assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 0, expired: 0 }, `no attempt before ${delay / MINUTE} minutes`)
      // ...and once it has passed.
      kit.clock.advance(MINUTE / 2)
      elapsed += MINUTE / 2
      assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 1, expired: 0 })
      ;[row] = await notificationsAbout(linkPath)
      assert.equal(row?.attempts, index + 2)
      const expectedNext = EMAIL_RETRY_DELAYS_MS[index + 1]
      if (expectedNext !== undefined) {
        assert.equal(row?.status, 'pending')
        const wait = (row?.next_attempt_at.getTime() ?? 0) - kit.clock.now().getTime()
        assert.ok(Math.abs(wait - expectedNext) < 5_000, `the next attempt ${expectedNext / MINUTE} minutes on (${wait} ms)`)
      }
    }
    assert.equal(elapsed, 36 * MINUTE)
    assert.equal(row?.status, 'failed')
    assert.equal(row?.attempts, 4)
    kit.clock.advance(HOUR)
    assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 0, expired: 0 }, 'a failed email is not tried again')
    assert.deepEqual(smtp.received, [])
  })

  test('a refusal, then the relay accepts: sent on the second attempt', async () => {
    const user = await kit.user(await kit.agency('police_force'), ['missing_person_coordinator'])
    smtp.refuse.add(user.email)
    const linkPath = `/alerts/${uuidv7()}`
    await queueEmails(kit.db, { agencyId: user.agency.id, roles: ['missing_person_coordinator'], kind: 'alert_escalated', linkPath })
    assert.equal((await mailer.sendDue()).failed, 1)
    smtp.refuse.clear()
    kit.clock.advance(EMAIL_RETRY_DELAYS_MS[0] ?? 0)
    assert.equal((await mailer.sendDue()).sent, 1)
    const [row] = await notificationsAbout(linkPath)
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['sent', 2, null])
    assert.deepEqual(to(user).map(linksIn), [[`${PUBLIC_URL}${linkPath}`]])
  })

  test(`an email not sent within ${EMAIL_EXPIRY_HOURS} hours expires unsent; one just younger is still sent`, async () => {
    const agency = await kit.agency('police_force')
    const user = await kit.user(agency, ['police_officer'])
    const old = `/alerts/${uuidv7()}`
    await queueEmails(kit.db, { agencyId: agency.id, roles: ['police_officer'], kind: 'alert_raised', linkPath: old })
    kit.clock.advance(EMAIL_EXPIRY_HOURS * HOUR - 10 * MINUTE)
    const young = `/alerts/${uuidv7()}`
    await kit.db.insertInto('notification').values({ id: uuidv7(), user_id: user.id, kind: 'alert_raised', link_path: young, created_at: kit.clock.now(), next_attempt_at: kit.clock.now() }).execute()
    // The relay was down until now (a day later): the old one is useless, the board shows it.
    kit.clock.advance(20 * MINUTE)
    const counts = await drain()
    assert.equal(counts.expired, 1)
    assert.equal(counts.sent, 1)
    assert.equal((await notificationsAbout(old))[0]?.status, 'expired')
    assert.equal((await notificationsAbout(young))[0]?.status, 'sent')
    assert.deepEqual(to(user).map(linksIn), [[`${PUBLIC_URL}${young}`]])
  })

  test('an email to a person no longer active is not sent', async () => {
    const agency = await kit.agency('police_force')
    const user = await kit.user(agency, ['police_officer'])
    const linkPath = `/alerts/${uuidv7()}`
    await queueEmails(kit.db, { agencyId: agency.id, roles: ['police_officer'], kind: 'alert_raised', linkPath })
    await kit.db.updateTable('app_user').set({ active: false }).where('id', '=', user.id).execute()
    assert.deepEqual(await mailer.sendDue(), { sent: 0, failed: 0, expired: 1 })
    assert.deepEqual(to(user), [])
  })

  // ---------------------------------------------------------------- two instances

  test('two mailers (two instances) on one database send each email once', async () => {
    const agency = await kit.agency('police_force')
    const users = await Promise.all(Array.from({ length: 30 }, () => kit.user(agency, ['police_officer'])))
    const linkPath = `/alerts/${uuidv7()}`
    assert.equal(await queueEmails(kit.db, { agencyId: agency.id, roles: ['police_officer'], kind: 'alert_raised', linkPath }), 30)
    // The second instance has its own connections when the database is PostgreSQL.
    const second: DatabaseHandle | null = kit.listenVia.engine === 'postgres' ? await openDatabase({ engine: 'postgres', url: kit.listenVia.url, poolSize: 3 }) : null
    const otherMailer = createMailer(second?.db ?? kit.db, kit.clock, { smtp: { url: smtp.url, from: 'lantern@lantern.test' }, publicUrl: PUBLIC_URL })
    smtp.delayMs = 5
    try {
      const [a, b] = await Promise.all([drain(mailer, 4), drain(otherMailer, 4)])
      assert.equal(a.sent + b.sent, 30)
      assert.ok(a.sent > 0 && b.sent > 0, `both instances sent (${a.sent} and ${b.sent})`)
    } finally {
      otherMailer.close()
      await second?.close()
    }
    const recipients = smtp.received.flatMap((email) => email.to)
    assert.equal(recipients.length, 30, 'no email twice')
    assert.deepEqual(new Set(recipients), new Set(users.map((user) => user.email)))
    const rows = await notificationsAbout(linkPath)
    assert.ok(rows.every((row) => row.status === 'sent' && row.attempts === 1))
  })

  test('a slow relay: an instance only begins a send that can end within its lease, and hands the rest back; none is sent twice', async () => {
    const agency = await kit.agency('police_force')
    const users = await Promise.all(Array.from({ length: 24 }, () => kit.user(agency, ['police_officer'])))
    const linkPath = `/alerts/${uuidv7()}`
    await queueEmails(kit.db, { agencyId: agency.id, roles: ['police_officer'], kind: 'alert_raised', linkPath })
    // Each send takes about 150 ms: 24 in a row outlast a 3-second lease. A send is given 1.5 seconds at most.
    smtp.delayMs = 150
    const options = { smtp: { url: smtp.url, from: 'lantern@lantern.test' }, publicUrl: PUBLIC_URL, leaseMs: 3000, sendBudgetMs: 1500 }
    const first = createMailer(kit.db, kit.clock, options)
    const second = createMailer(kit.db, kit.clock, options)
    const pendingLeft = async () => (await notificationsAbout(linkPath)).filter((row) => row.status === 'pending').length
    const keepSending = async (which: Mailer) => {
      const total = { sent: 0 }
      const until = Date.now() + 30_000
      while (Date.now() < until && (await pendingLeft()) > 0) {
        total.sent += (await which.sendDue(100)).sent
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return total
    }
    try {
      const [a, b] = await Promise.all([keepSending(first), keepSending(second)])
      assert.equal(a.sent + b.sent, 24)
    } finally {
      first.close()
      second.close()
    }
    const recipients = smtp.received.flatMap((email) => email.to)
    assert.equal(recipients.length, 24, 'no email twice')
    assert.deepEqual(new Set(recipients), new Set(users.map((user) => user.email)))
    const rows = await notificationsAbout(linkPath)
    assert.ok(rows.every((row) => row.status === 'sent' && row.attempts === 1), 'an email handed back was not counted as an attempt')
  })

  test('an email claimed by an instance that stopped mid-send is left alone until its lease ends, then sent once', async () => {
    const agency = await kit.agency('police_force')
    const user = await kit.user(agency, ['police_officer'])
    const linkPath = `/alerts/${uuidv7()}`
    await queueEmails(kit.db, { agencyId: agency.id, roles: ['police_officer'], kind: 'alert_raised', linkPath })
    // The other instance claims it, and dies before sending.
    const now = kit.clock.now()
    const claimed = await claimDueNotifications(kit.db, now, new Date(now.getTime() + MINUTE), 100)
    assert.ok(claimed.some((row) => row.link_path === linkPath))
    assert.equal((await mailer.sendDue()).sent, 0)
    assert.deepEqual(to(user), [])
    kit.clock.advance(MINUTE + 1000)
    assert.equal((await mailer.sendDue()).sent, 1)
    assert.equal(to(user).length, 1)
    assert.equal((await notificationsAbout(linkPath))[0]?.attempts, 2)
  })

  // ---------------------------------------------------------------- escalations

  test('an alert nobody acknowledged: the escalation emails the supervising role a link, by their choice', async () => {
    const { episodeId } = await childPlacedInManchesterGoesMissing(1)
    const officerAlert = await alertOf(gmpOfficer, episodeId)
    const workerAlert = await alertOf(manchesterWorker, episodeId)
    await drain()
    smtp.received = []
    kit.clock.advance(31 * MINUTE)
    assert.ok((await kit.services.alerts.escalateUnacknowledged()) >= 2)
    await drain()
    const escalations = to(gmpCoordinator).filter((email) => linksIn(email).includes(`${PUBLIC_URL}/alerts/${officerAlert.id}`))
    assert.equal(escalations.length, 1)
    assert.equal(escalations[0]?.subject, SUBJECTS.alert_escalated)
    // The authority's supervising role is its missing-from-care lead, who opted out of every email.
    assert.deepEqual(to(manchesterLead), [])
    assert.equal((await notificationsAbout(`/alerts/${workerAlert.id}`)).filter((row) => row.kind === 'alert_escalated').length, 0)
    assert.deepEqual(to(gmpOfficer), [], 'the officer was told already; escalation is for the supervisor')
  })

  test('an overdue task escalated to the supervising role: emailed as a link', async () => {
    const created = await kit.request(gmpOfficer, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    const startedAt = hoursAgo(100)
    const episode = await kit.request(gmpOfficer, {
      method: 'POST',
      url: `/api/v1/people/${created.json().id}/episodes`,
      payload: { startedAt, initialRisk: { assessedAt: startedAt, grade: 'medium', rationale: 'Out of character' } },
    })
    assert.equal(episode.statusCode, 201, episode.body)
    const tasks = await kit.request(gmpOfficer, { method: 'GET', url: `/api/v1/tasks?state=all&kind=ukmpu_notification&episodeId=${episode.json().id}` })
    const task = tasks.json().items[0] as { id: string; state: string }
    assert.equal(task.state, 'overdue')
    assert.ok((await kit.services.deadlines.escalateOverdue()) >= 1)
    await drain()
    const escalations = to(gmpCoordinator).filter((email) => linksIn(email).includes(`${PUBLIC_URL}/tasks/${task.id}`))
    assert.equal(escalations.length, 1)
    assert.equal(escalations[0]?.subject, SUBJECTS.task_escalated)
    assert.ok(!escalations[0]?.raw.includes(episode.json().id))
    assert.deepEqual(to(gmpOfficer).filter((email) => linksIn(email).includes(`${PUBLIC_URL}/tasks/${task.id}`)), [], 'new tasks are not emailed by default')
  })
})
