import { Type, type Static } from '@sinclair/typebox'
import { Instant, InstantOut, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'

export const INTERVIEW_METHODS = ['face_to_face', 'phone', 'video'] as const
export const EXPLOITATION_INDICATORS = ['cse', 'cce', 'county_lines', 'trafficking', 'gang_association', 'substance_misuse', 'going_missing_with_others', 'unexplained_money_or_gifts', 'older_associates'] as const

const preventionFields = {
  conductedAt: Type.Optional(Nullable(Instant())),
  method: Type.Optional(Nullable(OneOf(INTERVIEW_METHODS))),
  harmDisclosed: Type.Optional(Nullable(Type.Boolean())),
  offencesDisclosed: Type.Optional(Nullable(Text(2000))),
  safeguardingReferral: Type.Optional(Type.Boolean()),
  notes: Type.Optional(Nullable(Text(4000))),
  // A decision not to interview must be recorded with its reason.
  notConductedReason: Type.Optional(Nullable(Text(1000))),
}

export const PreventionInterviewInput = Type.Object(preventionFields, { additionalProperties: false })
export type PreventionInterviewInput = Static<typeof PreventionInterviewInput>
export const PreventionInterviewUpdate = Type.Object({ version: Version, ...preventionFields }, { additionalProperties: false })
export type PreventionInterviewUpdate = Static<typeof PreventionInterviewUpdate>

const returnHomeFields = {
  offeredAt: Type.Optional(Nullable(Instant())),
  accepted: Type.Optional(Nullable(Type.Boolean())),
  completedAt: Type.Optional(Nullable(Instant())),
  interviewerIndependent: Type.Optional(Nullable(Type.Boolean())),
  pushFactors: Type.Optional(Nullable(Text(4000))),
  pullFactors: Type.Optional(Nullable(Text(4000))),
  exploitationIndicators: Type.Optional(Type.Array(OneOf(EXPLOITATION_INDICATORS), { maxItems: EXPLOITATION_INDICATORS.length })),
  actionsAgreed: Type.Optional(Nullable(Text(4000))),
  notConductedReason: Type.Optional(Nullable(Text(1000))),
}

export const ReturnHomeInterviewInput = Type.Object(returnHomeFields, { additionalProperties: false })
export type ReturnHomeInterviewInput = Static<typeof ReturnHomeInterviewInput>
export const ReturnHomeInterviewUpdate = Type.Object({ version: Version, ...returnHomeFields }, { additionalProperties: false })
export type ReturnHomeInterviewUpdate = Static<typeof ReturnHomeInterviewUpdate>

export const PreventionInterviewResponse = Type.Object({
  id: Uuid(),
  episodeId: Uuid(),
  conductedAt: Nullable(InstantOut()),
  officerUserId: Nullable(Uuid()),
  method: Nullable(Type.String()),
  harmDisclosed: Nullable(Type.Boolean()),
  offencesDisclosed: Nullable(Type.String()),
  safeguardingReferral: Type.Boolean(),
  notes: Nullable(Type.String()),
  notConductedReason: Nullable(Type.String()),
  version: Type.Integer(),
})

export const ReturnHomeInterviewResponse = Type.Object({
  id: Uuid(),
  episodeId: Uuid(),
  offeredAt: Nullable(InstantOut()),
  accepted: Nullable(Type.Boolean()),
  completedAt: Nullable(InstantOut()),
  dueBy: InstantOut({ description: '72 hours after the child returned (DfE statutory guidance, 2014)' }),
  within72Hours: Nullable(Type.Boolean({ description: 'Whether it was completed within 72 hours of return; null until completed' })),
  interviewerIndependent: Nullable(Type.Boolean()),
  pushFactors: Nullable(Type.String()),
  pullFactors: Nullable(Type.String()),
  exploitationIndicators: Type.Array(Type.String()),
  actionsAgreed: Nullable(Type.String()),
  notConductedReason: Nullable(Type.String()),
  version: Type.Integer(),
})
