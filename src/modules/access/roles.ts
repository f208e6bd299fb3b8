// Roles, the agency kinds that may hold them, and what each lets a person do.
// Scope is enforced in services (ARCHITECTURE.md, "Access"): a route or a page cannot forget it.

export const AGENCY_KINDS = ['police_force', 'local_authority', 'competent_authority', 'ictg_service', 'first_responder'] as const
export type AgencyKind = (typeof AGENCY_KINDS)[number]

export const ROLE_AGENCY_KINDS = {
  call_handler: ['police_force'],
  police_officer: ['police_force'],
  missing_person_coordinator: ['police_force'],
  social_worker: ['local_authority'],
  missing_from_care_lead: ['local_authority'],
  first_responder: ['first_responder'],
  nrm_decision_maker: ['competent_authority'],
  ictg_guardian: ['ictg_service'],
  analyst: AGENCY_KINDS,
  // A producer of official statistics: sees figures before disclosure control, never case data.
  statistician: AGENCY_KINDS,
  administrator: AGENCY_KINDS,
} as const satisfies Record<string, readonly AgencyKind[]>

export type Role = keyof typeof ROLE_AGENCY_KINDS
export const ROLES = Object.keys(ROLE_AGENCY_KINDS) as Role[]

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLE_AGENCY_KINDS, value)
}

export function roleFitsAgency(role: Role, kind: AgencyKind): boolean {
  return (ROLE_AGENCY_KINDS[role] as readonly AgencyKind[]).includes(kind)
}

const POLICE_CASE_ROLES: readonly Role[] = ['call_handler', 'police_officer', 'missing_person_coordinator']
const LOCAL_AUTHORITY_CASE_ROLES: readonly Role[] = ['social_worker', 'missing_from_care_lead']
const CASE_ROLES: readonly Role[] = [...POLICE_CASE_ROLES, ...LOCAL_AUTHORITY_CASE_ROLES, 'first_responder']

interface HasRoles {
  readonly roles: readonly Role[]
}

const hasAny = (actor: HasRoles, roles: readonly Role[]) => actor.roles.some((role) => roles.includes(role))

export const can = {
  /** Record and work cases (people, episodes, placements, referrals) of one's own agency. */
  workCases: (actor: HasRoles) => hasAny(actor, CASE_ROLES),
  /** The police national register view of every open episode. */
  readNationalRegister: (actor: HasRoles) => hasAny(actor, POLICE_CASE_ROLES),
  /** The placement address of a child flagged for trafficking or exploitation. */
  readRestrictedLocation: (actor: HasRoles) => hasAny(actor, ['missing_person_coordinator', 'missing_from_care_lead']),
  /** Who has seen and changed one person's record. */
  readAuditTrail: (actor: HasRoles) => hasAny(actor, ['missing_person_coordinator', 'missing_from_care_lead']),
  decideNrmReferrals: (actor: HasRoles) => hasAny(actor, ['nrm_decision_maker']),
  actAsGuardian: (actor: HasRoles) => hasAny(actor, ['ictg_guardian']),
  manageUsers: (actor: HasRoles) => hasAny(actor, ['administrator']),
  readStatistics: (actor: HasRoles) => hasAny(actor, ['analyst', 'statistician']),
  /** Figures before disclosure control (rounding and suppression): statisticians only, and audited. */
  readUnroundedStatistics: (actor: HasRoles) => hasAny(actor, ['statistician']),
  isPolice: (actor: HasRoles) => hasAny(actor, POLICE_CASE_ROLES),
  isLocalAuthority: (actor: HasRoles) => hasAny(actor, LOCAL_AUTHORITY_CASE_ROLES),
}
