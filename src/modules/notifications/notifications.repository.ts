import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

/**
 * One email for each active user of the agency holding one of the roles (only `userId`, when given) who has
 * not turned this kind off: one statement, in the caller's transaction.
 */
export async function insertNotificationsFor(
  db: Kysely<Database>,
  target: { agencyId: string; roles: readonly string[]; userId: string | null; kind: string; linkPath: string; defaultKinds: readonly string[] },
) {
  const result = await sql<{ count: number }>`
    with queued as (
      insert into notification (id, user_id, kind, link_path)
      select gen_random_uuid(), u.id, ${target.kind}, ${target.linkPath}
      from app_user u
      left join notification_preference p on p.user_id = u.id
      where u.agency_id = ${target.agencyId}
        and u.active
        and u.roles && ${sql.val([...target.roles])}::text[]
        and (${target.userId}::uuid is null or u.id = ${target.userId}::uuid)
        and ${target.kind} = any (coalesce(p.email_kinds, ${sql.val([...target.defaultKinds])}::text[]))
      returning 1)
    select count(*)::int as count from queued`.execute(db)
  return result.rows[0]?.count ?? 0
}

export async function findPreference(db: Kysely<Database>, userId: string) {
  return db.selectFrom('notification_preference').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

export async function upsertPreference(db: Kysely<Database>, userId: string, emailKinds: string[], expectedVersion: number | null) {
  if (expectedVersion === null) {
    const inserted = await db
      .insertInto('notification_preference')
      .values({ user_id: userId, email_kinds: emailKinds })
      .onConflict((conflict) => conflict.column('user_id').doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1
  }
  const updated = await db
    .updateTable('notification_preference')
    .set({ email_kinds: emailKinds, updated_at: new Date(), version: expectedVersion + 1 })
    .where('user_id', '=', userId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

/**
 * Claims due emails: each is leased (its next attempt moved to the end of the lease) and counted as an attempt in
 * one statement, so two instances never send the same one, and a crash mid-send leaves it for after the lease.
 */
export async function claimDueNotifications(db: Kysely<Database>, now: Date, leaseUntil: Date, limit: number) {
  // `now` is whole milliseconds; an email queued by the database's now() carries microseconds. Anything in the
  // millisecond the clock reads is due, or an email queued within it would wait for the next round.
  const dueBefore = new Date(now.getTime() + 1)
  const result = await sql<{ id: string; kind: string; link_path: string; attempts: number; email: string; active: boolean }>`
    with claimed as (
      update notification n
      set next_attempt_at = ${leaseUntil}, attempts = n.attempts + 1
      where n.id in (
        select id from notification
        where status = 'pending' and next_attempt_at < ${dueBefore}
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning n.id, n.kind, n.link_path, n.attempts, n.user_id)
    select c.id, c.kind, c.link_path, c.attempts, u.email, u.active
    from claimed c join app_user u on u.id = c.user_id`.execute(db)
  return result.rows
}

/** Claimed emails this instance will not send after all (its lease is running out): due now again, not attempted. */
export async function releaseNotifications(db: Kysely<Database>, ids: readonly string[], now: Date) {
  if (ids.length === 0) return
  await db
    .updateTable('notification')
    .set((eb) => ({ next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .execute()
}

/** Emails not sent within the time they are useful are dropped: an alert a day old is on the board anyway. */
export async function expireNotifications(db: Kysely<Database>, createdBefore: Date) {
  const result = await db
    .updateTable('notification')
    .set({ status: 'expired', last_error: 'not sent in time' })
    .where('status', '=', 'pending')
    .where('created_at', '<', createdBefore)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function markNotification(
  db: Kysely<Database>,
  id: string,
  change: { status: 'pending' | 'sent' | 'failed' | 'expired'; attempts: number; nextAttemptAt?: Date; sentAt?: Date; lastError?: string | null },
) {
  await db
    .updateTable('notification')
    .set({
      status: change.status,
      attempts: change.attempts,
      ...(change.nextAttemptAt ? { next_attempt_at: change.nextAttemptAt } : {}),
      ...(change.sentAt ? { sent_at: change.sentAt } : {}),
      ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
    })
    .where('id', '=', id)
    .execute()
}

export async function listNotificationsOfUser(db: Kysely<Database>, userId: string, limit: number) {
  return db.selectFrom('notification').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').limit(limit).execute()
}
