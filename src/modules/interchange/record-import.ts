// What the record-by-record imports (NRM referrals, police incidents) share: read the documented CSV, check
// every row, check against Lantern, then write every good record in one transaction, or nothing.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { ValidationError } from '../../lib/errors.ts'
import { DEFAULT_MAX_FILE_BYTES, type IncomingFile } from './files.ts'
import { sortIssues, type Issue } from './report.ts'
import { recordAuditInChunks } from './bulk.ts'
import { saveRun, type ImportFormat, type ImportResult } from './import-run.service.ts'
import { lockImports } from './import-run.repository.ts'
import { readTabular, RowReader, type Column, type TabularRow } from './tabular.ts'

export interface RecordImportRequest {
  files: IncomingFile[]
  acceptValid?: boolean
}

/** One format: its columns, how a row reads, how it is checked against Lantern, how it is written. */
export interface RecordFormat<T> {
  format: Exclude<ImportFormat, 'ssda903'>
  columns: readonly Column[]
  keyColumn: string
  /** Reads a row; null when it has problems (they are on the reader). */
  read: (reader: RowReader) => T | null
  /** Checks the good rows against what Lantern holds, in the transaction, before anything is written. */
  check: (trx: Kysely<Database>, actor: Actor, records: { line: number; key: string; record: T }[]) => Promise<Issue[]>
  /**
   * Writes every good record, in file order, set-based (what Lantern holds read once for the whole file, the
   * writes a statement per table and chunk); says for each which person it touched and whether it made or
   * changed them.
   */
  writeAll: (trx: Kysely<Database>, actor: Actor, records: readonly { line: number; key: string; record: T }[], runId: string) => Promise<WriteResult[]>
}

export interface WriteResult {
  personId: string
  personCreated: boolean
  changed: boolean
  created: boolean
}

export async function importRecords<T>(db: Kysely<Database>, actor: Actor, format: RecordFormat<T>, request: RecordImportRequest, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ImportResult> {
  const [file, ...extra] = request.files
  if (!file || extra.length > 0) throw new ValidationError([{ field: 'files', message: `Send one ${format.format} CSV file` }])
  const acceptValid = request.acceptValid ?? false
  const base = { id: uuidv7(), format: format.format, collectionYear: null, acceptValid, startedAt: new Date() }
  const table = file.name
  const read = readTabular(file, format.columns, maxBytes)
  const issues: Issue[] = [...read.issues]
  const records: { line: number; key: string; record: T }[] = []
  const seen = new Map<string, number>()
  for (const row of read.rows) {
    const reader = new RowReader(row, table, format.keyColumn)
    const record = format.read(reader)
    issues.push(...reader.issues)
    const key = row.values[format.keyColumn] ?? ''
    const earlier = seen.get(key)
    if (key !== '' && earlier !== undefined) {
      issues.push({ rule: 'FORMAT', message: `${format.keyColumn} ${key} is also on line ${earlier}: each record once`, table, line: row.line, field: format.keyColumn, key })
      continue
    }
    seen.set(key, row.line)
    if (record !== null) records.push({ line: row.line, key, record })
  }
  const refuse = () => db.transaction().execute((trx) => saveRun(trx, actor, { ...base, status: 'refused', files: [read.summary], summary: { records: read.rows.length } }, sortIssues(issues)))
  if (read.issues.length > 0) return refuse()

  const outcome = await db.transaction().execute(async (trx) => {
    await lockImports(trx, actor.agencyId, format.format)
    issues.push(...(await format.check(trx, actor, records)).map((issue) => ({ ...issue, table })))
    const leftOut = new Set(issues.map((issue) => issue.key).filter((key): key is string => key !== null))
    const good = records.filter((item) => !leftOut.has(item.key))
    if ((issues.length > 0 && !acceptValid) || (good.length === 0 && issues.length > 0)) return null
    const unkeyedProblems = issues.filter((issue) => issue.key === null).length
    const leftOutList = [...leftOut].sort()
    const counts = { records: read.rows.length, imported: good.length, created: 0, updated: 0, unchanged: 0, peopleCreated: 0, leftOut: leftOutList, rowsWithoutKeyLeftOut: unkeyedProblems }
    const run = await saveRun(trx, actor, { ...base, status: issues.length > 0 ? 'imported_in_part' : 'imported', files: [read.summary], summary: counts }, sortIssues(issues))
    const touched = new Map<string, boolean>()
    for (const result of await format.writeAll(trx, actor, good, run.id)) {
      if (result.created) counts.created += 1
      else if (result.changed) counts.updated += 1
      else counts.unchanged += 1
      if (result.personCreated) counts.peopleCreated += 1
      if (result.personCreated || result.changed || result.created) touched.set(result.personId, (touched.get(result.personId) ?? false) || result.personCreated)
    }
    await recordAuditInChunks(
      trx,
      actor,
      [...touched].map(([personId, created]) => ({
        action: created ? 'IMPORT_PERSON' : 'REIMPORT_PERSON',
        subjectPersonId: personId,
        recordType: 'import_run',
        recordId: run.id,
        detail: { format: format.format },
      })),
    )
    await trx.updateTable('import_run').set({ summary: JSON.stringify(counts) }).where('id', '=', run.id).execute()
    return { ...run, summary: counts }
  })
  return outcome ?? refuse()
}

export type { TabularRow }
