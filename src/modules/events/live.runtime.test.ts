import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../config.ts'
import { openRuntime, serve } from '../../server.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { queueEmails } from '../notifications/notifications.queue.ts'
import { startSmtpTestServer } from '../notifications/smtp-test-server.ts'
import { recordEvent } from './events.service.ts'
import type { LiveEvent } from './events.model.ts'

// `lantern serve` runs the live runtime beside the HTTP server: committed events reach this instance's streams, and
// queued emails go out through SMTP_URL from MAIL_FROM, without anything else starting them.

test('lantern serve publishes committed events to its streams and sends queued emails through SMTP_URL', async () => {
  const smtp = await startSmtpTestServer()
  const config = {
    ...loadConfig({ NODE_ENV: 'test', PORT: '0', SMTP_URL: smtp.url, MAIL_FROM: 'lantern@lantern.test', PUBLIC_URL: 'https://lantern.test/', SEED_DEMO_DATA: 'false' }),
    database: { engine: 'pglite' as const },
  }
  const runtime = await openRuntime(config)
  const app = await serve(runtime)
  try {
    const db = runtime.database.db
    const agencyId = uuidv7()
    await db.insertInto('agency').values({ id: agencyId, kind: 'police_force', code: 'T-LIVE', name: 'Test force', nation: 'england', region: null, welsh_name: null, contact_phone: '101', contact_email: null, replaced_by_code: null }).execute()
    const userId = uuidv7()
    await db.insertInto('app_user').values({ id: userId, agency_id: agencyId, email: 'coordinator@live.test', display_name: 'Test coordinator', password_hash: 'x', roles: ['missing_person_coordinator'] }).execute()

    // The feed: an event committed now reaches this instance's hub (and so its streams).
    const published = new Promise<LiveEvent>((resolve) => {
      const stop = runtime.services.events.hub.onEvent((event) => {
        if (event.payload.probe !== 'live-runtime') return
        stop()
        resolve(event)
      })
    })
    const recorded = await recordEvent(db, { type: 'person.updated', actor: null, personId: null, payload: { probe: 'live-runtime' } })
    assert.equal((await within(published, 5000)).seq, recorded.seq)

    // The mailer: an email queued by a rule is sent within a few seconds, its link under PUBLIC_URL.
    const linkPath = `/tasks/${uuidv7()}`
    assert.equal(await queueEmails(db, { agencyId, roles: ['missing_person_coordinator'], kind: 'task_escalated', linkPath }), 1)
    const deadline = Date.now() + 10_000
    while (smtp.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(smtp.received.length, 1, 'sent by the running mailer')
    assert.deepEqual(smtp.received[0]?.to, ['coordinator@live.test'])
    assert.equal(smtp.received[0]?.from, 'lantern@lantern.test')
    assert.ok(smtp.received[0]?.body.includes(`https://lantern.test${linkPath}`))
  } finally {
    await app.close()
    await runtime.close()
    await smtp.close()
  }
})

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
