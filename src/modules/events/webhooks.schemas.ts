import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, Nullable, OneOf, Text } from '../../lib/schema.ts'
import { PageQuery } from '../../platform/openapi.ts'
import { EventTypeName } from './events.schemas.ts'

export const WebhookSubscriptionInput = Type.Object(
  {
    url: Text(2000, { pattern: '^https?://[^\\s]+$', errorMessage: 'must be the https:// address the deliveries are posted to' }),
    eventTypes: Type.Array(EventTypeName, { minItems: 1, maxItems: 50, errorMessage: 'must list at least one event type' }),
    roles: Type.Array(Text(40), {
      minItems: 1,
      maxItems: 10,
      description: 'The roles whose scope the subscriber receives (case roles of your agency, as an API token has roles)',
      errorMessage: 'must list at least one role',
    }),
  },
  { additionalProperties: false },
)
export type WebhookSubscriptionInput = Static<typeof WebhookSubscriptionInput>

export const WebhookSubscriptionResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  agencyId: Type.String({ format: 'uuid' }),
  url: Type.String(),
  roles: Type.Array(Type.String()),
  eventTypes: Type.Array(EventTypeName),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: InstantOut(),
})

export const NewWebhookSubscriptionResponse = Type.Object({
  ...WebhookSubscriptionResponse.properties,
  secret: Type.String({ description: 'Signs every delivery (Lantern-Signature): shown only now, keep it' }),
})

export const DeliveryStatus = OneOf(['pending', 'delivered', 'dead'] as const)

export const DeliveryQuery = Type.Object({ status: Type.Optional(DeliveryStatus), ...PageQuery }, { additionalProperties: false })

export const WebhookDeliveryResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  subscriptionId: Type.String({ format: 'uuid' }),
  eventSeq: Type.Integer(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(InstantOut()),
  lastAttemptAt: Nullable(InstantOut()),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(InstantOut()),
  createdAt: InstantOut(),
})
