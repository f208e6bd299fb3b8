// The six processing operations of the Data Protection Act 2018, s62(1).
export const OPERATIONS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'] as const
export type Operation = (typeof OPERATIONS)[number]

// Every audited action, VERB_NOUN, with the s62 operation it is.
export const ACTIONS = {
  CREATE_PERSON: 'collection',
  VIEW_PERSON: 'consultation',
  LIST_PEOPLE: 'consultation',
  UPDATE_PERSON: 'alteration',
  ERASE_PERSON: 'erasure',
  ADD_PHOTO: 'collection',
  VIEW_PHOTO: 'consultation',
  VIEW_REGISTER_ENTRY: 'consultation',
  LIST_REGISTER: 'consultation',
  DISCLOSE_RECORD: 'disclosure',
  CREATE_EPISODE: 'collection',
  VIEW_EPISODE: 'consultation',
  LIST_EPISODES: 'consultation',
  UPDATE_EPISODE: 'alteration',
  END_EPISODE: 'alteration',
  REOPEN_EPISODE: 'alteration',
  LINK_EPISODES: 'combination',
  RECORD_RISK_ASSESSMENT: 'collection',
  RECORD_ACTION: 'collection',
  UPDATE_ACTION: 'alteration',
  RECORD_SIGHTING: 'collection',
  CREATE_CARE_EPISODE: 'collection',
  UPDATE_CARE_EPISODE: 'alteration',
  VIEW_CARE_EPISODES: 'consultation',
  CREATE_NRM_REFERRAL: 'collection',
  VIEW_NRM_REFERRAL: 'consultation',
  UPDATE_NRM_REFERRAL: 'alteration',
  RECORD_NRM_DECISION: 'collection',
  ASSIGN_GUARDIAN: 'collection',
  VIEW_GUARDIAN_ASSIGNMENT: 'consultation',
  UPDATE_GUARDIAN_ASSIGNMENT: 'alteration',
  CREATE_PROTOCOL_PROFILE: 'collection',
  VIEW_PROTOCOL_PROFILE: 'consultation',
  UPDATE_PROTOCOL_PROFILE: 'alteration',
  RECORD_PREVENTION_INTERVIEW: 'collection',
  UPDATE_PREVENTION_INTERVIEW: 'alteration',
  RECORD_RETURN_HOME_INTERVIEW: 'collection',
  UPDATE_RETURN_HOME_INTERVIEW: 'alteration',
  VIEW_AUDIT_TRAIL: 'consultation',
  CREATE_USER: 'collection',
  UPDATE_USER: 'alteration',
  CREATE_API_TOKEN: 'collection',
  REVOKE_API_TOKEN: 'alteration',
  // statistics and generate (issue 4)
  GENERATE_SYNTHETIC_DATA: 'collection',
  REFRESH_STATISTICS: 'combination',
  VIEW_UNROUNDED_STATISTICS: 'consultation',
  // interchange: a person record made, or changed, by importing an agency's file (docs/adr/0015)
  IMPORT_PERSON: 'collection',
  REIMPORT_PERSON: 'alteration',
  // identity (issue 5): encounter searches, each match shown, linkage runs, review decisions
  SEARCH_ENCOUNTER: 'consultation',
  VIEW_ENCOUNTER_MATCH: 'consultation',
  RUN_IDENTITY_LINKAGE: 'combination',
  VIEW_IDENTITY_REVIEW: 'consultation',
  DECIDE_IDENTITY_LINK: 'combination',
} as const satisfies Record<string, Operation>

export type AuditAction = keyof typeof ACTIONS

export type RecordType =
  | 'person'
  | 'photo'
  | 'missing_episode'
  | 'risk_assessment'
  | 'episode_action'
  | 'sighting'
  | 'care_episode'
  | 'nrm_referral'
  | 'nrm_decision'
  | 'ictg_assignment'
  | 'protocol_profile'
  | 'prevention_interview'
  | 'return_home_interview'
  | 'app_user'
  | 'api_token'
  | 'register'
  | 'generation_run'
  | 'statistics_refresh'
  | 'import_run'
  | 'disclosure'
  | 'identity_link'
  | 'encounter_search'

export interface AuditEntry {
  action: AuditAction
  subjectPersonId: string | null
  recordType: RecordType | null
  recordId: string | null
  recipientAgencyId?: string | null
  /** Ids and codes only: never names, dates of birth or addresses. */
  detail?: Record<string, string | number | boolean | null | string[]>
}
