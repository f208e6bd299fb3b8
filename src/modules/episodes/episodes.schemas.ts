import { Type, type Static } from '@sinclair/typebox'
import { Instant, InstantOut, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'

// APP risk grades, stored as codes with the APP version in force (DOMAIN-SOURCES.md §1.2).
// very_low is the current label; "no apparent risk" (2016-2021) and police "absent" map to it.
export const RISK_GRADES = ['very_low', 'low', 'medium', 'high'] as const
export type RiskGrade = (typeof RISK_GRADES)[number]
export const CURRENT_APP_VERSION = 'APP missing persons (2021 revision)'

// SSDA903 Missing: M missing from care, A away from placement without authorisation (§3.2).
export const LA_CATEGORIES = ['M', 'A'] as const
export const MISSING_FROM_TYPES = ['home', 'foster_placement', 'childrens_home', 'supported_accommodation', 'school', 'hospital', 'other'] as const
export const OUTCOMES = ['returned', 'found'] as const
export const RETURN_METHODS = ['returned_voluntarily', 'found_by_police', 'found_by_carer_or_family', 'found_by_other'] as const
export const HARM_OUTCOMES = ['no_apparent_harm', 'harmed', 'sexual_offence_victim', 'found_dead'] as const
export const RISK_ANSWERS = ['yes', 'no', 'unknown'] as const
export const VULNERABILITY_FLAGS = [
  'cse', 'cce', 'county_lines', 'trafficking', 'looked_after_child', 'mental_health', 'self_harm', 'suicide_concern',
  'dementia', 'learning_disability', 'drugs', 'alcohol', 'forced_marriage', 'honour_based_abuse', 'domestic_abuse',
  'communication_needs', 'radicalisation',
] as const
export const ACTION_KINDS = [
  'search', 'pnc_circulation', 'cctv', 'phone_enquiry', 'financial_enquiry', 'social_media', 'publicity', 'polsa_search',
  'family_liaison', 'dna', 'house_to_house', 'partner_agency', 'other',
] as const

// The 25 questions of the standard risk questionnaire (ACPO 2010 style; DOMAIN-SOURCES.md §1.2).
export const RISK_QUESTIONS = {
  q1: 'Is there any identified risk of suicide?',
  q2: 'Is criminality suspected to be a factor in the disappearance?',
  q3: 'Is the missing person vulnerable due to age, infirmity or other similar factor?',
  q4: 'Are there any known adverse effects if prescribed medication is not available?',
  q5: 'Does the missing person have dementia, medical or mental health conditions, physical illnesses or disabilities?',
  q6: 'Problems interacting safely with others in unfamiliar circumstances?',
  q7: 'Dependency on drugs, alcohol, medication or other substances?',
  q8: 'Is the missing person on the Child Protection Register?',
  q9: 'Do current or previous weather conditions present additional risk (age, clothing)?',
  q10: 'Family or relationship problems or recent family conflict and/or abuse?',
  q11: 'Victim or perpetrator of domestic violence?',
  q12: 'Ongoing personal issue linked to racial, sexual, homophobic, community or cultural issues?',
  q13: 'Involved in a violent and/or hate crime incident prior to disappearance?',
  q14: 'School, college, university, employment or financial problems?',
  q15: 'Is forced marriage or honour based abuse an issue?',
  q16: 'Victim of sexual exploitation, human trafficking or prostitution? Is going missing likely to place them at considerable harm?',
  q17: 'Circumstances different from normal behaviour patterns?',
  q18: 'Any known reason to go missing?',
  q19: 'Indications that preparations have been made for absence?',
  q20: 'What was the missing person intending to do when last seen; did they fail to complete intentions?',
  q21: 'Disappeared previously and exposed to harm on such occasions?',
  q22: 'Is the missing person a risk to others? In what way?',
  q23: 'Other unlisted factors relevant to risk?',
  q24: 'Mental health condition (excluding dementia)?',
  q25: 'Dementia or a specific progressive neurological disorder?',
} as const
export type RiskQuestion = keyof typeof RISK_QUESTIONS

const RiskAnswer = Type.Object(
  { answer: OneOf(RISK_ANSWERS), explanation: Type.Optional(Nullable(Text(2000))) },
  { additionalProperties: false },
)

export const RiskAssessmentInput = Type.Object(
  {
    assessedAt: Instant(),
    grade: OneOf(RISK_GRADES),
    rationale: Text(4000, { minLength: 1, errorMessage: 'Give the rationale for the grade' }),
    answers: Type.Optional(
      Type.Partial(Type.Object(Object.fromEntries(Object.keys(RISK_QUESTIONS).map((key) => [key, RiskAnswer])) as Record<RiskQuestion, typeof RiskAnswer>), {
        additionalProperties: false,
        errorMessage: 'must answer only the questions q1 to q25',
      }),
    ),
    vulnerabilityFlags: Type.Optional(Type.Array(OneOf(VULNERABILITY_FLAGS), { maxItems: VULNERABILITY_FLAGS.length })),
    // APP: record who supplied the information and when it was obtained.
    informationSource: Type.Optional(Nullable(Text(500))),
    informationObtainedAt: Type.Optional(Nullable(Instant())),
    supervisorReviewedAt: Type.Optional(Nullable(Instant())),
    nextReviewDueAt: Type.Optional(Nullable(Instant())),
  },
  { additionalProperties: false },
)
export type RiskAssessmentInput = Static<typeof RiskAssessmentInput>

const LastSeen = Type.Object(
  {
    place: Type.Optional(Nullable(Text(500))),
    postcode: Type.Optional(Nullable(Text(10))),
    by: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
)

const editableEpisodeFields = {
  reportedAt: Type.Optional(Nullable(Instant())),
  incidentReference: Type.Optional(Nullable(Text(50))),
  lastSeen: Type.Optional(LastSeen),
  missingFrom: Type.Optional(Nullable(Text(500))),
  missingFromType: Type.Optional(Nullable(OneOf(MISSING_FROM_TYPES))),
  circumstances: Type.Optional(Nullable(Text(4000))),
  clothing: Type.Optional(Nullable(Text(1000))),
  reportedBy: Type.Optional(Nullable(Text(200))),
  childRescueAlert: Type.Optional(Type.Boolean()),
}

export const EpisodeInput = Type.Object(
  {
    startedAt: Instant({ description: 'When last seen (or left the placement), whichever was later' }),
    laCategory: Type.Optional(OneOf(LA_CATEGORIES, { description: 'Local authorities only: M missing from care, A away without authorisation' })),
    continuesEpisodeId: Type.Optional(Nullable(Uuid({ description: 'The A (or M) episode this one follows on from, when whereabouts became unknown (or known)' }))),
    initialRisk: Type.Optional(RiskAssessmentInput),
    ...editableEpisodeFields,
  },
  { additionalProperties: false },
)
export type EpisodeInput = Static<typeof EpisodeInput>

export const EpisodeUpdateInput = Type.Object(
  {
    version: Version,
    startedAt: Type.Optional(Instant()),
    ukmpuNotifiedAt: Type.Optional(Nullable(Instant())),
    ...editableEpisodeFields,
  },
  { additionalProperties: false },
)
export type EpisodeUpdateInput = Static<typeof EpisodeUpdateInput>

export const EpisodeEndInput = Type.Object(
  {
    version: Version,
    endedAt: Instant(),
    outcome: OneOf(OUTCOMES),
    returnMethod: Type.Optional(Nullable(OneOf(RETURN_METHODS))),
    harmOutcome: Type.Optional(Nullable(OneOf(HARM_OUTCOMES))),
    foundPlace: Type.Optional(Nullable(Text(500))),
    foundPostcode: Type.Optional(Nullable(Text(10))),
  },
  { additionalProperties: false },
)
export type EpisodeEndInput = Static<typeof EpisodeEndInput>

export const VersionInput = Type.Object({ version: Version }, { additionalProperties: false })

export const REOPEN_REASONS = ['recorded_in_error', 'not_the_person'] as const

export const EpisodeReopenInput = Type.Object(
  {
    version: Version,
    reason: OneOf(REOPEN_REASONS, { description: 'recorded_in_error: the end was recorded by mistake; not_the_person: the person found was not them' }),
  },
  { additionalProperties: false },
)
export type EpisodeReopenInput = Static<typeof EpisodeReopenInput>

export const RiskAssessmentWithVersion = Type.Object({ ...RiskAssessmentInput.properties, version: Version }, { additionalProperties: false })
export type RiskAssessmentWithVersion = Static<typeof RiskAssessmentWithVersion>

export const ActionInput = Type.Object(
  {
    kind: OneOf(ACTION_KINDS),
    description: Text(2000, { minLength: 1, errorMessage: 'Describe the action' }),
    ownerUserId: Type.Optional(Nullable(Uuid())),
    dueAt: Type.Optional(Nullable(Instant())),
  },
  { additionalProperties: false },
)
export type ActionInput = Static<typeof ActionInput>

export const ActionUpdateInput = Type.Object(
  {
    version: Version,
    description: Type.Optional(Text(2000, { minLength: 1 })),
    ownerUserId: Type.Optional(Nullable(Uuid())),
    dueAt: Type.Optional(Nullable(Instant())),
    completedAt: Type.Optional(Nullable(Instant())),
    result: Type.Optional(Nullable(Text(4000))),
  },
  { additionalProperties: false },
)
export type ActionUpdateInput = Static<typeof ActionUpdateInput>

export const SightingInput = Type.Object(
  {
    seenAt: Instant(),
    place: Text(500, { minLength: 1, errorMessage: 'Say where they were seen' }),
    postcode: Type.Optional(Nullable(Text(10))),
    reportedBy: Type.Optional(Nullable(Text(200))),
    notes: Type.Optional(Nullable(Text(4000))),
  },
  { additionalProperties: false },
)
export type SightingInput = Static<typeof SightingInput>

export const LinkInput = Type.Object(
  { version: Version, otherEpisodeId: Uuid({ description: "The other agency's record of the same absence" }) },
  { additionalProperties: false },
)

export const EpisodeListQuery = Type.Object(
  {
    open: Type.Optional(Type.Boolean()),
    risk: Type.Optional(OneOf(RISK_GRADES)),
    laCategory: Type.Optional(OneOf(LA_CATEGORIES, { description: 'Local authorities: M missing or A away' })),
    reviewOverdue: Type.Optional(Type.Boolean({ description: 'Open episodes whose latest risk assessment is past its next review time' })),
    actionsOverdue: Type.Optional(Type.Boolean({ description: 'Episodes with an action past its due time and not completed' })),
    page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
  },
  { additionalProperties: false },
)

// ------------------------------------------------------------------ responses

const RiskAssessmentResponse = Type.Object({
  id: Uuid(),
  assessedAt: InstantOut(),
  assessorUserId: Nullable(Uuid()),
  grade: OneOf(RISK_GRADES),
  appVersion: Type.String(),
  isInitial: Type.Boolean(),
  rationale: Type.String(),
  answers: Type.Record(Type.String(), Type.Object({ answer: Type.String(), explanation: Nullable(Type.String()) })),
  vulnerabilityFlags: Type.Array(Type.String()),
  informationSource: Nullable(Type.String()),
  informationObtainedAt: Nullable(InstantOut()),
  supervisorReviewedAt: Nullable(InstantOut()),
  nextReviewDueAt: Nullable(InstantOut()),
})

export const ActionResponse = Type.Object({
  id: Uuid(),
  episodeId: Uuid(),
  kind: Type.String(),
  description: Type.String(),
  ownerUserId: Nullable(Uuid()),
  dueAt: Nullable(InstantOut()),
  completedAt: Nullable(InstantOut()),
  result: Nullable(Type.String()),
  overdue: Type.Boolean(),
  version: Type.Integer(),
  createdAt: InstantOut(),
})

export const SightingResponse = Type.Object({
  id: Uuid(),
  seenAt: InstantOut(),
  place: Type.String(),
  postcode: Nullable(Type.String()),
  reportedBy: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  createdAt: InstantOut(),
})

export const EpisodeResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  owningAgencyId: Uuid(),
  recordedBy: OneOf(['police', 'local_authority'] as const),
  laCategory: Nullable(OneOf(LA_CATEGORIES)),
  startedAt: InstantOut(),
  endedAt: Nullable(InstantOut()),
  open: Type.Boolean(),
  hoursMissing: Type.Number({ description: 'To the end, or to now while open' }),
  reportedAt: Nullable(InstantOut()),
  incidentReference: Nullable(Type.String()),
  continuesEpisodeId: Nullable(Uuid()),
  linkedEpisodeId: Nullable(Uuid()),
  lastSeen: Type.Object({ place: Nullable(Type.String()), postcode: Nullable(Type.String()), by: Nullable(Type.String()) }),
  missingFrom: Nullable(Type.String()),
  missingFromType: Nullable(Type.String()),
  circumstances: Nullable(Type.String()),
  clothing: Nullable(Type.String()),
  reportedBy: Nullable(Type.String()),
  currentRiskGrade: Nullable(OneOf(RISK_GRADES)),
  outcome: Nullable(OneOf(OUTCOMES)),
  returnMethod: Nullable(Type.String()),
  harmOutcome: Nullable(Type.String()),
  foundPlace: Nullable(Type.String()),
  foundPostcode: Nullable(Type.String()),
  ukmpuNotifiedAt: Nullable(InstantOut()),
  ukmpuNotificationDueAt: Nullable(InstantOut({ description: 'Police: 72 hours after the start while still missing and not yet notified' })),
  childRescueAlert: Type.Boolean(),
  riskAssessments: Type.Array(RiskAssessmentResponse),
  actions: Type.Array(ActionResponse),
  sightings: Type.Array(SightingResponse),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})

export const EpisodeSummaryResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  personName: Type.String(),
  recordedBy: Type.String(),
  laCategory: Nullable(Type.String()),
  startedAt: InstantOut(),
  endedAt: Nullable(InstantOut()),
  currentRiskGrade: Nullable(Type.String()),
  nextReviewDueAt: Nullable(InstantOut()),
  overdueActions: Type.Integer(),
  version: Type.Integer(),
})
