import { sql, type Kysely } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import { insertRows } from './bulk.ts'
import type { Issue } from './report.ts'

/** One import at a time per agency and format, so two uploads of the same return cannot interleave. */
export async function lockImports(db: Kysely<Database>, agencyId: string, format: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`interchange:${format}:${agencyId}`}))`.execute(db)
}

export async function insertRun(db: Kysely<Database>, row: NewRow<'import_run'>): Promise<void> {
  await db.insertInto('import_run').values(row).execute()
}

export async function insertIssues(db: Kysely<Database>, runId: string, issues: readonly Issue[]): Promise<void> {
  await insertRows(
    db,
    'import_issue',
    { run_id: 'uuid', position: 'integer', rule: 'text', message: 'text', table_name: 'text', line: 'integer', field: 'text', record_key: 'text' },
    issues.map((issue, position) => ({
      run_id: runId,
      position,
      rule: issue.rule,
      message: issue.message,
      table_name: issue.table,
      line: issue.line,
      field: issue.field,
      record_key: issue.key,
    })),
  )
}

export async function findRun(db: Kysely<Database>, id: string) {
  return db.selectFrom('import_run').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listRuns(db: Kysely<Database>, agencyId: string, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    db.selectFrom('import_run').selectAll().where('agency_id', '=', agencyId).orderBy('started_at', 'desc').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('import_run').select((eb) => eb.fn.countAll<number>().as('n')).where('agency_id', '=', agencyId).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

export async function listIssues(db: Kysely<Database>, runId: string) {
  return db.selectFrom('import_issue').selectAll().where('run_id', '=', runId).orderBy('position').execute()
}
