import { sql, type Expression, type Kysely, type QueryCreator } from 'kysely'
import type { Database } from '../../db/database.ts'

/**
 * Every fact the access rules need about one person and one actor, as a query: run alone, or read inside a larger
 * statement (a read that checks access and writes its audit row in one round trip, src/modules/episodes).
 * `personId` is an id, or an expression giving one (the person of an episode).
 */
export function personAccessFactsQuery(
  db: QueryCreator<Database>,
  personId: string | Expression<string>,
  actor: { agencyId: string; userId: string | null },
) {
  return db
    .selectFrom('person as p')
    .select([
      'p.id',
      'p.owning_agency_id',
      'p.restricted_location',
      sql<boolean>`p.owning_agency_id = ${actor.agencyId}`.as('owned_here'),
      sql<boolean>`exists (
        select 1 from care_episode c
        where c.person_id = p.id and c.host_agency_id = ${actor.agencyId} and c.ended_on is null)`.as('hosted_here'),
      sql<boolean>`exists (
        select 1 from missing_episode mine
        join missing_episode theirs on theirs.id = mine.linked_episode_id
        where theirs.person_id = p.id and mine.owning_agency_id = ${actor.agencyId})`.as('linked_episode_here'),
      sql<boolean>`exists (
        select 1 from nrm_referral r
        where r.person_id = p.id and r.competent_authority_id = ${actor.agencyId})`.as('referred_here'),
      sql<boolean>`exists (
        select 1 from ictg_assignment g
        where g.person_id = p.id and g.ended_on is null
          and g.guardian_user_id = ${actor.userId ?? '00000000-0000-0000-0000-000000000000'})`.as('guarded_by_me'),
    ])
    .where('p.id', '=', personId)
}

/** Every fact the access rules need about one person and one actor, in one round trip. */
export async function findPersonAccessFacts(
  db: Kysely<Database>,
  personId: string,
  actor: { agencyId: string; userId: string | null },
) {
  return personAccessFactsQuery(db, personId, actor).executeTakeFirst()
}

export type PersonAccessFacts = NonNullable<Awaited<ReturnType<typeof findPersonAccessFacts>>>

/** The agencies (and guardians) that reach one person under each access level, in one round trip. */
export async function findPersonReaders(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('person as p')
    .select([
      'p.owning_agency_id',
      sql<string[]>`array(
        select distinct c.host_agency_id::text from care_episode c
        where c.person_id = p.id and c.ended_on is null and c.host_agency_id is not null)`.as('host_agency_ids'),
      sql<string[]>`array(
        select distinct mine.owning_agency_id::text from missing_episode mine
        join missing_episode theirs on theirs.id = mine.linked_episode_id
        where theirs.person_id = p.id)`.as('linked_agency_ids'),
      sql<string[]>`array(select distinct r.competent_authority_id::text from nrm_referral r where r.person_id = p.id)`.as('competent_authority_ids'),
      sql<{ agency_id: string; user_id: string }[]>`coalesce((
        select json_agg(json_build_object('agency_id', g.guardian_agency_id, 'user_id', g.guardian_user_id))
        from ictg_assignment g
        where g.person_id = p.id and g.ended_on is null and g.guardian_user_id is not null), '[]'::json)`.as('guardians'),
    ])
    .where('p.id', '=', personId)
    .executeTakeFirst()
}

export async function findEpisodePersonId(db: Kysely<Database>, episodeId: string) {
  const row = await db.selectFrom('missing_episode').select('person_id').where('id', '=', episodeId).executeTakeFirst()
  return row?.person_id ?? null
}
