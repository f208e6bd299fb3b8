import { sql, type Kysely } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import { personNamesJson, type NameJson } from '../../db/fragments.ts'
import { uuidv7 } from '../../lib/ids.ts'

/** What the linkage engine and the search index need of one person record, and what a match shows. */
export interface PersonLinkageRow {
  id: string
  owning_agency_id: string
  sex: string
  dob_earliest: string | null
  dob_latest: string | null
  nationalities: string[]
  names: NameJson[]
  identifiers: { kind: string; value: string }[]
  height_cm: number | null
  build: string | null
  hair: string | null
  eyes: string | null
  distinguishing_marks: string | null
  /** The open episode on the national register (police, or a local authority's M), if any. */
  open_episode_id: string | null
  open_episode_agency_id: string | null
}

function personLinkageQuery(db: Kysely<Database>) {
  return db.selectFrom('person as p').select([
    'p.id',
    'p.owning_agency_id',
    'p.sex',
    'p.dob_earliest',
    'p.dob_latest',
    'p.nationalities',
    'p.height_cm',
    'p.build',
    'p.hair',
    'p.eyes',
    'p.distinguishing_marks',
    personNamesJson('p.id').as('names'),
    sql<{ kind: string; value: string }[]>`coalesce((
      select json_agg(json_build_object('kind', i.kind, 'value', i.value) order by i.kind, i.value)
      from person_identifier i where i.person_id = p.id), '[]'::json)`.as('identifiers'),
    sql<string | null>`(select e.id from missing_episode e
      where e.person_id = p.id and e.ended_at is null and (e.recorded_by = 'police' or e.la_category = 'M')
      order by e.started_at desc limit 1)`.as('open_episode_id'),
    sql<string | null>`(select e.owning_agency_id from missing_episode e
      where e.person_id = p.id and e.ended_at is null and (e.recorded_by = 'police' or e.la_category = 'M')
      order by e.started_at desc limit 1)`.as('open_episode_agency_id'),
  ])
}

/** Every person record, in pages (the index and the linkage run read the whole register). */
export async function listPeopleForLinkage(db: Kysely<Database>, afterId: string | null, limit: number): Promise<PersonLinkageRow[]> {
  let query = personLinkageQuery(db).orderBy('p.id').limit(limit)
  if (afterId) query = query.where('p.id', '>', afterId)
  return (await query.execute()) as PersonLinkageRow[]
}

export async function findPeopleForLinkage(db: Kysely<Database>, ids: string[]): Promise<PersonLinkageRow[]> {
  if (ids.length === 0) return []
  return (await personLinkageQuery(db).where('p.id', 'in', ids).execute()) as PersonLinkageRow[]
}

/** Persons changed since a time (the index reads these, with a margin for transactions still open then). */
export async function listChangesSince(db: Kysely<Database>, since: Date) {
  return db.selectFrom('identity_change').select(['person_id', 'seq', 'changed_at']).where('changed_at', '>=', since).orderBy('seq').execute()
}

export async function databaseNow(db: Kysely<Database>): Promise<Date> {
  const row = await db.selectNoFrom(sql<Date>`clock_timestamp()`.as('now')).executeTakeFirstOrThrow()
  return new Date(row.now)
}

/** What an encounter match shows: enough to recognise the person, and who to contact. */
export async function findMatchDisplays(db: Kysely<Database>, personIds: string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('person as p')
    .innerJoin('agency as owner', 'owner.id', 'p.owning_agency_id')
    .leftJoin('missing_episode as e', (join) =>
      join
        .onRef('e.person_id', '=', 'p.id')
        .on('e.ended_at', 'is', null)
        .on((eb) => eb.or([eb('e.recorded_by', '=', 'police'), eb('e.la_category', '=', 'M')])),
    )
    .leftJoin('agency as episode_agency', 'episode_agency.id', 'e.owning_agency_id')
    .select([
      'p.id as person_id',
      'p.sex',
      'p.dob_earliest',
      'p.dob_latest',
      'p.dob_source',
      'p.nationalities',
      'p.height_cm',
      'p.build',
      'p.hair',
      'p.eyes',
      'p.distinguishing_marks',
      'p.unaccompanied',
      'p.suspected_trafficking',
      'owner.id as owner_id',
      'owner.name as owner_name',
      'owner.code as owner_code',
      'e.id as episode_id',
      'e.started_at',
      'e.current_risk_grade',
      'e.incident_reference',
      'episode_agency.id as episode_agency_id',
      'episode_agency.name as episode_agency_name',
      'episode_agency.code as episode_agency_code',
      'episode_agency.contact_phone as episode_agency_phone',
      'episode_agency.contact_email as episode_agency_email',
      personNamesJson('p.id').as('names'),
    ])
    .where('p.id', 'in', personIds)
    .orderBy('e.started_at', 'desc')
    .execute()
}

export type MatchDisplayRow = Awaited<ReturnType<typeof findMatchDisplays>>[number]

/** The local authority responsible for a child now (an open care episode), if any. */
export async function findResponsibleAuthority(db: Kysely<Database>, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('care_episode')
    .select('responsible_agency_id')
    .where('person_id', '=', personId)
    .where('ended_on', 'is', null)
    .orderBy('started_on', 'desc')
    .executeTakeFirst()
  return row?.responsible_agency_id ?? null
}

// ------------------------------------------------------------------------------------------- links and decisions

export async function latestDecisions(db: Kysely<Database>) {
  return db
    .selectFrom('identity_link_decision')
    .distinctOn(['person_a_id', 'person_b_id'])
    .select(['person_a_id', 'person_b_id', 'decision', 'decided_at'])
    .orderBy('person_a_id')
    .orderBy('person_b_id')
    .orderBy('decided_at', 'desc')
    .execute()
}

export async function insertDecision(db: Kysely<Database>, row: NewRow<'identity_link_decision'>) {
  await db.insertInto('identity_link_decision').values(row).execute()
}

export async function replaceLinks(db: Kysely<Database>, rows: NewRow<'identity_link'>[]) {
  await db.deleteFrom('identity_link').execute()
  for (let start = 0; start < rows.length; start += 500) await db.insertInto('identity_link').values(rows.slice(start, start + 500)).execute()
}

export async function replaceIdentities(db: Kysely<Database>, runId: string, clusters: string[][]) {
  await db.deleteFrom('identity').execute()
  const identities = clusters.map((members) => ({ id: uuidv7(), members }))
  for (let start = 0; start < identities.length; start += 500) {
    const chunk = identities.slice(start, start + 500)
    await db.insertInto('identity').values(chunk.map((identity) => ({ id: identity.id, run_id: runId }))).execute()
    await db
      .insertInto('identity_member')
      .values(chunk.flatMap((identity) => identity.members.map((personId) => ({ person_id: personId, identity_id: identity.id }))))
      .execute()
  }
}

export async function findLink(db: Kysely<Database>, id: string) {
  return db.selectFrom('identity_link').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockLink(db: Kysely<Database>, id: string) {
  return db.selectFrom('identity_link').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function setLinkStatus(db: Kysely<Database>, id: string, status: 'confirmed' | 'rejected') {
  await db
    .updateTable('identity_link')
    .set((eb) => ({ status, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

/** Links waiting for a person's decision that involve a record of this agency, most likely first. */
export async function listReviews(db: Kysely<Database>, agencyId: string, page: { limit: number; offset: number }) {
  const base = db
    .selectFrom('identity_link as l')
    .innerJoin('person as a', 'a.id', 'l.person_a_id')
    .innerJoin('person as b', 'b.id', 'l.person_b_id')
    .where('l.status', '=', 'review')
    .where((eb) => eb.or([eb('a.owning_agency_id', '=', agencyId), eb('b.owning_agency_id', '=', agencyId)]))
  const [rows, count] = await Promise.all([
    base
      .select(['l.id', 'l.person_a_id', 'l.person_b_id', 'l.match_weight', 'l.match_probability', 'l.explanation', 'l.version', 'a.owning_agency_id as agency_a_id', 'b.owning_agency_id as agency_b_id'])
      .orderBy('l.match_probability', 'desc')
      .orderBy('l.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.count) }
}

export async function identityOf(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('identity_member as me')
    .innerJoin('identity_member as other', 'other.identity_id', 'me.identity_id')
    .innerJoin('person as p', 'p.id', 'other.person_id')
    .innerJoin('agency as a', 'a.id', 'p.owning_agency_id')
    .select(['me.identity_id', 'other.person_id', 'a.id as agency_id', 'a.name as agency_name', 'a.code as agency_code'])
    .where('me.person_id', '=', personId)
    .orderBy('other.person_id')
    .execute()
}

/** Claims the alert for a pair; false when another instance (or an earlier search) already raised it. */
export async function claimAlert(db: Kysely<Database>, row: NewRow<'identity_alert'>): Promise<boolean> {
  const inserted = await db.insertInto('identity_alert').values(row).onConflict((oc) => oc.doNothing()).returning('person_id').executeTakeFirst()
  return inserted !== undefined
}
