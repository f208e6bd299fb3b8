import type { AgencyKind, Role } from './roles.ts'

/** Who is acting: a signed-in person or a partner system's token, always for one agency. */
export interface Actor {
  readonly kind: 'user' | 'token'
  readonly userId: string | null
  readonly tokenId: string | null
  readonly agencyId: string
  readonly agencyKind: AgencyKind
  readonly roles: readonly Role[]
  /** The purpose given for this request (DPA 2018 s62 justification), if any. */
  readonly purpose: string | null
}

/** The system itself, for seeding and operator commands run from the CLI. */
export function systemActor(agencyId: string, agencyKind: AgencyKind, roles: readonly Role[], purpose: string): Actor {
  return { kind: 'token', userId: null, tokenId: null, agencyId, agencyKind, roles, purpose }
}
