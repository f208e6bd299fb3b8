import type { Kysely } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'

export type AgencyRow = Row<'agency'>

export interface AgencyFilter {
  kind: string | null
  activeOnly: boolean
}

function filtered(db: Kysely<Database>, filter: AgencyFilter) {
  let query = db.selectFrom('agency')
  if (filter.kind !== null) query = query.where('kind', '=', filter.kind)
  if (filter.activeOnly) query = query.where('active', '=', true)
  return query
}

export async function listAgencies(db: Kysely<Database>, filter: AgencyFilter, page: { limit: number; offset: number }) {
  return filtered(db, filter).selectAll().orderBy('kind').orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute()
}

export async function countAgencies(db: Kysely<Database>, filter: AgencyFilter) {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

export async function findAgencyById(db: Kysely<Database>, id: string) {
  return db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findAgencyByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function findAgenciesByCodes(db: Kysely<Database>, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom('agency').selectAll().where('code', 'in', codes).execute()
}

/**
 * Inserts the agencies whose code is not yet taken and returns how many went in. A code taken meanwhile
 * (another instance loading at the same moment) is skipped, not an error.
 */
export async function insertAgencies(db: Kysely<Database>, rows: NewRow<'agency'>[]) {
  if (rows.length === 0) return 0
  const inserted = await db
    .insertInto('agency')
    .values(rows)
    .onConflict((conflict) => conflict.column('code').doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

export async function updateAgency(db: Kysely<Database>, id: string, changes: RowUpdate<'agency'>) {
  await db
    .updateTable('agency')
    .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}
