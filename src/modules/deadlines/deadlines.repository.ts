import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'

// The module's SQL. Besides its own `task` table it reads (never writes) the facts its rules need from the
// episodes, interviews and trafficking tables: the dates a deadline is counted from and whether it was met.

export type TaskRow = Row<'task'>
export type TaskChanges = RowUpdate<'task'>

/** An episode and its latest risk assessment: what the missing-episode deadlines are counted from. */
export async function findEpisodeFacts(db: Kysely<Database>, episodeId: string) {
  return db
    .selectFrom('missing_episode as e')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('risk_assessment')
          .distinctOn('episode_id')
          .select(['episode_id', 'id', 'grade', 'assessed_at', 'next_review_due_at'])
          .orderBy('episode_id')
          .orderBy('assessed_at', 'desc')
          .orderBy('created_at', 'desc')
          .as('r'),
      (join) => join.onRef('r.episode_id', '=', 'e.id'),
    )
    .select([
      'e.id',
      'e.person_id',
      'e.owning_agency_id',
      'e.recorded_by',
      'e.la_category',
      'e.started_at',
      'e.ended_at',
      'e.ukmpu_notified_at',
      'e.created_by_user_id',
      'r.id as risk_assessment_id',
      'r.grade as risk_grade',
      'r.assessed_at as risk_assessed_at',
      'r.next_review_due_at as risk_next_review_due_at',
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst()
}

export type EpisodeFacts = NonNullable<Awaited<ReturnType<typeof findEpisodeFacts>>>

/**
 * When each interview deadline of an episode was met, if it was: the prevention interview when conducted (or
 * recorded as not conducted, with its reason); the return home interview when offered (or its reason recorded).
 */
export async function interviewsOfEpisode(db: Kysely<Database>, episodeId: string) {
  const row = await db
    .selectNoFrom([
      sql<Date | string | null>`(select coalesce(conducted_at, created_at) from prevention_interview where episode_id = ${episodeId} limit 1)`.as('prevention'),
      sql<Date | string | null>`(select coalesce(offered_at, updated_at) from return_home_interview
        where episode_id = ${episodeId} and (offered_at is not null or not_conducted_reason is not null) limit 1)`.as('return_home'),
    ])
    .executeTakeFirstOrThrow()
  const instant = (value: Date | string | null) => (value === null ? null : new Date(value))
  return { prevention: instant(row.prevention), returnHome: instant(row.return_home) }
}

/** A referral and whether a reasonable-grounds decision has been made on it. */
export async function findReferralFacts(db: Kysely<Database>, referralId: string) {
  return db
    .selectFrom('nrm_referral as r')
    .select([
      'r.id',
      'r.person_id',
      'r.competent_authority_id',
      'r.referred_on',
      sql<string | null>`(select min(d.decided_on)::text from nrm_decision d where d.referral_id = r.id and d.stage = 'reasonable_grounds')`.as(
        'reasonable_grounds_decided_on',
      ),
    ])
    .where('r.id', '=', referralId)
    .executeTakeFirst()
}

export async function findTaskByKey(db: Kysely<Database>, key: string) {
  return db.selectFrom('task').selectAll().where('key', '=', key).forUpdate().executeTakeFirst()
}

/** Every task of an episode, locked for the rules to settle. */
export async function findTasksOfEpisode(db: Kysely<Database>, episodeId: string) {
  return db.selectFrom('task').selectAll().where('episode_id', '=', episodeId).forUpdate().execute()
}

export async function insertTask(db: Kysely<Database>, row: NewRow<'task'>) {
  return db.insertInto('task').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateTask(db: Kysely<Database>, id: string, changes: RowUpdate<'task'>) {
  return db
    .updateTable('task')
    .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findTask(db: Kysely<Database>, id: string) {
  return db.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The display name of a task's owner (a user of the owning agency), read for its page. */
export async function ownerName(db: Kysely<Database>, userId: string, agencyId: string): Promise<string | null> {
  const row = await db.selectFrom('app_user').select('display_name').where('id', '=', userId).where('agency_id', '=', agencyId).executeTakeFirst()
  return row?.display_name ?? null
}

export interface TaskFilter {
  agencyId: string
  state: 'open' | 'due' | 'overdue' | 'done' | 'cancelled' | 'all'
  ownerUserId: string | null
  kind: string | null
  episodeId: string | null
  /** Only tasks closed at or after this instant (for "done this week"). */
  closedSince: Date | null
}

function filtered(db: Kysely<Database>, filter: TaskFilter, now: Date) {
  let query = db.selectFrom('task').where('owner_agency_id', '=', filter.agencyId)
  if (filter.state === 'open') query = query.where('status', '=', 'open')
  if (filter.state === 'due') query = query.where('status', '=', 'open').where('due_at', '>', now)
  if (filter.state === 'overdue') query = query.where('status', '=', 'open').where('due_at', '<=', now)
  if (filter.state === 'done' || filter.state === 'cancelled') query = query.where('status', '=', filter.state)
  if (filter.ownerUserId) query = query.where('owner_user_id', '=', filter.ownerUserId)
  if (filter.kind) query = query.where('kind', '=', filter.kind)
  if (filter.episodeId) query = query.where('episode_id', '=', filter.episodeId)
  if (filter.closedSince) query = query.where('closed_at', '>=', filter.closedSince)
  return query
}

/** An agency's tasks: open ones by due time (overdue first), closed ones latest first. */
export async function listTasks(db: Kysely<Database>, filter: TaskFilter, now: Date, window: { limit: number; offset: number }) {
  return filtered(db, filter, now)
    .selectAll()
    .orderBy(sql`status = 'open'`, 'desc')
    .orderBy(sql`case when status = 'open' then due_at end`, 'asc')
    .orderBy('closed_at', 'desc')
    .limit(window.limit)
    .offset(window.offset)
    .execute()
}

export async function countTasks(db: Kysely<Database>, filter: TaskFilter, now: Date) {
  const row = await filtered(db, filter, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Marks overdue open tasks escalated, each once, and returns them: instances racing here each get other rows. */
export async function escalateOverdueTasks(db: Kysely<Database>, now: Date, roleOf: (task: { kind: string }) => string, limit: number) {
  const due = await db
    .selectFrom('task')
    .selectAll()
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  const escalated: TaskRow[] = []
  for (const task of due) escalated.push(await updateTask(db, task.id, { escalated_at: now, escalated_to_role: roleOf(task) }))
  return escalated
}
