// bench/live: N SSE clients in their own process. Prints "ready" once every stream is open; on "end" (stdin) prints,
// as JSON, when each client received each sighting event: { "<sightingId>": [epoch ms, ...] }.
// Usage: node bench/live/clients.ts <stream url> <bearer token> <count> [lean|full]
//   full: the project's SSE client (src/modules/events/sse-client.ts: node:http, each event parsed, its JSON read).
//   lean: a raw TCP connection that notes when the bytes of each event arrive (finding the sighting id in them),
//         so that one process can stand for hundreds of browsers without its own parsing queueing them up.
import net from 'node:net'
import { createInterface } from 'node:readline'
import { openEventStream } from '../../src/modules/events/sse-client.ts'

const [url, token, countText, parser = 'lean'] = process.argv.slice(2)
if (!url || !token || !countText || !['lean', 'full'].includes(parser)) throw new Error('usage: clients.ts <stream url> <token> <count> [lean|full]')
const count = Number(countText)
const streamUrl = `${url}?types=episode.sighting_recorded`
const now = () => performance.timeOrigin + performance.now()
const received = new Map<string, number[]>()
const closers: (() => void)[] = []

function note(sightingId: string, at: number) {
  const times = received.get(sightingId)
  if (times) times.push(at)
  else received.set(sightingId, [at])
}

async function openFull(): Promise<() => void> {
  const stream = await openEventStream(streamUrl, { authorization: `Bearer ${token}` })
  if (stream.status !== 200) throw new Error(`stream answered ${stream.status}`)
  stream.onMessage((message) => {
    const at = now()
    note((JSON.parse(message.data) as { payload: { sightingId: string } }).payload.sightingId, at)
  })
  return () => stream.close()
}

const MARK = '"sightingId":"'
const ID_LENGTH = 36

function openLean(): Promise<() => void> {
  const target = new URL(streamUrl)
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true })
    socket.setEncoding('latin1')
    let head = true
    let carry = ''
    socket.on('error', reject)
    socket.on('connect', () => {
      socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`)
    })
    socket.on('data', (chunk: string) => {
      const at = now()
      let text = carry + chunk
      if (head) {
        const end = text.indexOf('\r\n\r\n')
        if (end === -1) {
          carry = text
          return
        }
        const status = text.slice(9, 12)
        if (status !== '200') return reject(new Error(`stream answered ${status}`))
        head = false
        resolve(() => socket.destroy())
        text = text.slice(end + 4)
      }
      let from = 0
      for (;;) {
        const found = text.indexOf(MARK, from)
        if (found === -1 || found + MARK.length + ID_LENGTH > text.length) break
        note(text.slice(found + MARK.length, found + MARK.length + ID_LENGTH), at)
        from = found + MARK.length + ID_LENGTH
      }
      // Keep what may be the start of a mark cut off by the end of this chunk.
      carry = text.slice(Math.max(from, text.length - (MARK.length + ID_LENGTH - 1)))
    })
  })
}

for (let opened = 0; opened < count; opened += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, count - opened) }, () => (parser === 'lean' ? openLean() : openFull())))
  closers.push(...batch)
}
console.log('ready')
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'end') continue
  for (const close of closers) close()
  // Exit only once the (large) line has reached the pipe: stdout to a pipe is asynchronous.
  process.stdout.write(`${JSON.stringify(Object.fromEntries(received))}\n`, () => process.exit(0))
}
