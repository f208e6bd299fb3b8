import { sql, type Kysely, type QueryCreator, type RawBuilder } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import type { ChainRow } from './audit.chain.ts'

export async function insertAuditEvents(db: Kysely<Database>, rows: NewRow<'audit_event'>[]): Promise<void> {
  if (rows.length === 0) return
  await insertAuditEventsQuery(db, rows).execute()
}

/** The insert of audit rows (at least one), to run alone or as one part of a larger statement (docs/adr/0021). */
export function insertAuditEventsQuery(db: QueryCreator<Database>, rows: NewRow<'audit_event'>[]) {
  return db.insertInto('audit_event').values(rows).returning('seq')
}

/**
 * The insert of an audit row as one part of a larger statement (a data-modifying WITH, docs/adr/0021): `row` once
 * for each row of the statement's `source` where `when` holds, none otherwise, with the columns named in `fromSource`
 * taken from `source` (the subject of a read that the same statement finds). Returns the rows' `seq`, so the
 * statement can say whether it wrote one.
 */
export function insertAuditEventFrom(
  row: NewRow<'audit_event'>,
  source: string,
  when: RawBuilder<boolean>,
  fromSource: Partial<Record<keyof NewRow<'audit_event'>, string>> = {},
): RawBuilder<{ seq: number }> {
  const columns = Object.keys(row) as (keyof NewRow<'audit_event'>)[]
  const values = columns.map((column) => {
    const sourceColumn = fromSource[column]
    return sourceColumn ? sql.ref(`${source}.${sourceColumn}`) : sql`${row[column]}`
  })
  return sql<{ seq: number }>`insert into audit_event (${sql.join(columns.map((column) => sql.ref(column)))})
    select ${sql.join(values)} from ${sql.table(source)} where ${when} returning seq`
}

export async function listAuditEventsForSubject(
  db: Kysely<Database>,
  personId: string,
  page: { limit: number; offset: number },
) {
  return db
    .selectFrom('audit_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .leftJoin('api_token as t', 't.id', 'e.actor_token_id')
    .leftJoin('agency as a', 'a.id', 'e.actor_agency_id')
    .select([
      'e.seq',
      'e.occurred_at',
      'e.operation',
      'e.action',
      'e.record_type',
      'e.record_id',
      'e.purpose',
      'e.recipient_agency_id',
      'e.actor_user_id',
      'e.actor_token_id',
      'u.display_name as actor_user_name',
      't.name as actor_token_name',
      'a.name as actor_agency_name',
    ])
    .where('e.subject_person_id', '=', personId)
    .orderBy('e.seq', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countAuditEventsForSubject(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('subject_person_id', '=', personId)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** One lane's rows in chain order, a batch at a time. */
export async function readLaneBatch(
  db: Kysely<Database>,
  lane: number,
  afterPosition: number,
  limit: number,
): Promise<ChainRow[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select([
      'seq',
      'lane',
      'position',
      sql<string>`((extract(epoch from occurred_at) * 1000000)::bigint)::text`.as('occurred_micros'),
      'actor_user_id',
      'actor_token_id',
      'actor_agency_id',
      'operation',
      'action',
      'subject_person_id',
      'record_type',
      'record_id',
      'purpose',
      'recipient_agency_id',
      'detail',
      'prev_hash',
      'hash',
    ])
    .where('lane', '=', lane)
    .where('position', '>', afterPosition)
    .orderBy('position')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    seq: Number(row.seq),
    lane: Number(row.lane),
    position: Number(row.position),
    occurredMicros: row.occurred_micros,
    actorUserId: row.actor_user_id,
    actorTokenId: row.actor_token_id,
    actorAgencyId: row.actor_agency_id,
    operation: row.operation,
    action: row.action,
    subjectPersonId: row.subject_person_id,
    recordType: row.record_type,
    recordId: row.record_id,
    purpose: row.purpose,
    recipientAgencyId: row.recipient_agency_id,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  }))
}

export async function readLaneHeads(db: Kysely<Database>) {
  return db.selectFrom('audit_lane').selectAll().orderBy('lane').execute()
}
