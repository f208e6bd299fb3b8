// `lantern import <format> ...` and `lantern export <format> ...`: the operator's way in and out for files.
import { parseArgs } from 'node:util'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { SingleBar, Presets } from 'cli-progress'
import type { Runtime } from '../../server.ts'
import type { Actor } from '../access/actor.ts'
import { DomainError, ValidationError } from '../../lib/errors.ts'
import { reportCsv, type Issue } from './report.ts'
import type { ImportResult } from './import-run.service.ts'

export const INTERCHANGE_HELP = `  import ssda903 --la CODE --year YYYY --user EMAIL [--accept-valid] [--report FILE] FILE...
                   import an SSDA903 return (the CSV tables, or one XML file) for a local authority and a
                   collection year (named by the year it ends); exits 1 when anything was refused
  import nrm|police|pfif --user EMAIL [--accept-valid] [--report FILE] FILE
                   import NRM referrals, or a force's missing-person incidents, from the CSV layout documented
                   in src/modules/interchange/README.md (or a PFIF 1.4 XML file); exits 1 when anything was refused
  export pfif --user EMAIL --recipient TEXT --purpose TEXT --domain NAME --out FILE [PERSON_ID...]
                   the agency's people (those given, or every open case) as PFIF 1.4 persons and notes, each
                   export recorded as a disclosure to the recipient
  export ssda903 --la CODE --year YYYY --user EMAIL --recipient TEXT --out DIR [--report FILE]
                   write the year's Header, Episodes and Missing tables as DfE's CSV files, checked with DfE's
                   rules first (exits 1 and writes nothing when a rule fails); recorded as a disclosure`

export class UsageError extends Error {}

const OPTIONS = {
  la: { type: 'string' },
  year: { type: 'string' },
  user: { type: 'string' },
  report: { type: 'string' },
  'accept-valid': { type: 'boolean' },
  recipient: { type: 'string' },
  out: { type: 'string' },
  purpose: { type: 'string' },
  domain: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** A progress bar on a terminal, plain lines otherwise (a log file, CI). */
function progressReporter(): { onProgress: (phase: string, done: number, total: number) => void; stop: () => void } {
  if (!process.stdout.isTTY) {
    let last = ''
    return {
      onProgress: (phase) => {
        if (phase !== last) console.log(`  ${phase}...`)
        last = phase
      },
      stop: () => {},
    }
  }
  const bar = new SingleBar({ format: '  {phase} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic)
  let started = false
  return {
    onProgress: (phase, done, total) => {
      if (!started) {
        bar.start(total, done, { phase })
        started = true
      }
      bar.setTotal(total)
      bar.update(done, { phase })
    },
    stop: () => {
      if (started) bar.stop()
    },
  }
}

function printResult(result: ImportResult, reportFile: string | undefined) {
  const summary = result.summary as Record<string, unknown>
  console.log(`Import ${result.id}: ${result.status.replaceAll('_', ' ')}, ${result.issueCount} problem(s)`)
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'leftOut' || key === 'skippedTables') continue
    console.log(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
  }
  for (const skipped of (summary.skippedTables as { file: string; table: string; rows: number }[] | undefined) ?? []) {
    console.log(`  skipped: ${skipped.file} is the ${skipped.table} table (${skipped.rows} rows), which Lantern does not import`)
  }
  const leftOut = (summary.leftOut as string[] | undefined) ?? []
  if (leftOut.length > 0) console.log(`  left out (${leftOut.length}): ${leftOut.slice(0, 200).join(', ')}${leftOut.length > 200 ? ', ...' : ''}`)
  if (reportFile) console.log(`Report: ${reportFile} (rule,message,table,line,field)`)
  else printIssues(result.issues)
}

function printIssues(issues: readonly Issue[]) {
  for (const issue of issues.slice(0, 30)) {
    console.error(`  ${issue.rule.padEnd(8)} ${issue.table ?? ''}${issue.line !== null ? ` line ${issue.line}` : ''}${issue.field ? ` ${issue.field}` : ''}: ${issue.message}`)
  }
  if (issues.length > 30) console.error(`  ... and ${issues.length - 30} more: write them all with --report FILE`)
}

async function readFiles(paths: string[]) {
  if (paths.length === 0) throw new UsageError('Give the files to import')
  return Promise.all(paths.map(async (path) => ({ name: basename(path), bytes: await readFile(path) })))
}

async function actorOf(runtime: Runtime, email: string | undefined, purpose: string): Promise<Actor> {
  if (!email) throw new UsageError('Say who is importing: --user EMAIL (a user of the agency whose records these are)')
  return runtime.services.users.operatorActor(email, purpose)
}

function requiredOption(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`)
  return value
}

/** Runs an import or export command; the exit status is 0 only when everything was taken (or written). */
export async function runInterchange(openRuntime: () => Promise<Runtime>, argv: string[]): Promise<number> {
  try {
    return await run(openRuntime, argv)
  } catch (error) {
    if (error instanceof ValidationError) {
      console.error(`${error.message}:`)
      for (const field of error.errors) console.error(`  ${field.field}: ${field.message}`)
      return 1
    }
    if (error instanceof DomainError) {
      console.error(error.message)
      return 1
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) throw new UsageError(error.message)
    throw error
  }
}

async function run(openRuntime: () => Promise<Runtime>, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  const [verb, format, ...paths] = positionals
  if (verb === 'import' && format === 'ssda903') {
    const year = Number(requiredOption(values.year, 'year'))
    if (!Number.isInteger(year)) throw new UsageError(`--year must be a year like 2025, not "${values.year}"`)
    const la = requiredOption(values.la, 'la')
    const files = await readFiles(paths)
    if (!values.user) throw new UsageError('Say who is importing: --user EMAIL (a user of the agency whose records these are)')
    const runtime = await openRuntime()
    const actor = await actorOf(runtime, values.user, `SSDA903 return ${year} import`)
    const progress = progressReporter()
    let result: ImportResult
    try {
      result = await runtime.services.ssda903.importReturn(actor, { la, year, files, acceptValid: values['accept-valid'] ?? false, onProgress: progress.onProgress })
    } finally {
      progress.stop()
    }
    if (values.report) await writeFile(values.report, reportCsv(result.issues))
    printResult(result, values.report)
    return result.status === 'imported' ? 0 : 1
  }
  if (verb === 'import' && format === 'pfif') {
    const files = await readFiles(paths)
    if (!values.user) throw new UsageError('Say who is importing: --user EMAIL')
    const runtime = await openRuntime()
    const actor = await actorOf(runtime, values.user, 'PFIF import')
    const result = await runtime.services.pfif.importDocument(actor, { files, acceptValid: values['accept-valid'] ?? false })
    if (values.report) await writeFile(values.report, reportCsv(result.issues))
    printResult(result, values.report)
    return result.status === 'imported' ? 0 : 1
  }
  if (verb === 'export' && format === 'pfif') {
    const recipient = requiredOption(values.recipient, 'recipient')
    const purpose = requiredOption(values.purpose, 'purpose')
    const domain = requiredOption(values.domain, 'domain')
    const out = requiredOption(values.out, 'out')
    if (!values.user) throw new UsageError('Say who is disclosing: --user EMAIL')
    const runtime = await openRuntime()
    const actor = await actorOf(runtime, values.user, purpose)
    const result = await runtime.services.pfif.exportPeople(actor, { people: paths.length > 0 ? paths : 'open', recipient, domain })
    await writeFile(out, result.document)
    console.log(`Wrote ${result.persons} people and ${result.notes} notes to ${out} (PFIF 1.4). Disclosure ${result.disclosureId} to ${recipient} recorded.`)
    if (result.withheld.length > 0) console.log(`  withheld for people whose location is restricted: ${result.withheld.join(', ')}`)
    return 0
  }
  if (verb === 'import' && (format === 'nrm' || format === 'police')) {
    const files = await readFiles(paths)
    if (!values.user) throw new UsageError('Say who is importing: --user EMAIL (a user of the agency whose records these are)')
    const runtime = await openRuntime()
    const actor = await actorOf(runtime, values.user, format === 'nrm' ? 'NRM referrals import' : 'Police incidents import')
    const request = { files, acceptValid: values['accept-valid'] ?? false }
    const result = format === 'nrm' ? await runtime.services.nrmImport.importReferrals(actor, request) : await runtime.services.policeImport.importIncidents(actor, request)
    if (values.report) await writeFile(values.report, reportCsv(result.issues))
    printResult(result, values.report)
    return result.status === 'imported' ? 0 : 1
  }
  if (verb === 'export' && format === 'ssda903') {
    const year = Number(requiredOption(values.year, 'year'))
    if (!Number.isInteger(year)) throw new UsageError(`--year must be a year like 2025, not "${values.year}"`)
    const la = requiredOption(values.la, 'la')
    const recipient = requiredOption(values.recipient, 'recipient')
    const out = requiredOption(values.out, 'out')
    if (!values.user) throw new UsageError('Say who is exporting: --user EMAIL (a user of the authority)')
    const runtime = await openRuntime()
    const actor = await actorOf(runtime, values.user, `SSDA903 return ${year} for ${recipient}`)
    const result = await runtime.services.ssda903Export.exportReturn(actor, { la, year, recipient })
    if (values.report) await writeFile(values.report, reportCsv(result.issues))
    if (result.disclosureId === null) {
      console.error(`Export refused: ${result.issues.length} problem(s) with DfE's rules; nothing was written.`)
      if (!values.report) printIssues(result.issues)
      return 1
    }
    await mkdir(out, { recursive: true })
    for (const file of result.files) await writeFile(join(out, file.name), file.text)
    const { children, careEpisodes, missingEpisodes, placementsWithheld } = result.summary
    console.log(`Wrote ${result.files.map((file) => file.name).join(', ')} to ${out}: ${children} children, ${careEpisodes} episodes, ${missingEpisodes} missing periods.`)
    if (placementsWithheld > 0) console.log(`  placement withheld for ${placementsWithheld} flagged child(ren): a missing-from-care lead may export it`)
    console.log(`Disclosure ${result.disclosureId} to ${recipient} recorded.`)
    return 0
  }
  throw new UsageError(`Unknown command "${[verb, format].filter(Boolean).join(' ')}". Usage:\n${INTERCHANGE_HELP}`)
}
