import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { AlertsService } from './alerts.service.ts'
import { AcknowledgeInput, AlertQuery, AlertResponse } from './alerts.schemas.ts'

export function alertsRoutes(alerts: AlertsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['alerts']

    app.get('/alerts', {
      schema: { tags, summary: 'Alerts for your agency and role, unacknowledged first, then newest first (open by default)', querystring: AlertQuery, response: { 200: PageOf(AlertResponse), ...problemResponses } },
    }, async (request) => alerts.list(requireActor(request), request.query))

    app.get('/alerts/:id', {
      schema: { tags, summary: 'One alert', params: IdParams, response: { 200: AlertResponse, ...problemResponses } },
    }, async (request) => alerts.get(requireActor(request), request.params.id))

    app.post('/alerts/:id/acknowledge', {
      schema: {
        tags,
        summary: 'Acknowledge an alert: a signed-in person (not an API token), once (send the version you read)',
        params: IdParams,
        body: AcknowledgeInput,
        response: { 200: AlertResponse, ...problemResponses },
      },
    }, async (request) => alerts.acknowledge(requireActor(request), request.params.id, request.body.version))
  }
}
