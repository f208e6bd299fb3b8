import type { EventAudienceEntry, EventPayload } from '../../db/database.ts'
import type { EventType } from './events.catalogue.ts'

export type { EventAudienceEntry, EventPayload }

/** The PostgreSQL channel every instance listens on (LISTEN/NOTIFY, or PGlite's in-process equivalent). */
export const EVENT_CHANNEL = 'lantern_events'

/** An event as published: ids and codes only. `audience` decides who receives it and is never sent to them. */
export interface LiveEvent {
  seq: number
  type: EventType
  occurredAt: string
  actorAgencyId: string | null
  personId: string | null
  episodeId: string | null
  subject: { type: string; id: string } | null
  payload: EventPayload
  audience: EventAudienceEntry[]
}

export type PublicEvent = Omit<LiveEvent, 'audience'>

/** Who is receiving: a user or a partner system, for one agency, with roles. */
export interface Recipient {
  agencyId: string
  userId: string | null
  roles: readonly string[]
}

/** The one scope check for every subscriber (SSE stream, webhook): an audience entry for the agency and a role it names. */
export function admits(recipient: Recipient, audience: readonly EventAudienceEntry[]): boolean {
  return audience.some(
    (entry) =>
      entry.agencyId === recipient.agencyId &&
      (entry.userId === null || entry.userId === recipient.userId) &&
      recipient.roles.some((role) => entry.roles.includes(role)),
  )
}

/** One list with each agency and user once, its roles merged. */
export function mergeAudience(entries: readonly EventAudienceEntry[]): EventAudienceEntry[] {
  const merged = new Map<string, EventAudienceEntry>()
  for (const entry of entries) {
    const key = `${entry.agencyId}/${entry.userId ?? ''}`
    const existing = merged.get(key)
    if (existing) existing.roles = [...new Set([...existing.roles, ...entry.roles])]
    else merged.set(key, { agencyId: entry.agencyId, roles: [...entry.roles], userId: entry.userId })
  }
  return [...merged.values()]
}

export function publicEvent(event: LiveEvent): PublicEvent {
  const { audience: _audience, ...rest } = event
  return rest
}
