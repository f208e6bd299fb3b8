import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'

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
  const result = await db
    .updateTable('prevention_interview')
    .set({ ...changes, updated_at: new Date(), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
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
  const result = await db
    .updateTable('return_home_interview')
    .set({ ...changes, updated_at: new Date(), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
