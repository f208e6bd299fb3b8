import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'
import { personListName } from '../../db/fragments.ts'
import { updateVersioned } from '../../db/versioned.ts'

export async function findEpisodeForInterview(db: Kysely<Database>, episodeId: string) {
  return db
    .selectFrom('missing_episode')
    .select(['id', 'person_id', 'owning_agency_id', 'recorded_by', 'started_at', 'ended_at'])
    .where('id', '=', episodeId)
    .executeTakeFirst()
}

export async function findPreventionInterviewByEpisode(db: Kysely<Database>, episodeId: string) {
  return db.selectFrom('prevention_interview').selectAll().where('episode_id', '=', episodeId).executeTakeFirst()
}

export async function findPreventionInterview(db: Kysely<Database>, id: string) {
  return db.selectFrom('prevention_interview').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertPreventionInterview(db: Kysely<Database>, row: NewRow<'prevention_interview'>) {
  await db.insertInto('prevention_interview').values(row).execute()
}

export async function updatePreventionInterview(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'prevention_interview'>) {
  return updateVersioned(db, 'prevention_interview', id, version, changes)
}

export async function findReturnHomeInterviewByEpisode(db: Kysely<Database>, episodeId: string) {
  return db.selectFrom('return_home_interview').selectAll().where('episode_id', '=', episodeId).executeTakeFirst()
}

export async function findReturnHomeInterview(db: Kysely<Database>, id: string) {
  return db.selectFrom('return_home_interview').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertReturnHomeInterview(db: Kysely<Database>, row: NewRow<'return_home_interview'>) {
  await db.insertInto('return_home_interview').values(row).execute()
}

export async function updateReturnHomeInterview(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'return_home_interview'>) {
  return updateVersioned(db, 'return_home_interview', id, version, changes)
}

export type ReturnHomeInterviewWindow = 'due' | 'overdue'

/**
 * A local authority's ended episodes whose return home interview is outstanding: none recorded, or offered and
 * not yet completed, declined or recorded as not conducted. `due` are within 72 hours of the return (ended at
 * or after `cutoff`), `overdue` are past it. Soonest due first.
 */
export async function listOutstandingReturnHomeInterviews(
  db: Kysely<Database>,
  agencyId: string,
  window: ReturnHomeInterviewWindow,
  cutoff: Date,
  page: { limit: number; offset: number },
) {
  const query = db
    .selectFrom('missing_episode as e')
    .leftJoin('return_home_interview as r', 'r.episode_id', 'e.id')
    .where('e.owning_agency_id', '=', agencyId)
    .where('e.recorded_by', '=', 'local_authority')
    .where('e.ended_at', 'is not', null)
    .where('e.ended_at', window === 'due' ? '>=' : '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('r.id', 'is', null),
        eb.and([eb('r.completed_at', 'is', null), eb('r.not_conducted_reason', 'is', null), eb.or([eb('r.accepted', 'is', null), eb('r.accepted', '=', true)])]),
      ]),
    )
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await query
    .select([
      'e.id',
      'e.person_id',
      'e.la_category',
      'e.started_at',
      'e.ended_at',
      'r.offered_at',
      'r.accepted',
      personListName('e.person_id').as('person_name'),
    ])
    .orderBy('e.ended_at')
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { rows, total: Number(counted.count) }
}
