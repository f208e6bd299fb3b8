import { sql, type Kysely } from 'kysely'
import type { Database, NewRow } from '../../../db/database.ts'

/** The authority's own person records of the children in a return, by CHILD (the LA child identifier it issued). */
export async function findChildren(db: Kysely<Database>, agencyId: string, children: readonly string[]) {
  if (children.length === 0) return []
  const result = await sql<{
    child: string
    id: string
    sex: string
    dob_earliest: string | null
    dob_latest: string | null
    ethnicity: string | null
    unaccompanied: boolean
    upn: string | null
  }>`
    select distinct on (i.value) i.value as child, p.id, p.sex, p.dob_earliest, p.dob_latest, p.ethnicity, p.unaccompanied,
      (select min(u.value) from person_identifier u where u.person_id = p.id and u.kind = 'upn') as upn
    from person_identifier i
    join person p on p.id = i.person_id and p.owning_agency_id = ${agencyId}
    where i.kind = 'la_child_id' and i.issuing_agency_id = ${agencyId} and i.value = any(${children}::text[])
    order by i.value, p.created_at, p.id`.execute(db)
  return result.rows
}

/** Row locks on the people an import will change: the care and episodes services check their rules under them. */
export async function lockPeople(db: Kysely<Database>, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return
  await sql`select id from person where id = any(${personIds}::uuid[]) order by id for update`.execute(db)
}

export async function findCareEpisodes(db: Kysely<Database>, agencyId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('care_episode')
    .selectAll()
    .where('responsible_agency_id', '=', agencyId)
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .orderBy('person_id')
    .orderBy('started_on')
    .orderBy('id')
    .execute()
}

/** The authority's own missing and away episodes of these children. */
export async function findMissingEpisodes(db: Kysely<Database>, agencyId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('missing_episode')
    .select(['id', 'person_id', 'la_category', 'started_at', 'ended_at', 'continues_episode_id'])
    .where('owning_agency_id', '=', agencyId)
    .where('recorded_by', '=', 'local_authority')
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .orderBy('person_id')
    .orderBy('started_at')
    .orderBy('id')
    .execute()
}

/** What an earlier import of the same year made, by CHILD. */
export async function findReturnChildren(db: Kysely<Database>, agencyId: string, year: number, children: readonly string[]) {
  if (children.length === 0) return []
  return db
    .selectFrom('ssda903_return_child')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('collection_year', '=', year)
    .where(sql<boolean>`child = any(${children}::text[])`)
    .execute()
}

/** Missing episodes something else in Lantern hangs off (interviews, police actions, a linked police record). */
export async function findMissingEpisodesInUse(db: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const result = await sql<{ id: string }>`
    select e.id from missing_episode e where e.id = any(${ids}::uuid[]) and (
      exists (select 1 from return_home_interview r where r.episode_id = e.id)
      or exists (select 1 from prevention_interview p where p.episode_id = e.id)
      or exists (select 1 from risk_assessment a where a.episode_id = e.id)
      or exists (select 1 from episode_action a where a.episode_id = e.id)
      or exists (select 1 from sighting s where s.episode_id = e.id)
      or exists (select 1 from missing_episode o where o.linked_episode_id = e.id and not (o.id = any(${ids}::uuid[])))
      or e.linked_episode_id is not null)`.execute(db)
  return new Set(result.rows.map((row) => row.id))
}

/** Continuation links pointing at episodes about to go: cleared, so the delete does not break them. */
export async function clearContinuations(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await sql`update missing_episode set continues_episode_id = null where continues_episode_id = any(${ids}::uuid[])`.execute(db)
}

export async function deleteUpns(db: Kysely<Database>, agencyId: string, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return
  await sql`delete from person_identifier where kind = 'upn' and issuing_agency_id = ${agencyId} and person_id = any(${personIds}::uuid[])`.execute(db)
}

/** The planner's row estimate of each table (0 for a table never analysed). */
export async function estimatedRows(db: Kysely<Database>, tables: readonly string[]): Promise<Map<string, number>> {
  const result = await sql<{ relname: string; rows: number }>`
    select relname, greatest(reltuples, 0)::float8 as rows from pg_class
    where relname = any(${tables}::text[]) and relkind = 'r' and relnamespace = 'public'::regnamespace`.execute(db)
  return new Map(result.rows.map((row) => [row.relname, Number(row.rows)]))
}

const ANALYSABLE = new Set(['person', 'person_identifier', 'care_episode', 'missing_episode', 'ssda903_return_child'])

export async function analyseTables(db: Kysely<Database>, tables: readonly string[]): Promise<void> {
  const names = tables.filter((table) => ANALYSABLE.has(table))
  if (names.length === 0) return
  await sql`analyze ${sql.raw(names.join(', '))}`.execute(db)
}

/** Records what this year's return made for each child imported, replacing an earlier import's row. */
export async function upsertReturnChildren(
  db: Kysely<Database>,
  rows: readonly {
    agency_id: string
    collection_year: number
    child: string
    person_id: string
    care_episode_ids: string[]
    missing_episode_ids: string[]
    mother: string | null
    mother_child_dob: string | null
    uasc_ceased_on: string | null
    import_run_id: string
  }[],
): Promise<void> {
  const chunk = 5_000
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk)
    const literal = (ids: string[]) => `{${ids.join(',')}}`
    await sql`
      insert into ssda903_return_child (agency_id, collection_year, child, person_id, care_episode_ids, missing_episode_ids, mother, mother_child_dob, uasc_ceased_on, import_run_id)
      select u.agency_id, u.collection_year, u.child, u.person_id, u.care_episode_ids::uuid[], u.missing_episode_ids::uuid[], u.mother, u.mother_child_dob, u.uasc_ceased_on, u.import_run_id
      from unnest(
        ${part.map((row) => row.agency_id)}::uuid[], ${part.map((row) => row.collection_year)}::integer[], ${part.map((row) => row.child)}::text[],
        ${part.map((row) => row.person_id)}::uuid[], ${part.map((row) => literal(row.care_episode_ids))}::text[], ${part.map((row) => literal(row.missing_episode_ids))}::text[],
        ${part.map((row) => row.mother)}::text[], ${part.map((row) => row.mother_child_dob)}::date[], ${part.map((row) => row.uasc_ceased_on)}::date[],
        ${part.map((row) => row.import_run_id)}::uuid[])
        as u(agency_id, collection_year, child, person_id, care_episode_ids, missing_episode_ids, mother, mother_child_dob, uasc_ceased_on, import_run_id)
      on conflict (agency_id, collection_year, child) do update set
        person_id = excluded.person_id, care_episode_ids = excluded.care_episode_ids, missing_episode_ids = excluded.missing_episode_ids,
        mother = excluded.mother, mother_child_dob = excluded.mother_child_dob, uasc_ceased_on = excluded.uasc_ceased_on,
        import_run_id = excluded.import_run_id`.execute(db)
  }
}

// ------------------------------------------------------------------ export

/** The authority's looked-after children in a collection year: its person records with a CHILD, in care or missing in the year. */
export async function findReturnPeople(db: Kysely<Database>, agencyId: string, window: { start: string; end: string; startInstant: Date; endInstant: Date }) {
  const result = await sql<{
    id: string
    child: string
    sex: string
    dob_earliest: string | null
    ethnicity: string | null
    restricted_location: boolean
    upn: string | null
  }>`
    select distinct on (i.value) p.id, i.value as child, p.sex, p.dob_earliest, p.ethnicity, p.restricted_location,
      (select min(u.value) from person_identifier u where u.person_id = p.id and u.kind = 'upn') as upn
    from person p
    join person_identifier i on i.person_id = p.id and i.kind = 'la_child_id' and i.issuing_agency_id = ${agencyId}
    where p.owning_agency_id = ${agencyId}
      and (exists (select 1 from care_episode c where c.person_id = p.id and c.responsible_agency_id = ${agencyId}
                   and c.started_on <= ${window.end} and (c.ended_on is null or c.ended_on >= ${window.start}))
        or exists (select 1 from missing_episode m where m.person_id = p.id and m.owning_agency_id = ${agencyId} and m.recorded_by = 'local_authority'
                   and m.started_at < ${window.endInstant} and (m.ended_at is null or m.ended_at >= ${window.startInstant})))
    order by i.value, p.created_at, p.id`.execute(db)
  return result.rows
}

export async function findReturnCareEpisodes(db: Kysely<Database>, agencyId: string, personIds: readonly string[], window: { start: string; end: string }) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('care_episode')
    .selectAll()
    .where('responsible_agency_id', '=', agencyId)
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .where('started_on', '<=', window.end)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>=', window.start)]))
    .orderBy('started_on')
    .orderBy('id')
    .execute()
}

export async function findReturnMissingEpisodes(db: Kysely<Database>, agencyId: string, personIds: readonly string[], window: { startInstant: Date; endInstant: Date }) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('missing_episode')
    .select(['id', 'person_id', 'la_category', 'started_at', 'ended_at'])
    .where('owning_agency_id', '=', agencyId)
    .where('recorded_by', '=', 'local_authority')
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .where('started_at', '<', window.endInstant)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', window.startInstant)]))
    .orderBy('started_at')
    .orderBy('id')
    .execute()
}

export async function insertDisclosure(db: Kysely<Database>, row: NewRow<'disclosure'>): Promise<void> {
  await db.insertInto('disclosure').values(row).execute()
}
