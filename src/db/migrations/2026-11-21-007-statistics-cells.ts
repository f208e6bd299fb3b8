import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Statistics made fast (docs/adr/0020): a narrow copy of the council episode facts with every breakdown already a
// small-integer code (and the child a dense integer), one row per child and combination of values with its number
// of episodes, decoded through `statistics_value`; and the police versus
// local authority counts rolled up by year, force and authority. Both rebuilt with the facts by a refresh.

const statements: string[] = [
  `CREATE TABLE statistics_value (
    dimension text NOT NULL,
    code smallint NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (dimension, code),
    UNIQUE (dimension, value)
  )`,
  `CREATE TABLE statistics_cell (
    person_key integer NOT NULL,
    financial_year smallint NOT NULL,
    end_financial_year smallint,
    la_category "char" NOT NULL,
    over_24_hours boolean NOT NULL,
    year smallint NOT NULL,
    trafficking_status smallint NOT NULL,
    unaccompanied smallint NOT NULL,
    placement_type smallint NOT NULL,
    placement_group smallint NOT NULL,
    responsible_authority smallint NOT NULL,
    host_authority smallint NOT NULL,
    region smallint NOT NULL,
    out_of_area smallint NOT NULL,
    distance_band smallint NOT NULL,
    age_band smallint NOT NULL,
    sex smallint NOT NULL,
    nationality smallint NOT NULL,
    police_force smallint NOT NULL,
    duration_band smallint NOT NULL,
    outcome smallint NOT NULL,
    -- Episodes of the child with exactly these values (about two each at national scale).
    episodes integer NOT NULL
  )`,
  `CREATE TABLE statistics_reconciliation (
    financial_year smallint NOT NULL,
    police_force_id uuid,
    responsible_agency_id uuid,
    both_recorded integer NOT NULL,
    local_authority_only integer NOT NULL,
    police_only integer NOT NULL
  )`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['statistics_reconciliation', 'statistics_cell', 'statistics_value']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db)
  }
}
