// bench/live: the second app instance, in its own process, serving the SSE stream from the same PostgreSQL database.
// Usage: node bench/live/instance.ts <database url>   (prints {"port": N} when listening)
import type { AddressInfo } from 'node:net'
import { openDatabase } from '../../src/db/open.ts'
import { services as buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/app.ts'
import { startEventFeed } from '../../src/modules/events/events.feed.ts'

const url = process.argv[2]
if (!url) throw new Error('usage: instance.ts <database url>')
const handle = await openDatabase({ engine: 'postgres', url, poolSize: 10 })
const services = buildServices(handle.db, { sessionHours: 12 })
const app = await buildApp(services, { logger: false })
const feed = startEventFeed({ db: handle.db, listenVia: handle.listenVia, hub: services.events.hub })
await feed.ready
await app.listen({ host: '127.0.0.1', port: 0 })
console.log(JSON.stringify({ port: (app.server.address() as AddressInfo).port }))
process.once('SIGTERM', () => {
  void (async () => {
    await app.close()
    await feed.close()
    await handle.close()
    process.exit(0)
  })()
})
