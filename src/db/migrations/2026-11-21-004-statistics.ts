import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Statistics (docs/adr/0014): one fact row per missing episode with every breakdown worked out "as at" the day
// the episode began, and one per start of care and per NRM referral of a looked-after child, rebuilt from the
// records by `lantern stats refresh`. Plus the log of synthetic-data generation runs (docs/adr/0013).

const statements: string[] = [
  `CREATE TABLE generation_run (
    id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    options jsonb NOT NULL,
    counts jsonb,
    -- Index and foreign-key definitions dropped for a bulk load, kept until they are back.
    dropped_definitions jsonb NOT NULL DEFAULT '[]'
  )`,
  `CREATE TABLE statistics_refresh (
    id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    as_at timestamptz NOT NULL,
    episodes integer NOT NULL,
    care_starts integer NOT NULL,
    referrals integer NOT NULL
  )`,
  `CREATE TABLE statistics_episode (
    episode_id uuid PRIMARY KEY,
    recorded_by text NOT NULL,
    person_id uuid NOT NULL,
    financial_year smallint NOT NULL,
    end_financial_year smallint,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    la_category text,
    duration_hours real,
    over_24_hours boolean NOT NULL,
    outcome text NOT NULL,
    trafficking_status text NOT NULL,
    unaccompanied boolean NOT NULL,
    placement_type text,
    responsible_agency_id uuid,
    host_agency_id uuid,
    out_of_area boolean,
    distance_band text NOT NULL,
    age_band text NOT NULL,
    sex text NOT NULL,
    nationality text NOT NULL,
    police_force_id uuid,
    area_agency_id uuid,
    linked boolean NOT NULL
  )`,
  `CREATE INDEX statistics_episode_year_idx ON statistics_episode (financial_year, recorded_by)`,
  `CREATE TABLE statistics_care_start (
    person_id uuid NOT NULL,
    started_on date NOT NULL,
    financial_year smallint NOT NULL,
    responsible_agency_id uuid NOT NULL,
    unaccompanied boolean NOT NULL,
    trafficking_status text NOT NULL,
    hours_to_first_missing real,
    PRIMARY KEY (person_id, started_on)
  )`,
  `CREATE TABLE statistics_referral (
    referral_id uuid PRIMARY KEY,
    person_id uuid NOT NULL,
    referred_on date NOT NULL,
    financial_year smallint NOT NULL,
    responsible_agency_id uuid NOT NULL,
    unaccompanied boolean NOT NULL,
    hours_to_first_missing real
  )`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['statistics_referral', 'statistics_care_start', 'statistics_episode', 'statistics_refresh', 'generation_run']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db)
  }
}
