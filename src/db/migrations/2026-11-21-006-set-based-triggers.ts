import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Triggers that cost the same per row however many rows a statement writes (docs/adr/0019).
//
// 1. The audit chain (docs/adr/0005). The row trigger updated its lane's head row twice per audit row. Inside
//    one transaction every update adds a version of that row that no one can prune until commit, and each
//    next update walks them all: n rows in one transaction cost n squared (4,000 rows took 1.8 s, 2,000 took
//    0.55 s). Now the row trigger locks the head once, carries the running position and hash from row to row
//    in a transaction-local setting tagged with the transaction's id, and a statement trigger writes the head
//    back once per statement. The rows, their positions and hashes are exactly what they were.
// 2. The search index's change log (docs/adr/0012). One upsert into identity_change and one pg_notify per
//    row became one set-based upsert of the distinct people and one notify per statement, from the
//    statement's transition tables. Each changed person gets a new sequence number and time once per
//    transaction: a person this transaction has already noted is not noted again (an import writes a person,
//    then their identifiers, then their episodes); the index reloads them from what commits, and reads the
//    change log with a 30-second margin for transactions still open.

const statements: string[] = [
  `CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      setting text;
      state text;
      next_position bigint;
      previous text;
    BEGIN
      IF NEW.lane IS NULL OR NEW.lane < 0 OR NEW.lane > 7 THEN
        NEW.lane := pg_backend_pid() % 8;
      END IF;
      -- occurred_at is truncated to microseconds so the text form round-trips exactly.
      NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, now()));
      -- The lane's running head in this statement: 'transaction id:position:hash', or read (and locked) from audit_lane.
      setting := 'lantern.audit_lane_' || NEW.lane;
      state := current_setting(setting, true);
      IF state IS NOT NULL AND split_part(state, ':', 1) = pg_current_xact_id()::text THEN
        next_position := split_part(state, ':', 2)::bigint;
        previous := split_part(state, ':', 3);
      ELSE
        SELECT last_position, last_hash INTO next_position, previous FROM audit_lane WHERE lane = NEW.lane FOR UPDATE;
      END IF;
      NEW.position := next_position + 1;
      NEW.prev_hash := previous;
      NEW.hash := encode(sha256(convert_to(audit_event_canonical(NEW), 'UTF8')), 'hex');
      PERFORM set_config(setting, pg_current_xact_id()::text || ':' || NEW.position::text || ':' || NEW.hash, true);
      RETURN NEW;
    END
  $$`,
  `CREATE FUNCTION audit_event_chain_head() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      state text;
    BEGIN
      FOR n IN 0..7 LOOP
        state := current_setting('lantern.audit_lane_' || n, true);
        IF state IS NOT NULL AND split_part(state, ':', 1) = pg_current_xact_id()::text THEN
          UPDATE audit_lane SET last_position = split_part(state, ':', 2)::bigint, last_hash = split_part(state, ':', 3) WHERE lane = n;
          PERFORM set_config('lantern.audit_lane_' || n, '', true);
        END IF;
      END LOOP;
      RETURN NULL;
    END
  $$`,
  `CREATE TRIGGER audit_event_chain_head AFTER INSERT ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_chain_head()`,

  // TG_ARGV[0] names the column that holds the person: id on person, person_id on the others.
  `CREATE FUNCTION identity_change_noted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed text;
      noted bigint;
    BEGIN
      changed := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %1$I AS p FROM new_rows', TG_ARGV[0])
        WHEN 'DELETE' THEN format('SELECT %1$I AS p FROM old_rows', TG_ARGV[0])
        ELSE format('SELECT %1$I AS p FROM new_rows UNION SELECT %1$I FROM old_rows', TG_ARGV[0])
      END;
      EXECUTE 'INSERT INTO identity_change (person_id, seq, changed_at)
        SELECT p, nextval(''identity_change_seq''), clock_timestamp() FROM (SELECT DISTINCT p FROM (' || changed || ') AS rows WHERE p IS NOT NULL ORDER BY p) AS people
        ON CONFLICT (person_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at
        WHERE identity_change.xmin <> pg_current_xact_id()::xid';
      GET DIAGNOSTICS noted = ROW_COUNT;
      IF noted > 0 THEN
        PERFORM pg_notify('lantern_identity_change', '');
      END IF;
      RETURN NULL;
    END
  $$`,
  ...(['person', 'person_name', 'person_identifier', 'missing_episode'] as const).flatMap((table) => {
    const column = table === 'person' ? 'id' : 'person_id'
    return [
      `DROP TRIGGER identity_change_${table} ON ${table}`,
      `CREATE TRIGGER identity_change_${table}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION identity_change_noted('${column}')`,
      `CREATE TRIGGER identity_change_${table}_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION identity_change_noted('${column}')`,
      `CREATE TRIGGER identity_change_${table}_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
         FOR EACH STATEMENT EXECUTE FUNCTION identity_change_noted('${column}')`,
    ]
  }),
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const rowTriggers = (['person', 'person_name', 'person_identifier', 'missing_episode'] as const).flatMap((table) => [
    `DROP TRIGGER identity_change_${table}_insert ON ${table}`,
    `DROP TRIGGER identity_change_${table}_update ON ${table}`,
    `DROP TRIGGER identity_change_${table}_delete ON ${table}`,
    `CREATE TRIGGER identity_change_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION ${table === 'person' ? 'identity_change_from_person' : 'identity_change_from_child'}()`,
  ])
  for (const statement of [
    ...rowTriggers,
    'DROP FUNCTION identity_change_noted()',
    'DROP TRIGGER audit_event_chain_head ON audit_event',
    'DROP FUNCTION audit_event_chain_head()',
    `CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next_position bigint;
        previous text;
      BEGIN
        IF NEW.lane IS NULL OR NEW.lane < 0 OR NEW.lane > 7 THEN
          NEW.lane := pg_backend_pid() % 8;
        END IF;
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
  ]) {
    await sql.raw(statement).execute(db)
  }
}
