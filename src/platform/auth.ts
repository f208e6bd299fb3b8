import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../modules/access/actor.ts'
import type { UsersService } from '../modules/users/users.service.ts'
import { UnauthenticatedError } from '../lib/errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
  }
  interface FastifyContextConfig {
    /** A route anyone may call without signing in. */
    public?: boolean
  }
}

const BEARER = /^Bearer\s+(\S+)$/i
const PURPOSE_HEADER = 'lantern-purpose'

/** Resolves the bearer secret (a session or an API token) to the actor every service call acts as. */
export function registerAuth(app: FastifyInstance, users: UsersService) {
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return
    const match = BEARER.exec(request.headers.authorization ?? '')
    if (!match?.[1]) return
    const header = request.headers[PURPOSE_HEADER]
    const purpose = typeof header === 'string' && header.trim() !== '' ? header.trim().slice(0, 500) : null
    request.actor = await users.authenticate(match[1], purpose)
  })
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError()
  return request.actor
}

export function bearerSecret(request: FastifyRequest): string | null {
  return BEARER.exec(request.headers.authorization ?? '')?.[1] ?? null
}
