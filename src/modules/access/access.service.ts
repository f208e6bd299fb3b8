import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DomainError, ForbiddenError, NotFoundError } from '../../lib/errors.ts'
import type { Actor } from './actor.ts'
import { can, ROLES, type Role } from './roles.ts'
import { findPersonAccessFacts, findPersonReaders, type PersonAccessFacts } from './access.repository.ts'

/**
 * How an actor may reach one person record (ARCHITECTURE.md, "Access"):
 * - owner: a case role in the agency that recorded the person; reads and changes everything;
 * - host: a local authority in whose area the child is placed now; reads;
 * - linked: a police force whose own episode is linked to one of this person's episodes; reads;
 * - competentAuthority: a decision-maker whose authority holds an NRM referral of the person; reads, decides;
 * - guardian: the child trafficking guardian assigned to the child; reads.
 */
export type PersonAccessLevel = 'owner' | 'host' | 'linked' | 'competentAuthority' | 'guardian'

export interface PersonAccess {
  personId: string
  level: PersonAccessLevel
  owningAgencyId: string
  /** Whether this actor may see the placement location of this person (restricted when flagged). */
  seesRestrictedLocation: boolean
  restrictedLocation: boolean
}

/** Reading outside one's own agency needs a stated purpose, which the audit log keeps (DPA 2018 s62(2)). */
export class PurposeRequiredError extends DomainError {
  constructor() {
    super(403, 'Purpose required', 'This record belongs to another agency: say why you need it (the Lantern-Purpose header, or the purpose field)')
  }
}

export async function resolvePersonAccess(db: Kysely<Database>, actor: Actor, personId: string): Promise<PersonAccess> {
  return accessFromFacts(actor, personId, await findPersonAccessFacts(db, personId, actor))
}

/** The access the facts give the actor (read by `personAccessFactsQuery`, alone or inside a larger statement). */
export function accessFromFacts(actor: Actor, personId: string, facts: PersonAccessFacts | null | undefined): PersonAccess {
  // Existence itself must not leak: no access reads as not found.
  if (!facts) throw new NotFoundError('Person')
  const level = LEVELS.find((each) => each.roles(actor) && facts[each.fact])?.level
  if (!level) throw new NotFoundError('Person')
  const locationRole = can.readRestrictedLocation(actor)
  return {
    personId,
    level,
    owningAgencyId: facts.owning_agency_id,
    restrictedLocation: facts.restricted_location,
    seesRestrictedLocation: !facts.restricted_location || (locationRole && (level === 'owner' || level === 'linked')),
  }
}

type AccessFact = 'owned_here' | 'hosted_here' | 'linked_episode_here' | 'referred_here' | 'guarded_by_me'

/**
 * Each level in the order it is tried, the roles that reach a person at it (given the agency, or for a guardian
 * the user, fits) and the access fact that says whether it does. One table for the check in TypeScript
 * (`accessFromFacts`) and in SQL (`personReadAllowedSql`).
 */
const LEVELS: readonly { level: PersonAccessLevel; roles: (actor: { roles: readonly Role[] }) => boolean; fact: AccessFact }[] = [
  { level: 'owner', roles: can.workCases, fact: 'owned_here' },
  { level: 'host', roles: can.isLocalAuthority, fact: 'hosted_here' },
  { level: 'linked', roles: can.isPolice, fact: 'linked_episode_here' },
  { level: 'competentAuthority', roles: can.decideNrmReferrals, fact: 'referred_here' },
  { level: 'guardian', roles: can.actAsGuardian, fact: 'guarded_by_me' },
]

/**
 * The check of `requirePersonRead` as a SQL condition over the access facts (a row of `personAccessFactsQuery`
 * named `facts`): true exactly when the read is allowed, so one statement can read, check and write the read's
 * audit row only when allowed (src/modules/episodes). The actor's roles and purpose are known before the query,
 * so they choose which facts count; the facts decide.
 */
export function personReadAllowedSql(actor: Actor, facts: string): RawBuilder<boolean> {
  const reachable = LEVELS.filter((each) => each.roles(actor) && (each.level === 'owner' || actor.purpose))
  if (reachable.length === 0) return sql<boolean>`false`
  return sql<boolean>`(${sql.join(
    reachable.map((each) => sql.ref(`${facts}.${each.fact}`)),
    sql` or `,
  )})`
}

/** A read's access from facts read inside a larger statement: not found, purpose required, or the access. */
export function personReadFromFacts(actor: Actor, personId: string, facts: PersonAccessFacts | null | undefined): PersonAccess {
  const access = accessFromFacts(actor, personId, facts)
  if (access.level !== 'owner' && !actor.purpose) throw new PurposeRequiredError()
  return access
}

/** Everyone who may read a person now, by agency, level and role (a guardian by user): the same rules as above. */
export interface PersonReader {
  agencyId: string
  level: PersonAccessLevel
  roles: Role[]
  /** Set for a guardian: only the assigned guardian reads the child. */
  userId: string | null
}

const rolesAt = (level: PersonAccessLevel): Role[] =>
  ROLES.filter((role) => LEVELS.some((each) => each.level === level && each.roles({ roles: [role] })))

/**
 * Who may read a person, for those who tell them about it (the live event stream): one query, no purpose
 * (the readers are told that something happened, by ids; reading the record itself goes through requirePersonRead).
 * An erased or unknown person has no readers.
 */
export async function personReaders(db: Kysely<Database>, personId: string): Promise<PersonReader[]> {
  const row = await findPersonReaders(db, personId)
  if (!row) return []
  const readers: PersonReader[] = [{ agencyId: row.owning_agency_id, level: 'owner', roles: rolesAt('owner'), userId: null }]
  for (const agencyId of row.host_agency_ids) readers.push({ agencyId, level: 'host', roles: rolesAt('host'), userId: null })
  for (const agencyId of row.linked_agency_ids) readers.push({ agencyId, level: 'linked', roles: rolesAt('linked'), userId: null })
  for (const agencyId of row.competent_authority_ids)
    readers.push({ agencyId, level: 'competentAuthority', roles: rolesAt('competentAuthority'), userId: null })
  for (const guardian of row.guardians)
    readers.push({ agencyId: guardian.agency_id, level: 'guardian', roles: rolesAt('guardian'), userId: guardian.user_id })
  return readers
}

/** Read access, with a purpose required when the record is not the actor's own agency's. */
export async function requirePersonRead(db: Kysely<Database>, actor: Actor, personId: string): Promise<PersonAccess> {
  return personReadFromFacts(actor, personId, await findPersonAccessFacts(db, personId, actor))
}

/** Changes are for the owning agency only (NRM decisions have their own rule in the trafficking module). */
export async function requirePersonWrite(db: Kysely<Database>, actor: Actor, personId: string): Promise<PersonAccess> {
  return personWriteFromFacts(actor, personId, await findPersonAccessFacts(db, personId, actor))
}

/** A change's access from facts read inside a larger statement (with the person's lock, src/modules/episodes). */
export function personWriteFromFacts(actor: Actor, personId: string, facts: PersonAccessFacts | null | undefined): PersonAccess {
  const access = accessFromFacts(actor, personId, facts)
  if (access.level !== 'owner') throw new ForbiddenError('Only the agency that recorded this person can change it')
  return access
}
