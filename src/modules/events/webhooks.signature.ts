import { createHmac, timingSafeEqual } from 'node:crypto'

// How a webhook delivery is signed (and how a partner checks it): HMAC-SHA256 with the subscription's secret over
// "<unix seconds>.<the raw body>", sent as `Lantern-Signature: t=<unix seconds>,v1=<hex>`. The time in the signed text
// lets a receiver refuse a replayed delivery.

export const SIGNATURE_HEADER = 'lantern-signature'

export function signature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')
}

export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signature(secret, timestampSeconds, body)}`
}

/** A receiver's check: the signature matches the body and was made within `toleranceSeconds` of now. */
export function verifySignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]))
  const timestamp = Number(parts.get('t'))
  const given = parts.get('v1') ?? ''
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(given)) return false
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signature(secret, timestamp, body), 'hex'))
}
