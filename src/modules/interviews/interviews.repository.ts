import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'
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
