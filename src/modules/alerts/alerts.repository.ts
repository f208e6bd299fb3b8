import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, Row } from '../../db/database.ts'

// The module's SQL. Besides its own `alert` table it reads (never writes) the facts its rules need: an episode,
// the child's open placement and its host, open NRM referrals, allocated guardians, recent episodes.

export type AlertRow = Row<'alert'>

/** Everything the missing-episode rules need about one episode, in one round trip. */
export async function findMissingFacts(db: Kysely<Database>, episodeId: string, repeatWindowDays: number) {
  return db
    .selectFrom('missing_episode as e')
    .select([
      'e.id',
      'e.person_id',
      'e.owning_agency_id',
      'e.recorded_by',
      'e.la_category',
      'e.started_at',
      'e.ended_at',
      sql<{ id: string; responsible_agency_id: string; host_agency_id: string; host_code: string } | null>`(
        select json_build_object('id', c.id, 'responsible_agency_id', c.responsible_agency_id, 'host_agency_id', c.host_agency_id, 'host_code', h.code)
        from care_episode c join agency h on h.id = c.host_agency_id
        where c.person_id = e.person_id and c.ended_on is null and c.host_agency_id <> c.responsible_agency_id
        order by c.started_on desc limit 1)`.as('placement'),
      // Open: no conclusive decision, and no negative reasonable-grounds decision in force (the latest one counts).
      sql<{ id: string; competent_authority_id: string }[]>`coalesce((
        select json_agg(json_build_object('id', r.id, 'competent_authority_id', r.competent_authority_id))
        from nrm_referral r
        where r.person_id = e.person_id
          and not exists (select 1 from nrm_decision d where d.referral_id = r.id and d.stage = 'conclusive_grounds')
          and coalesce((select d.outcome from nrm_decision d where d.referral_id = r.id and d.stage = 'reasonable_grounds'
                        order by d.decided_on desc, d.created_at desc limit 1), 'positive') = 'positive'), '[]'::json)`.as('open_referrals'),
      sql<{ guardian_agency_id: string; guardian_user_id: string | null }[]>`coalesce((
        select json_agg(json_build_object('guardian_agency_id', g.guardian_agency_id, 'guardian_user_id', g.guardian_user_id))
        from ictg_assignment g where g.person_id = e.person_id and g.ended_on is null), '[]'::json)`.as('guardians'),
      // Missing episodes of this record that began in the window up to this one, this one included; an A (away,
      // whereabouts known) is not a missing episode.
      sql<number>`(
        select count(*)::int from missing_episode x
        where x.person_id = e.person_id and x.la_category is distinct from 'A'
          and x.started_at <= e.started_at and x.started_at > e.started_at - make_interval(days => ${repeatWindowDays}))`.as('missing_in_window'),
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst()
}

/** The agencies that answer for a matched episode: its owner, the other agency's linked record, the responsible authority. */
export async function findMatchFacts(db: Kysely<Database>, episodeId: string) {
  return db
    .selectFrom('missing_episode as e')
    .select([
      'e.id',
      'e.person_id',
      'e.ended_at',
      'e.owning_agency_id',
      sql<string | null>`(select l.owning_agency_id::text from missing_episode l where l.id = e.linked_episode_id)`.as('linked_agency_id'),
      sql<string | null>`(
        select c.responsible_agency_id::text from care_episode c
        where c.person_id = e.person_id and c.ended_on is null order by c.started_on desc limit 1)`.as('responsible_agency_id'),
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst()
}

export async function findAgencies(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('agency').select(['id', 'kind', 'code']).where('id', 'in', [...ids]).execute()
}

export async function findAgencyByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('agency').select(['id', 'kind', 'code']).where('code', '=', code).where('active', '=', true).executeTakeFirst()
}

/** A new alert, unless the same one is still unacknowledged: then nothing (null). */
export async function insertAlertOnce(db: Kysely<Database>, row: NewRow<'alert'>) {
  return db
    .insertInto('alert')
    .values(row)
    .onConflict((conflict) => conflict.column('dedupe_key').where('acknowledged_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function findAlert(db: Kysely<Database>, id: string) {
  return db.selectFrom('alert').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockAlert(db: Kysely<Database>, id: string) {
  return db.selectFrom('alert').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function acknowledgeAlert(db: Kysely<Database>, id: string, version: number, userId: string, at: Date) {
  return db
    .updateTable('alert')
    .set({ acknowledged_at: at, acknowledged_by_user_id: userId, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export interface AlertFilter {
  agencyId: string
  state: 'open' | 'acknowledged' | 'all'
  roles: readonly string[]
  userId: string | null
}

/** The agency's alerts that reach this role (or user): addressed to it, or escalated to it. */
function filtered(db: Kysely<Database>, filter: AlertFilter) {
  let query = db
    .selectFrom('alert')
    .where('agency_id', '=', filter.agencyId)
    .where((eb) =>
      eb.or([
        eb.and([
          sql<boolean>`roles && ${sql.val([...filter.roles])}::text[]`,
          eb.or([eb('user_id', 'is', null), eb('user_id', '=', filter.userId ?? '00000000-0000-0000-0000-000000000000')]),
        ]),
        eb('escalated_to_role', 'in', filter.roles.length > 0 ? [...filter.roles] : ['']),
      ]),
    )
  if (filter.state === 'open') query = query.where('acknowledged_at', 'is', null)
  if (filter.state === 'acknowledged') query = query.where('acknowledged_at', 'is not', null)
  return query
}

/** Unacknowledged first (when both are asked for), then newest first. */
export async function listAlerts(db: Kysely<Database>, filter: AlertFilter, window: { limit: number; offset: number }) {
  return filtered(db, filter)
    .selectAll()
    .orderBy(sql`acknowledged_at is null`, 'desc')
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(window.limit)
    .offset(window.offset)
    .execute()
}

/** The display name of the person who acknowledged an alert (a colleague of the alerted agency), read for its page. */
export async function acknowledgerName(db: Kysely<Database>, userId: string, agencyId: string): Promise<string | null> {
  const row = await db.selectFrom('app_user').select('display_name').where('id', '=', userId).where('agency_id', '=', agencyId).executeTakeFirst()
  return row?.display_name ?? null
}

export async function countAlerts(db: Kysely<Database>, filter: AlertFilter) {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Unacknowledged alerts raised before the cutoff and not yet escalated: marked escalated, each once. */
export async function escalateUnacknowledged(db: Kysely<Database>, raisedBefore: Date, now: Date, roleOf: (alert: AlertRow) => Promise<string>, limit: number) {
  const due = await db
    .selectFrom('alert')
    .selectAll()
    .where('acknowledged_at', 'is', null)
    .where('escalated_at', 'is', null)
    .where('raised_at', '<=', raisedBefore)
    .orderBy('raised_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  const escalated: AlertRow[] = []
  for (const alert of due) {
    const role = await roleOf(alert)
    const row = await db
      .updateTable('alert')
      .set((eb) => ({ escalated_at: now, escalated_to_role: role, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', alert.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    escalated.push(row)
  }
  return escalated
}
