import { sql, type Kysely } from 'kysely'
import type { Database, Row } from '../../db/database.ts'

export type OutboxRow = Row<'outbox_event'>

/**
 * One statement, in the transaction of the change: the event row; one webhook delivery for each active subscription
 * that wants this type and that the audience admits (its agency and a role of the subscription; an entry for one
 * user never admits a system); and the NOTIFY that publishes the event when the transaction commits (never if it
 * rolls back). The notification is the event as JSON, or only its number when too long for NOTIFY (8,000 bytes).
 */
export async function insertEventAndNotify(
  db: Kysely<Database>,
  row: {
    type: string
    actor_user_id: string | null
    actor_agency_id: string | null
    person_id: string | null
    episode_id: string | null
    subject_type: string | null
    subject_id: string | null
    audience: string
    payload: string
  },
  channel: string,
  notifyLimitBytes: number,
) {
  const result = await sql<OutboxRow>`
    with e as (
      insert into outbox_event (type, actor_user_id, actor_agency_id, person_id, episode_id, subject_type, subject_id, audience, payload)
      values (${row.type}, ${row.actor_user_id}, ${row.actor_agency_id}, ${row.person_id}, ${row.episode_id}, ${row.subject_type},
              ${row.subject_id}, ${row.audience}::jsonb, ${row.payload}::jsonb)
      returning *),
    deliveries as (
      insert into webhook_delivery (id, subscription_id, event_seq, next_attempt_at)
      select gen_random_uuid(), s.id, e.seq, now()
      from e join webhook_subscription s on s.active and e.type = any (s.event_types)
      where exists (
        select 1 from jsonb_array_elements(e.audience) a
        where (a ->> 'agencyId')::uuid = s.agency_id
          and a -> 'userId' = 'null'::jsonb
          and s.roles && array(select jsonb_array_elements_text(a -> 'roles')))
      returning 1),
    message as (
      select e.seq, json_build_object(
        'seq', e.seq, 'type', e.type, 'occurredAt', e.occurred_at, 'actorAgencyId', e.actor_agency_id,
        'personId', e.person_id, 'episodeId', e.episode_id,
        'subject', case when e.subject_type is null then null else json_build_object('type', e.subject_type, 'id', e.subject_id) end,
        'payload', e.payload, 'audience', e.audience)::text as text
      from e),
    notified as (
      select pg_notify(${channel}, case when octet_length(m.text) < ${notifyLimitBytes} then m.text else json_build_object('seq', m.seq)::text end)
      from message m)
    select e.*, (select count(*) from notified) as notified, (select count(*) from deliveries) as deliveries from e`.execute(db)
  const inserted = result.rows[0]
  if (!inserted) throw new Error('the outbox insert returned no row')
  return inserted
}

export async function findEvent(db: Kysely<Database>, seq: number) {
  return db.selectFrom('outbox_event').selectAll().where('seq', '=', seq).executeTakeFirst()
}

/** Events after a sequence number, oldest first: what a reconnecting client missed. */
export async function listEventsAfter(db: Kysely<Database>, seq: number, limit: number) {
  return db.selectFrom('outbox_event').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute()
}

/** Events recorded since an instant, oldest first: what an instance may have missed while its LISTEN was down. */
export async function listEventsSince(db: Kysely<Database>, since: Date, limit: number) {
  return db.selectFrom('outbox_event').selectAll().where('occurred_at', '>=', since).orderBy('seq').limit(limit).execute()
}

export async function deleteEventsBefore(db: Kysely<Database>, before: Date) {
  const result = await db.deleteFrom('outbox_event').where('occurred_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
