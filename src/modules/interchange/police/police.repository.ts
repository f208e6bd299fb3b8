import { sql, type Kysely } from 'kysely'
import type { Database, Row } from '../../../db/database.ts'

/** Every missing episode of these people (any agency's: one person's episodes may not overlap), by person. */
export async function episodesOfPeople(db: Kysely<Database>, personIds: readonly string[]) {
  const groups = new Map<string, { id: string; started_at: Date; ended_at: Date | null; incident_reference: string | null }[]>()
  if (personIds.length === 0) return groups
  const rows = await db
    .selectFrom('missing_episode')
    .select(['id', 'person_id', 'started_at', 'ended_at', 'incident_reference'])
    .where(sql<boolean>`person_id = any(${personIds}::uuid[])`)
    .execute()
  for (const row of rows) {
    const list = groups.get(row.person_id)
    if (list) list.push(row)
    else groups.set(row.person_id, [row])
  }
  return groups
}

/** The episodes an earlier load made, locked for this one's writes, by id. */
export async function findEpisodes(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Row<'missing_episode'>>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('missing_episode').selectAll().where(sql<boolean>`id = any(${ids}::uuid[])`).orderBy('id').forUpdate().execute()
  return new Map(rows.map((row) => [row.id, row]))
}

/** The risk grades these episodes hold, by episode. */
export async function riskGradesOf(db: Kysely<Database>, episodeIds: readonly string[]) {
  const groups = new Map<string, { grade: string; is_initial: boolean }[]>()
  if (episodeIds.length === 0) return groups
  const rows = await db.selectFrom('risk_assessment').select(['episode_id', 'grade', 'is_initial']).where(sql<boolean>`episode_id = any(${episodeIds}::uuid[])`).execute()
  for (const row of rows) {
    const list = groups.get(row.episode_id)
    if (list) list.push(row)
    else groups.set(row.episode_id, [row])
  }
  return groups
}
