import { sql, type Kysely } from 'kysely'
import type { Database, Row } from '../../../db/database.ts'

/** The referrals this agency made or decides, by NRM reference (the oldest, if several carry one). */
export async function findReferrals(db: Kysely<Database>, agencyId: string, references: readonly string[]): Promise<Map<string, Row<'nrm_referral'>>> {
  if (references.length === 0) return new Map()
  const result = await sql<Row<'nrm_referral'>>`
    select distinct on (nrm_reference) * from nrm_referral
    where nrm_reference = any(${[...new Set(references)]}::text[]) and (referring_agency_id = ${agencyId} or competent_authority_id = ${agencyId})
    order by nrm_reference, created_at, id`.execute(db)
  return new Map(result.rows.map((row) => [row.nrm_reference ?? '', row]))
}

/** The decisions on these referrals, in the order they were made, by referral. */
export async function decisionsOf(db: Kysely<Database>, referralIds: readonly string[]): Promise<Map<string, Row<'nrm_decision'>[]>> {
  const groups = new Map<string, Row<'nrm_decision'>[]>()
  if (referralIds.length === 0) return groups
  const rows = await db.selectFrom('nrm_decision').selectAll().where(sql<boolean>`referral_id = any(${referralIds}::uuid[])`).orderBy('decided_on').orderBy('created_at').execute()
  for (const row of rows) {
    const list = groups.get(row.referral_id)
    if (list) list.push(row)
    else groups.set(row.referral_id, [row])
  }
  return groups
}
