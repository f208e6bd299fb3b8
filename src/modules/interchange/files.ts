import { createHash } from 'node:crypto'
import { CsvSyntaxError, parseCsvRecords, type CsvRecord } from '../../lib/csv.ts'
import { fileIssue, type Issue } from './report.ts'

/** A file as received: its name and bytes. */
export interface IncomingFile {
  name: string
  bytes: Uint8Array
}

/** What a run says about each file it read. */
export interface FileSummary {
  name: string
  table: string | null
  rows: number
  bytes: number
  sha256: string
}

/** Files larger than this are refused before they are read (a national SSDA903 year is about 40 MB). */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function summarise(file: IncomingFile, table: string | null, rows: number): FileSummary {
  return { name: file.name, table, rows, bytes: file.bytes.byteLength, sha256: sha256(file.bytes) }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false })

/**
 * The file's text, or the reason it cannot be read: too large, empty, UTF-16, or bytes that are not UTF-8
 * (ASCII is UTF-8; a byte-order mark is fine). The line of the first bad byte is named, so it can be found.
 */
export function decodeText(file: IncomingFile, maxBytes: number): { text: string } | { issue: Issue } {
  const bytes = file.bytes
  if (bytes.byteLength > maxBytes) {
    const mb = (value: number) => `${Math.round((value / 1024 / 1024) * 10) / 10} MB`
    return { issue: fileIssue(file.name, `The file is ${mb(bytes.byteLength)}: files over ${mb(maxBytes)} are refused. Split it, or ask for the limit to be raised`) }
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { issue: fileIssue(file.name, 'The file is UTF-16 (Excel\'s "Unicode text"): save it as CSV UTF-8 and send it again') }
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    const lenient = lenientUtf8.decode(bytes)
    const bad = lenient.indexOf('\uFFFD')
    const line = lenient.slice(0, Math.max(bad, 0)).split('\n').length
    return { issue: fileIssue(file.name, 'The file is not UTF-8 text (it may be Windows-1252 or binary): save it as CSV UTF-8 and send it again', line) }
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return { issue: fileIssue(file.name, 'The file is empty') }
  return { text }
}

/** A table read from CSV: the column names as given (upper case, trimmed) and the data records. */
export interface CsvTable {
  columns: string[]
  records: CsvRecord[]
}

/**
 * Reads CSV text into its column names and records. Refuses malformed CSV (an unclosed quote) and any
 * record whose number of fields differs from the column names, naming the line; blank lines are dropped.
 */
export function readCsvTable(fileName: string, text: string): { table: CsvTable } | { issues: Issue[] } {
  let records: CsvRecord[]
  try {
    records = parseCsvRecords(text)
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { issues: [fileIssue(fileName, `The file is not valid CSV: ${error.message}`, error.line)] }
    throw error
  }
  const [head, ...rest] = records
  if (!head) return { issues: [fileIssue(fileName, 'The file is empty')] }
  const columns = head.fields.map((column) => column.trim().toUpperCase())
  const issues: Issue[] = []
  const data: CsvRecord[] = []
  for (const record of rest) {
    if (record.fields.length === 1 && record.fields[0]?.trim() === '') continue
    if (record.fields.length !== columns.length) {
      if (issues.length < 50) {
        issues.push(fileIssue(fileName, `This line has ${record.fields.length} fields but the first line names ${columns.length} columns`, record.line))
      }
      continue
    }
    data.push(record)
  }
  return issues.length > 0 ? { issues } : { table: { columns, records: data } }
}
