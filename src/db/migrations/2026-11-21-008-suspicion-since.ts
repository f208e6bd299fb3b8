import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// The day a person was first suspected of being a victim of trafficking or exploitation (docs/adr/0014), so the
// statistics can say "suspected" only for episodes that began on or after it. Null exactly when not suspected
// (a check keeps every writer to that). People already flagged get the London day their record was created:
// the earliest day the register can vouch for, and never later than any episode recorded against them.

const statements: string[] = [
  `ALTER TABLE person ADD COLUMN suspected_trafficking_since date`,
  // The backfill is not an identity change: the re-matching trigger need not note every flagged person.
  `ALTER TABLE person DISABLE TRIGGER identity_change_person_update`,
  `UPDATE person SET suspected_trafficking_since = (created_at AT TIME ZONE 'Europe/London')::date WHERE suspected_trafficking`,
  `ALTER TABLE person ENABLE TRIGGER identity_change_person_update`,
  `ALTER TABLE person ADD CONSTRAINT person_suspected_trafficking_since
    CHECK (suspected_trafficking = (suspected_trafficking_since IS NOT NULL))`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE person DROP CONSTRAINT IF EXISTS person_suspected_trafficking_since').execute(db)
  await sql.raw('ALTER TABLE person DROP COLUMN IF EXISTS suspected_trafficking_since').execute(db)
}
