import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ListenVia } from '../../db/open.ts'
import type { EventHub } from './events.hub.ts'
import { listenPostgres } from './events.listener.ts'
import { EVENT_CHANNEL, type LiveEvent } from './events.model.ts'
import { toLiveEvent } from './events.outbox.ts'
import * as repo from './events.repository.ts'

// Feeds this instance's hub with every committed event, whichever instance committed it.
// PostgreSQL: LISTEN on a dedicated, reconnecting connection; after a reconnection, the events recorded while it was
// down are read back from the outbox (with a margin for transactions that began before and committed after).
// PGlite: one process, so its in-process LISTEN is the whole fan-out.

/** Transactions longer than this that commit while LISTEN is down may be missed: writes here take milliseconds. */
const CATCH_UP_MARGIN_MS = 30_000
const REMEMBERED = 20_000
const CATCH_UP_LIMIT = 10_000

export interface FeedLog {
  info: (fields: Record<string, unknown>, message: string) => void
  warn: (fields: Record<string, unknown>, message: string) => void
}

export interface EventFeed {
  ready: Promise<void>
  close: () => Promise<void>
}

export function startEventFeed(options: { db: Kysely<Database>; listenVia: ListenVia; hub: EventHub; log?: FeedLog }): EventFeed {
  const { db, hub, log } = options
  const seen = new Set<number>()
  const order: number[] = []
  let chain: Promise<void> = Promise.resolve()
  let downSince: Date | null = null

  const publishOnce = (event: LiveEvent) => {
    if (seen.has(event.seq)) return
    seen.add(event.seq)
    order.push(event.seq)
    if (order.length > REMEMBERED) seen.delete(order.shift() ?? -1)
    hub.publish(event)
  }

  const handle = async (payload: string) => {
    const message = JSON.parse(payload) as LiveEvent | { seq: number }
    if ('type' in message) {
      // PostgreSQL writes the instant with its own offset notation; streams and replays send one form.
      publishOnce({ ...message, occurredAt: new Date(message.occurredAt).toISOString() })
      return
    }
    const row = await repo.findEvent(db, message.seq)
    if (row) publishOnce(toLiveEvent(row))
  }

  // One at a time, in the order received, so a large event read back from the outbox does not overtake the next.
  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => log?.warn({ err: error }, 'event feed: an event could not be published'))
  }

  if (options.listenVia.engine === 'pglite') {
    const pglite = options.listenVia.pglite
    const unlisten = pglite.listen(EVENT_CHANNEL, (payload) => enqueue(() => handle(payload)))
    return {
      ready: unlisten.then(() => undefined),
      close: async () => {
        await (await unlisten)()
        await chain
      },
    }
  }

  const listener = listenPostgres(options.listenVia.url, EVENT_CHANNEL, {
    onMessage: (payload) => enqueue(() => handle(payload)),
    onDisconnected: (error) => {
      downSince ??= new Date()
      log?.warn({ err: error?.message ?? null }, 'event feed: LISTEN connection lost, reconnecting')
    },
    onListening: (reconnected) => {
      if (!reconnected || !downSince) return
      const since = new Date(downSince.getTime() - CATCH_UP_MARGIN_MS)
      downSince = null
      enqueue(async () => {
        const rows = await repo.listEventsSince(db, since, CATCH_UP_LIMIT)
        for (const row of rows) publishOnce(toLiveEvent(row))
        log?.info({ read: rows.length }, 'event feed: LISTEN reconnected; missed events read from the outbox')
      })
    },
  })
  return {
    ready: listener.ready,
    close: async () => {
      await listener.close()
      await chain
    },
  }
}
