import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DomainError, ForbiddenError, NotFoundError } from '../../lib/errors.ts'
import type { Actor } from './actor.ts'
import { can } from './roles.ts'
import { findPersonAccessFacts } from './access.repository.ts'

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
  const facts = await findPersonAccessFacts(db, personId, actor)
  // Existence itself must not leak: no access reads as not found.
  if (!facts) throw new NotFoundError('Person')
  const level = accessLevel(actor, facts)
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

function accessLevel(
  actor: Actor,
  facts: { owning_agency_id: string; hosted_here: boolean; linked_episode_here: boolean; referred_here: boolean; guarded_by_me: boolean },
): PersonAccessLevel | null {
  if (can.workCases(actor) && facts.owning_agency_id === actor.agencyId) return 'owner'
  if (can.isLocalAuthority(actor) && facts.hosted_here) return 'host'
  if (can.isPolice(actor) && facts.linked_episode_here) return 'linked'
  if (can.decideNrmReferrals(actor) && facts.referred_here) return 'competentAuthority'
  if (can.actAsGuardian(actor) && facts.guarded_by_me) return 'guardian'
  return null
}

/** Read access, with a purpose required when the record is not the actor's own agency's. */
export async function requirePersonRead(db: Kysely<Database>, actor: Actor, personId: string): Promise<PersonAccess> {
  const access = await resolvePersonAccess(db, actor, personId)
  if (access.level !== 'owner' && !actor.purpose) throw new PurposeRequiredError()
  return access
}

/** Changes are for the owning agency only (NRM decisions have their own rule in the trafficking module). */
export async function requirePersonWrite(db: Kysely<Database>, actor: Actor, personId: string): Promise<PersonAccess> {
  const access = await resolvePersonAccess(db, actor, personId)
  if (access.level !== 'owner') throw new ForbiddenError('Only the agency that recorded this person can change it')
  return access
}
