import { readFileSync } from 'node:fs'
import { parseCsv } from '../../lib/csv.ts'
import { can, ROLES, type AgencyKind, type Role } from '../access/roles.ts'
import type { EventAudienceEntry } from '../events/events.model.ts'

// Who is told, by agency kind: the roles that work cases there, and the role an unanswered alert or an overdue
// task goes to (the supervising role). Derived from the access rules, so a new role falls in the right group.

type CaseAgencyKind = Exclude<AgencyKind, 'first_responder'>

const rolesWhere = (test: (actor: { roles: readonly Role[] }) => boolean): Role[] => ROLES.filter((role) => test({ roles: [role] }))

export const CASE_ROLES: Record<CaseAgencyKind, Role[]> = {
  police_force: rolesWhere(can.isPolice),
  local_authority: rolesWhere(can.isLocalAuthority),
  competent_authority: rolesWhere(can.decideNrmReferrals),
  ictg_service: rolesWhere(can.actAsGuardian),
}

/**
 * The supervising role of each kind of agency: the missing person coordinator of a force (APP: supervisors
 * "regularly review", coordinators oversee the force's cases), the missing-from-care lead of an authority. A
 * competent authority and a guardian service have no separate supervising role in Lantern: there, escalation goes
 * to every decision-maker of the authority, or every guardian of the service.
 */
export const SUPERVISOR_ROLE: Record<CaseAgencyKind, Role> = {
  police_force: 'missing_person_coordinator',
  local_authority: 'missing_from_care_lead',
  competent_authority: 'nrm_decision_maker',
  ictg_service: 'ictg_guardian',
}

export function isCaseAgencyKind(kind: string): kind is CaseAgencyKind {
  return Object.hasOwn(CASE_ROLES, kind)
}

/** Everyone working cases at an agency. */
export function agencyAudience(agencyId: string, kind: CaseAgencyKind): EventAudienceEntry {
  return { agencyId, roles: [...CASE_ROLES[kind]], userId: null }
}

let forceOfAuthority: ReadonlyMap<string, string> | null = null

/** The ONS code of the police force whose area holds a local authority (reference/README.md), or null. */
export function policeForceCodeOfAuthority(authorityCode: string): string | null {
  if (!forceOfAuthority) {
    const text = readFileSync(new URL('./reference/police-force-of-authority.csv', import.meta.url), 'utf8')
    const [header, ...rows] = parseCsv(text)
    if (header?.join(',') !== 'authority_code,authority_name,police_force_code,police_force_name')
      throw new Error('police-force-of-authority.csv has an unexpected header')
    forceOfAuthority = new Map(rows.map(([authority = '', , force = '']) => [authority, force]))
  }
  return forceOfAuthority.get(authorityCode) ?? null
}
