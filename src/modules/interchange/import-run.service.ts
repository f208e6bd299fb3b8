import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import type { FileSummary } from './files.ts'
import type { Issue } from './report.ts'
import * as repo from './import-run.repository.ts'

export const IMPORT_FORMATS = ['ssda903', 'nrm', 'police', 'pfif'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
export const RUN_STATUSES = ['refused', 'imported', 'imported_in_part'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** One import: what was sent, what happened, and how many problems the report lists. */
export interface ImportRun {
  id: string
  agencyId: string
  format: ImportFormat
  collectionYear: number | null
  acceptValid: boolean
  status: RunStatus
  files: FileSummary[]
  summary: Record<string, unknown>
  issueCount: number
  startedAt: Date
  finishedAt: Date
}

export interface ImportResult extends ImportRun {
  issues: Issue[]
}

function toRun(row: NonNullable<Awaited<ReturnType<typeof repo.findRun>>>): ImportRun {
  return {
    id: row.id,
    agencyId: row.agency_id,
    format: row.format as ImportFormat,
    collectionYear: row.collection_year,
    acceptValid: row.accept_valid,
    status: row.status as RunStatus,
    files: row.files,
    summary: row.summary,
    issueCount: row.issue_count,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}

/** Who may import into an agency's records, and read its runs: the agency's own case workers. */
export function requireImporter(actor: Actor, agencyId: string): void {
  if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot import records')
  if (actor.agencyId !== agencyId) throw new ForbiddenError("Records are imported by a user of the agency that holds them: you cannot import into another agency's records")
}

/** Writes a run and its report. Call it in the transaction of the import's writes, or alone for a refused run. */
export async function saveRun(
  trx: Kysely<Database>,
  actor: Actor,
  run: { id: string; format: ImportFormat; collectionYear: number | null; acceptValid: boolean; status: RunStatus; files: FileSummary[]; summary: Record<string, unknown>; startedAt: Date },
  issues: readonly Issue[],
): Promise<ImportResult> {
  const finishedAt = new Date()
  await repo.insertRun(trx, {
    id: run.id,
    agency_id: actor.agencyId,
    actor_user_id: actor.userId,
    actor_token_id: actor.tokenId,
    format: run.format,
    collection_year: run.collectionYear,
    accept_valid: run.acceptValid,
    status: run.status,
    files: JSON.stringify(run.files),
    summary: JSON.stringify(run.summary),
    issue_count: issues.length,
    started_at: run.startedAt,
    finished_at: finishedAt,
  })
  await repo.insertIssues(trx, run.id, issues)
  return { ...run, agencyId: actor.agencyId, issueCount: issues.length, finishedAt, issues: [...issues] }
}

export function createImportRunsService(db: Kysely<Database>) {
  async function readable(actor: Actor, id: string) {
    const row = await repo.findRun(db, id)
    // Another agency's runs do not exist for this actor.
    if (!row || row.agency_id !== actor.agencyId || !can.workCases(actor)) throw new NotFoundError('Import')
    return row
  }

  return {
    async list(actor: Actor, request: Partial<PageRequest>): Promise<Page<ImportRun>> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot see imports')
      const window = pageWindow(request)
      const { rows, total } = await repo.listRuns(db, actor.agencyId, window)
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map(toRun) }
    },

    async get(actor: Actor, id: string): Promise<ImportRun> {
      return toRun(await readable(actor, id))
    },

    /**
     * The report of a run. It names children by the agency's own identifiers and points at lines of the
     * agency's file; it holds no record content, so reading it is not audited as a consultation.
     */
    async report(actor: Actor, id: string): Promise<{ run: ImportRun; issues: Issue[] }> {
      const run = toRun(await readable(actor, id))
      const rows = await repo.listIssues(db, id)
      return {
        run,
        issues: rows.map((row) => ({ rule: row.rule, message: row.message, table: row.table_name, line: row.line, field: row.field, key: row.record_key })),
      }
    },
  }
}

export type ImportRunsService = ReturnType<typeof createImportRunsService>
