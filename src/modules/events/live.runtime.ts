import type { FastifyBaseLogger } from 'fastify'
import type { DatabaseHandle } from '../../db/open.ts'
import type { Config } from '../../config.ts'
import type { Services } from '../../services.ts'
import { systemClock, type Clock } from '../../lib/clock.ts'
import { startEventFeed } from './events.feed.ts'
import { deleteEventsBefore } from './events.repository.ts'
import { createMailer } from '../notifications/notifications.mailer.ts'
import { lastCoveredYear } from '../deadlines/working-days.ts'

// What `lantern serve` runs beside the HTTP server for real time: the event feed into this instance's streams, and
// the periodic jobs (webhook deliveries, emails, escalations, outbox pruning). Every instance runs them all: each
// job claims its rows (SKIP LOCKED, leases), so two instances never do the same work twice.

/** How often each job looks for work. */
export const LIVE_INTERVALS_MS = { webhooks: 1000, emails: 2000, escalations: 15_000, prune: 60 * 60_000 } as const
/** Published events are kept this long (for Last-Event-ID replays and webhook retries, which end within 2 days). */
export const OUTBOX_RETENTION_DAYS = 30

export interface LiveRuntime {
  close: () => Promise<void>
}

export async function startLive(options: {
  handle: DatabaseHandle
  services: Services
  config: Pick<Config, 'smtp' | 'publicUrl'>
  log: FastifyBaseLogger
  clock?: Clock
}): Promise<LiveRuntime> {
  const { handle, services, config, log } = options
  const clock = options.clock ?? systemClock
  const feed = startEventFeed({ db: handle.db, listenVia: handle.listenVia, hub: services.events.hub, log })
  await feed.ready
  const mailer = createMailer(handle.db, clock, { smtp: config.smtp, publicUrl: config.publicUrl })
  if (!mailer.enabled) log.warn('SMTP_URL is not set: emails are queued and expire unsent after 24 hours')
  if (clock.now().getUTCFullYear() + 1 > lastCoveredYear())
    log.warn({ lastCoveredYear: lastCoveredYear() }, 'the bank-holiday list ends within a year: add the next year (src/modules/deadlines/reference)')

  const running = new Set<Promise<unknown>>()
  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, job: string, work: () => Promise<unknown>) => {
    let busy = false
    timers.push(
      setInterval(() => {
        if (busy) return
        busy = true
        const run = work()
          .catch((error: unknown) => log.error({ err: error, job }, 'live: a periodic job failed'))
          .finally(() => {
            busy = false
            running.delete(run)
          })
        running.add(run)
      }, ms),
    )
  }
  every(LIVE_INTERVALS_MS.webhooks, 'webhooks', () => services.webhooks.deliverDue())
  every(LIVE_INTERVALS_MS.emails, 'emails', () => mailer.sendDue())
  every(LIVE_INTERVALS_MS.escalations, 'escalations', async () => {
    await services.deadlines.escalateOverdue()
    await services.alerts.escalateUnacknowledged()
  })
  every(LIVE_INTERVALS_MS.prune, 'prune', () => deleteEventsBefore(handle.db, new Date(clock.now().getTime() - OUTBOX_RETENTION_DAYS * 86_400_000)))

  return {
    async close() {
      for (const timer of timers) clearInterval(timer)
      await Promise.allSettled([...running])
      await feed.close()
      mailer.close()
    },
  }
}
