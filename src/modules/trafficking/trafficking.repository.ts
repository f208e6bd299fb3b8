import { sql, type Kysely } from 'kysely'
import type { Database, NewRow, Row, RowUpdate } from '../../db/database.ts'
import { updateVersioned } from '../../db/versioned.ts'

export type ReferralRow = Row<'nrm_referral'>
export type DecisionRow = Row<'nrm_decision'>
export type AssignmentRow = Row<'ictg_assignment'>

/**
 * A user named as a guardian: which agency they act for, their roles, and whether they may still sign in.
 * Read here because the users service has no lookup for other modules yet; it moves there when it does.
 */
export async function findUser(db: Kysely<Database>, id: string) {
  return db.selectFrom('app_user').select(['id', 'agency_id', 'roles', 'active']).where('id', '=', id).executeTakeFirst()
}

/** Only whether the person exists: a guardian service allocating a child it cannot read yet needs no more. */
export async function personExists(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('person').select('id').where('id', '=', id).executeTakeFirst()
  return row !== undefined
}

// ---------------------------------------------------------------- NRM referrals and decisions

export async function insertReferral(db: Kysely<Database>, row: NewRow<'nrm_referral'>) {
  await db.insertInto('nrm_referral').values(row).execute()
}

export async function findReferral(db: Kysely<Database>, id: string) {
  return db.selectFrom('nrm_referral').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Takes the referral's row lock: decisions are checked against the ones already recorded, under it. */
export async function lockReferral(db: Kysely<Database>, id: string) {
  return db.selectFrom('nrm_referral').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listReferralsOfPerson(db: Kysely<Database>, personId: string, competentAuthorityId: string | null) {
  let query = db.selectFrom('nrm_referral').selectAll().where('person_id', '=', personId)
  if (competentAuthorityId) query = query.where('competent_authority_id', '=', competentAuthorityId)
  return query.orderBy('referred_on').orderBy('id').execute()
}

export async function updateReferralVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'nrm_referral'>) {
  return updateVersioned(db, 'nrm_referral', id, version, changes)
}

export async function bumpReferralVersion(db: Kysely<Database>, id: string) {
  await db
    .updateTable('nrm_referral')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute()
}

export async function insertDecision(db: Kysely<Database>, row: NewRow<'nrm_decision'>) {
  await db.insertInto('nrm_decision').values(row).execute()
}

/** Decisions of some referrals, oldest first; a reconsideration recorded the same day sorts after the decision it revisits. */
export async function listDecisions(db: Kysely<Database>, referralIds: readonly string[]) {
  if (referralIds.length === 0) return []
  return db
    .selectFrom('nrm_decision')
    .selectAll()
    .where('referral_id', 'in', referralIds)
    .orderBy('decided_on')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** A competent authority's referrals, optionally only those waiting for one decision. */
function authorityReferrals(db: Kysely<Database>, competentAuthorityId: string, queue: 'awaiting_reasonable_grounds' | 'awaiting_conclusive_grounds' | null) {
  let query = db.selectFrom('nrm_referral as r').where('r.competent_authority_id', '=', competentAuthorityId)
  if (queue === 'awaiting_reasonable_grounds') {
    query = query.where(sql<boolean>`not exists (
      select 1 from nrm_decision d where d.referral_id = r.id and d.stage = 'reasonable_grounds')`)
  } else if (queue === 'awaiting_conclusive_grounds') {
    // The reasonable-grounds decision in force is the latest one (a reconsideration replaces it).
    query = query.where(sql<boolean>`(
      select d.outcome from nrm_decision d where d.referral_id = r.id and d.stage = 'reasonable_grounds'
      order by d.decided_on desc, d.created_at desc, d.id desc limit 1) = 'positive'`)
    query = query.where(sql<boolean>`not exists (
      select 1 from nrm_decision d where d.referral_id = r.id and d.stage = 'conclusive_grounds')`)
  }
  return query
}

export async function listReferralsOfAuthority(
  db: Kysely<Database>,
  competentAuthorityId: string,
  queue: 'awaiting_reasonable_grounds' | 'awaiting_conclusive_grounds' | null,
  page: { limit: number; offset: number },
) {
  return authorityReferrals(db, competentAuthorityId, queue)
    .selectAll('r')
    .orderBy('r.referred_on')
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countReferralsOfAuthority(
  db: Kysely<Database>,
  competentAuthorityId: string,
  queue: 'awaiting_reasonable_grounds' | 'awaiting_conclusive_grounds' | null,
) {
  const row = await authorityReferrals(db, competentAuthorityId, queue)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** A person's referrals made on or before a date, with the decisions made on or before it: the NRM picture as at that date. */
export async function referralsAsAt(db: Kysely<Database>, personId: string, isoDate: string) {
  const referrals = await db
    .selectFrom('nrm_referral')
    .select(['id', 'referred_on'])
    .where('person_id', '=', personId)
    .where('referred_on', '<=', isoDate)
    .execute()
  const decisions =
    referrals.length === 0
      ? []
      : await db
          .selectFrom('nrm_decision')
          .selectAll()
          .where(
            'referral_id',
            'in',
            referrals.map((referral) => referral.id),
          )
          .where('decided_on', '<=', isoDate)
          .orderBy('decided_on')
          .orderBy('created_at')
          .orderBy('id')
          .execute()
  return { referrals, decisions }
}

// ---------------------------------------------------------------- child trafficking guardians

export async function insertAssignment(db: Kysely<Database>, row: NewRow<'ictg_assignment'>) {
  await db.insertInto('ictg_assignment').values(row).execute()
}

export async function findAssignment(db: Kysely<Database>, id: string) {
  return db.selectFrom('ictg_assignment').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockAssignment(db: Kysely<Database>, id: string) {
  return db.selectFrom('ictg_assignment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateAssignmentVersioned(db: Kysely<Database>, id: string, version: number, changes: RowUpdate<'ictg_assignment'>) {
  return updateVersioned(db, 'ictg_assignment', id, version, changes)
}

/** A person's assignments: current ones first, then the most recently allocated. */
export async function listAssignmentsOfPerson(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('ictg_assignment')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy(sql`ended_on is null`, 'desc')
    .orderBy('allocated_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
}
