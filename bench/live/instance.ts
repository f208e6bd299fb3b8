// bench/live: the second app instance, in its own process, serving the SSE stream from the same PostgreSQL database,
// with what `lantern serve` runs beside it (startLive: the event feed and the periodic jobs).
// Usage: node bench/live/instance.ts <database url>   (prints {"port": N} when listening)
// On "times" (stdin) prints, as JSON, when this instance had handed each sighting event to every stream it admits
// (the server's side of the fan-out): { "<sightingId>": epoch ms }, and forgets them.
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { openDatabase } from '../../src/db/open.ts'
import { services as buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/app.ts'
import { startLive } from '../../src/modules/events/live.runtime.ts'

const url = process.argv[2]
if (!url) throw new Error('usage: instance.ts <database url>')
const now = () => performance.timeOrigin + performance.now()
const handle = await openDatabase({ engine: 'postgres', url, poolSize: 10 })
const services = buildServices(handle.db, { sessionHours: 12 })
const app = await buildApp(services, { logger: false })
const live = await startLive({ handle, services, config: { smtp: null, publicUrl: 'http://127.0.0.1' }, log: app.log })
let fannedOut = new Map<string, number>()
// The hub calls these listeners after it has written the frame to every admitted stream.
services.events.hub.onEvent((event) => {
  if (event.type === 'episode.sighting_recorded' && typeof event.payload.sightingId === 'string') fannedOut.set(event.payload.sightingId, now())
})
await app.listen({ host: '127.0.0.1', port: 0 })
console.log(JSON.stringify({ port: (app.server.address() as AddressInfo).port }))
process.once('SIGTERM', () => {
  void (async () => {
    await app.close()
    await live.close()
    await handle.close()
    process.exit(0)
  })()
})
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'times') continue
  process.stdout.write(`${JSON.stringify(Object.fromEntries(fannedOut))}\n`)
  fannedOut = new Map()
}
