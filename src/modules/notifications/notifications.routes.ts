import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { problemResponses } from '../../platform/openapi.ts'
import type { NotificationsService } from './notifications.service.ts'
import { PreferencesInput, PreferencesResponse } from './notifications.schemas.ts'

export function notificationsRoutes(notifications: NotificationsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['notifications']

    app.get('/notification-preferences', {
      schema: { tags, summary: 'Which emails you receive (a link each, never case details)', response: { 200: PreferencesResponse, ...problemResponses } },
    }, async (request) => notifications.preferences(requireActor(request)))

    app.put('/notification-preferences', {
      schema: {
        tags,
        summary: 'Choose which emails you receive (send the version you read; 0 before your first choice)',
        body: PreferencesInput,
        response: { 200: PreferencesResponse, ...problemResponses },
      },
    }, async (request) => notifications.choose(requireActor(request), request.body))
  }
}
