import { sql, type Kysely } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import { updateVersioned } from '../../db/versioned.ts'

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.agency_id', 'u.email', 'u.display_name', 'u.password_hash', 'u.roles', 'u.active', 'a.kind as agency_kind'])
    .where('u.email', '=', email)
    .executeTakeFirst()
}

export async function findUserById(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.agency_id', 'u.email', 'u.display_name', 'u.roles', 'u.active', 'u.version', 'a.kind as agency_kind', 'a.name as agency_name'])
    .where('u.id', '=', id)
    .executeTakeFirst()
}

export async function listUsersOfAgency(db: Kysely<Database>, agencyId: string, page: { limit: number; offset: number }) {
  return db
    .selectFrom('app_user')
    .select(['id', 'agency_id', 'email', 'display_name', 'roles', 'active', 'version', 'last_signed_in_at'])
    .where('agency_id', '=', agencyId)
    .orderBy('display_name')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countUsersOfAgency(db: Kysely<Database>, agencyId: string) {
  const row = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('count')).where('agency_id', '=', agencyId).executeTakeFirstOrThrow()
  return Number(row.count)
}

export async function insertUser(db: Kysely<Database>, row: NewRow<'app_user'>) {
  await db.insertInto('app_user').values(row).execute()
}

export async function updateUserVersioned(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: { display_name?: string; roles?: string[]; active?: boolean },
) {
  return updateVersioned(db, 'app_user', id, version, changes)
}

export async function markSignedIn(db: Kysely<Database>, userId: string) {
  await db.updateTable('app_user').set({ last_signed_in_at: new Date() }).where('id', '=', userId).execute()
}

export async function insertSession(db: Kysely<Database>, row: NewRow<'user_session'>) {
  await db.insertInto('user_session').values(row).execute()
}

export async function revokeSession(db: Kysely<Database>, tokenHash: string) {
  await db.updateTable('user_session').set({ revoked_at: new Date() }).where('token_hash', '=', tokenHash).execute()
}

/** The live session for a token hash with the user and agency it acts for. */
export async function findLiveSession(db: Kysely<Database>, tokenHash: string, now: Date) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['s.id as session_id', 's.expires_at', 'u.id as user_id', 'u.roles', 'u.agency_id', 'a.kind as agency_kind'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.active', '=', true)
    .executeTakeFirst()
}

export async function findLiveApiToken(db: Kysely<Database>, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .select(['t.id', 't.roles', 't.agency_id', 'a.kind as agency_kind'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
    .executeTakeFirst()
}

export async function insertApiToken(db: Kysely<Database>, row: NewRow<'api_token'>) {
  await db.insertInto('api_token').values(row).execute()
}

export async function listApiTokensOfAgency(db: Kysely<Database>, agencyId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'roles', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('agency_id', '=', agencyId)
    .orderBy('created_at', 'desc')
    .execute()
}

export async function revokeApiToken(db: Kysely<Database>, agencyId: string, tokenId: string) {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('agency_id', '=', agencyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function findAgencyKind(db: Kysely<Database>, agencyId: string) {
  return db.selectFrom('agency').select(['id', 'kind']).where('id', '=', agencyId).executeTakeFirst()
}

/** Every user with the guardian role in a child trafficking guardian service, active or not, by name. */
export async function listGuardians(db: Kysely<Database>, agencyId: string | null) {
  let query = db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.agency_id', 'u.display_name', 'u.active'])
    .where('a.kind', '=', 'ictg_service')
    .where(sql<boolean>`${'ictg_guardian'} = any(u.roles)`)
  if (agencyId !== null) query = query.where('u.agency_id', '=', agencyId)
  return query.orderBy('u.display_name').orderBy('u.id').execute()
}
