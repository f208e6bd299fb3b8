import pg from 'pg'

// A dedicated PostgreSQL connection for LISTEN (a pooled one would be handed to queries and lose it). When the
// connection drops (a restart, a failover, a terminated backend) it reconnects with growing pauses, and says so,
// so the feed can read what it missed.

export interface ListenerHandlers {
  onMessage: (payload: string) => void
  /** After each successful LISTEN: `reconnected` is false the first time. */
  onListening: (reconnected: boolean) => void
  onDisconnected: (error: Error | null) => void
}

export interface Listener {
  /** Resolves once the first LISTEN is in place (or rejects if the first connection fails). */
  ready: Promise<void>
  close: () => Promise<void>
}

const FIRST_RETRY_MS = 100
const LONGEST_RETRY_MS = 5000

/** Ends a connection, waiting at most `ms` for the server to say goodbye (a half-dead socket never does). */
async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  await Promise.race([client.end().catch(() => {}), gaveUp])
  clearTimeout(timer)
}

export function listenPostgres(url: string, channel: string, handlers: ListenerHandlers): Listener {
  let client: pg.Client | null = null
  let closed = false
  let everListened = false
  let retryMs = FIRST_RETRY_MS
  let timer: NodeJS.Timeout | null = null
  let settleFirst: { resolve: () => void; reject: (error: Error) => void } | null = null
  const ready = new Promise<void>((resolve, reject) => {
    settleFirst = { resolve, reject }
  })

  const scheduleReconnect = () => {
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = null
      void connect()
    }, retryMs)
    retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS)
  }

  const dropped = (current: pg.Client, error: Error | null) => {
    if (client !== current) return
    client = null
    current.removeAllListeners('notification')
    current.end().catch(() => {})
    if (closed) return
    handlers.onDisconnected(error)
    scheduleReconnect()
  }

  async function connect(): Promise<void> {
    const current = new pg.Client({ connectionString: url, keepAlive: true, application_name: 'lantern-events' })
    client = current
    current.on('error', (error: Error) => dropped(current, error))
    current.on('end', () => dropped(current, null))
    current.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onMessage(message.payload)
    })
    try {
      await current.connect()
      await current.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    } catch (error) {
      if (!everListened && settleFirst) {
        settleFirst.reject(error instanceof Error ? error : new Error(String(error)))
        settleFirst = null
        closed = true
        client = null
        current.end().catch(() => {})
        return
      }
      dropped(current, error instanceof Error ? error : new Error(String(error)))
      return
    }
    if (closed) {
      await current.end().catch(() => {})
      return
    }
    retryMs = FIRST_RETRY_MS
    const reconnected = everListened
    everListened = true
    settleFirst?.resolve()
    settleFirst = null
    handlers.onListening(reconnected)
  }

  void connect()
  return {
    ready,
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      const current = client
      client = null
      if (current) await endWithin(current, 1000)
    },
  }
}
