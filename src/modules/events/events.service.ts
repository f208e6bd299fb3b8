import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { personReaders } from '../access/access.service.ts'
import { ForbiddenError } from '../../lib/errors.ts'
import type { EventType } from './events.catalogue.ts'
import { admits, type EventAudienceEntry, type EventPayload, type LiveEvent, type Recipient } from './events.model.ts'
import { appendEvent, toLiveEvent } from './events.outbox.ts'
import { createEventHub, type EventHub } from './events.hub.ts'
import * as repo from './events.repository.ts'
import { raiseAlerts } from '../alerts/alerts.rules.ts'
import { scheduleDeadlines } from '../deadlines/deadlines.rules.ts'

export interface EventInput {
  type: EventType
  /** Who made the change (null for the system itself). */
  actor: Pick<Actor, 'userId' | 'agencyId'> | null
  /** The person the event is about: everyone who may read them receives it (src/modules/access). */
  personId?: string | null
  episodeId?: string | null
  /** The record the event is about, when it is not the person or the episode (an alert, a referral, a task). */
  subject?: { type: string; id: string } | null
  /** Ids and codes only: never a name, a date of birth, an address or free text about a person. */
  payload?: EventPayload
  /** Further recipients, beyond the person's readers. */
  audience?: readonly EventAudienceEntry[]
}

/** The person's readers as an audience: each agency with the roles that reach the person there. */
export async function personAudience(trx: Kysely<Database>, personId: string): Promise<EventAudienceEntry[]> {
  const readers = await personReaders(trx, personId)
  return readers.map((reader) => ({ agencyId: reader.agencyId, roles: [...reader.roles], userId: reader.userId }))
}

/**
 * Records an event in the caller's transaction, so the change and its event commit (or roll back) together,
 * and applies the alert and deadline rules to it in the same transaction. Given a database rather than a
 * transaction, it opens one. Published to every instance's streams and to webhooks once committed.
 */
export async function recordEvent(db: Kysely<Database>, input: EventInput): Promise<LiveEvent> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordEvent(trx, input))
  const readers = input.personId ? await personAudience(db, input.personId) : []
  const event = await appendEvent(db, {
    type: input.type,
    actor: input.actor,
    personId: input.personId,
    episodeId: input.episodeId,
    subject: input.subject,
    payload: input.payload,
    audience: [...readers, ...(input.audience ?? [])],
  })
  await scheduleDeadlines(db, event)
  await raiseAlerts(db, event)
  return event
}

/** At most this many missed events are replayed to a reconnecting stream. */
export const REPLAY_LIMIT = 1000

export function recipientOf(actor: Actor): Recipient {
  return { agencyId: actor.agencyId, userId: actor.userId, roles: actor.roles }
}

export function createEventsService(db: Kysely<Database>) {
  const hub: EventHub = createEventHub()
  return {
    hub,

    /** Case roles, decision-makers and guardians receive events; administrators and analysts never see case events. */
    requireStream(actor: Actor): Recipient {
      if (!can.workCases(actor) && !can.decideNrmReferrals(actor) && !can.actAsGuardian(actor))
        throw new ForbiddenError('Your role receives no case events')
      return recipientOf(actor)
    },

    /**
     * What a reconnecting stream missed after the last id it received, within its scope, oldest first.
     * `truncated` when more was missed than is replayed: the client should reload what it shows.
     */
    async replay(recipient: Recipient, afterSeq: number, types: ReadonlySet<string> | null): Promise<{ events: LiveEvent[]; truncated: boolean }> {
      const rows = await repo.listEventsAfter(db, afterSeq, REPLAY_LIMIT + 1)
      const truncated = rows.length > REPLAY_LIMIT
      const events = rows
        .slice(0, REPLAY_LIMIT)
        .map(toLiveEvent)
        .filter((event) => (!types || types.has(event.type)) && admits(recipient, event.audience))
      return { events, truncated }
    },
  }
}

export type EventsService = ReturnType<typeof createEventsService>
