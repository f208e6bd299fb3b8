import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Services } from './services.ts'
import { registerErrorHandling } from './platform/errors.ts'
import { registerValidation } from './platform/validation.ts'
import { registerAuth } from './platform/auth.ts'
import { registerOpenApi } from './platform/openapi.ts'
import { usersRoutes } from './modules/users/users.routes.ts'
import { peopleRoutes } from './modules/people/people.routes.ts'
import { agenciesRoutes } from './modules/agencies/agencies.routes.ts'
import { careRoutes } from './modules/care/care.routes.ts'
import { traffickingRoutes } from './modules/trafficking/trafficking.routes.ts'
import { protocolsRoutes } from './modules/protocols/protocols.routes.ts'
import { episodesRoutes } from './modules/episodes/episodes.routes.ts'
import { interviewsRoutes } from './modules/interviews/interviews.routes.ts'
import { registerRoutes } from './modules/register/register.routes.ts'
import { auditRoutes } from './modules/audit/audit.routes.ts'
import { webLayer } from './web/web.ts'
import { eventsRoutes } from './modules/events/events.routes.ts'
import { statisticsRoutes } from './modules/statistics/statistics.routes.ts'
import { interchangeRoutes } from './modules/interchange/interchange.routes.ts'
import { alertsRoutes } from './modules/alerts/alerts.routes.ts'
import { deadlinesRoutes } from './modules/deadlines/deadlines.routes.ts'
import { identityRoutes } from './modules/identity/identity.routes.ts'
import { webhooksRoutes } from './modules/events/webhooks.routes.ts'
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts'

export interface AppOptions {
  logger: FastifyServerOptions['logger']
}

/** Builds the app: platform first, then each module's routes, in a visible order. */
export async function buildApp(services: Services, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    // Ids only in logs: Fastify's request log has method, url (ids only) and status, never bodies.
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array' } },
  })

  registerErrorHandling(app)
  registerValidation(app)
  registerAuth(app, services.users)
  await registerOpenApi(app)

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
      api.get('/health', { config: { public: true }, schema: { tags: ['health'], security: [] } }, async () => ({ status: 'ok' }))
      await api.register(usersRoutes(services.users))
      await api.register(peopleRoutes(services.people))
      await api.register(agenciesRoutes(services.agencies))
      await api.register(careRoutes(services.care))
      await api.register(traffickingRoutes(services.trafficking))
      await api.register(protocolsRoutes(services.protocols))
      await api.register(episodesRoutes(services.episodes))
      await api.register(interviewsRoutes(services.interviews))
      await api.register(registerRoutes(services.register))
      await api.register(auditRoutes(services.audit))
      await api.register(eventsRoutes(services.events))
      await api.register(statisticsRoutes(services.statistics))
      await api.register(interchangeRoutes(services))
      await api.register(alertsRoutes(services.alerts))
      await api.register(deadlinesRoutes(services.deadlines))
      await api.register(identityRoutes(services.identity))
      await api.register(webhooksRoutes(services.webhooks))
      await api.register(notificationsRoutes(services.notifications))
    },
    { prefix: '/api/v1' },
  )

  // The caseworkers' pages (src/web): same services, same access checks and audit.
  await app.register(webLayer(services, { cacheTemplates: true }))

  return app
}
