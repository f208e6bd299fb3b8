import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { personNamesJson } from '../../db/fragments.ts'

export interface RegisterFilter {
  folded: string | null
  sex: string | null
  ageFrom: number | null
  ageTo: number | null
  description: string | null
}

// The national register is every open episode a force would act on: police incidents, and a local
// authority's "missing" (M) episodes; "away without authorisation" (A) children's whereabouts are known.
function openEpisodes(db: Kysely<Database>) {
  return db
    .selectFrom('missing_episode as e')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .innerJoin('agency as a', 'a.id', 'e.owning_agency_id')
    .where('e.ended_at', 'is', null)
    .where((eb) => eb.or([eb('e.recorded_by', '=', 'police'), eb('e.la_category', '=', 'M')]))
}

type OpenEpisodes = ReturnType<typeof openEpisodes>

function filtered(query: OpenEpisodes, filter: RegisterFilter): OpenEpisodes {
  let result = query
  if (filter.folded) {
    const folded = filter.folded
    result = result.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_name as n')
          .select('n.id')
          .whereRef('n.person_id', '=', 'p.id')
          .where((inner) => inner.or([inner('n.folded', 'like', `%${folded.replace(/[%_\\]/g, '')}%`), inner('n.phonetic', '=', sql<string>`dmetaphone(${folded})`)])),
      ),
    )
  }
  if (filter.sex) result = result.where('p.sex', '=', filter.sex)
  // An age range overlaps the range the date of birth allows: youngest from the latest date, oldest from the earliest.
  if (filter.ageFrom !== null) result = result.where(sql<boolean>`p.dob_earliest is null or date_part('year', age(current_date, p.dob_earliest)) >= ${filter.ageFrom}`)
  if (filter.ageTo !== null) result = result.where(sql<boolean>`p.dob_latest is null or date_part('year', age(current_date, p.dob_latest)) <= ${filter.ageTo}`)
  if (filter.description) {
    const pattern = `%${filter.description.replace(/[%_\\]/g, '')}%`
    result = result.where(sql<boolean>`concat_ws(' ', p.build, p.hair, p.eyes, p.distinguishing_marks, p.description_notes, e.clothing) ilike ${pattern}`)
  }
  return result
}

function entryColumns(query: OpenEpisodes) {
  return query.select([
    'e.id as episode_id',
    'e.person_id',
    'e.started_at',
    'e.current_risk_grade',
    'e.last_seen_place',
    'e.clothing',
    'e.incident_reference',
    'e.recorded_by',
    'p.sex',
    'p.dob_earliest',
    'p.dob_latest',
    'p.dob_source',
    'p.height_cm',
    'p.build',
    'p.hair',
    'p.eyes',
    'p.distinguishing_marks',
    'p.unaccompanied',
    'p.suspected_trafficking',
    'a.id as agency_id',
    'a.name as agency_name',
    'a.code as agency_code',
    'a.contact_phone',
    'a.contact_email',
    personNamesJson('p.id').as('names'),
    sql<string[]>`coalesce((select json_agg(f.id order by f.created_at) from person_photo f where f.person_id = p.id), '[]'::json)`.as('photo_ids'),
  ])
}

export async function listRegister(db: Kysely<Database>, filter: RegisterFilter, page: { limit: number; offset: number }) {
  const base = filtered(openEpisodes(db), filter)
  const counted = await base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await entryColumns(base)
    .orderBy(sql`case e.current_risk_grade when 'high' then 0 when 'medium' then 1 else 2 end`)
    .orderBy('e.started_at', 'desc')
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { rows, total: Number(counted.count) }
}

export async function findRegisterEntry(db: Kysely<Database>, episodeId: string) {
  return entryColumns(openEpisodes(db).where('e.id', '=', episodeId)).executeTakeFirst()
}

export type RegisterRow = NonNullable<Awaited<ReturnType<typeof findRegisterEntry>>>

export async function findRegisterPhoto(db: Kysely<Database>, episodeId: string, photoId: string) {
  return openEpisodes(db)
    .innerJoin('person_photo as f', 'f.person_id', 'p.id')
    .select(['f.content_type', 'f.bytes', 'p.id as person_id'])
    .where('e.id', '=', episodeId)
    .where('f.id', '=', photoId)
    .executeTakeFirst()
}
