import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import { Version } from '../../lib/schema.ts'
import type { WebhooksService } from './webhooks.service.ts'
import {
  DeliveryQuery,
  NewWebhookSubscriptionResponse,
  WebhookDeliveryResponse,
  WebhookSubscriptionInput,
  WebhookSubscriptionResponse,
} from './webhooks.schemas.ts'

export function webhooksRoutes(webhooks: WebhooksService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['webhooks']

    app.post('/webhook-subscriptions', {
      schema: {
        tags,
        summary: "Administrators: subscribe a partner system's URL to events in the scope of the given roles (the signing secret is shown once)",
        body: WebhookSubscriptionInput,
        response: { 201: NewWebhookSubscriptionResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await webhooks.subscribe(requireActor(request), request.body)))

    app.get('/webhook-subscriptions', {
      schema: { tags, summary: "Administrators: your agency's webhook subscriptions", response: { 200: Type.Array(WebhookSubscriptionResponse), ...problemResponses } },
    }, async (request) => webhooks.list(requireActor(request)))

    app.post('/webhook-subscriptions/:id/stop', {
      schema: {
        tags,
        summary: 'Administrators: stop a subscription (send the version you read); its deliveries stay listed',
        params: IdParams,
        body: Type.Object({ version: Version }, { additionalProperties: false }),
        response: { 200: WebhookSubscriptionResponse, ...problemResponses },
      },
    }, async (request) => webhooks.unsubscribe(requireActor(request), request.params.id, request.body.version))

    app.get('/webhook-subscriptions/:id/deliveries', {
      schema: {
        tags,
        summary: "Administrators: a subscription's deliveries, newest first; status=dead is the dead-letter list",
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: PageOf(WebhookDeliveryResponse), ...problemResponses },
      },
    }, async (request) => webhooks.deliveries(requireActor(request), request.params.id, request.query))

    app.post('/webhook-subscriptions/:id/deliveries/:deliveryId/redeliver', {
      schema: {
        tags,
        summary: 'Administrators: send a dead letter again, from the first attempt',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), deliveryId: Type.String({ format: 'uuid' }) }),
        response: { 200: WebhookDeliveryResponse, ...problemResponses },
      },
    }, async (request) => webhooks.redeliver(requireActor(request), request.params.id, request.params.deliveryId))
  }
}
