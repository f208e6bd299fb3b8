import type { Kysely } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'
import { updateVersioned } from '../../db/versioned.ts'

export type ProfileRow = Row<'protocol_profile'>

export async function insertProfile(db: Kysely<Database>, row: NewRow<'protocol_profile'>) {
  await db.insertInto('protocol_profile').values(row).execute()
}

export async function findProfile(db: Kysely<Database>, id: string) {
  return db.selectFrom('protocol_profile').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockProfile(db: Kysely<Database>, id: string) {
  return db.selectFrom('protocol_profile').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listProfilesOfPerson(db: Kysely<Database>, personId: string) {
  return db.selectFrom('protocol_profile').selectAll().where('person_id', '=', personId).orderBy('created_at').orderBy('id').execute()
}

export async function updateProfileVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'protocol_profile'>) {
  return updateVersioned(db, 'protocol_profile', id, version, changes)
}
