// Downloads of a statistics table: CSV and XLSX with the GSS shorthand symbols ([c], [low], [z], [x]) in place of
// suppressed figures, a notes section, and numbers as numbers (GSS guidance on releasing statistics in
// spreadsheets: cover sheet, notes, one table per sheet, no merged cells, symbols explained).
import ExcelJS from 'exceljs'
import { GSS_SHORTHAND, SYMBOL_MEANINGS, formatPublished, type DisclosureSymbol } from '../../lib/disclosure.ts'
import type { StatisticsTable } from './statistics.service.ts'

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV: the table, then its notes and the symbols used, as comment-like rows after a blank line. */
export function tableToCsv(table: StatisticsTable): string {
  const lines: string[][] = [[table.rowHeading, ...table.columns.map((column) => column.label)]]
  for (const row of table.rows) lines.push([row.label, ...row.cells.map((cell) => formatPublished(cell, { shorthand: 'gss', grouping: false }))])
  lines.push([])
  lines.push([`Title: ${table.title}`])
  if (table.asAt) lines.push([`Statistics rebuilt from the records at ${table.asAt}`])
  for (const note of table.notes) lines.push([`Note: ${note}`])
  for (const symbol of usedSymbols(table)) lines.push([`${GSS_SHORTHAND[symbol]}: ${SYMBOL_MEANINGS[symbol]}`])
  return `${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`
}

function usedSymbols(table: StatisticsTable): DisclosureSymbol[] {
  const used = new Set<DisclosureSymbol>()
  for (const row of table.rows) for (const cell of row.cells) if (cell.symbol) used.add(cell.symbol)
  return (['c', 'k', 'z', 'x'] as const).filter((symbol) => used.has(symbol))
}

/** An .xlsx workbook: Cover (title, as-at, notes), Notes (the symbols), and the table with a header row. */
export async function tableToXlsx(table: StatisticsTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Lantern'
  workbook.created = table.asAt ? new Date(table.asAt) : new Date(0)
  workbook.modified = workbook.created
  const cover = workbook.addWorksheet('Cover')
  cover.addRow([table.title]).font = { bold: true, size: 14 }
  cover.addRow([table.asAt ? `Statistics rebuilt from the records at ${table.asAt}` : 'Statistics not yet built from the records'])
  cover.addRow([table.unrounded ? 'Unrounded figures before disclosure control: not for publication.' : 'Figures after disclosure control.'])
  for (const note of table.notes) cover.addRow([note])
  cover.getColumn(1).width = 120

  const notes = workbook.addWorksheet('Notes')
  notes.addRow(['Symbol', 'Meaning']).font = { bold: true }
  for (const symbol of ['c', 'k', 'z', 'x'] as const) notes.addRow([GSS_SHORTHAND[symbol], SYMBOL_MEANINGS[symbol]])
  notes.getColumn(1).width = 10
  notes.getColumn(2).width = 100

  const sheet = workbook.addWorksheet('Table')
  sheet.addRow([table.rowHeading, ...table.columns.map((column) => column.label)]).font = { bold: true }
  for (const row of table.rows) {
    const added = sheet.addRow([row.label, ...row.cells.map((cell) => (cell.symbol ? GSS_SHORTHAND[cell.symbol] : (cell.value ?? 0)))])
    if (row.total) added.font = { bold: true }
    row.cells.forEach((cell, i) => {
      const target = added.getCell(i + 2)
      target.alignment = { horizontal: 'right' }
      if (cell.percent && !cell.symbol) target.numFmt = Number.isInteger(cell.value) ? '0"%"' : '0.0"%"'
      else if (!cell.symbol) target.numFmt = '#,##0'
    })
  }
  sheet.getColumn(1).width = 48
  for (let i = 0; i < table.columns.length; i += 1) sheet.getColumn(i + 2).width = 22
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }]
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
