import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, Nullable, OneOf, Uuid } from '../../lib/schema.ts'
import { PageQuery } from '../../platform/openapi.ts'
import { CLOSED_REASONS, TASK_KIND_NAMES, type ClosedReason } from './deadlines.rules.ts'

export const TaskQuery = Type.Object(
  {
    state: Type.Optional(
      OneOf(['open', 'due', 'overdue', 'done', 'cancelled', 'all'] as const, { description: 'open (default): due and overdue; due: not yet overdue' }),
    ),
    mine: Type.Optional(Type.Boolean({ description: 'Only the tasks you own' })),
    kind: Type.Optional(OneOf(TASK_KIND_NAMES)),
    episodeId: Type.Optional(Uuid()),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type TaskQuery = Static<typeof TaskQuery>

export const TaskResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: OneOf(TASK_KIND_NAMES),
  title: Type.String(),
  state: OneOf(['due', 'overdue', 'done', 'cancelled'] as const),
  personId: Nullable(Type.String({ format: 'uuid' })),
  episodeId: Nullable(Type.String({ format: 'uuid' })),
  referralId: Nullable(Type.String({ format: 'uuid' })),
  ownerAgencyId: Type.String({ format: 'uuid' }),
  ownerRole: Type.String(),
  ownerUserId: Nullable(Type.String({ format: 'uuid' })),
  dueAt: InstantOut(),
  closedAt: Nullable(InstantOut()),
  closedReason: Nullable(OneOf(Object.keys(CLOSED_REASONS) as [ClosedReason, ...ClosedReason[]])),
  closedReasonText: Nullable(Type.String()),
  doneOnTime: Nullable(Type.Boolean()),
  escalatedAt: Nullable(InstantOut()),
  escalatedToRole: Nullable(Type.String()),
  version: Type.Integer(),
})
