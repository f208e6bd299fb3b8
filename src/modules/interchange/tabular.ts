// A documented CSV layout (NRM referrals, police incidents): named columns, each required or optional,
// read into rows with line numbers, and typed field readers that report what is wrong where.
import { isIsoDate, startOfLondonDay } from '../../lib/dates.ts'
import { decodeText, readCsvTable, summarise, type FileSummary, type IncomingFile } from './files.ts'
import { fileIssue, FORMAT_RULE, REQUIRED_RULE, type Issue } from './report.ts'
import { isoOfDmy } from './ssda903/ssda903.codes.ts'

export interface Column {
  name: string
  required: boolean
  description: string
}

export interface TabularRow {
  line: number
  values: Record<string, string>
}

export function readTabular(file: IncomingFile, columns: readonly Column[], maxBytes: number): { rows: TabularRow[]; issues: Issue[]; summary: FileSummary } {
  const decoded = decodeText(file, maxBytes)
  if ('issue' in decoded) return { rows: [], issues: [decoded.issue], summary: summarise(file, null, 0) }
  const read = readCsvTable(file.name, decoded.text)
  if ('issues' in read) return { rows: [], issues: read.issues, summary: summarise(file, null, 0) }
  const known = new Set(columns.map((column) => column.name.toUpperCase()))
  const given = new Set(read.table.columns)
  const missing = columns.filter((column) => column.required && !given.has(column.name.toUpperCase())).map((column) => column.name)
  const unexpected = read.table.columns.filter((column) => !known.has(column))
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [missing.length > 0 ? `lacks ${missing.join(', ')}` : null, unexpected.length > 0 ? `has ${unexpected.join(', ')}, which the layout does not` : null].filter(Boolean)
    return { rows: [], issues: [fileIssue(file.name, `The columns are not the documented layout: the file ${parts.join(' and ')}`, 1)], summary: summarise(file, null, read.table.records.length) }
  }
  const rows = read.table.records.map((record) => ({
    line: record.line,
    values: Object.fromEntries(read.table.columns.map((column, index) => [column.toLowerCase(), (record.fields[index] ?? '').trim()])),
  }))
  return { rows, issues: [], summary: summarise(file, 'records', rows.length) }
}

/** Typed readers for one row: each adds an issue (with the row's line and key) and returns null when the value is wrong. */
export class RowReader {
  readonly issues: Issue[] = []
  private readonly row: TabularRow
  private readonly table: string
  private readonly key: string | null

  constructor(row: TabularRow, table: string, keyColumn: string) {
    this.row = row
    this.table = table
    this.key = row.values[keyColumn] || null
  }

  problem(field: string, message: string, rule = FORMAT_RULE): null {
    this.issues.push({ rule, message, table: this.table, line: this.row.line, field, key: this.key })
    return null
  }

  text(field: string, options: { required?: boolean; max?: number } = {}): string | null {
    const value = this.row.values[field] ?? ''
    if (value === '') return options.required ? this.problem(field, `${field} is blank: it is required`, REQUIRED_RULE) : null
    if (value.length > (options.max ?? 500)) return this.problem(field, `${field} is longer than ${options.max ?? 500} characters`)
    return value
  }

  oneOf<T extends string>(field: string, codes: readonly T[], options: { required?: boolean; aliases?: Record<string, T> } = {}): T | null {
    const raw = this.text(field, options)
    if (raw === null) return null
    const value = raw.toLowerCase().replaceAll(' ', '_')
    const found = codes.find((code) => code === value) ?? options.aliases?.[value]
    return found ?? this.problem(field, `${field} "${raw}" is not one of ${codes.join(', ')}`)
  }

  list<T extends string>(field: string, codes: readonly T[], options: { required?: boolean } = {}): T[] | null {
    const raw = this.text(field, options)
    if (raw === null) return options.required ? null : []
    const items = raw.split(/[;|]/).map((item) => item.trim().toLowerCase().replaceAll(' ', '_')).filter((item) => item !== '')
    const wrong = items.filter((item) => !codes.includes(item as T))
    if (wrong.length > 0) return this.problem(field, `${field} has ${wrong.join(', ')}, not among ${codes.join(', ')} (separate several with ;)`)
    return [...new Set(items)] as T[]
  }

  flag(field: string): boolean | null {
    const raw = (this.row.values[field] ?? '').toLowerCase()
    if (raw === '') return false
    if (['y', 'yes', 'true', '1'].includes(raw)) return true
    if (['n', 'no', 'false', '0'].includes(raw)) return false
    return this.problem(field, `${field} "${raw}" must be yes or no`)
  }

  /** A calendar date, YYYY-MM-DD or DD/MM/YYYY. */
  date(field: string, options: { required?: boolean } = {}): string | null {
    const raw = this.text(field, options)
    if (raw === null) return null
    const iso = isIsoDate(raw) ? raw : isoOfDmy(raw)
    return iso ?? this.problem(field, `${field} "${raw}" is not a date like 2024-07-13 or 13/07/2024`)
  }

  /** An instant: ISO 8601 with a zone, or a local date and time (Europe/London) like 2024-07-13 21:40 or 13/07/2024 21:40. */
  instant(field: string, options: { required?: boolean } = {}): Date | null {
    const raw = this.text(field, options)
    if (raw === null) return null
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)) {
      const instant = new Date(raw)
      if (!Number.isNaN(instant.getTime())) return instant
    }
    const local = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})[ T](\d{1,2}):(\d{2})$/.exec(raw)
    const day = local ? (isIsoDate(local[1] ?? '') ? (local[1] ?? null) : isoOfDmy(local[1] ?? '')) : null
    if (local && day !== null && Number(local[2]) < 24) {
      // Local wall-clock time in Europe/London: the start of that day there, plus the hours and minutes.
      return new Date(startOfLondonDay(day).getTime() + (Number(local[2]) * 60 + Number(local[3])) * 60_000)
    }
    return this.problem(field, `${field} "${raw}" is not a date and time like 2024-07-13 21:40 (UK time) or 2024-07-13T20:40:00Z`)
  }
}
