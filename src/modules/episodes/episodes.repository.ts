import { sql, type Kysely, type QueryCreator, type RawBuilder } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'
import { personAccessFactsQuery, type PersonAccessFacts } from '../access/access.repository.ts'
import { insertAuditEventFrom, insertAuditEventsQuery } from '../audit/audit.repository.ts'
import { executePrepared } from '../../db/prepared.ts'
import { personListName } from '../../db/fragments.ts'
import { updateVersioned } from '../../db/versioned.ts'

export async function findEpisode(db: Kysely<Database>, id: string) {
  return db.selectFrom('missing_episode').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findEpisodeForUpdate(db: Kysely<Database>, id: string) {
  return db.selectFrom('missing_episode').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** One episode with its risk history, actions and sightings, as a query (alone, or the last part of a statement). */
function episodeDetailQuery(db: QueryCreator<Database>, id: string) {
  return db
    .selectFrom('missing_episode as e')
    .selectAll('e')
    .select([
      sql<Row<'risk_assessment'>[]>`coalesce((
        select json_agg(r order by r.assessed_at, r.created_at) from risk_assessment r where r.episode_id = e.id), '[]'::json)`.as('risk_assessments'),
      sql<Row<'episode_action'>[]>`coalesce((
        select json_agg(a order by a.created_at, a.id) from episode_action a where a.episode_id = e.id), '[]'::json)`.as('actions'),
      sql<Row<'sighting'>[]>`coalesce((
        select json_agg(s order by s.seen_at, s.id) from sighting s where s.episode_id = e.id), '[]'::json)`.as('sightings'),
    ])
    .where('e.id', '=', id)
}

/** One episode with its risk history, actions and sightings, in one query. */
export async function findEpisodeDetail(db: Kysely<Database>, id: string) {
  return episodeDetailQuery(db, id).executeTakeFirst()
}

/**
 * A read of one episode in one statement (docs/adr/0021): the episode with its history, the access facts of its
 * person for this actor (null when the episode has no person), and the read's audit row, written in the same
 * statement only when `readAllowed` holds over those facts. `audited` says whether it was. No row: no such episode.
 */
export async function readEpisodeDetailAudited(
  db: Kysely<Database>,
  id: string,
  actor: { agencyId: string; userId: string | null },
  readAllowed: (facts: string) => RawBuilder<boolean>,
  auditRow: NewRow<'audit_event'>,
) {
  const withFactsAndAudit = db
    .with('facts', (qc) => personAccessFactsQuery(qc, sql<string>`(select person_id from missing_episode where id = ${id})`, actor))
    // Kysely puts a raw common table expression in no parentheses of its own.
    .with('audited', () => sql<{ seq: number }>`(${insertAuditEventFrom(auditRow, 'facts', readAllowed('facts'), { subject_person_id: 'id' })})`)
  // The two names are read only in the raw selections below: the detail query needs no more than the tables.
  const read = episodeDetailQuery(withFactsAndAudit as unknown as QueryCreator<Database>, id).select([
    sql<PersonAccessFacts | null>`(select row_to_json(facts) from facts)`.as('access_facts'),
    sql<boolean>`exists (select 1 from audited)`.as('audited'),
  ])
  // Its text varies only with the actor's roles and whether a purpose was given: a few dozen texts at most.
  const [row] = await executePrepared(db, read)
  return row
}

export type EpisodeDetailRow = NonNullable<Awaited<ReturnType<typeof findEpisodeDetail>>>

/**
 * The person's row lock, what the episode rules need from the person, and the actor's access facts (so the write
 * check costs no round trip of its own), in one round trip. The lock comes before the check: a refused actor holds
 * it only until its transaction rolls back.
 */
export async function lockPersonForEpisodes(db: Kysely<Database>, personId: string, actor: { agencyId: string; userId: string | null }) {
  const [row] = await executePrepared(db, personAccessFactsQuery(db, personId, actor).select('p.dob_earliest').forUpdate())
  return row
}

/**
 * What SSDA903 rule 574 finds against a period [start, end) of the person (an open end runs forever), in one
 * round trip: their open episode (looked for only when `lookForOpen`, for a period that is itself open) and the
 * first of their other episodes whose period meets this one.
 */
export async function findPeriodConflicts(
  db: Kysely<Database>,
  personId: string,
  period: { start: Date; end: Date | null; excludeId: string | null },
  lookForOpen: boolean,
) {
  const episodes = db.selectFrom('missing_episode').select('id').where('person_id', '=', personId)
  const others = period.excludeId ? episodes.where('id', '!=', period.excludeId) : episodes
  const open = others.where('ended_at', 'is', null).limit(1)
  const meeting = others.where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', period.start)]))
  const overlapping = (period.end ? meeting.where('started_at', '<', period.end) : meeting).orderBy('started_at').limit(1)
  const [row] = await executePrepared(
    db,
    db.selectNoFrom([(lookForOpen ? open : sql<string | null>`null`).as('open_episode_id'), overlapping.as('overlapping_episode_id')]),
  )
  if (!row) throw new Error('a select without a table returned no row')
  return row
}

/**
 * A new episode, its initial risk assessment (if any) and their audit rows, in one statement, returning the
 * episode as `findEpisodeDetail` reads it (a new episode has no actions or sightings).
 */
export async function insertEpisodeReturningDetail(
  db: Kysely<Database>,
  episode: NewRow<'missing_episode'>,
  risk: NewRow<'risk_assessment'> | null,
  audits: NewRow<'audit_event'>[],
) {
  const insert = db
    .with('episode', (qc) => qc.insertInto('missing_episode').values(episode).returningAll())
    .with('risk', (qc) =>
      risk ? qc.insertInto('risk_assessment').values(risk).returningAll() : qc.selectFrom('risk_assessment').selectAll().where(sql<boolean>`false`),
    )
    // The audit insert reads neither name above.
    .with('audited', (qc) => insertAuditEventsQuery(qc as unknown as QueryCreator<Database>, audits))
    .selectFrom('episode')
    .selectAll('episode')
    .select([
      sql<Row<'risk_assessment'>[]>`coalesce((select json_agg(risk) from risk), '[]'::json)`.as('risk_assessments'),
      sql<Row<'episode_action'>[]>`'[]'::json`.as('actions'),
      sql<Row<'sighting'>[]>`'[]'::json`.as('sightings'),
    ])
  const [row] = await executePrepared(db, insert)
  if (!row) throw new Error('the episode insert returned no row')
  return row
}

export async function updateEpisodeVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'missing_episode'>) {
  return updateVersioned(db, 'missing_episode', id, version, changes)
}

export async function listEpisodesOfPerson(db: Kysely<Database>, personId: string) {
  return db.selectFrom('missing_episode').selectAll().where('person_id', '=', personId).orderBy('started_at', 'desc').execute()
}

const riskOrder = sql<number>`case e.current_risk_grade when 'high' then 0 when 'medium' then 1 when 'low' then 2 when 'very_low' then 3 else 4 end`

export interface AgencyEpisodeFilter {
  open?: boolean
  risk?: string
  laCategory?: string
  /** Open, and the latest risk assessment's next review time has passed. */
  reviewOverdue?: boolean
  /** An action is past its due time and not completed. */
  actionsOverdue?: boolean
}

/** An agency's episodes for its boards: high risk first, then longest missing. */
export async function listEpisodesOfAgency(
  db: Kysely<Database>,
  agencyId: string,
  filter: AgencyEpisodeFilter,
  page: { limit: number; offset: number },
  now: Date,
) {
  let query = db
    .selectFrom('missing_episode as e')
    .where('e.owning_agency_id', '=', agencyId)
  if (filter.open === true) query = query.where('e.ended_at', 'is', null)
  if (filter.open === false) query = query.where('e.ended_at', 'is not', null)
  if (filter.risk) query = query.where('e.current_risk_grade', '=', filter.risk)
  if (filter.laCategory) query = query.where('e.la_category', '=', filter.laCategory)
  if (filter.reviewOverdue) {
    query = query.where('e.ended_at', 'is', null).where(sql<boolean>`(select r.next_review_due_at from risk_assessment r where r.episode_id = e.id
        order by r.assessed_at desc, r.created_at desc limit 1) < ${now}`)
  }
  if (filter.actionsOverdue) {
    query = query.where(sql<boolean>`exists (select 1 from episode_action a where a.episode_id = e.id
        and a.completed_at is null and a.due_at < ${now})`)
  }
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await query
    .select([
      'e.id',
      'e.person_id',
      'e.recorded_by',
      'e.la_category',
      'e.started_at',
      'e.ended_at',
      'e.current_risk_grade',
      'e.version',
      personListName('e.person_id').as('person_name'),
      sql<Date | null>`(select r.next_review_due_at from risk_assessment r where r.episode_id = e.id
        order by r.assessed_at desc, r.created_at desc limit 1)`.as('next_review_due_at'),
      sql<number>`(select count(*)::int from episode_action a where a.episode_id = e.id
        and a.completed_at is null and a.due_at < ${now})`.as('overdue_actions'),
    ])
    .orderBy(riskOrder)
    .orderBy('e.started_at')
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { rows, total: Number(counted.count) }
}

export async function insertRiskAssessment(db: Kysely<Database>, row: NewRow<'risk_assessment'>) {
  await db.insertInto('risk_assessment').values(row).execute()
}

export async function latestRiskAssessment(db: Kysely<Database>, episodeId: string) {
  return db
    .selectFrom('risk_assessment')
    .select(['grade', 'assessed_at'])
    .where('episode_id', '=', episodeId)
    .orderBy('assessed_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertAction(db: Kysely<Database>, row: NewRow<'episode_action'>) {
  await db.insertInto('episode_action').values(row).execute()
}

export async function findAction(db: Kysely<Database>, id: string) {
  return db.selectFrom('episode_action').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function updateActionVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'episode_action'>) {
  return updateVersioned(db, 'episode_action', id, version, changes)
}

export async function insertSighting(db: Kysely<Database>, row: NewRow<'sighting'>) {
  await db.insertInto('sighting').values(row).execute()
}

export async function bumpEpisodeVersion(db: Kysely<Database>, id: string, changes: RowUpdate<'missing_episode'> = {}) {
  await db
    .updateTable('missing_episode')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function findUserAgency(db: Kysely<Database>, userId: string) {
  return db.selectFrom('app_user').select(['id', 'agency_id']).where('id', '=', userId).executeTakeFirst()
}
