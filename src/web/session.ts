import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../modules/access/actor.ts'

// The signed-in session of a browser: the users module's session secret in an HttpOnly cookie. The server
// decides expiry (SESSION_HOURS); the cookie itself lasts until the browser closes, so an expired session
// is recognised (a cookie the server no longer accepts) and the person is told so.

export const SESSION_COOKIE = 'lantern_session'
export const LANGUAGE_COOKIE = 'lantern_language'
export const PURPOSE_COOKIE = 'lantern_purpose'

/** Behind a TLS-terminating proxy the request arrives as http with X-Forwarded-Proto: https. */
export function overTls(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https'
}

export function cookieOptions(request: FastifyRequest, extra: { maxAge?: number } = {}) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: overTls(request), ...extra }
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(request))
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
  reply.clearCookie(PURPOSE_COOKIE, cookieOptions(request))
}

/** A local path to return to after signing in or switching language; anything else goes home. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/'
  return value
}

/** The signed-in actor of a page that requires sign-in (the web layer has already redirected otherwise). */
export function pageActor(request: FastifyRequest): Actor {
  if (!request.actor || request.actor.kind !== 'user') throw new Error('pageActor called on a page that does not require sign-in')
  return request.actor
}

// ------------------------------------------------------------------ purposes for records outside one's agency

// A purpose given for one person's record applies to that record for PURPOSE_MINUTES, so the person page, its
// episodes and its placements can be read without asking again. It is kept in an HttpOnly cookie (the app
// holds no state), one entry per person, at most MAX_PURPOSES of them; every read it allows is audited with it.
const PURPOSE_MINUTES = 30
const MAX_PURPOSES = 5

interface PurposeEntry {
  personId: string
  purpose: string
  until: number
}

function readPurposes(request: FastifyRequest): PurposeEntry[] {
  const raw = request.cookies[PURPOSE_COOKIE]
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (entry): entry is PurposeEntry =>
        typeof entry === 'object' && entry !== null && typeof entry.personId === 'string' && typeof entry.purpose === 'string' && typeof entry.until === 'number',
    )
  } catch {
    return []
  }
}

export function purposeFor(request: FastifyRequest, personId: string): string | null {
  const now = Date.now()
  return readPurposes(request).find((entry) => entry.personId === personId && entry.until > now)?.purpose ?? null
}

export function rememberPurpose(request: FastifyRequest, reply: FastifyReply, personId: string, purpose: string): void {
  const now = Date.now()
  const kept = readPurposes(request).filter((entry) => entry.personId !== personId && entry.until > now)
  const entries = [{ personId, purpose, until: now + PURPOSE_MINUTES * 60_000 }, ...kept].slice(0, MAX_PURPOSES)
  reply.setCookie(PURPOSE_COOKIE, Buffer.from(JSON.stringify(entries)).toString('base64url'), cookieOptions(request))
}

/** The page actor acting on one person's record, with the purpose given for it (if any). */
export function actorForPerson(request: FastifyRequest, personId: string): Actor {
  const actor = pageActor(request)
  return { ...actor, purpose: purposeFor(request, personId) }
}
