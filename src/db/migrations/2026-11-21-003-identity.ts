import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Identity (issue 5): person records linked into identities, with the evidence of each link and the human
// decisions on uncertain ones, kept apart so a new linkage run respects them; and the change log that keeps
// every instance's in-process encounter search index current (docs/adr/0012).

const statements: string[] = [
  // ---------------------------------------------------------------- links between two person records
  // One row per pair the linkage run found (person_a_id < person_b_id), with the match weight and the per-field
  // explanation. status: linked (above the automatic threshold), review (uncertain: a person decides),
  // confirmed / rejected (a person decided; copied from identity_link_decision on every run).
  `CREATE TABLE identity_link (
    id uuid PRIMARY KEY,
    person_a_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    person_b_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    match_weight double precision NOT NULL,
    match_probability double precision NOT NULL,
    explanation jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('linked', 'review', 'confirmed', 'rejected')),
    run_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK (person_a_id < person_b_id),
    UNIQUE (person_a_id, person_b_id)
  )`,
  `CREATE INDEX identity_link_b_idx ON identity_link (person_b_id)`,
  `CREATE INDEX identity_link_review_idx ON identity_link (status, match_probability DESC) WHERE status = 'review'`,

  // ---------------------------------------------------------------- human decisions, kept across runs
  `CREATE TABLE identity_link_decision (
    id uuid PRIMARY KEY,
    person_a_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    person_b_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    decision text NOT NULL CHECK (decision IN ('same_person', 'different_people')),
    reason text NOT NULL,
    match_probability double precision NOT NULL,
    decided_by_user_id uuid,
    decided_by_agency_id uuid NOT NULL REFERENCES agency (id),
    decided_at timestamptz NOT NULL DEFAULT now(),
    CHECK (person_a_id < person_b_id)
  )`,
  `CREATE INDEX identity_link_decision_pair_idx ON identity_link_decision (person_a_id, person_b_id, decided_at DESC)`,

  // ---------------------------------------------------------------- identities: clusters of linked records
  `CREATE TABLE identity (
    id uuid PRIMARY KEY,
    run_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE identity_member (
    person_id uuid PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    identity_id uuid NOT NULL REFERENCES identity (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX identity_member_identity_idx ON identity_member (identity_id)`,

  // ---------------------------------------------------------------- match alerts raised, once per pair
  // Every instance sees a new person record; the first to insert the pair here raises the alert.
  `CREATE TABLE identity_alert (
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    matched_person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    episode_id uuid NOT NULL,
    match_probability double precision NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, matched_person_id)
  )`,

  // ---------------------------------------------------------------- change log for the search index
  // Every write to a person, their names, identifiers or missing episodes bumps the person's row here; each
  // instance reads the rows changed since it last looked (and a margin for transactions still open) and
  // reloads those people into its index. One row per person, so the table never grows beyond the register.
  `CREATE SEQUENCE identity_change_seq`,
  `CREATE TABLE identity_change (
    person_id uuid PRIMARY KEY,
    seq bigint NOT NULL,
    changed_at timestamptz NOT NULL
  )`,
  `CREATE INDEX identity_change_at_idx ON identity_change (changed_at)`,
  `CREATE FUNCTION identity_change_note(changed uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO identity_change (person_id, seq, changed_at) VALUES (changed, nextval('identity_change_seq'), clock_timestamp())
    ON CONFLICT (person_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at
  $$`,
  `CREATE FUNCTION identity_change_from_person() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN PERFORM identity_change_note(OLD.id); ELSE PERFORM identity_change_note(NEW.id); END IF;
      PERFORM pg_notify('lantern_identity_change', '');
      RETURN NULL;
    END
  $$`,
  `CREATE FUNCTION identity_change_from_child() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN PERFORM identity_change_note(OLD.person_id); ELSE PERFORM identity_change_note(NEW.person_id); END IF;
      IF TG_OP = 'UPDATE' AND OLD.person_id IS DISTINCT FROM NEW.person_id THEN PERFORM identity_change_note(OLD.person_id); END IF;
      PERFORM pg_notify('lantern_identity_change', '');
      RETURN NULL;
    END
  $$`,
  `CREATE TRIGGER identity_change_person AFTER INSERT OR UPDATE OR DELETE ON person FOR EACH ROW EXECUTE FUNCTION identity_change_from_person()`,
  `CREATE TRIGGER identity_change_person_name AFTER INSERT OR UPDATE OR DELETE ON person_name FOR EACH ROW EXECUTE FUNCTION identity_change_from_child()`,
  `CREATE TRIGGER identity_change_person_identifier AFTER INSERT OR UPDATE OR DELETE ON person_identifier FOR EACH ROW EXECUTE FUNCTION identity_change_from_child()`,
  `CREATE TRIGGER identity_change_missing_episode AFTER INSERT OR UPDATE OR DELETE ON missing_episode FOR EACH ROW EXECUTE FUNCTION identity_change_from_child()`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP TRIGGER identity_change_missing_episode ON missing_episode',
    'DROP TRIGGER identity_change_person_identifier ON person_identifier',
    'DROP TRIGGER identity_change_person_name ON person_name',
    'DROP TRIGGER identity_change_person ON person',
    'DROP FUNCTION identity_change_from_child()',
    'DROP FUNCTION identity_change_from_person()',
    'DROP FUNCTION identity_change_note(uuid)',
    'DROP TABLE identity_change',
    'DROP SEQUENCE identity_change_seq',
    'DROP TABLE identity_alert',
    'DROP TABLE identity_member',
    'DROP TABLE identity',
    'DROP TABLE identity_link_decision',
    'DROP TABLE identity_link',
  ]) {
    await sql.raw(statement).execute(db)
  }
}
