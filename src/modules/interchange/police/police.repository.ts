import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../../db/database.ts'

export async function episodesOfPerson(db: Kysely<Database>, personId: string) {
  return db.selectFrom('missing_episode').select(['id', 'started_at', 'ended_at', 'incident_reference']).where('person_id', '=', personId).execute()
}

export async function findEpisode(db: Kysely<Database>, id: string) {
  return db.selectFrom('missing_episode').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertEpisode(db: Kysely<Database>, row: NewRow<'missing_episode'>) {
  await db.insertInto('missing_episode').values(row).execute()
}

export async function updateEpisode(db: Kysely<Database>, id: string, changes: RowUpdate<'missing_episode'>) {
  await db
    .updateTable('missing_episode')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function riskGrades(db: Kysely<Database>, episodeId: string) {
  return db.selectFrom('risk_assessment').select(['grade', 'is_initial']).where('episode_id', '=', episodeId).execute()
}

export async function insertRiskAssessment(db: Kysely<Database>, row: NewRow<'risk_assessment'>) {
  await db.insertInto('risk_assessment').values(row).execute()
}
