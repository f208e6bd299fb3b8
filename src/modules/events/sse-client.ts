import http from 'node:http'

// A minimal server-sent events client over node:http, for the tests and the benchmark (and as an example for
// partner systems): it parses `id`, `event` and `data` lines, ignores comments, and never reconnects by itself.

export interface StreamMessage {
  id: string | null
  event: string
  data: string
}

export interface EventStream {
  status: number
  messages: StreamMessage[]
  /** The next message (already received or to come) matching the test, or an error after `timeoutMs`. */
  next: (test?: (message: StreamMessage) => boolean, timeoutMs?: number) => Promise<StreamMessage>
  onMessage: (listener: (message: StreamMessage) => void) => void
  closed: Promise<void>
  close: () => void
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (response) => {
      const messages: StreamMessage[] = []
      const listeners: ((message: StreamMessage) => void)[] = []
      let consumed = 0
      let buffer = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        let boundary = buffer.indexOf('\n\n')
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary)
          buffer = buffer.slice(boundary + 2)
          boundary = buffer.indexOf('\n\n')
          const message: StreamMessage = { id: null, event: 'message', data: '' }
          let hasData = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue
            const colon = line.indexOf(':')
            const field = colon === -1 ? line : line.slice(0, colon)
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
            if (field === 'id') message.id = value
            else if (field === 'event') message.event = value
            else if (field === 'data') {
              message.data = hasData ? `${message.data}\n${value}` : value
              hasData = true
            }
          }
          if (!hasData) continue
          messages.push(message)
          for (const listener of listeners) listener(message)
        }
      })
      const closed = new Promise<void>((done) => {
        response.on('close', () => done())
        response.on('error', () => done())
      })
      resolve({
        status: response.statusCode ?? 0,
        messages,
        onMessage: (listener) => listeners.push(listener),
        closed,
        close: () => request.destroy(),
        next(test = () => true, timeoutMs = 5000) {
          // Messages are taken in order: each call starts after the last one it returned.
          const find = () => {
            for (let index = consumed; index < messages.length; index += 1) {
              const message = messages[index]
              if (message && test(message)) {
                consumed = index + 1
                return message
              }
            }
            return null
          }
          const found = find()
          if (found) return Promise.resolve(found)
          return new Promise((done, fail) => {
            let settled = false
            const settle = (outcome: () => void) => {
              if (settled) return
              settled = true
              clearTimeout(timer)
              listeners.splice(listeners.indexOf(check), 1)
              outcome()
            }
            const check = () => {
              const match = find()
              if (match) settle(() => done(match))
            }
            const timer = setTimeout(() => settle(() => fail(new Error(`no matching event within ${timeoutMs} ms`))), timeoutMs)
            listeners.push(check)
            void closed.then(() => settle(() => fail(new Error('the stream closed'))))
          })
        },
      })
    })
    request.on('error', reject)
  })
}
