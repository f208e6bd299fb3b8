// `lantern stats`: rebuild the statistics, or print a table (text, CSV or JSON) on the command line. The operator
// acts for no agency: figures are after disclosure control unless --unrounded, which is audited.
import { writeFile } from 'node:fs/promises'
import type { Runtime } from '../../server.ts'
import { DomainError, ValidationError } from '../../lib/errors.ts'
import { tableToCsv, tableToXlsx } from './statistics.output.ts'
import type { BreakdownRequest, StatisticsTable } from './statistics.service.ts'
import { DIMENSION_NAMES } from './statistics.definitions.ts'

export const STATS_HELP = `  stats refresh    rebuild the statistics from the records
  stats TABLE [--years 2006-2012] [--format text|csv|json|xlsx] [--out FILE] [--unrounded]
                   TABLE: parliamentary-question | breakdown [--rows R] [--columns C] [--measure children|episodes]
                   | still-missing | reconciliation [--by policeForce|responsibleAuthority]
                   | time-to-first-missing [--from care|referral]; also [--definition every_episode|over_24_hours]
                   [--category missing|away|both]; breakdowns: ${DIMENSION_NAMES.join(', ')}`

export interface StatsArguments {
  years?: string
  format?: string
  out?: string
  unrounded?: boolean
  rows?: string
  columns?: string
  measure?: string
  definition?: string
  category?: string
  by?: string
  from?: string
}

/** A table as aligned plain text. */
export function tableToText(table: StatisticsTable): string {
  const header = [table.rowHeading, ...table.columns.map((column) => column.label)]
  const body = table.rows.map((row) => [row.label, ...row.cells.map((cell) => cell.text)])
  const widths = header.map((_, i) => Math.min(i === 0 ? 48 : 26, Math.max(...[header, ...body].map((line) => (line[i] ?? '').length))))
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text)
  const line = (cells: string[]) => cells.map((text, i) => (i === 0 ? fit(text, widths[0] ?? 0).padEnd(widths[0] ?? 0) : fit(text, widths[i] ?? 0).padStart(widths[i] ?? 0))).join('  ')
  return [table.title, '', line(header), line(header.map((_, i) => '-'.repeat(widths[i] ?? 0))), ...body.map(line), '', ...table.notes.map((note) => `* ${note}`), table.asAt ? `* Rebuilt from the records at ${table.asAt}` : '* Not yet rebuilt: run lantern stats refresh'].join('\n')
}

export async function runStats(runtime: Runtime, table: string | undefined, args: StatsArguments): Promise<number> {
  const statistics = runtime.services.statistics
  if (table === 'refresh') {
    const result = await statistics.refresh(null)
    console.log(`Statistics rebuilt in ${result.seconds.toFixed(1)} s: ${result.episodes.toLocaleString('en-GB')} episode facts, ${result.careStarts.toLocaleString('en-GB')} starts of care, ${result.referrals.toLocaleString('en-GB')} referrals.`)
    return 0
  }
  const years = args.years?.match(/^(\d{4})(?:-(\d{4}))?$/)
  if (args.years !== undefined && !years) {
    console.error(`--years must be like 2006-2012 or 2012, not "${args.years}"`)
    return 2
  }
  const format = args.format ?? 'text'
  if (!['text', 'csv', 'json', 'xlsx'].includes(format)) {
    console.error(`--format must be text, csv, json or xlsx, not "${format}"`)
    return 2
  }
  if (format === 'xlsx' && !args.out) {
    console.error('--format xlsx needs --out FILE')
    return 2
  }
  const request: BreakdownRequest & { by?: string; from?: string } = {
    yearFrom: years ? Number(years[1]) : undefined,
    yearTo: years ? Number(years[2] ?? years[1]) : undefined,
    unrounded: args.unrounded === true,
    rows: args.rows,
    columns: args.columns,
    measure: args.measure as BreakdownRequest['measure'],
    definition: args.definition,
    category: args.category,
    by: args.by,
    from: args.from,
  }
  let result: StatisticsTable
  try {
    switch (table) {
      case 'parliamentary-question':
        result = await statistics.parliamentaryQuestion(null, request)
        break
      case 'breakdown':
        result = await statistics.breakdown(null, request)
        break
      case 'still-missing':
        result = await statistics.stillMissing(null, request)
        break
      case 'reconciliation':
        result = await statistics.reconciliation(null, request)
        break
      case 'time-to-first-missing':
        result = await statistics.timeToFirstMissing(null, request)
        break
      default:
        console.error(`Usage:\n${STATS_HELP}`)
        return 2
    }
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const field of error.errors) console.error(`--${field.field}: ${field.message}`)
      return 2
    }
    if (error instanceof DomainError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
  const output = format === 'csv' ? tableToCsv(result) : format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : format === 'xlsx' ? await tableToXlsx(result) : `${tableToText(result)}\n`
  if (args.out) await writeFile(args.out, output)
  else process.stdout.write(output)
  return 0
}
