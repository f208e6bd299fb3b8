import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

export interface DroppedDefinition {
  /** Restored in this order: keys, then indexes, then foreign keys, then (re-enabled) row triggers. */
  kind: 'key' | 'index' | 'constraint' | 'trigger'
  table: string
  name: string
  definition: string
}

/** Agency ids by code, for every agency (reference data). */
export async function agencyIdsByCode(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('agency').select(['id', 'code']).execute()
  return new Map(rows.map((row) => [row.code, row.id]))
}

/** The database's double metaphone of each text (people.repository computes name keys the same way). */
export async function phoneticKeys(db: Kysely<Database>, texts: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await sql<{ text: string; key: string }>`SELECT t AS text, dmetaphone(t) AS key FROM unnest(${[...texts]}::text[]) AS t`.execute(db)
  return new Map(rows.map((row) => [row.text, row.key]))
}

/**
 * The keys, indexes and foreign keys of the tables about to be bulk-loaded (and foreign keys elsewhere that
 * point at them): PostgreSQL's own advice for populating a database is to drop them, COPY, and build them again
 * once (docs/adr/0013). Returned in the order to restore them.
 */
export async function loadDefinitions(db: Kysely<Database>, tables: readonly string[]): Promise<DroppedDefinition[]> {
  const { rows: keys } = await sql<{ table: string; name: string; definition: string }>`
    SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype IN ('p', 'u') AND conrelid = ANY (SELECT to_regclass(t) FROM unnest(${[...tables]}::text[]) AS t)
    ORDER BY conrelid::regclass::text, conname`.execute(db)
  const { rows: constraints } = await sql<{ table: string; name: string; definition: string }>`
    SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'f' AND (conrelid = ANY (SELECT to_regclass(t) FROM unnest(${[...tables]}::text[]) AS t)
      OR confrelid = ANY (SELECT to_regclass(t) FROM unnest(${[...tables]}::text[]) AS t))
    ORDER BY conrelid::regclass::text, conname`.execute(db)
  const { rows: indexes } = await sql<{ table: string; name: string; definition: string }>`
    SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid = ANY (SELECT to_regclass(t) FROM unnest(${[...tables]}::text[]) AS t)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1, 2`.execute(db)
  // Row triggers (the identity change log, docs/adr/0012) fire once per row: an upsert and a pg_notify for each
  // of millions of rows. They are disabled for the load; the change log is written once, set-based, after it.
  const { rows: triggers } = await sql<{ table: string; name: string; definition: string }>`
    SELECT tgrelid::regclass::text AS table, tgname AS name, pg_get_triggerdef(oid) AS definition
    FROM pg_trigger
    WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgrelid = ANY (SELECT to_regclass(t) FROM unnest(${[...tables]}::text[]) AS t)
    ORDER BY 1, 2`.execute(db)
  return [
    ...keys.map((row) => ({ kind: 'key' as const, ...row })),
    ...indexes.map((row) => ({ kind: 'index' as const, ...row })),
    ...constraints.map((row) => ({ kind: 'constraint' as const, ...row })),
    ...triggers.map((row) => ({ kind: 'trigger' as const, ...row })),
  ]
}

export async function dropDefinition(db: Kysely<Database>, definition: DroppedDefinition): Promise<void> {
  if (definition.kind === 'trigger') await sql`ALTER TABLE ${sql.table(definition.table)} DISABLE TRIGGER ${sql.id(definition.name)}`.execute(db)
  else if (definition.kind !== 'index') await sql`ALTER TABLE ${sql.table(definition.table)} DROP CONSTRAINT ${sql.id(definition.name)}`.execute(db)
  else await sql`DROP INDEX ${sql.table(definition.name)}`.execute(db)
}

export async function restoreDefinition(db: Kysely<Database>, definition: DroppedDefinition): Promise<void> {
  if (definition.kind === 'trigger') {
    await sql`ALTER TABLE ${sql.table(definition.table)} ENABLE TRIGGER ${sql.id(definition.name)}`.execute(db)
    return
  }
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx)
    if (definition.kind !== 'index') {
      await sql`ALTER TABLE ${sql.table(definition.table)} ADD CONSTRAINT ${sql.id(definition.name)} ${sql.raw(definition.definition)}`.execute(trx)
    } else {
      await sql.raw(definition.definition).execute(trx)
    }
  })
}

export async function insertRun(db: Kysely<Database>, id: string, options: Record<string, unknown>, dropped: DroppedDefinition[]): Promise<void> {
  await db.insertInto('generation_run').values({ id, options: JSON.stringify(options), counts: null, finished_at: null, dropped_definitions: JSON.stringify(dropped) }).execute()
}

export async function setRunDropped(db: Kysely<Database>, id: string, dropped: DroppedDefinition[]): Promise<void> {
  await db.updateTable('generation_run').set({ dropped_definitions: JSON.stringify(dropped) }).where('id', '=', id).execute()
}

export async function finishRun(db: Kysely<Database>, id: string, counts: Record<string, number>): Promise<void> {
  await db.updateTable('generation_run').set({ finished_at: new Date(), counts: JSON.stringify(counts), dropped_definitions: '[]' }).where('id', '=', id).execute()
}

/** Definitions an interrupted bulk load dropped and never put back. */
export async function unrestoredDefinitions(db: Kysely<Database>): Promise<{ id: string; dropped: DroppedDefinition[] }[]> {
  const rows = await db.selectFrom('generation_run').select(['id', 'dropped_definitions']).where(sql<boolean>`jsonb_array_length(dropped_definitions) > 0`).execute()
  return rows.map((row) => ({ id: row.id, dropped: row.dropped_definitions }))
}

/**
 * What the disabled identity triggers would have written (docs/adr/0012): every person never noted in the change
 * log (the loaded people; noting one more is harmless) gets a row, in one statement, and one notification.
 */
export async function noteLoadedPeople(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    INSERT INTO identity_change (person_id, seq, changed_at)
    SELECT p.id, nextval('identity_change_seq'), clock_timestamp() FROM person p
    WHERE NOT EXISTS (SELECT 1 FROM identity_change c WHERE c.person_id = p.id)`.execute(db)
  await sql`SELECT pg_notify('lantern_identity_change', '')`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export async function analyze(db: Kysely<Database>, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`ANALYZE ${sql.table(table)}`.execute(db)
}
