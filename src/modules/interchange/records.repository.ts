import { sql, type Kysely } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import { CHUNK, unnestRows, type Cell } from './bulk.ts'

// The SQL the record formats (NRM, police, PFIF) share: agencies by code, and source keys and person records,
// read and written for a whole file at a time.

export async function findAgenciesByCodes(db: Kysely<Database>, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom('agency').select(['id', 'code', 'kind', 'active']).where('code', 'in', [...codes]).execute()
}

/** Source records of these keys, by key. */
export async function findSourceRecords(db: Kysely<Database>, agencyId: string, format: string, recordType: string, sourceKeys: readonly string[]) {
  if (sourceKeys.length === 0) return new Map<string, { record_id: string; person_id: string }>()
  const rows = await db
    .selectFrom('interchange_source_record')
    .select(['source_key', 'record_id', 'person_id'])
    .where('agency_id', '=', agencyId)
    .where('format', '=', format)
    .where('record_type', '=', recordType)
    .where(sql<boolean>`source_key = any(${[...new Set(sourceKeys)]}::text[])`)
    .execute()
  return new Map(rows.map((row) => [row.source_key, { record_id: row.record_id, person_id: row.person_id }]))
}

export async function upsertSourceRecords(db: Kysely<Database>, rows: readonly NewRow<'interchange_source_record'>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK) as unknown as Record<string, Cell>[]
    await sql`
      insert into interchange_source_record (agency_id, format, record_type, source_key, record_id, person_id, import_run_id)
      select * from ${unnestRows(chunk, { agency_id: 'uuid', format: 'text', record_type: 'text', source_key: 'text', record_id: 'uuid', person_id: 'uuid', import_run_id: 'uuid' }, 'u')}
      on conflict (agency_id, format, record_type, source_key) do update set record_id = excluded.record_id, person_id = excluded.person_id, import_run_id = excluded.import_run_id`.execute(db)
  }
}

/** The agency's own person record with each identifier (the oldest, if it has made several), by `kind|value`. */
export async function findPeopleByIdentifiers(db: Kysely<Database>, agencyId: string, identifiers: readonly { kind: string; value: string }[]): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map()
  const result = await sql<{ kind: string; value: string; id: string }>`
    select distinct on (i.kind, i.value) i.kind, i.value, p.id
    from unnest(${identifiers.map((item) => item.kind)}::text[], ${identifiers.map((item) => item.value)}::text[]) as u(kind, value)
    join person_identifier i on i.kind = u.kind and i.value = u.value
    join person p on p.id = i.person_id and p.owning_agency_id = ${agencyId}
    order by i.kind, i.value, p.created_at, p.id`.execute(db)
  return new Map(result.rows.map((row) => [`${row.kind}|${row.value}`, row.id]))
}

/** Person records (locked for the import's writes), with their names and identifiers. */
export async function findPeople(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return []
  const people = await db
    .selectFrom('person')
    .select(['id', 'owning_agency_id', 'sex', 'dob_earliest', 'dob_latest', 'dob_source', 'nationalities'])
    .where(sql<boolean>`id = any(${[...new Set(ids)]}::uuid[])`)
    .orderBy('id')
    .forUpdate()
    .execute()
  const found = people.map((person) => person.id)
  const [names, identifiers] = found.length === 0 ? [[], []] : await Promise.all([
    db.selectFrom('person_name').select(['person_id', 'kind', 'text']).where(sql<boolean>`person_id = any(${found}::uuid[])`).orderBy('person_id').orderBy('position').execute(),
    db.selectFrom('person_identifier').select(['person_id', 'kind', 'value']).where(sql<boolean>`person_id = any(${found}::uuid[])`).execute(),
  ])
  const namesOf = new Map<string, { kind: string; text: string }[]>()
  for (const name of names) namesOf.set(name.person_id, [...(namesOf.get(name.person_id) ?? []), { kind: name.kind, text: name.text }])
  const identifiersOf = new Map<string, { kind: string; value: string }[]>()
  for (const identifier of identifiers) identifiersOf.set(identifier.person_id, [...(identifiersOf.get(identifier.person_id) ?? []), { kind: identifier.kind, value: identifier.value }])
  return people.map((person) => ({ ...person, names: namesOf.get(person.id) ?? [], identifiers: identifiersOf.get(person.id) ?? [] }))
}

/** Replaces the names of these people; each name gets its phonetic key from the database's double metaphone. */
export async function replaceNamesOf(db: Kysely<Database>, personIds: readonly string[], names: readonly { id: string; person_id: string; position: number; kind: string; text: string; folded: string }[]): Promise<void> {
  for (let start = 0; start < personIds.length; start += CHUNK) {
    await sql`delete from person_name where person_id = any(${personIds.slice(start, start + CHUNK)}::uuid[])`.execute(db)
  }
  for (let start = 0; start < names.length; start += CHUNK) {
    const chunk = names.slice(start, start + CHUNK) as unknown as Record<string, Cell>[]
    await sql`
      insert into person_name (id, person_id, position, kind, text, script, transliteration, folded, phonetic)
      select u.id, u.person_id, u.position, u.kind, u.text, 'Latn', null, u.folded, dmetaphone(u.folded)
      from ${unnestRows(chunk, { id: 'uuid', person_id: 'uuid', position: 'integer', kind: 'text', text: 'text', folded: 'text' }, 'u')}`.execute(db)
  }
}
