import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can, isRole, roleFitsAgency, type AgencyKind, type Role } from '../access/roles.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { TtlCache } from '../../lib/ttl-cache.ts'
import { hashPassword, newBearerSecret, secretHash, verifyPassword } from '../../lib/secrets.ts'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleVersionError,
  UnauthenticatedError,
  ValidationError,
  type FieldError,
} from '../../lib/errors.ts'
import * as repo from './users.repository.ts'

export interface User {
  id: string
  agencyId: string
  email: string
  displayName: string
  roles: Role[]
  active: boolean
  version: number
}

/** A child trafficking guardian as others see them: who, of which service, still active or not. */
export interface Guardian {
  id: string
  agencyId: string
  displayName: string
  active: boolean
}

export interface NewUserInput {
  email: string
  displayName: string
  password: string
  roles: string[]
}

export interface SignedIn {
  token: string
  expiresAt: Date
  userId: string
}

// A real hash of nothing, so an unknown email costs the same time as a wrong password.
const timingDecoy = hashPassword('lantern timing decoy')

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

function checkRoles(roles: string[], agencyKind: AgencyKind, field: string): FieldError[] {
  const errors: FieldError[] = []
  if (roles.length === 0) errors.push({ field, message: 'Give at least one role' })
  roles.forEach((role, index) => {
    if (!isRole(role)) errors.push({ field: `${field}/${index}`, message: `"${role}" is not a role` })
    else if (!roleFitsAgency(role, agencyKind))
      errors.push({ field: `${field}/${index}`, message: `The role ${role} is not for a ${agencyKind.replace('_', ' ')}` })
  })
  return errors
}

/**
 * Bearer secrets resolve to an actor once per few seconds, not on every request: the hot path saves a round
 * trip. Signing out or revoking on this instance takes effect at once; on another instance within this time.
 */
export const AUTHENTICATION_CACHE_SECONDS = 5

type CachedActor = Omit<Actor, 'purpose'>

export function createUsersService(db: Kysely<Database>, options: { sessionHours: number }) {
  const authenticated = new TtlCache<CachedActor | null>(AUTHENTICATION_CACHE_SECONDS * 1000, 10_000)
  return {
    async signIn(email: string, password: string): Promise<SignedIn> {
      const user = await repo.findUserByEmail(db, normaliseEmail(email))
      if (!user || !user.active) {
        await verifyPassword(password, await timingDecoy)
        throw new UnauthenticatedError('The email address or password is not right')
      }
      if (!(await verifyPassword(password, user.password_hash))) {
        throw new UnauthenticatedError('The email address or password is not right')
      }
      const token = newBearerSecret('lts')
      const expiresAt = new Date(Date.now() + options.sessionHours * 3_600_000)
      await db.transaction().execute(async (trx) => {
        await repo.insertSession(trx, { id: uuidv7(), user_id: user.id, token_hash: secretHash(token), expires_at: expiresAt })
        await repo.markSignedIn(trx, user.id)
      })
      return { token, expiresAt, userId: user.id }
    },

    async signOut(token: string): Promise<void> {
      const hash = secretHash(token)
      await repo.revokeSession(db, hash)
      authenticated.delete(hash)
    },

    /** The actor a bearer secret (a session or an API token) acts as, or null if it is not live. */
    async authenticate(secret: string, purpose: string | null): Promise<Actor | null> {
      const hash = secretHash(secret)
      let actor = authenticated.get(hash)
      if (actor === undefined) {
        actor = await lookUpActor(db, secret, hash)
        authenticated.set(hash, actor)
      }
      return actor ? { ...actor, purpose } : null
    },

    /**
     * The actor an operator command (`lantern import ... --user EMAIL`) acts as: that active user, with their
     * agency and roles, and the purpose the command states. The machine's operator vouches for who they are.
     */
    async operatorActor(email: string, purpose: string): Promise<Actor> {
      const row = await repo.findUserByEmail(db, normaliseEmail(email))
      if (!row || !row.active) throw new NotFoundError(`An active user ${email}`)
      return { kind: 'user', userId: row.id, tokenId: null, agencyId: row.agency_id, agencyKind: row.agency_kind as AgencyKind, roles: row.roles.filter(isRole), purpose }
    },

    async me(actor: Actor): Promise<User & { agencyName: string }> {
      if (!actor.userId) throw new NotFoundError('A signed-in user')
      const row = await repo.findUserById(db, actor.userId)
      if (!row) throw new NotFoundError('User')
      return { ...toUser(row), agencyName: row.agency_name }
    },

    async listUsers(actor: Actor, page: { limit: number; offset: number }): Promise<{ items: User[]; total: number }> {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can list users')
      const [rows, total] = await Promise.all([repo.listUsersOfAgency(db, actor.agencyId, page), repo.countUsersOfAgency(db, actor.agencyId)])
      return { items: rows.map(toUser), total }
    },

    /**
     * The guardians of the child trafficking guardian services (id, name, service, whether active), so those who
     * allocate a guardian can name one and a child's readers see who their guardian is. Staff names, not case data:
     * for the roles that read or allocate children (case roles, guardians, NRM decision-makers); a guardian
     * service sees only its own guardians.
     */
    async guardianDirectory(actor: Actor): Promise<Guardian[]> {
      if (!can.workCases(actor) && !can.actAsGuardian(actor) && !can.decideNrmReferrals(actor)) throw new ForbiddenError('Your role does not allocate or read children')
      const rows = await repo.listGuardians(db, actor.agencyKind === 'ictg_service' ? actor.agencyId : null)
      return rows.map((row) => ({ id: row.id, agencyId: row.agency_id, displayName: row.display_name, active: row.active }))
    },

    /** An administrator adds a user to their own agency. */
    async createUser(actor: Actor, input: NewUserInput): Promise<User> {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can add users')
      return this.createUserForAgency(actor, actor.agencyId, input)
    },

    /** Used by the administrator journey and by seeding; checks roles against the agency's kind. */
    async createUserForAgency(actor: Actor, agencyId: string, input: NewUserInput): Promise<User> {
      const agency = await repo.findAgencyKind(db, agencyId)
      if (!agency) throw new NotFoundError('Agency')
      const errors = checkRoles(input.roles, agency.kind as AgencyKind, 'roles')
      const email = normaliseEmail(input.email)
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push({ field: 'email', message: 'Enter an email address like name@example.gov.uk' })
      if (input.password.length < 12) errors.push({ field: 'password', message: 'The password must be at least 12 characters' })
      if (input.displayName.trim() === '') errors.push({ field: 'displayName', message: 'Enter a name' })
      if (errors.length > 0) throw new ValidationError(errors)
      if (await repo.findUserByEmail(db, email)) throw new ConflictError(`A user with the email ${email} already exists`)
      const id = uuidv7()
      const passwordHash = await hashPassword(input.password)
      await db.transaction().execute(async (trx) => {
        await repo.insertUser(trx, {
          id,
          agency_id: agencyId,
          email,
          display_name: input.displayName.trim(),
          password_hash: passwordHash,
          roles: input.roles,
        })
        await recordAudit(trx, actor, [{ action: 'CREATE_USER', subjectPersonId: null, recordType: 'app_user', recordId: id }])
      })
      return { id, agencyId, email, displayName: input.displayName.trim(), roles: input.roles.filter(isRole), active: true, version: 1 }
    },

    async updateUser(
      actor: Actor,
      userId: string,
      input: { version: number; displayName?: string; roles?: string[]; active?: boolean },
    ): Promise<User> {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can change users')
      const existing = await repo.findUserById(db, userId)
      if (!existing || existing.agency_id !== actor.agencyId) throw new NotFoundError('User')
      if (input.roles) {
        const errors = checkRoles(input.roles, existing.agency_kind as AgencyKind, 'roles')
        if (errors.length > 0) throw new ValidationError(errors)
      }
      await db.transaction().execute(async (trx) => {
        const changes = {
          ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
          ...(input.roles !== undefined ? { roles: input.roles } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
        }
        if (!(await repo.updateUserVersioned(trx, userId, input.version, changes))) {
          throw new StaleVersionError('The user', existing.version)
        }
        await recordAudit(trx, actor, [{ action: 'UPDATE_USER', subjectPersonId: null, recordType: 'app_user', recordId: userId }])
      })
      // Changed roles or a disabled user take effect at once on this instance.
      authenticated.clear()
      const updated = await repo.findUserById(db, userId)
      if (!updated) throw new NotFoundError('User')
      return toUser(updated)
    },

    /** A partner system's token. The secret is shown once, here, and stored only as a hash. */
    async createApiToken(
      actor: Actor,
      input: { name: string; roles: string[]; expiresAt: Date | null },
    ): Promise<{ id: string; token: string; name: string; roles: Role[]; expiresAt: Date | null }> {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can issue API tokens')
      const errors = checkRoles(input.roles, actor.agencyKind, 'roles')
      if (input.name.trim() === '') errors.push({ field: 'name', message: 'Name the system the token is for' })
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
        errors.push({ field: 'expiresAt', message: 'The expiry must be in the future' })
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      const token = newBearerSecret('ltk')
      await db.transaction().execute(async (trx) => {
        await repo.insertApiToken(trx, {
          id,
          agency_id: actor.agencyId,
          name: input.name.trim(),
          token_hash: secretHash(token),
          roles: input.roles,
          created_by_user_id: actor.userId,
          expires_at: input.expiresAt,
        })
        await recordAudit(trx, actor, [{ action: 'CREATE_API_TOKEN', subjectPersonId: null, recordType: 'api_token', recordId: id }])
      })
      return { id, token, name: input.name.trim(), roles: input.roles.filter(isRole), expiresAt: input.expiresAt }
    },

    async listApiTokens(actor: Actor) {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can list API tokens')
      return (await repo.listApiTokensOfAgency(db, actor.agencyId)).map((row) => ({
        id: row.id,
        name: row.name,
        roles: row.roles,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        lastUsedAt: row.last_used_at,
      }))
    },

    async revokeApiToken(actor: Actor, tokenId: string): Promise<void> {
      if (!can.manageUsers(actor)) throw new ForbiddenError('Only an administrator can revoke API tokens')
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeApiToken(trx, actor.agencyId, tokenId))) throw new NotFoundError('API token')
        // The cache is keyed by secret hash, which a revocation does not know: drop it all on this instance.
        authenticated.clear()
        await recordAudit(trx, actor, [{ action: 'REVOKE_API_TOKEN', subjectPersonId: null, recordType: 'api_token', recordId: tokenId }])
      })
    },
  }
}

async function lookUpActor(db: Kysely<Database>, secret: string, hash: string): Promise<CachedActor | null> {
  const now = new Date()
  if (secret.startsWith('lts_')) {
    const session = await repo.findLiveSession(db, hash, now)
    if (!session) return null
    return { kind: 'user', userId: session.user_id, tokenId: null, agencyId: session.agency_id, agencyKind: session.agency_kind as AgencyKind, roles: session.roles.filter(isRole) }
  }
  if (secret.startsWith('ltk_')) {
    const token = await repo.findLiveApiToken(db, hash, now)
    if (!token) return null
    return { kind: 'token', userId: null, tokenId: token.id, agencyId: token.agency_id, agencyKind: token.agency_kind as AgencyKind, roles: token.roles.filter(isRole) }
  }
  return null
}

function toUser(row: { id: string; agency_id: string; email: string; display_name: string; roles: string[]; active: boolean; version: number }): User {
  return {
    id: row.id,
    agencyId: row.agency_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles.filter(isRole),
    active: row.active,
    version: row.version,
  }
}

export type UsersService = ReturnType<typeof createUsersService>
