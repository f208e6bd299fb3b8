import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can, isRole, roleFitsAgency } from '../access/roles.ts'
import type { Clock } from '../../lib/clock.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import { parseInput } from '../../lib/schema.ts'
import type { EventType } from './events.catalogue.ts'
import { publicEvent } from './events.model.ts'
import { toLiveEvent } from './events.outbox.ts'
import { signatureHeader, SIGNATURE_HEADER } from './webhooks.signature.ts'
import { WebhookSubscriptionInput } from './webhooks.schemas.ts'
import * as repo from './webhooks.repository.ts'

/**
 * After a failed attempt, the next waits this long (then the next entry, and so on); after the last, the delivery is
 * dead: kept on the subscription's dead-letter list until someone sends it again. Seven attempts over about 31 hours.
 */
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000, 24 * 60 * 60_000]
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1
/** A partner has this long to answer; the lease on a claimed delivery is a little longer. */
export const DELIVERY_TIMEOUT_MS = 10_000
const LEASE_MS = DELIVERY_TIMEOUT_MS + 20_000

export interface WebhookSubscription {
  id: string
  agencyId: string
  url: string
  roles: string[]
  eventTypes: EventType[]
  active: boolean
  version: number
  createdAt: Date
}

export interface WebhookDelivery {
  id: string
  subscriptionId: string
  eventSeq: number
  status: 'pending' | 'delivered' | 'dead'
  attempts: number
  nextAttemptAt: Date | null
  lastAttemptAt: Date | null
  lastStatusCode: number | null
  lastError: string | null
  deliveredAt: Date | null
  createdAt: Date
}

function toSubscription(row: repo.SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    agencyId: row.agency_id,
    url: row.url,
    roles: row.roles,
    eventTypes: row.event_types as EventType[],
    active: row.active,
    version: row.version,
    createdAt: row.created_at,
  }
}

function toDelivery(row: repo.DeliveryRow): WebhookDelivery {
  const status = row.status as WebhookDelivery['status']
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventSeq: Number(row.event_seq),
    status,
    attempts: row.attempts,
    nextAttemptAt: status === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }
}

/** An agency's administrator manages the agency's partner systems' subscriptions, as they do its API tokens. */
function requireAdministrator(actor: Actor) {
  if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator manages webhook subscriptions')
}

/** What a failed attempt said, in a few words and without the partner's body (it could echo anything). */
function failureOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`
  if (error instanceof Error) return (error.cause instanceof Error ? error.cause.message : error.message).slice(0, 200)
  return 'failed'
}

export function createWebhooksService(db: Kysely<Database>, clock: Clock, options: { allowHttp: boolean }) {
  async function ownSubscription(actor: Actor, id: string) {
    requireAdministrator(actor)
    const row = await repo.findSubscription(db, id)
    if (!row || row.agency_id !== actor.agencyId) throw new NotFoundError('Webhook subscription')
    return row
  }

  return {
    /**
     * Subscribes a partner system's URL to event types, with the roles whose scope it receives (as an API token
     * has roles). The secret that signs deliveries is shown once, here.
     */
    async subscribe(actor: Actor, rawInput: WebhookSubscriptionInput): Promise<WebhookSubscription & { secret: string }> {
      requireAdministrator(actor)
      const input = parseInput(WebhookSubscriptionInput, rawInput)
      const errors: FieldError[] = []
      let url: URL
      try {
        url = new URL(input.url)
      } catch {
        throw new ValidationError([{ field: 'url', message: 'must be a valid https:// address' }])
      }
      if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:'))
        errors.push({ field: 'url', message: options.allowHttp ? 'must start with https:// or http://' : 'must start with https://' })
      if (url.username || url.password) errors.push({ field: 'url', message: 'must not carry a user name or password: deliveries are signed instead' })
      input.roles.forEach((role, index) => {
        if (!isRole(role) || !roleFitsAgency(role, actor.agencyKind) || role === 'administrator' || role === 'analyst')
          errors.push({ field: `roles/${index}`, message: `must be a case role of your agency, not "${role}"` })
      })
      if (errors.length > 0) throw new ValidationError(errors)
      const secret = `lwh_${randomBytes(32).toString('base64url')}`
      const row = await repo.insertSubscription(db, {
        id: uuidv7(),
        agency_id: actor.agencyId,
        url: url.toString(),
        secret,
        roles: [...new Set(input.roles)],
        event_types: [...new Set(input.eventTypes)],
        created_by_user_id: actor.userId,
      })
      return { ...toSubscription(row), secret }
    },

    async list(actor: Actor): Promise<WebhookSubscription[]> {
      requireAdministrator(actor)
      return (await repo.listSubscriptions(db, actor.agencyId)).map(toSubscription)
    },

    /** Stops deliveries (send the version you read); what was delivered and the dead letters stay listed. */
    async unsubscribe(actor: Actor, id: string, version: number): Promise<WebhookSubscription> {
      const current = await ownSubscription(actor, id)
      if (!current.active) throw new ConflictError('This subscription has already been stopped')
      const row = await repo.deactivateSubscription(db, id, version)
      if (!row) throw new StaleVersionError('The webhook subscription', current.version)
      return toSubscription(row)
    },

    /** A subscription's deliveries, newest first: `status=dead` is its dead-letter list. */
    async deliveries(actor: Actor, id: string, query: Partial<PageRequest> & { status?: WebhookDelivery['status'] }): Promise<Page<WebhookDelivery>> {
      await ownSubscription(actor, id)
      const window = pageWindow(query)
      const status = query.status ?? null
      const [rows, total] = await Promise.all([repo.listDeliveries(db, id, status, window), repo.countDeliveries(db, id, status)])
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map(toDelivery) }
    },

    /** Sends a dead letter again, from the first attempt. */
    async redeliver(actor: Actor, subscriptionId: string, deliveryId: string): Promise<WebhookDelivery> {
      const subscription = await ownSubscription(actor, subscriptionId)
      const delivery = await repo.findDelivery(db, deliveryId)
      if (!delivery || delivery.subscription_id !== subscriptionId) throw new NotFoundError('Webhook delivery')
      if (!subscription.active) throw new ConflictError('The subscription is stopped: nothing is sent to it')
      const row = await repo.requeueDelivery(db, deliveryId, clock.now())
      if (!row) throw new ConflictError('Only a dead delivery is sent again; this one is pending or delivered')
      return toDelivery(row)
    },

    /**
     * Sends every due delivery once: a 2xx answer is delivered; anything else is tried again after the next delay,
     * and after the last attempt the delivery is dead. Safe on every instance at once (deliveries are leased).
     */
    async deliverDue(limit = 50): Promise<{ delivered: number; failed: number; dead: number }> {
      const now = clock.now()
      const claimed = await repo.claimDueDeliveries(db, now, new Date(now.getTime() + LEASE_MS), limit)
      const contexts = new Map((await repo.findDeliveryContext(db, claimed.map((row) => row.id))).map((context) => [context.delivery_id, context]))
      const counts = { delivered: 0, failed: 0, dead: 0 }
      await Promise.all(
        claimed.map(async (delivery) => {
          const context = contexts.get(delivery.id)
          if (!context || !context.active) {
            counts.dead += 1
            await repo.markDelivery(db, delivery.id, { status: 'dead', statusCode: null, error: 'the subscription was stopped' })
            return
          }
          const event = toLiveEvent({
            seq: context.seq,
            type: context.type,
            occurred_at: context.occurred_at,
            actor_user_id: null,
            actor_agency_id: context.actor_agency_id,
            person_id: context.person_id,
            episode_id: context.episode_id,
            subject_type: context.subject_type,
            subject_id: context.subject_id,
            payload: context.payload,
            audience: context.audience,
          })
          const body = JSON.stringify(publicEvent(event))
          let statusCode: number | null = null
          let error: string | null = null
          try {
            const response = await fetch(context.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'user-agent': 'Lantern-Webhooks/1',
                'lantern-event-id': String(event.seq),
                'lantern-event-type': event.type,
                'lantern-delivery-id': delivery.id,
                [SIGNATURE_HEADER]: signatureHeader(context.secret, Math.floor(clock.now().getTime() / 1000), body),
              },
              body,
              redirect: 'manual',
              signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
            })
            statusCode = response.status
            await response.body?.cancel()
            if (response.ok) {
              counts.delivered += 1
              await repo.markDelivery(db, delivery.id, { status: 'delivered', statusCode, error: null, deliveredAt: clock.now() })
              return
            }
            error = `answered ${response.status}`
          } catch (failure) {
            error = failureOf(failure)
          }
          const delay = RETRY_DELAYS_MS[delivery.attempts - 1]
          if (delivery.attempts >= MAX_ATTEMPTS || delay === undefined) {
            counts.dead += 1
            await repo.markDelivery(db, delivery.id, { status: 'dead', statusCode, error })
          } else {
            counts.failed += 1
            await repo.markDelivery(db, delivery.id, { status: 'pending', statusCode, error, nextAttemptAt: new Date(clock.now().getTime() + delay) })
          }
        }),
      )
      return counts
    },
  }
}

export type WebhooksService = ReturnType<typeof createWebhooksService>
