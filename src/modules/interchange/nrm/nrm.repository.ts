import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../../db/database.ts'

/** A referral this agency made or decides, by its NRM reference. */
export async function findReferral(db: Kysely<Database>, agencyId: string, reference: string) {
  return db
    .selectFrom('nrm_referral')
    .selectAll()
    .where('nrm_reference', '=', reference)
    .where((eb) => eb.or([eb('referring_agency_id', '=', agencyId), eb('competent_authority_id', '=', agencyId)]))
    .orderBy('created_at')
    .executeTakeFirst()
}

export async function listDecisions(db: Kysely<Database>, referralId: string) {
  return db.selectFrom('nrm_decision').selectAll().where('referral_id', '=', referralId).orderBy('decided_on').orderBy('created_at').execute()
}

export async function insertReferral(db: Kysely<Database>, row: NewRow<'nrm_referral'>) {
  await db.insertInto('nrm_referral').values(row).execute()
}

export async function updateReferral(db: Kysely<Database>, id: string, changes: RowUpdate<'nrm_referral'>) {
  await db
    .updateTable('nrm_referral')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function insertDecision(db: Kysely<Database>, row: NewRow<'nrm_decision'>) {
  await db.insertInto('nrm_decision').values(row).execute()
}
