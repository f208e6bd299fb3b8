import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, Row } from '../../db/database.ts'

export type SubscriptionRow = Row<'webhook_subscription'>
export type DeliveryRow = Row<'webhook_delivery'>

export async function insertSubscription(db: Kysely<Database>, row: NewRow<'webhook_subscription'>) {
  return db.insertInto('webhook_subscription').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function findSubscription(db: Kysely<Database>, id: string) {
  return db.selectFrom('webhook_subscription').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listSubscriptions(db: Kysely<Database>, agencyId: string) {
  return db.selectFrom('webhook_subscription').selectAll().where('agency_id', '=', agencyId).orderBy('created_at').execute()
}

export async function deactivateSubscription(db: Kysely<Database>, id: string, version: number) {
  return db
    .updateTable('webhook_subscription')
    .set({ active: false, updated_at: new Date(), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Claims due deliveries: each is leased (its next attempt moved to the end of the lease) and counted as an attempt,
 * in one statement, so two instances never send the same one; a crash mid-send leaves it to be retried after the lease.
 */
export async function claimDueDeliveries(db: Kysely<Database>, now: Date, leaseUntil: Date, limit: number) {
  const result = await sql<DeliveryRow>`
    update webhook_delivery d
    set next_attempt_at = ${leaseUntil}, attempts = d.attempts + 1, last_attempt_at = ${now}
    where d.id in (
      select id from webhook_delivery
      where status = 'pending' and next_attempt_at <= ${now}
      order by next_attempt_at
      limit ${limit}
      for update skip locked)
    returning d.*`.execute(db)
  return result.rows
}

export async function findDeliveryContext(db: Kysely<Database>, deliveryIds: readonly string[]) {
  if (deliveryIds.length === 0) return []
  return db
    .selectFrom('webhook_delivery as d')
    .innerJoin('webhook_subscription as s', 's.id', 'd.subscription_id')
    .innerJoin('outbox_event as e', 'e.seq', 'd.event_seq')
    .select(['d.id as delivery_id', 's.url', 's.secret', 's.active', 'e.seq', 'e.type', 'e.occurred_at', 'e.actor_agency_id', 'e.person_id', 'e.episode_id', 'e.subject_type', 'e.subject_id', 'e.payload', 'e.audience'])
    .where('d.id', 'in', [...deliveryIds])
    .execute()
}

export async function markDelivery(
  db: Kysely<Database>,
  id: string,
  change: { status: 'pending' | 'delivered' | 'dead'; nextAttemptAt?: Date; statusCode: number | null; error: string | null; deliveredAt?: Date },
) {
  await db
    .updateTable('webhook_delivery')
    .set({
      status: change.status,
      last_status_code: change.statusCode,
      last_error: change.error,
      ...(change.nextAttemptAt ? { next_attempt_at: change.nextAttemptAt } : {}),
      ...(change.deliveredAt ? { delivered_at: change.deliveredAt } : {}),
    })
    .where('id', '=', id)
    .execute()
}

export async function listDeliveries(db: Kysely<Database>, subscriptionId: string, status: string | null, window: { limit: number; offset: number }) {
  let query = db.selectFrom('webhook_delivery').selectAll().where('subscription_id', '=', subscriptionId)
  if (status) query = query.where('status', '=', status)
  return query.orderBy('created_at', 'desc').orderBy('event_seq', 'desc').limit(window.limit).offset(window.offset).execute()
}

export async function countDeliveries(db: Kysely<Database>, subscriptionId: string, status: string | null) {
  let query = db.selectFrom('webhook_delivery').where('subscription_id', '=', subscriptionId)
  if (status) query = query.where('status', '=', status)
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findDelivery(db: Kysely<Database>, id: string) {
  return db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A dead letter sent again: pending, due now, its attempts counted afresh. */
export async function requeueDelivery(db: Kysely<Database>, id: string, now: Date) {
  return db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, last_status_code: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirst()
}
