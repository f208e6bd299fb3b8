import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../../db/database.ts'
import { personNamesJson } from '../../../db/fragments.ts'

/** The agency's people with an open missing episode of its own: who a tracing system is asked to look for. */
export async function findOpenPeople(db: Kysely<Database>, agencyId: string) {
  const rows = await db
    .selectFrom('missing_episode')
    .select('person_id')
    .distinct()
    .where('owning_agency_id', '=', agencyId)
    .where('ended_at', 'is', null)
    .execute()
  return rows.map((row) => row.person_id)
}

export async function findPeople(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('person as p')
    .selectAll('p')
    .select(personNamesJson('p.id').as('names'))
    .where(sql<boolean>`p.id = any(${ids}::uuid[])`)
    .orderBy('p.id')
    .execute()
}

export async function findEpisodes(db: Kysely<Database>, agencyId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('missing_episode')
    .select(['id', 'person_id', 'started_at', 'ended_at', 'last_seen_place', 'harm_outcome', 'updated_at', 'created_at'])
    .where('owning_agency_id', '=', agencyId)
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .orderBy('started_at')
    .execute()
}

export async function findAgency(db: Kysely<Database>, id: string) {
  return db.selectFrom('agency').select(['name', 'contact_email', 'contact_phone', 'code']).where('id', '=', id).executeTakeFirstOrThrow()
}

export async function insertDisclosure(db: Kysely<Database>, row: NewRow<'disclosure'>) {
  await db.insertInto('disclosure').values(row).execute()
}

export async function findNote(db: Kysely<Database>, personId: string, noteRecordId: string) {
  return db.selectFrom('pfif_note').selectAll().where('person_id', '=', personId).where('note_record_id', '=', noteRecordId).executeTakeFirst()
}

export async function insertNote(db: Kysely<Database>, row: NewRow<'pfif_note'>) {
  await db.insertInto('pfif_note').values(row).execute()
}

export async function updateNote(db: Kysely<Database>, id: string, row: RowUpdate<'pfif_note'>) {
  await db.updateTable('pfif_note').set(row).where('id', '=', id).execute()
}
