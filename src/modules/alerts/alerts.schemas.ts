import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, Nullable, OneOf, Version } from '../../lib/schema.ts'
import { PageQuery } from '../../platform/openapi.ts'
import { ALERT_RULE_NAMES } from './alerts.rules.ts'

export const AlertQuery = Type.Object(
  {
    state: Type.Optional(OneOf(['open', 'acknowledged', 'all'] as const, { description: 'open (default): not yet acknowledged' })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AlertQuery = Static<typeof AlertQuery>

export const AcknowledgeInput = Type.Object({ version: Version }, { additionalProperties: false })

export const AlertResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  rule: OneOf(ALERT_RULE_NAMES),
  title: Type.String(),
  personId: Nullable(Type.String({ format: 'uuid' })),
  episodeId: Nullable(Type.String({ format: 'uuid' })),
  agencyId: Type.String({ format: 'uuid' }),
  roles: Type.Array(Type.String(), { description: 'The roles alerted' }),
  userId: Nullable(Type.String({ format: 'uuid', description: 'Set when one person is alerted (a guardian)' })),
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'Ids and codes: the placement, referrals, the match probability, the count' }),
  raisedAt: InstantOut(),
  acknowledgedAt: Nullable(InstantOut()),
  acknowledgedByUserId: Nullable(Type.String({ format: 'uuid' })),
  escalatedAt: Nullable(InstantOut()),
  escalatedToRole: Nullable(Type.String()),
  version: Type.Integer(),
})
