import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import type { EventType } from './events.catalogue.ts'
import { EVENT_CHANNEL, mergeAudience, type EventAudienceEntry, type EventPayload, type LiveEvent } from './events.model.ts'
import * as repo from './events.repository.ts'

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: a larger event travels as its sequence number,
// and each instance reads it from the outbox.
export const NOTIFY_PAYLOAD_LIMIT = 7900

export interface AppendInput {
  type: EventType
  actor: Pick<Actor, 'userId' | 'agencyId'> | null
  personId?: string | null
  episodeId?: string | null
  subject?: { type: string; id: string } | null
  payload?: EventPayload
  audience: readonly EventAudienceEntry[]
}

export function toLiveEvent(row: repo.OutboxRow): LiveEvent {
  return {
    seq: Number(row.seq),
    type: row.type as EventType,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorAgencyId: row.actor_agency_id,
    personId: row.person_id,
    episodeId: row.episode_id,
    subject: row.subject_type && row.subject_id ? { type: row.subject_type, id: row.subject_id } : null,
    payload: row.payload,
    audience: row.audience,
  }
}

/**
 * Writes one event to the outbox in the caller's transaction, queues its webhook deliveries and its publication
 * on commit. No rules run here: alerts and deadlines use this for the events they raise themselves; everyone
 * else calls `recordEvent` (events.service.ts).
 */
export async function appendEvent(trx: Kysely<Database>, input: AppendInput): Promise<LiveEvent> {
  const row = await repo.insertEventAndNotify(
    trx,
    {
      type: input.type,
      actor_user_id: input.actor?.userId ?? null,
      actor_agency_id: input.actor?.agencyId ?? null,
      person_id: input.personId ?? null,
      episode_id: input.episodeId ?? null,
      subject_type: input.subject?.type ?? null,
      subject_id: input.subject?.id ?? null,
      audience: JSON.stringify(mergeAudience(input.audience)),
      payload: JSON.stringify(input.payload ?? {}),
    },
    EVENT_CHANNEL,
    NOTIFY_PAYLOAD_LIMIT,
  )
  return toLiveEvent(row)
}
