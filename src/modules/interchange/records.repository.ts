import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'

// The SQL the record-by-record formats (NRM, police, PFIF) share: source keys and person records.

export async function findSourceRecord(db: Kysely<Database>, agencyId: string, format: string, recordType: string, sourceKey: string) {
  return db
    .selectFrom('interchange_source_record')
    .select(['record_id', 'person_id'])
    .where('agency_id', '=', agencyId)
    .where('format', '=', format)
    .where('record_type', '=', recordType)
    .where('source_key', '=', sourceKey)
    .executeTakeFirst()
}

export async function upsertSourceRecord(db: Kysely<Database>, row: NewRow<'interchange_source_record'>) {
  await db
    .insertInto('interchange_source_record')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['agency_id', 'format', 'record_type', 'source_key']).doUpdateSet({ record_id: row.record_id, person_id: row.person_id, import_run_id: row.import_run_id }),
    )
    .execute()
}

/** The agency's own person record with this identifier (the oldest, if it has made several). */
export async function findPersonByIdentifier(db: Kysely<Database>, agencyId: string, kind: string, value: string) {
  const row = await db
    .selectFrom('person_identifier as i')
    .innerJoin('person as p', 'p.id', 'i.person_id')
    .select('p.id')
    .where('i.kind', '=', kind)
    .where('i.value', '=', value)
    .where('p.owning_agency_id', '=', agencyId)
    .orderBy('p.created_at')
    .executeTakeFirst()
  return row?.id ?? null
}

export async function findPerson(db: Kysely<Database>, id: string) {
  return db.selectFrom('person').select(['id', 'owning_agency_id', 'sex', 'dob_earliest', 'dob_latest', 'dob_source', 'nationalities']).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertPerson(db: Kysely<Database>, row: NewRow<'person'>) {
  await db.insertInto('person').values(row).execute()
}

export async function updatePerson(db: Kysely<Database>, id: string, changes: RowUpdate<'person'>) {
  await db
    .updateTable('person')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function namesOf(db: Kysely<Database>, personId: string) {
  return db.selectFrom('person_name').select(['kind', 'text']).where('person_id', '=', personId).orderBy('position').execute()
}

/** Names get their phonetic key from the database's double metaphone, as the people module's do. */
export async function replaceNames(db: Kysely<Database>, personId: string, names: { id: string; kind: string; text: string; folded: string }[]) {
  await db.deleteFrom('person_name').where('person_id', '=', personId).execute()
  if (names.length === 0) return
  await db
    .insertInto('person_name')
    .values(names.map((name, position) => ({ id: name.id, person_id: personId, position, kind: name.kind, text: name.text, script: 'Latn', transliteration: null, folded: name.folded, phonetic: sql<string>`dmetaphone(${name.folded})` })))
    .execute()
}

/** Adds the identifiers the person does not have yet. */
export async function addIdentifiers(db: Kysely<Database>, personId: string, agencyId: string, identifiers: { id: string; kind: string; value: string }[]) {
  for (const identifier of identifiers) {
    const exists = await db.selectFrom('person_identifier').select('id').where('person_id', '=', personId).where('kind', '=', identifier.kind).where('value', '=', identifier.value).executeTakeFirst()
    if (!exists) await db.insertInto('person_identifier').values({ ...identifier, person_id: personId, issuing_agency_id: agencyId }).execute()
  }
}

export async function findAgenciesByCodes(db: Kysely<Database>, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom('agency').select(['id', 'code', 'kind', 'active']).where('code', 'in', [...codes]).execute()
}
