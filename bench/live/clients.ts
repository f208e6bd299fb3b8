// bench/live: N SSE clients in their own process. Prints "ready" once every stream is open; on "end" (stdin) prints,
// as JSON, when each client received each sighting event: { "<sightingId>": [epoch ms, ...] }.
// Usage: node bench/live/clients.ts <stream url> <bearer token> <count>
import { createInterface } from 'node:readline'
import { openEventStream, type EventStream } from '../../src/modules/events/sse-client.ts'

const [url, token, countText] = process.argv.slice(2)
if (!url || !token || !countText) throw new Error('usage: clients.ts <stream url> <token> <count>')
const count = Number(countText)
const now = () => performance.timeOrigin + performance.now()
const received = new Map<string, number[]>()
const streams: EventStream[] = []

for (let opened = 0; opened < count; opened += 50) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(50, count - opened) }, () => openEventStream(`${url}?types=episode.sighting_recorded`, { authorization: `Bearer ${token}` })),
  )
  for (const stream of batch) {
    if (stream.status !== 200) throw new Error(`stream answered ${stream.status}`)
    stream.onMessage((message) => {
      const at = now()
      const sightingId = (JSON.parse(message.data) as { payload: { sightingId: string } }).payload.sightingId
      const times = received.get(sightingId)
      if (times) times.push(at)
      else received.set(sightingId, [at])
    })
    streams.push(stream)
  }
}
console.log('ready')
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'end') continue
  for (const stream of streams) stream.close()
  // Exit only once the (large) line has reached the pipe: stdout to a pipe is asynchronous.
  process.stdout.write(`${JSON.stringify(Object.fromEntries(received))}\n`, () => process.exit(0))
}
