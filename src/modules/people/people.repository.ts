import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'
import { updateVersioned } from '../../db/versioned.ts'
import { personNamesJson } from '../../db/fragments.ts'

export interface NameRow {
  id: string
  person_id: string
  position: number
  kind: string
  text: string
  script: string
  transliteration: string | null
  folded: string
}

export async function insertPerson(db: Kysely<Database>, row: NewRow<'person'>) {
  await db.insertInto('person').values(row).execute()
}

/** Names get their phonetic key from the database's double metaphone (fuzzystrmatch), on both engines. */
export async function replaceNames(db: Kysely<Database>, personId: string, names: NameRow[]) {
  await db.deleteFrom('person_name').where('person_id', '=', personId).execute()
  if (names.length === 0) return
  await db
    .insertInto('person_name')
    .values(names.map((name) => ({ ...name, phonetic: sql<string>`dmetaphone(${name.folded})` })))
    .execute()
}

export async function replaceIdentifiers(db: Kysely<Database>, personId: string, rows: NewRow<'person_identifier'>[]) {
  await db.deleteFrom('person_identifier').where('person_id', '=', personId).execute()
  if (rows.length === 0) return
  await db.insertInto('person_identifier').values(rows).execute()
}

/** One person with names, identifiers and photo metadata, in one query. */
export async function findPersonDetail(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('person as p')
    .selectAll('p')
    .select([
      personNamesJson('p.id').as('names'),
      sql<{ kind: string; value: string }[]>`coalesce((
        select json_agg(json_build_object('kind', i.kind, 'value', i.value) order by i.kind, i.value)
        from person_identifier i where i.person_id = p.id), '[]'::json)`.as('identifiers'),
      sql<{ id: string; content_type: string; taken_on: string | null; caption: string | null }[]>`coalesce((
        select json_agg(json_build_object('id', f.id, 'content_type', f.content_type, 'taken_on', f.taken_on, 'caption', f.caption) order by f.created_at)
        from person_photo f where f.person_id = p.id), '[]'::json)`.as('photos'),
    ])
    .where('p.id', '=', id)
    .executeTakeFirst()
}

export type PersonDetailRow = NonNullable<Awaited<ReturnType<typeof findPersonDetail>>>

/** Takes the person's row lock: rules that span a person's records (overlapping episodes) check under it. */
export async function lockPerson(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('person')
    .select(['id', 'version', 'dob_earliest', 'dob_latest', 'owning_agency_id', 'suspected_trafficking', 'suspected_trafficking_since'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function updatePersonVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'person'>) {
  return updateVersioned(db, 'person', id, version, changes)
}

export async function bumpPersonVersion(db: Kysely<Database>, id: string) {
  await db
    .updateTable('person')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function deletePerson(db: Kysely<Database>, id: string) {
  await db.deleteFrom('person').where('id', '=', id).execute()
}

function agencyPeople(db: Kysely<Database>, agencyId: string, name: string | null) {
  let query = db.selectFrom('person as p').where('p.owning_agency_id', '=', agencyId)
  if (name) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_name as n')
          .select('n.id')
          .whereRef('n.person_id', '=', 'p.id')
          .where((inner) =>
            inner.or([inner('n.folded', 'like', `%${name.replace(/[%_\\]/g, '')}%`), inner('n.phonetic', '=', sql<string>`dmetaphone(${name})`)]),
          ),
      ),
    )
  }
  return query
}

export async function listPeopleOfAgency(
  db: Kysely<Database>,
  agencyId: string,
  name: string | null,
  page: { limit: number; offset: number },
) {
  return agencyPeople(db, agencyId, name)
    .select([
      'p.id',
      'p.sex',
      'p.dob_earliest',
      'p.dob_latest',
      'p.dob_source',
      'p.unaccompanied',
      'p.suspected_trafficking',
      'p.suspected_trafficking_since',
      'p.restricted_location',
      'p.version',
      'p.updated_at',
      personNamesJson('p.id').as('names'),
    ])
    .orderBy('p.updated_at', 'desc')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countPeopleOfAgency(db: Kysely<Database>, agencyId: string, name: string | null) {
  const row = await agencyPeople(db, agencyId, name)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

export async function insertPhoto(db: Kysely<Database>, row: NewRow<'person_photo'>) {
  await db.insertInto('person_photo').values(row).execute()
}

export async function findPhoto(db: Kysely<Database>, personId: string, photoId: string) {
  return db
    .selectFrom('person_photo')
    .select(['id', 'content_type', 'bytes'])
    .where('id', '=', photoId)
    .where('person_id', '=', personId)
    .executeTakeFirst()
}

/** The London date of the person's earliest missing or care episode, if any (SSDA903 rule 586). */
export async function earliestEventDate(db: Kysely<Database>, personId: string): Promise<string | null> {
  const row = await db
    .selectNoFrom([
      sql<string | null>`least(
        (select min((started_at at time zone 'Europe/London')::date) from missing_episode where person_id = ${personId}),
        (select min(started_on) from care_episode where person_id = ${personId}))::text`.as('earliest'),
    ])
    .executeTakeFirstOrThrow()
  return row.earliest
}
