/** One CSV record and the line of the file it starts on (1-based), so a report can point at it. */
export interface CsvRecord {
  fields: string[]
  line: number
}

/** Malformed CSV, with the line where the problem is. */
export class CsvSyntaxError extends Error {
  readonly line: number
  constructor(message: string, line: number) {
    super(message)
    this.line = line
  }
}

const COMMA = 44
const QUOTE = 34
const LF = 10
const CR = 13

/**
 * Parses RFC 4180 CSV into records, each with the line it starts on: quoted fields may hold commas, line
 * breaks and doubled quotes (so a record can span lines); lines may end in CRLF or LF; a leading byte-order
 * mark (Excel and ONS downloads carry one) is dropped. A final line break does not start an empty record.
 * Unquoted fields are sliced, not built a character at a time, so a national SSDA903 file parses in well
 * under a second.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  const length = source.length
  let index = 0
  let line = 1
  while (index < length) {
    const record: CsvRecord = { fields: [], line }
    for (;;) {
      // One field, starting at `index`.
      if (source.charCodeAt(index) === QUOTE) {
        const startLine = line
        let value = ''
        let from = index + 1
        for (;;) {
          const close = source.indexOf('"', from)
          if (close === -1) throw new CsvSyntaxError('The file ends inside a quoted field (a " is not closed)', startLine)
          const chunk = source.slice(from, close)
          for (let i = 0; i < chunk.length; i += 1) if (chunk.charCodeAt(i) === LF) line += 1
          value += chunk
          if (source.charCodeAt(close + 1) === QUOTE) {
            value += '"'
            from = close + 2
            continue
          }
          index = close + 1
          break
        }
        record.fields.push(value)
        const next = source.charCodeAt(index)
        if (index < length && next !== COMMA && next !== LF && next !== CR) {
          throw new CsvSyntaxError('A quoted field is followed by text before the next comma', line)
        }
      } else {
        let end = index
        while (end < length) {
          const code = source.charCodeAt(end)
          if (code === COMMA || code === LF || code === CR) break
          end += 1
        }
        record.fields.push(source.slice(index, end))
        index = end
      }
      // After a field: a comma starts another, a line break or the end closes the record.
      const code = source.charCodeAt(index)
      if (code === COMMA) {
        index += 1
        continue
      }
      if (code === CR && source.charCodeAt(index + 1) === LF) index += 2
      else if (code === LF || code === CR) index += 1
      line += 1
      break
    }
    records.push(record)
  }
  return records
}

/** Parses RFC 4180 CSV into rows of fields (see parseCsvRecords). */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((record) => record.fields)
}

/** One CSV field, quoted only when it must be (a comma, a quote or a line break in it). */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Rows to CSV text with CRLF line ends (RFC 4180). */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + (rows.length > 0 ? '\r\n' : '')
}

/** Calls `onRow` with each record's fields and the line it starts on (see parseCsvRecords). */
export function eachCsvRow(text: string, onRow: (fields: string[], line: number) => void): void {
  for (const record of parseCsvRecords(text)) onRow(record.fields, record.line)
}

/** One CSV line, without its line break (see csvField). */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(',')
}
