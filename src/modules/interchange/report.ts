import { toCsv } from '../../lib/csv.ts'

/**
 * One problem found in an imported file: the rule it breaks (a DfE rule code for SSDA903, or one of
 * Lantern's own codes below), the message, and where: the table (or file), the line and the field.
 * `key` is the record the problem belongs to (the SSDA903 CHILD, an NRM reference, a PFIF record id):
 * with --accept-valid, records with a problem are left out and the others imported.
 */
export interface Issue {
  rule: string
  message: string
  table: string | null
  line: number | null
  field: string | null
  key: string | null
}

/**
 * Lantern's own rule codes, for what DfE's catalogue has no code for.
 * FILE: the file itself cannot be read as the format (encoding, size, columns, CSV or XML syntax);
 * a file problem refuses the whole import, --accept-valid or not.
 * REQUIRED: a field Lantern needs to make the record is blank.
 * FORMAT: a value is not in the form the format says (a date, a code, a number).
 * LANTERN: the row conflicts with what Lantern already holds (a record another file or a person made).
 */
export const FILE_RULE = 'FILE'
export const REQUIRED_RULE = 'REQUIRED'
export const FORMAT_RULE = 'FORMAT'
export const LANTERN_RULE = 'LANTERN'

export function fileIssue(table: string | null, message: string, line: number | null = null, field: string | null = null): Issue {
  return { rule: FILE_RULE, message, table, line, field, key: null }
}

export function isFileIssue(issue: Issue): boolean {
  return issue.rule === FILE_RULE
}

/** Issues in reading order: by table, then line, then rule, so a report reads down the file. */
export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      (a.table ?? '').localeCompare(b.table ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule, 'en', { numeric: true }) ||
      (a.field ?? '').localeCompare(b.field ?? ''),
  )
}

export const REPORT_COLUMNS = ['rule', 'message', 'table', 'line', 'field'] as const

/** The report as CSV with the columns rule,message,table,line,field. */
export function reportCsv(issues: readonly Pick<Issue, 'rule' | 'message' | 'table' | 'line' | 'field'>[]): string {
  return toCsv([[...REPORT_COLUMNS], ...issues.map((issue) => [issue.rule, issue.message, issue.table, issue.line, issue.field])])
}
