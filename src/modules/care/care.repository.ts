import type { Kysely } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'
import { updateVersioned } from '../../db/versioned.ts'

export type CareEpisodeRow = Row<'care_episode'>

/**
 * Takes the person's row lock. Rules that span a person's care episodes (no overlap, one open episode)
 * are checked under it, so two writers cannot both pass the check.
 */
export async function lockPerson(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('person')
    .select(['id', 'dob_earliest'])
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst()
}

export async function insertCareEpisode(db: Kysely<Database>, row: NewRow<'care_episode'>) {
  await db.insertInto('care_episode').values(row).execute()
}

export async function findCareEpisode(db: Kysely<Database>, id: string) {
  return db.selectFrom('care_episode').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listCareEpisodesOfPerson(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('care_episode')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('started_on')
    .orderBy('id')
    .execute()
}

/**
 * The first of the person's episodes that overlaps the period (an open end runs for ever). Touching is not
 * overlapping: an episode may start on the day the previous one ended (SSDA903 REC X1).
 */
export async function findOverlappingEpisode(
  db: Kysely<Database>,
  personId: string,
  period: { startedOn: string; endedOn: string | null },
  exceptId: string | null,
) {
  let query = db
    .selectFrom('care_episode')
    .select(['id', 'started_on', 'ended_on'])
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', period.startedOn)]))
  if (period.endedOn !== null) query = query.where('started_on', '<', period.endedOn)
  if (exceptId !== null) query = query.where('id', '<>', exceptId)
  return query.orderBy('started_on').limit(1).executeTakeFirst()
}

/** Applies the change only if the row is still at the version the caller read; says whether it did. */
export async function updateCareEpisodeVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'care_episode'>) {
  return updateVersioned(db, 'care_episode', id, version, changes)
}
