import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// The interchange module's tables: import runs and their reports, which records each SSDA903 return made
// (so a re-import updates rather than duplicates), source keys of other formats, and disclosures by export.

const statements: string[] = [
  `CREATE TABLE import_run (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agency (id),
    actor_user_id uuid,
    actor_token_id uuid,
    format text NOT NULL CHECK (format IN ('ssda903', 'nrm', 'police', 'pfif')),
    collection_year integer,
    accept_valid boolean NOT NULL DEFAULT false,
    status text NOT NULL CHECK (status IN ('refused', 'imported', 'imported_in_part')),
    files jsonb NOT NULL DEFAULT '[]',
    summary jsonb NOT NULL DEFAULT '{}',
    issue_count integer NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL
  )`,
  `CREATE INDEX import_run_agency_idx ON import_run (agency_id, started_at DESC)`,
  `CREATE TABLE import_issue (
    run_id uuid NOT NULL REFERENCES import_run (id) ON DELETE CASCADE,
    position integer NOT NULL,
    rule text NOT NULL,
    message text NOT NULL,
    table_name text,
    line integer,
    field text,
    record_key text,
    PRIMARY KEY (run_id, position)
  )`,
  // One row per child per collection year: the records that year's return made, so importing the year
  // again updates them, and removes those the corrected return no longer has.
  `CREATE TABLE ssda903_return_child (
    agency_id uuid NOT NULL REFERENCES agency (id),
    collection_year integer NOT NULL,
    child text NOT NULL,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    care_episode_ids uuid[] NOT NULL DEFAULT '{}',
    missing_episode_ids uuid[] NOT NULL DEFAULT '{}',
    mother text,
    mother_child_dob date,
    uasc_ceased_on date,
    import_run_id uuid NOT NULL REFERENCES import_run (id),
    PRIMARY KEY (agency_id, collection_year, child)
  )`,
  `CREATE INDEX ssda903_return_child_person_idx ON ssda903_return_child (person_id)`,
  // The key a source system gave a record (an NRM reference, a force incident number, a PFIF record id),
  // per importing agency, so loading the same extract again updates the record it made.
  `CREATE TABLE interchange_source_record (
    agency_id uuid NOT NULL REFERENCES agency (id),
    format text NOT NULL CHECK (format IN ('nrm', 'police', 'pfif')),
    record_type text NOT NULL,
    source_key text NOT NULL,
    record_id uuid NOT NULL,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    import_run_id uuid NOT NULL REFERENCES import_run (id),
    PRIMARY KEY (agency_id, format, record_type, source_key)
  )`,
  `CREATE INDEX interchange_source_record_person_idx ON interchange_source_record (person_id)`,
  // PFIF notes received from a tracing system, kept against the person record they were imported to.
  `CREATE TABLE pfif_note (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    note_record_id text NOT NULL,
    linked_person_record_id text,
    entry_date timestamptz,
    author_name text NOT NULL,
    author_email text,
    author_phone text,
    source_date timestamptz NOT NULL,
    status text CHECK (status IN ('information_sought', 'is_note_author', 'believed_alive', 'believed_missing', 'believed_dead')),
    author_made_contact boolean,
    email_of_found_person text,
    phone_of_found_person text,
    last_known_location text,
    text text NOT NULL,
    photo_url text,
    import_run_id uuid NOT NULL REFERENCES import_run (id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX pfif_note_person_idx ON pfif_note (person_id, source_date)`,
  // Every export of personal data is a disclosure (DPA 2018 s62(3)): who, when, to whom, why, what.
  `CREATE TABLE disclosure (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agency (id),
    actor_user_id uuid,
    actor_token_id uuid,
    format text NOT NULL CHECK (format IN ('ssda903', 'pfif')),
    recipient text NOT NULL,
    purpose text NOT NULL,
    person_count integer NOT NULL,
    fields text[] NOT NULL,
    sha256 text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX disclosure_agency_idx ON disclosure (agency_id, created_at DESC)`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['disclosure', 'pfif_note', 'interchange_source_record', 'ssda903_return_child', 'import_issue', 'import_run']) {
    await sql.raw(`DROP TABLE ${table}`).execute(db)
  }
}
