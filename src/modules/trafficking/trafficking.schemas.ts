import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'

// Vocabularies of the NRM referral form and the Home Office statistics (DOMAIN-SOURCES.md §5.2, §5.3).
export const EXPLOITATION_TYPES = ['labour', 'sexual', 'criminal', 'domestic_servitude', 'organ_harvesting', 'unknown'] as const
export const EXPLOITATION_LOCATIONS = ['uk', 'overseas', 'uk_and_overseas', 'unknown'] as const
export const AGES_AT_EXPLOITATION = ['child', 'adult', 'unknown'] as const
// DOMAIN-SOURCES.md §5.1: reasonable grounds, then (after the recovery period) conclusive grounds.
export const DECISION_STAGES = ['reasonable_grounds', 'conclusive_grounds'] as const
export const DECISION_OUTCOMES = ['positive', 'negative'] as const
// The two positive conclusive findings in England and Wales (§5.1, stage 4); "not recognised" is a negative outcome.
export const CONCLUSIVE_FINDINGS = ['human_trafficking', 'slavery_servitude_forced_labour'] as const
export const REFERRAL_STATUSES = [
  'awaiting_reasonable_grounds',
  'negative_reasonable_grounds',
  'awaiting_conclusive_grounds',
  'positive_conclusive_grounds',
  'negative_conclusive_grounds',
] as const
export const QUEUES = ['awaiting_reasonable_grounds', 'awaiting_conclusive_grounds'] as const
// ICTG roles (DOMAIN-SOURCES.md §5.4).
export const GUARDIAN_ROLES = ['direct_worker', 'regional_practice_coordinator', 'regional_practitioner', 'post_18_worker'] as const

const referralFields = {
  competentAuthorityId: Uuid({ errorMessage: 'must be the id of a competent authority' }),
  referredOn: IsoDate(),
  nrmReference: Type.Optional(Nullable(Text(50))),
  exploitationTypes: Type.Array(OneOf(EXPLOITATION_TYPES), {
    minItems: 1,
    maxItems: EXPLOITATION_TYPES.length,
    uniqueItems: true,
    errorMessage: `Give at least one exploitation type, each once, from ${EXPLOITATION_TYPES.join(', ')}`,
  }),
  countyLines: Type.Boolean({ errorMessage: 'must be true or false' }),
  exploitationLocation: OneOf(EXPLOITATION_LOCATIONS),
  ageAtExploitation: OneOf(AGES_AT_EXPLOITATION),
  notes: Type.Optional(Nullable(Text(4000))),
}

export const NrmReferralInput = Type.Object(referralFields, { additionalProperties: false })
export type NrmReferralInput = Static<typeof NrmReferralInput>

export const NrmReferralUpdateInput = Type.Object(
  {
    version: Version,
    competentAuthorityId: Type.Optional(referralFields.competentAuthorityId),
    referredOn: Type.Optional(referralFields.referredOn),
    nrmReference: referralFields.nrmReference,
    exploitationTypes: Type.Optional(referralFields.exploitationTypes),
    countyLines: Type.Optional(referralFields.countyLines),
    exploitationLocation: Type.Optional(referralFields.exploitationLocation),
    ageAtExploitation: Type.Optional(referralFields.ageAtExploitation),
    notes: referralFields.notes,
  },
  { additionalProperties: false },
)
export type NrmReferralUpdateInput = Static<typeof NrmReferralUpdateInput>

export const NrmDecisionInput = Type.Object(
  {
    stage: OneOf(DECISION_STAGES),
    outcome: OneOf(DECISION_OUTCOMES),
    conclusiveFinding: Type.Optional(Nullable(OneOf(CONCLUSIVE_FINDINGS))),
    decidedOn: IsoDate(),
    reconsideration: Type.Optional(Type.Boolean({ errorMessage: 'must be true or false' })),
  },
  { additionalProperties: false },
)
export type NrmDecisionInput = Static<typeof NrmDecisionInput>

export const NrmQueueQuery = Type.Object(
  {
    decision: Type.Optional(OneOf(QUEUES)),
    page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
  },
  { additionalProperties: false },
)
export type NrmQueueQuery = Static<typeof NrmQueueQuery>

export const GuardianAssignmentInput = Type.Object(
  {
    guardianAgencyId: Uuid({ errorMessage: 'must be the id of a child trafficking guardian service' }),
    guardianUserId: Type.Optional(Nullable(Uuid({ errorMessage: 'must be the id of a guardian of that service' }))),
    role: OneOf(GUARDIAN_ROLES),
    allocatedOn: IsoDate(),
  },
  { additionalProperties: false },
)
export type GuardianAssignmentInput = Static<typeof GuardianAssignmentInput>

export const GuardianAssignmentUpdateInput = Type.Object(
  {
    version: Version,
    guardianUserId: GuardianAssignmentInput.properties.guardianUserId,
    role: Type.Optional(OneOf(GUARDIAN_ROLES)),
    endedOn: Type.Optional(Nullable(IsoDate())),
  },
  { additionalProperties: false },
)
export type GuardianAssignmentUpdateInput = Static<typeof GuardianAssignmentUpdateInput>

// ------------------------------------------------------------------ what the API returns

export const NrmDecisionResponse = Type.Object({
  id: Uuid(),
  stage: OneOf(DECISION_STAGES),
  outcome: OneOf(DECISION_OUTCOMES),
  conclusiveFinding: Nullable(OneOf(CONCLUSIVE_FINDINGS)),
  decidedOn: IsoDate(),
  recoveryPeriodEndsOn: Nullable(IsoDate({ description: 'On a positive reasonable-grounds decision: the earliest date of a conclusive-grounds decision' })),
  reconsideration: Type.Boolean(),
  decidedByUserId: Nullable(Uuid()),
  createdAt: InstantOut(),
})

export const NrmReferralResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  referringAgencyId: Uuid(),
  competentAuthorityId: Uuid(),
  referredOn: IsoDate(),
  nrmReference: Nullable(Type.String()),
  exploitationTypes: Type.Array(OneOf(EXPLOITATION_TYPES)),
  countyLines: Type.Boolean(),
  exploitationLocation: OneOf(EXPLOITATION_LOCATIONS),
  ageAtExploitation: OneOf(AGES_AT_EXPLOITATION),
  notes: Nullable(Type.String()),
  status: OneOf(REFERRAL_STATUSES, { description: 'Where the referral stands, from its decisions in force' }),
  reasonableGroundsDueOn: IsoDate({ description: '5 working days after the referral: weekends and England and Wales bank holidays are not counted' }),
  reasonableGroundsOverdue: Type.Boolean({ description: 'No reasonable-grounds decision yet, and the due date has passed' }),
  decisions: Type.Array(NrmDecisionResponse),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})

export const GuardianAssignmentResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  guardianAgencyId: Uuid(),
  guardianUserId: Nullable(Uuid()),
  role: OneOf(GUARDIAN_ROLES),
  allocatedOn: IsoDate(),
  endedOn: Nullable(IsoDate()),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})
