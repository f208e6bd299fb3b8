/**
 * Parses RFC 4180 CSV into rows of fields: quoted fields may hold commas, line breaks and doubled quotes;
 * lines may end in CRLF or LF; a leading byte-order mark (Excel and ONS downloads carry one) is dropped.
 * A final line break does not start an empty row.
 */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let rowStarted = false
  let index = 0

  const endField = (): void => {
    row.push(field)
    field = ''
  }
  const endRow = (): void => {
    endField()
    rows.push(row)
    row = []
    rowStarted = false
  }

  while (index < source.length) {
    const char = source[index]
    rowStarted = true
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"'
        index += 2
        continue
      }
      if (char === '"') quoted = false
      else field += char
      index += 1
      continue
    }
    if (char === '"' && field === '') quoted = true
    else if (char === ',') endField()
    else if (char === '\n') endRow()
    else if (char === '\r' && source[index + 1] === '\n') {
      endRow()
      index += 1
    } else field += char
    index += 1
  }

  if (quoted) throw new Error('CSV ends inside a quoted field')
  if (rowStarted) endRow()
  return rows
}
