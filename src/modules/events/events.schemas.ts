import { Type, type Static } from '@sinclair/typebox'
import { Nullable, OneOf } from '../../lib/schema.ts'
import { EVENT_TYPE_NAMES } from './events.catalogue.ts'

export const EventTypeName = OneOf(EVENT_TYPE_NAMES)

export const StreamQuery = Type.Object({
  types: Type.Optional(Type.Array(EventTypeName, { description: 'Only these event types (repeat the parameter, or omit for all)' })),
  lastEventId: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Replay what came after this event id (EventSource sends the Last-Event-ID header itself)' }),
  ),
})
export type StreamQuery = Static<typeof StreamQuery>

export const EventResponse = Type.Object(
  {
    seq: Type.Integer({ description: 'The event id: increasing, the SSE `id`' }),
    type: EventTypeName,
    occurredAt: Type.String({ format: 'date-time' }),
    actorAgencyId: Nullable(Type.String({ format: 'uuid' })),
    personId: Nullable(Type.String({ format: 'uuid' })),
    episodeId: Nullable(Type.String({ format: 'uuid' })),
    subject: Nullable(Type.Object({ type: Type.String(), id: Type.String({ format: 'uuid' }) })),
    payload: Type.Record(Type.String(), Type.Unknown(), { description: 'Ids and codes only' }),
  },
  { $id: 'LiveEvent', description: 'The data of one server-sent event, and the body of one webhook delivery' },
)
