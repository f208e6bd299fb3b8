import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

// A local SMTP server on loopback for the notification tests (the outer edge of Lantern: the relay). It keeps
// every message it accepts, can refuse a recipient (550, as a relay refuses a mailbox), and can be slow.

export interface ReceivedEmail {
  from: string
  to: string[]
  subject: string
  /** The decoded text body. */
  body: string
  /** The whole message as sent (headers and encoded body). */
  raw: string
  receivedAt: number
}

export interface SmtpTestServer {
  url: string
  received: ReceivedEmail[]
  /** Addresses the server refuses with "550 mailbox unavailable". */
  refuse: Set<string>
  /** Milliseconds the server waits before accepting each message. */
  delayMs: number
  close: () => Promise<void>
}

function decodeBody(headers: string, body: string): string {
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase()
  if (encoding === 'quoted-printable')
    return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  if (encoding === 'base64') return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8')
  return body
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const state = { received: [] as ReceivedEmail[], refuse: new Set<string>(), delayMs: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!state.refuse.has(address.address)) return callback()
      const refusal = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })
      return callback(refusal)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const split = raw.indexOf('\r\n\r\n')
        const headers = raw.slice(0, split)
        const subject = /^subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? ''
        setTimeout(() => {
          state.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject,
            body: decodeBody(headers, raw.slice(split + 4)),
            raw,
            receivedAt: Date.now(),
          })
          callback()
        }, state.delayMs)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received
    },
    set received(value) {
      state.received = value
    },
    refuse: state.refuse,
    get delayMs() {
      return state.delayMs
    },
    set delayMs(value) {
      state.delayMs = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
