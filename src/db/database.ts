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
  /** The day suspicion began (London); null exactly when not suspected (docs/adr/0014). */
  suspected_trafficking_since: string | null
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

// ---------------------------------------------------------------- statistics and generate (issue 4)

export interface GenerationRunTable {
  id: string
  started_at: Generated<Date>
  finished_at: Date | null
  options: Json<Record<string, unknown>>
  counts: Json<Record<string, number>> | null
  dropped_definitions: ColumnType<{ kind: 'key' | 'index' | 'constraint'; table: string; name: string; definition: string }[], string | undefined, string>
}

export interface StatisticsRefreshTable {
  id: string
  started_at: Date
  finished_at: Date
  as_at: Date
  episodes: number
  care_starts: number
  referrals: number
}

export interface StatisticsEpisodeTable {
  episode_id: string
  recorded_by: string
  person_id: string
  financial_year: number
  end_financial_year: number | null
  started_at: Date
  ended_at: Date | null
  la_category: string | null
  duration_hours: number | null
  over_24_hours: boolean
  outcome: string
  trafficking_status: string
  unaccompanied: boolean
  placement_type: string | null
  responsible_agency_id: string | null
  host_agency_id: string | null
  out_of_area: boolean | null
  distance_band: string
  age_band: string
  sex: string
  nationality: string
  police_force_id: string | null
  area_agency_id: string | null
  linked: boolean
}

export interface StatisticsCareStartTable {
  person_id: string
  started_on: string
  financial_year: number
  responsible_agency_id: string
  unaccompanied: boolean
  trafficking_status: string
  hours_to_first_missing: number | null
}

export interface StatisticsReferralTable {
  referral_id: string
  person_id: string
  referred_on: string
  financial_year: number
  responsible_agency_id: string
  unaccompanied: boolean
  hours_to_first_missing: number | null
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
  generation_run: GenerationRunTable
  statistics_refresh: StatisticsRefreshTable
  statistics_episode: StatisticsEpisodeTable
  statistics_care_start: StatisticsCareStartTable
  statistics_referral: StatisticsReferralTable
  // interchange
  import_run: ImportRunTable
  import_issue: ImportIssueTable
  ssda903_return_child: Ssda903ReturnChildTable
  interchange_source_record: InterchangeSourceRecordTable
  pfif_note: PfifNoteTable
  disclosure: DisclosureTable
}

export type Row<T extends keyof Database> = Selectable<Database[T]>
export type NewRow<T extends keyof Database> = Insertable<Database[T]>
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>

// ---------------------------------------------------------------- real time: events, alerts, tasks, notifications (issue 7)
// Declared as a second `Database` block, merged with the one above, so this block stands alone.

/** Who may receive an event: users of the agency holding one of the roles (and, when set, only that user). */
export interface EventAudienceEntry {
  agencyId: string
  roles: string[]
  userId: string | null
}

export type EventPayload = Record<string, string | number | boolean | null | string[]>

export interface OutboxEventTable {
  seq: Generated<number>
  type: string
  occurred_at: Generated<Date>
  actor_user_id: string | null
  actor_agency_id: string | null
  person_id: string | null
  episode_id: string | null
  subject_type: string | null
  subject_id: string | null
  audience: Json<EventAudienceEntry[]>
  payload: Json<EventPayload>
}

export interface WebhookSubscriptionTable extends DomainColumns {
  id: string
  agency_id: string
  url: string
  secret: string
  roles: string[]
  event_types: string[]
  active: Generated<boolean>
  created_by_user_id: string | null
}

export interface WebhookDeliveryTable {
  id: string
  subscription_id: string
  event_seq: number
  status: Generated<string>
  attempts: Generated<number>
  next_attempt_at: Date
  last_attempt_at: Date | null
  last_status_code: number | null
  last_error: string | null
  delivered_at: Date | null
  created_at: CreatedAt
}

export interface AlertTable extends DomainColumns {
  id: string
  rule: string
  dedupe_key: string
  person_id: string | null
  episode_id: string | null
  agency_id: string
  roles: string[]
  user_id: string | null
  detail: Json<EventPayload>
  raised_at: Date
  acknowledged_at: Date | null
  acknowledged_by_user_id: string | null
  escalated_at: Date | null
  escalated_to_role: string | null
}

export interface TaskTable extends DomainColumns {
  id: string
  kind: string
  key: string
  person_id: string | null
  episode_id: string | null
  referral_id: string | null
  owner_agency_id: string
  owner_role: string
  owner_user_id: string | null
  due_at: Date
  status: Generated<string>
  closed_at: Date | null
  closed_reason: string | null
  escalated_at: Date | null
  escalated_to_role: string | null
}

export interface NotificationPreferenceTable extends DomainColumns {
  user_id: string
  email_kinds: string[]
}

export interface NotificationTable {
  id: string
  user_id: string
  kind: string
  link_path: string
  status: Generated<string>
  attempts: Generated<number>
  next_attempt_at: Generated<Date>
  sent_at: Date | null
  last_error: string | null
  created_at: CreatedAt
}

export interface Database {
  outbox_event: OutboxEventTable
  webhook_subscription: WebhookSubscriptionTable
  webhook_delivery: WebhookDeliveryTable
  alert: AlertTable
  task: TaskTable
  notification_preference: NotificationPreferenceTable
  notification: NotificationTable
}

// ---------------------------------------------------------------- interchange (SSDA903, NRM, police, PFIF files)

export interface ImportRunTable {
  id: string
  agency_id: string
  actor_user_id: string | null
  actor_token_id: string | null
  format: string
  collection_year: number | null
  accept_valid: boolean
  status: string
  files: Json<{ name: string; table: string | null; rows: number; bytes: number; sha256: string }[]>
  summary: Json<Record<string, unknown>>
  issue_count: number
  started_at: Date
  finished_at: Date
}

export interface ImportIssueTable {
  run_id: string
  position: number
  rule: string
  message: string
  table_name: string | null
  line: number | null
  field: string | null
  record_key: string | null
}

export interface Ssda903ReturnChildTable {
  agency_id: string
  collection_year: number
  child: string
  person_id: string
  care_episode_ids: string[]
  missing_episode_ids: string[]
  mother: string | null
  mother_child_dob: string | null
  uasc_ceased_on: string | null
  import_run_id: string
}

export interface InterchangeSourceRecordTable {
  agency_id: string
  format: string
  record_type: string
  source_key: string
  record_id: string
  person_id: string
  import_run_id: string
}

export interface PfifNoteTable {
  id: string
  person_id: string
  note_record_id: string
  linked_person_record_id: string | null
  entry_date: Date | null
  author_name: string
  author_email: string | null
  author_phone: string | null
  source_date: Date
  status: string | null
  author_made_contact: boolean | null
  email_of_found_person: string | null
  phone_of_found_person: string | null
  last_known_location: string | null
  text: string
  photo_url: string | null
  import_run_id: string
  created_at: CreatedAt
}

export interface DisclosureTable {
  id: string
  agency_id: string
  actor_user_id: string | null
  actor_token_id: string | null
  format: string
  recipient: string
  purpose: string
  person_count: number
  fields: string[]
  sha256: string
  created_at: CreatedAt
}

// ---------------------------------------------------------------- identity: links, decisions, identities, index changes (issue 5)
// Declared as a further `Database` block, merged with the ones above, so this block stands alone.

export interface IdentityLinkTable {
  id: string
  person_a_id: string
  person_b_id: string
  match_weight: number
  match_probability: number
  explanation: unknown
  status: 'linked' | 'review' | 'confirmed' | 'rejected'
  run_id: string
  created_at: Generated<Date>
  updated_at: Generated<Date>
  version: Generated<number>
}

export interface IdentityLinkDecisionTable {
  id: string
  person_a_id: string
  person_b_id: string
  decision: 'same_person' | 'different_people'
  reason: string
  match_probability: number
  decided_by_user_id: string | null
  decided_by_agency_id: string
  decided_at: Generated<Date>
}

export interface IdentityTable {
  id: string
  run_id: string
  created_at: Generated<Date>
}

export interface IdentityMemberTable {
  person_id: string
  identity_id: string
}

export interface IdentityChangeTable {
  person_id: string
  seq: number
  changed_at: Date
}

export interface IdentityAlertTable {
  person_id: string
  matched_person_id: string
  episode_id: string
  match_probability: number
  raised_at: Generated<Date>
}

export interface Database {
  identity_alert: IdentityAlertTable
  identity_link: IdentityLinkTable
  identity_link_decision: IdentityLinkDecisionTable
  identity: IdentityTable
  identity_member: IdentityMemberTable
  identity_change: IdentityChangeTable
}
