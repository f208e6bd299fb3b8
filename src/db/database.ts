import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// One typed interface for every table. Nullable columns are `T | null`, never optional.
// Calendar dates (`date`) are ISO strings `YYYY-MM-DD`; instants (`timestamptz`) are Date.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Version = ColumnType<number, number | undefined, number>
type Numeric = ColumnType<string, string | number, string | number>
type Json<T> = ColumnType<T, string, string>

interface DomainColumns {
  created_at: CreatedAt
  updated_at: Timestamp
  version: Version
}

export interface AgencyTable extends DomainColumns {
  id: string
  kind: string
  code: string
  name: string
  welsh_name: string | null
  region: string | null
  nation: string
  contact_phone: string | null
  contact_email: string | null
  active: Generated<boolean>
  replaced_by_code: string | null
}

export interface AppUserTable extends DomainColumns {
  id: string
  agency_id: string
  email: string
  display_name: string
  password_hash: string
  roles: string[]
  active: Generated<boolean>
  last_signed_in_at: Date | null
}

export interface ApiTokenTable {
  id: string
  agency_id: string
  name: string
  token_hash: string
  roles: string[]
  created_by_user_id: string | null
  expires_at: Date | null
  revoked_at: Date | null
  last_used_at: Date | null
  created_at: CreatedAt
}

export interface UserSessionTable {
  id: string
  user_id: string
  token_hash: string
  created_at: CreatedAt
  expires_at: Date
  revoked_at: Date | null
}

export interface PersonTable extends DomainColumns {
  id: string
  owning_agency_id: string
  sex: string
  dob_earliest: string | null
  dob_latest: string | null
  dob_source: string | null
  age_disputed: Generated<boolean>
  ethnicity: string | null
  nationalities: Generated<string[]>
  languages: Generated<string[]>
  height_cm: number | null
  build: string | null
  hair: string | null
  eyes: string | null
  distinguishing_marks: string | null
  description_notes: string | null
  unaccompanied: Generated<boolean>
  suspected_trafficking: Generated<boolean>
  restricted_location: Generated<boolean>
  created_by_user_id: string | null
}

export interface PersonNameTable {
  id: string
  person_id: string
  position: number
  kind: string
  text: string
  script: string
  transliteration: string | null
  folded: string
  phonetic: string
}

export interface PersonIdentifierTable {
  id: string
  person_id: string
  kind: string
  value: string
  issuing_agency_id: string | null
}

export interface PersonPhotoTable {
  id: string
  person_id: string
  content_type: string
  bytes: Uint8Array
  taken_on: string | null
  caption: string | null
  created_at: CreatedAt
}

export interface MissingEpisodeTable extends DomainColumns {
  id: string
  person_id: string
  owning_agency_id: string
  recorded_by: string
  started_at: Date
  ended_at: Date | null
  reported_at: Date | null
  incident_reference: string | null
  la_category: string | null
  continues_episode_id: string | null
  linked_episode_id: string | null
  last_seen_place: string | null
  last_seen_postcode: string | null
  last_seen_by: string | null
  missing_from: string | null
  missing_from_type: string | null
  circumstances: string | null
  clothing: string | null
  reported_by: string | null
  current_risk_grade: string | null
  outcome: string | null
  return_method: string | null
  harm_outcome: string | null
  found_place: string | null
  found_postcode: string | null
  ukmpu_notified_at: Date | null
  child_rescue_alert: Generated<boolean>
  created_by_user_id: string | null
}

export interface RiskAssessmentTable {
  id: string
  episode_id: string
  assessed_at: Date
  assessor_user_id: string | null
  grade: string
  app_version: string
  is_initial: boolean
  rationale: string
  answers: Json<Record<string, { answer: string; explanation: string | null }>>
  vulnerability_flags: string[]
  information_source: string | null
  information_obtained_at: Date | null
  supervisor_reviewed_at: Date | null
  next_review_due_at: Date | null
  created_at: CreatedAt
}

export interface EpisodeActionTable extends DomainColumns {
  id: string
  episode_id: string
  kind: string
  description: string
  owner_user_id: string | null
  due_at: Date | null
  completed_at: Date | null
  result: string | null
  created_by_user_id: string | null
}

export interface SightingTable {
  id: string
  episode_id: string
  seen_at: Date
  place: string
  postcode: string | null
  reported_by: string | null
  notes: string | null
  created_by_user_id: string | null
  created_at: CreatedAt
}

export interface CareEpisodeTable extends DomainColumns {
  id: string
  person_id: string
  responsible_agency_id: string
  started_on: string
  reason_for_new_episode: string
  legal_status: string
  category_of_need: string
  placement_type: string
  placement_provider: string | null
  ended_on: string | null
  reason_ended: string | null
  reason_for_placement_change: string | null
  home_postcode: string | null
  placement_postcode: string | null
  provider_urn: string | null
  host_agency_id: string | null
  placement_district_code: string | null
  distance_miles: Numeric | null
  out_of_area: boolean | null
  over_20_miles: boolean | null
  created_by_user_id: string | null
}

export interface NrmReferralTable extends DomainColumns {
  id: string
  person_id: string
  referring_agency_id: string
  competent_authority_id: string
  referred_on: string
  nrm_reference: string | null
  exploitation_types: string[]
  county_lines: boolean
  exploitation_location: string
  age_at_exploitation: string
  notes: string | null
  created_by_user_id: string | null
}

export interface NrmDecisionTable {
  id: string
  referral_id: string
  stage: string
  outcome: string
  conclusive_finding: string | null
  decided_on: string
  recovery_period_ends_on: string | null
  reconsideration: boolean
  decided_by_user_id: string | null
  created_at: CreatedAt
}

export interface IctgAssignmentTable extends DomainColumns {
  id: string
  person_id: string
  guardian_agency_id: string
  guardian_user_id: string | null
  role: string
  allocated_on: string
  ended_on: string | null
}

export interface ProtocolProfileTable extends DomainColumns {
  id: string
  person_id: string
  protocol: string
  owner_agency_id: string
  details: Json<Record<string, unknown>>
  risk_assessed_locations: Json<unknown[]>
  associates: Json<unknown[]>
  vulnerabilities: string[]
  consent_basis: string
  last_reviewed_on: string | null
  photo_updated_on: string | null
  created_by_user_id: string | null
}

export interface PreventionInterviewTable extends DomainColumns {
  id: string
  episode_id: string
  conducted_at: Date | null
  officer_user_id: string | null
  method: string | null
  harm_disclosed: boolean | null
  offences_disclosed: string | null
  safeguarding_referral: boolean
  notes: string | null
  not_conducted_reason: string | null
}

export interface ReturnHomeInterviewTable extends DomainColumns {
  id: string
  episode_id: string
  offered_at: Date | null
  accepted: boolean | null
  completed_at: Date | null
  interviewer_independent: boolean | null
  push_factors: string | null
  pull_factors: string | null
  exploitation_indicators: string[]
  actions_agreed: string | null
  not_conducted_reason: string | null
}

export interface AuditLaneTable {
  lane: number
  last_position: number
  last_hash: string
}

export interface AuditEventTable {
  seq: Generated<number>
  lane: number | null
  position: Generated<number>
  occurred_at: Generated<Date>
  actor_user_id: string | null
  actor_token_id: string | null
  actor_agency_id: string | null
  operation: string
  action: string
  subject_person_id: string | null
  record_type: string | null
  record_id: string | null
  purpose: string | null
  recipient_agency_id: string | null
  detail: string | null
  prev_hash: Generated<string>
  hash: Generated<string>
}

export interface Database {
  agency: AgencyTable
  app_user: AppUserTable
  api_token: ApiTokenTable
  user_session: UserSessionTable
  person: PersonTable
  person_name: PersonNameTable
  person_identifier: PersonIdentifierTable
  person_photo: PersonPhotoTable
  missing_episode: MissingEpisodeTable
  risk_assessment: RiskAssessmentTable
  episode_action: EpisodeActionTable
  sighting: SightingTable
  care_episode: CareEpisodeTable
  nrm_referral: NrmReferralTable
  nrm_decision: NrmDecisionTable
  ictg_assignment: IctgAssignmentTable
  protocol_profile: ProtocolProfileTable
  prevention_interview: PreventionInterviewTable
  return_home_interview: ReturnHomeInterviewTable
  audit_lane: AuditLaneTable
  audit_event: AuditEventTable
}

export type Row<T extends keyof Database> = Selectable<Database[T]>
export type NewRow<T extends keyof Database> = Insertable<Database[T]>
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>
