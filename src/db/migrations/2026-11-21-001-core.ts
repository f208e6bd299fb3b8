import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Statements run one at a time because PGlite's extended protocol takes one statement per query.

const domainColumns = `
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1`

const statements: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`,
  `CREATE EXTENSION IF NOT EXISTS unaccent`,

  // ---------------------------------------------------------------- agencies and people who act for them
  `CREATE TABLE agency (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('police_force', 'local_authority', 'competent_authority', 'ictg_service', 'first_responder')),
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    welsh_name text,
    region text,
    nation text NOT NULL CHECK (nation IN ('england', 'wales', 'united_kingdom')),
    contact_phone text,
    contact_email text,
    active boolean NOT NULL DEFAULT true,
    replaced_by_code text,
    ${domainColumns}
  )`,
  `CREATE TABLE app_user (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agency (id),
    email text NOT NULL UNIQUE,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    roles text[] NOT NULL,
    active boolean NOT NULL DEFAULT true,
    last_signed_in_at timestamptz,
    ${domainColumns}
  )`,
  `CREATE TABLE api_token (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agency (id),
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    roles text[] NOT NULL,
    created_by_user_id uuid REFERENCES app_user (id),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE user_session (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`,

  // ---------------------------------------------------------------- person records
  `CREATE TABLE person (
    id uuid PRIMARY KEY,
    owning_agency_id uuid NOT NULL REFERENCES agency (id),
    sex text NOT NULL CHECK (sex IN ('male', 'female', 'unknown')),
    dob_earliest date,
    dob_latest date,
    dob_source text CHECK (dob_source IN ('stated', 'documented', 'assessed', 'estimated')),
    age_disputed boolean NOT NULL DEFAULT false,
    ethnicity text,
    nationalities text[] NOT NULL DEFAULT '{}',
    languages text[] NOT NULL DEFAULT '{}',
    height_cm integer CHECK (height_cm BETWEEN 30 AND 250),
    build text,
    hair text,
    eyes text,
    distinguishing_marks text,
    description_notes text,
    unaccompanied boolean NOT NULL DEFAULT false,
    suspected_trafficking boolean NOT NULL DEFAULT false,
    restricted_location boolean NOT NULL DEFAULT false,
    created_by_user_id uuid,
    ${domainColumns},
    CHECK (dob_earliest IS NULL OR dob_latest IS NULL OR dob_earliest <= dob_latest)
  )`,
  `CREATE INDEX person_owning_agency_idx ON person (owning_agency_id)`,
  `CREATE TABLE person_name (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    position integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('given', 'family', 'full', 'alias', 'nickname')),
    text text NOT NULL,
    script text NOT NULL DEFAULT 'Latn',
    transliteration text,
    folded text NOT NULL,
    phonetic text NOT NULL
  )`,
  `CREATE INDEX person_name_person_idx ON person_name (person_id, position)`,
  `CREATE INDEX person_name_folded_trgm_idx ON person_name USING gin (folded gin_trgm_ops)`,
  `CREATE INDEX person_name_phonetic_idx ON person_name (phonetic)`,
  `CREATE TABLE person_identifier (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('force_reference', 'pnc_id', 'la_child_id', 'upn', 'home_office_reference', 'nrm_reference')),
    value text NOT NULL,
    issuing_agency_id uuid REFERENCES agency (id)
  )`,
  `CREATE INDEX person_identifier_person_idx ON person_identifier (person_id)`,
  `CREATE INDEX person_identifier_value_idx ON person_identifier (kind, value)`,
  `CREATE TABLE person_photo (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes bytea NOT NULL,
    taken_on date,
    caption text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX person_photo_person_idx ON person_photo (person_id)`,

  // ---------------------------------------------------------------- missing episodes (police and LA views)
  `CREATE TABLE missing_episode (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    owning_agency_id uuid NOT NULL REFERENCES agency (id),
    recorded_by text NOT NULL CHECK (recorded_by IN ('police', 'local_authority')),
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    reported_at timestamptz,
    incident_reference text,
    la_category text CHECK (la_category IN ('M', 'A')),
    continues_episode_id uuid REFERENCES missing_episode (id),
    linked_episode_id uuid REFERENCES missing_episode (id),
    last_seen_place text,
    last_seen_postcode text,
    last_seen_by text,
    missing_from text,
    missing_from_type text CHECK (missing_from_type IN ('home', 'foster_placement', 'childrens_home', 'supported_accommodation', 'school', 'hospital', 'other')),
    circumstances text,
    clothing text,
    reported_by text,
    current_risk_grade text CHECK (current_risk_grade IN ('very_low', 'low', 'medium', 'high')),
    outcome text CHECK (outcome IN ('returned', 'found')),
    return_method text CHECK (return_method IN ('returned_voluntarily', 'found_by_police', 'found_by_carer_or_family', 'found_by_other')),
    harm_outcome text CHECK (harm_outcome IN ('no_apparent_harm', 'harmed', 'sexual_offence_victim', 'found_dead')),
    found_place text,
    found_postcode text,
    ukmpu_notified_at timestamptz,
    child_rescue_alert boolean NOT NULL DEFAULT false,
    created_by_user_id uuid,
    ${domainColumns},
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK ((recorded_by = 'local_authority') = (la_category IS NOT NULL))
  )`,
  `CREATE INDEX missing_episode_person_idx ON missing_episode (person_id, started_at)`,
  `CREATE INDEX missing_episode_agency_idx ON missing_episode (owning_agency_id, started_at DESC)`,
  `CREATE INDEX missing_episode_open_idx ON missing_episode (started_at DESC) WHERE ended_at IS NULL`,
  `CREATE TABLE risk_assessment (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES missing_episode (id) ON DELETE CASCADE,
    assessed_at timestamptz NOT NULL,
    assessor_user_id uuid,
    grade text NOT NULL CHECK (grade IN ('very_low', 'low', 'medium', 'high')),
    app_version text NOT NULL,
    is_initial boolean NOT NULL,
    rationale text NOT NULL,
    answers jsonb NOT NULL DEFAULT '{}',
    vulnerability_flags text[] NOT NULL DEFAULT '{}',
    information_source text,
    information_obtained_at timestamptz,
    supervisor_reviewed_at timestamptz,
    next_review_due_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX risk_assessment_episode_idx ON risk_assessment (episode_id, assessed_at)`,
  `CREATE TABLE episode_action (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES missing_episode (id) ON DELETE CASCADE,
    kind text NOT NULL,
    description text NOT NULL,
    owner_user_id uuid,
    due_at timestamptz,
    completed_at timestamptz,
    result text,
    created_by_user_id uuid,
    ${domainColumns}
  )`,
  `CREATE INDEX episode_action_episode_idx ON episode_action (episode_id, created_at)`,
  `CREATE TABLE sighting (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES missing_episode (id) ON DELETE CASCADE,
    seen_at timestamptz NOT NULL,
    place text NOT NULL,
    postcode text,
    reported_by text,
    notes text,
    created_by_user_id uuid,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX sighting_episode_idx ON sighting (episode_id, seen_at)`,

  // ---------------------------------------------------------------- care (SSDA903 Episodes)
  `CREATE TABLE care_episode (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    responsible_agency_id uuid NOT NULL REFERENCES agency (id),
    started_on date NOT NULL,
    reason_for_new_episode text NOT NULL,
    legal_status text NOT NULL,
    category_of_need text NOT NULL,
    placement_type text NOT NULL,
    placement_provider text,
    ended_on date,
    reason_ended text,
    reason_for_placement_change text,
    home_postcode text,
    placement_postcode text,
    provider_urn text,
    host_agency_id uuid REFERENCES agency (id),
    placement_district_code text,
    distance_miles numeric(6, 1),
    out_of_area boolean,
    over_20_miles boolean,
    created_by_user_id uuid,
    ${domainColumns},
    CHECK (ended_on IS NULL OR ended_on >= started_on)
  )`,
  `CREATE INDEX care_episode_person_idx ON care_episode (person_id, started_on)`,
  `CREATE INDEX care_episode_host_idx ON care_episode (host_agency_id) WHERE ended_on IS NULL`,

  // ---------------------------------------------------------------- trafficking: NRM and guardians
  `CREATE TABLE nrm_referral (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    referring_agency_id uuid NOT NULL REFERENCES agency (id),
    competent_authority_id uuid NOT NULL REFERENCES agency (id),
    referred_on date NOT NULL,
    nrm_reference text,
    exploitation_types text[] NOT NULL,
    county_lines boolean NOT NULL DEFAULT false,
    exploitation_location text NOT NULL CHECK (exploitation_location IN ('uk', 'overseas', 'uk_and_overseas', 'unknown')),
    age_at_exploitation text NOT NULL CHECK (age_at_exploitation IN ('child', 'adult', 'unknown')),
    notes text,
    created_by_user_id uuid,
    ${domainColumns}
  )`,
  `CREATE INDEX nrm_referral_person_idx ON nrm_referral (person_id, referred_on)`,
  `CREATE INDEX nrm_referral_ca_idx ON nrm_referral (competent_authority_id)`,
  `CREATE TABLE nrm_decision (
    id uuid PRIMARY KEY,
    referral_id uuid NOT NULL REFERENCES nrm_referral (id) ON DELETE CASCADE,
    stage text NOT NULL CHECK (stage IN ('reasonable_grounds', 'conclusive_grounds')),
    outcome text NOT NULL CHECK (outcome IN ('positive', 'negative')),
    conclusive_finding text CHECK (conclusive_finding IN ('human_trafficking', 'slavery_servitude_forced_labour')),
    decided_on date NOT NULL,
    recovery_period_ends_on date,
    reconsideration boolean NOT NULL DEFAULT false,
    decided_by_user_id uuid,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX nrm_decision_referral_idx ON nrm_decision (referral_id, decided_on)`,
  `CREATE TABLE ictg_assignment (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    guardian_agency_id uuid NOT NULL REFERENCES agency (id),
    guardian_user_id uuid REFERENCES app_user (id),
    role text NOT NULL CHECK (role IN ('direct_worker', 'regional_practice_coordinator', 'regional_practitioner', 'post_18_worker')),
    allocated_on date NOT NULL,
    ended_on date,
    ${domainColumns},
    CHECK (ended_on IS NULL OR ended_on >= allocated_on)
  )`,
  `CREATE INDEX ictg_assignment_person_idx ON ictg_assignment (person_id)`,
  `CREATE INDEX ictg_assignment_guardian_idx ON ictg_assignment (guardian_user_id)`,

  // ---------------------------------------------------------------- protocols and interviews
  `CREATE TABLE protocol_profile (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    protocol text NOT NULL CHECK (protocol IN ('herbert', 'philomena')),
    owner_agency_id uuid NOT NULL REFERENCES agency (id),
    details jsonb NOT NULL DEFAULT '{}',
    risk_assessed_locations jsonb NOT NULL DEFAULT '[]',
    associates jsonb NOT NULL DEFAULT '[]',
    vulnerabilities text[] NOT NULL DEFAULT '{}',
    consent_basis text NOT NULL CHECK (consent_basis IN ('consent', 'best_interests')),
    last_reviewed_on date,
    photo_updated_on date,
    created_by_user_id uuid,
    ${domainColumns}
  )`,
  `CREATE INDEX protocol_profile_person_idx ON protocol_profile (person_id)`,
  `CREATE TABLE prevention_interview (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES missing_episode (id) ON DELETE CASCADE,
    conducted_at timestamptz,
    officer_user_id uuid,
    method text CHECK (method IN ('face_to_face', 'phone', 'video')),
    harm_disclosed boolean,
    offences_disclosed text,
    safeguarding_referral boolean NOT NULL DEFAULT false,
    notes text,
    not_conducted_reason text,
    ${domainColumns},
    CHECK ((conducted_at IS NULL) <> (not_conducted_reason IS NULL))
  )`,
  `CREATE INDEX prevention_interview_episode_idx ON prevention_interview (episode_id)`,
  `CREATE TABLE return_home_interview (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES missing_episode (id) ON DELETE CASCADE,
    offered_at timestamptz,
    accepted boolean,
    completed_at timestamptz,
    interviewer_independent boolean,
    push_factors text,
    pull_factors text,
    exploitation_indicators text[] NOT NULL DEFAULT '{}',
    actions_agreed text,
    not_conducted_reason text,
    ${domainColumns}
  )`,
  `CREATE INDEX return_home_interview_episode_idx ON return_home_interview (episode_id)`,

  // ---------------------------------------------------------------- audit (DPA 2018 s62): append-only, hash-chained
  // Eight lanes, each its own hash chain, so audited requests do not queue behind one row lock (docs/adr/0005).
  `CREATE TABLE audit_lane (
    lane smallint PRIMARY KEY,
    last_position bigint NOT NULL,
    last_hash text NOT NULL
  )`,
  `INSERT INTO audit_lane (lane, last_position, last_hash)
     SELECT g, 0, repeat('0', 64) FROM generate_series(0, 7) AS g`,
  `CREATE TABLE audit_event (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lane smallint NOT NULL,
    position bigint NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid,
    actor_token_id uuid,
    actor_agency_id uuid,
    operation text NOT NULL CHECK (operation IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
    action text NOT NULL,
    subject_person_id uuid,
    record_type text,
    record_id uuid,
    purpose text,
    recipient_agency_id uuid,
    detail text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    UNIQUE (lane, position)
  )`,
  `CREATE INDEX audit_event_subject_idx ON audit_event (subject_person_id, seq)`,
  `CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, seq)`,
  // The canonical text of a row, hashed into the chain. audit.chain.ts computes the same text to verify it.
  `CREATE FUNCTION audit_event_canonical(e audit_event) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|',
      e.lane::text, e.position::text, e.prev_hash,
      ((extract(epoch FROM e.occurred_at) * 1000000)::bigint)::text,
      coalesce(e.actor_user_id::text, ''), coalesce(e.actor_token_id::text, ''), coalesce(e.actor_agency_id::text, ''),
      e.operation, e.action,
      coalesce(e.subject_person_id::text, ''), coalesce(e.record_type, ''), coalesce(e.record_id::text, ''),
      coalesce(e.purpose, ''), coalesce(e.recipient_agency_id::text, ''), coalesce(e.detail, ''))
  $$`,
  `CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      next_position bigint;
      previous text;
    BEGIN
      IF NEW.lane IS NULL OR NEW.lane < 0 OR NEW.lane > 7 THEN
        NEW.lane := pg_backend_pid() % 8;
      END IF;
      -- occurred_at is truncated to microseconds so the text form round-trips exactly.
      NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, now()));
      UPDATE audit_lane SET last_position = last_position + 1 WHERE lane = NEW.lane
        RETURNING last_position, last_hash INTO next_position, previous;
      NEW.position := next_position;
      NEW.prev_hash := previous;
      NEW.hash := encode(sha256(convert_to(audit_event_canonical(NEW), 'UTF8')), 'hex');
      UPDATE audit_lane SET last_hash = NEW.hash WHERE lane = NEW.lane;
      RETURN NEW;
    END
  $$`,
  `CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`,
  `CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
  $$`,
  `CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
     FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`,
  `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
     FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(): Promise<void> {
  throw new Error('The core migration is not reversible: restore from a backup instead.')
}
