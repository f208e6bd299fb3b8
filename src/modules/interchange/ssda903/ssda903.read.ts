// Reading an SSDA903 return as it arrives: CSV files (one per table, recognised by their columns) or one
// XML file (<EXPSSDA903>), into rows with line numbers; and the rows of a valid child into Lantern's terms.
import { SaxesParser } from 'saxes'
import { decodeText, readCsvTable, summarise, type FileSummary, type IncomingFile } from '../files.ts'
import { fileIssue, FILE_RULE, type Issue } from '../report.ts'
import type { CategoryOfNeed, LegalStatus, PlacementProvider, PlacementType, ReasonEnded, ReasonForNewEpisode, ReasonForPlacementChange } from '../../care/care.codes.ts'
import type { CareEpisode } from '../../care/care.service.ts'
import { normalisePostcode } from '../../../lib/geo.ts'
import { isoOfDmy, sexOfCode } from './ssda903.codes.ts'
import { columnsOf, IMPORTED_TABLES, isImportedTable, recogniseTable, type ImportedTable, type SourceRow, type SourceTables, type TableName } from './ssda903.tables.ts'

export interface ReadReturn {
  tables: SourceTables
  format: 'csv' | 'xml'
  files: FileSummary[]
  /** Tables recognised but not imported, with the number of rows skipped. */
  skipped: { file: string; table: string; rows: number }[]
  issues: Issue[]
}

function looksLikeXml(text: string): boolean {
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('<')
}

/** Reads the files of one return: CSV tables, or a single XML file. Every problem is an issue, never a throw. */
export function readReturn(files: IncomingFile[], maxBytes: number): ReadReturn {
  const result: ReadReturn = { tables: {}, format: 'csv', files: [], skipped: [], issues: [] }
  if (files.length === 0) {
    result.issues.push(fileIssue(null, 'No files were given: send the SSDA903 CSV tables (Header, Episodes, Missing, UASC...) or one XML return'))
    return result
  }
  const texts: { file: IncomingFile; text: string }[] = []
  for (const file of files) {
    const decoded = decodeText(file, maxBytes)
    if ('issue' in decoded) {
      result.issues.push(decoded.issue)
      result.files.push(summarise(file, null, 0))
    } else texts.push({ file, text: decoded.text })
  }
  const xml = texts.filter(({ text }) => looksLikeXml(text))
  if (xml.length > 0) {
    result.format = 'xml'
    if (files.length > 1) {
      result.issues.push(fileIssue(null, 'An XML return comes alone: send either one XML file or the CSV tables, not both or several XML files'))
      return result
    }
    const [only] = xml
    if (only) readXml(only.file, only.text, result)
    return result
  }
  const seen = new Map<TableName, string>()
  for (const { file, text } of texts) {
    const read = readCsvTable(file.name, text)
    if ('issues' in read) {
      result.issues.push(...read.issues)
      result.files.push(summarise(file, null, 0))
      continue
    }
    const recognised = recogniseTable(read.table.columns)
    if (!('table' in recognised)) {
      const parts = [
        recognised.missing.length > 0 ? `lacks ${recognised.missing.join(', ')}` : null,
        recognised.unexpected.length > 0 ? `has ${recognised.unexpected.join(', ')}, which it should not` : null,
      ].filter((part) => part !== null)
      result.issues.push(
        fileIssue(file.name, `The columns are not those of an SSDA903 table: nearest is ${recognised.closest} (${columnsOf(recognised.closest).join(',')}), but this file ${parts.join(' and ')}`, 1),
      )
      result.files.push(summarise(file, null, read.table.records.length))
      continue
    }
    const table = recognised.table
    result.files.push(summarise(file, table, read.table.records.length))
    const earlier = seen.get(table)
    if (earlier !== undefined) {
      result.issues.push(fileIssue(file.name, `This is a second ${table} table (the first was ${earlier}): send each table once`))
      continue
    }
    seen.set(table, file.name)
    if (!isImportedTable(table)) {
      result.skipped.push({ file: file.name, table, rows: read.table.records.length })
      continue
    }
    result.tables[table] = read.table.records.map((record) => ({
      line: record.line,
      values: Object.fromEntries(read.table.columns.map((column, index) => [column, (record.fields[index] ?? '').trim()])),
    }))
  }
  if (result.issues.length === 0 && result.tables.Header === undefined) {
    result.issues.push(fileIssue(null, 'There is no Header table (CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB): every child imported must be in it'))
  }
  if (result.issues.every((issue) => issue.rule !== FILE_RULE)) result.issues.push(...wrongDateForms(result.tables))
  return result
}

const DATE_COLUMNS: Record<ImportedTable, readonly string[]> = {
  Header: ['DOB', 'MC_DOB'],
  Episodes: ['DECOM', 'DEC'],
  Missing: ['DOB', 'MIS_START', 'MIS_END'],
  UASC: ['DOB', 'DUC'],
}

/**
 * Dates written the wrong way round the whole file through (2017-11-13, or 11/13/2017) fail DfE's date
 * rules row by row; one file-level line says why, once per table and column.
 */
function wrongDateForms(tables: SourceTables): Issue[] {
  const issues: Issue[] = []
  for (const table of Object.keys(IMPORTED_TABLES) as ImportedTable[]) {
    for (const column of DATE_COLUMNS[table]) {
      const row = tables[table]?.find((candidate) => {
        const value = candidate.values[column] ?? ''
        return value !== '' && isoOfDmy(value) === null && wrongForm(value) !== null
      })
      if (!row) continue
      const value = row.values[column] ?? ''
      const hint = wrongForm(value) ?? ''
      issues.push({ rule: 'FORMAT', message: `${column} ${hint}`, table, line: row.line, field: column, key: row.values.CHILD || null })
    }
  }
  return issues
}

/** Why a date is in the wrong form, when it looks like a date written another way; null otherwise. */
function wrongForm(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return `is written year first (${value}); SSDA903 dates are day/month/year, like 13/11/2017`
  const dmy = /^(\d{1,2})\/(\d{1,2})\/\d{4}$/.exec(value)
  if (dmy && Number(dmy[2]) > 12 && Number(dmy[1]) <= 12) return `looks like month/day/year (${value}); SSDA903 dates are day/month/year, like 13/11/2017`
  if (!dmy && /^\d{1,2}[.\-/ ]\d{1,2}[.\-/ ]\d{2,4}$/.test(value)) return `is not written day/month/year with slashes and a four-digit year (${value}), like 13/11/2017`
  return null
}

// ------------------------------------------------------------------ XML (<EXPSSDA903>, DOMAIN-SOURCES.md §3.1)

const XML_HEADER_FIELDS: Record<string, string> = { CHILDID: 'CHILD', UPN: 'UPN', SEX: 'SEX', DOB: 'DOB', ETHNIC: 'ETHNIC', UASC: 'UASC', DUC: 'DUC', MOTHER: 'MOTHER', MC_DOB: 'MC_DOB' }
const XML_EPISODE_FIELDS: Record<string, string> = {
  DECOM: 'DECOM', RNE: 'RNE', LS: 'LS', CIN: 'CIN', PL: 'PLACE', PLACE: 'PLACE', PL_POST: 'PL_POST', HOME_POST: 'HOME_POST', URN: 'URN',
  PLACE_PROVIDER: 'PLACE_PROVIDER', DEC: 'DEC', REC: 'REC', REASON_PLACE_CHANGE: 'REASON_PLACE_CHANGE',
}
const XML_MISSING_FIELDS: Record<string, string> = { MISSING: 'MISSING', MIS_START: 'MIS_START', MIS_END: 'MIS_END' }
/** Parts of HEADER Lantern does not import: read past, counted, and named in the run's summary. */
const XML_SKIPPED: Record<string, string> = { AREVIEW: 'Reviews', OC2: 'OC2', OC3: 'OC3', PERMANENCE: 'PrevPerm', AD_PLACED: 'PlacedAdoption', AD1: 'AD1', SWEPISODE: 'SWEpisodes', DOLO: 'DoLo' }

function readXml(file: IncomingFile, text: string, result: ReadReturn) {
  const header: SourceRow[] = []
  const episodes: SourceRow[] = []
  const missing: SourceRow[] = []
  const uasc: SourceRow[] = []
  const skipped = new Map<string, number>()
  const parser = new SaxesParser({ position: true })
  const stack: string[] = []
  let child: { header: SourceRow; episodes: SourceRow[]; missing: SourceRow[] } | null = null
  let record: { row: SourceRow; fields: Record<string, string> } | null = null
  let textValue = ''
  let failed = false

  parser.on('error', (error) => {
    if (!failed) result.issues.push(fileIssue(file.name, `The file is not well-formed XML: ${error.message.replace(/^.*?:\d+:\d+: /, '')}`, parser.line))
    failed = true
  })
  parser.on('opentag', (tag) => {
    const name = tag.name.toUpperCase()
    const parent = stack.at(-1)
    stack.push(name)
    textValue = ''
    if (stack.length === 1 && name !== 'EXPSSDA903') {
      result.issues.push(fileIssue(file.name, `The XML root is <${tag.name}>: an SSDA903 return is <EXPSSDA903>`, parser.line))
      failed = true
    }
    if (name === 'CHILD' && parent === 'EXPSSDA903') child = { header: { line: parser.line, values: {} }, episodes: [], missing: [] }
    else if (name === 'HEADER' && parent === 'CHILD' && child) {
      child.header.line = parser.line
      record = { row: child.header, fields: XML_HEADER_FIELDS }
    } else if (name === 'EPISODE' && parent === 'CHILD' && child) {
      const row = { line: parser.line, values: {} }
      child.episodes.push(row)
      record = { row, fields: XML_EPISODE_FIELDS }
    } else if (name === 'AMISSING' && parent === 'HEADER' && child) {
      const row = { line: parser.line, values: {} }
      child.missing.push(row)
      record = { row, fields: XML_MISSING_FIELDS }
    } else if (parent === 'HEADER' && XML_SKIPPED[name] !== undefined) {
      const table = XML_SKIPPED[name] ?? name
      skipped.set(table, (skipped.get(table) ?? 0) + 1)
    }
  })
  parser.on('text', (value) => {
    textValue += value
  })
  parser.on('closetag', (tag) => {
    const name = tag.name.toUpperCase()
    stack.pop()
    const parent = stack.at(-1)
    if (record && parent !== undefined && (parent === 'HEADER' || parent === 'EPISODE' || parent === 'AMISSING')) {
      const column = record.fields[name]
      if (column !== undefined) record.row.values[column] = textValue.trim()
    }
    if (name === 'AMISSING' || name === 'EPISODE') record = child ? { row: child.header, fields: XML_HEADER_FIELDS } : null
    if (name === 'HEADER') record = null
    if (name === 'CHILD' && child && parent === 'EXPSSDA903') {
      const values = child.header.values
      const id = values.CHILD ?? ''
      header.push({ line: child.header.line, values: { CHILD: id, SEX: values.SEX ?? '', DOB: values.DOB ?? '', ETHNIC: values.ETHNIC ?? '', UPN: values.UPN ?? '', MOTHER: values.MOTHER ?? '', MC_DOB: values.MC_DOB ?? '', UASC: values.UASC ?? '' } })
      if ((values.DUC ?? '') !== '') uasc.push({ line: child.header.line, values: { CHILD: id, SEX: values.SEX ?? '', DOB: values.DOB ?? '', DUC: values.DUC ?? '' } })
      for (const row of child.episodes) episodes.push({ line: row.line, values: { CHILD: id, ...Object.fromEntries(IMPORTED_TABLES.Episodes.slice(1).map((column) => [column, row.values[column] ?? ''])) } })
      for (const row of child.missing) missing.push({ line: row.line, values: { CHILD: id, DOB: values.DOB ?? '', MISSING: row.values.MISSING ?? '', MIS_START: row.values.MIS_START ?? '', MIS_END: row.values.MIS_END ?? '' } })
      child = null
    }
  })
  try {
    parser.write(text).close()
  } catch {
    // The error handler has reported it.
  }
  result.files.push(summarise(file, 'XML return', header.length))
  if (failed) return
  result.tables = { Header: header, Episodes: episodes, Missing: missing, UASC: uasc }
  for (const [table, rows] of skipped) result.skipped.push({ file: file.name, table, rows })
  result.issues.push(...wrongDateForms(result.tables))
}

// ------------------------------------------------------------------ a valid child in Lantern's terms

/** An episode of care as the return states it (the register works out the host and distance), with its line. */
export type EpisodeOfCare = { line: number } & Pick<
  CareEpisode,
  | 'startedOn'
  | 'reasonForNewEpisode'
  | 'legalStatus'
  | 'categoryOfNeed'
  | 'placementType'
  | 'placementProvider'
  | 'endedOn'
  | 'reasonEnded'
  | 'reasonForPlacementChange'
  | 'homePostcode'
  | 'placementPostcode'
  | 'providerUrn'
>

export interface MissingPeriod {
  line: number
  category: 'M' | 'A'
  startedOn: string
  endedOn: string | null
}

export interface ChildReturn {
  child: string
  line: number
  sex: 'male' | 'female' | 'unknown'
  dateOfBirth: string
  ethnicity: string
  upn: string | null
  mother: string | null
  motherChildDob: string | null
  unaccompanied: boolean
  uascCeasedOn: string | null
  episodes: EpisodeOfCare[]
  missing: MissingPeriod[]
}

const blank = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value)

function required(value: string | null, what: string): string {
  if (value === null) throw new Error(`${what} should have been refused by validation`)
  return value
}

/** The children to import (those with no issue), each with its episodes and missing periods in date order. */
export function childrenOf(read: ReadReturn, leftOut: ReadonlySet<string>): ChildReturn[] {
  const byChild = new Map<string, ChildReturn>()
  for (const row of read.tables.Header ?? []) {
    const v = row.values
    const child = v.CHILD ?? ''
    if (child === '' || leftOut.has(child)) continue
    byChild.set(child, {
      child,
      line: row.line,
      sex: sexOfCode(v.SEX ?? ''),
      dateOfBirth: required(isoOfDmy(v.DOB ?? ''), 'DOB'),
      ethnicity: v.ETHNIC ?? '',
      upn: blank(v.UPN),
      mother: blank(v.MOTHER),
      motherChildDob: blank(v.MC_DOB) === null ? null : isoOfDmy(v.MC_DOB ?? ''),
      unaccompanied: read.format === 'xml' ? v.UASC === '1' : false,
      uascCeasedOn: null,
      episodes: [],
      missing: [],
    })
  }
  for (const row of read.tables.UASC ?? []) {
    const found = byChild.get(row.values.CHILD ?? '')
    if (!found) continue
    // A CSV return says a child is (or was) unaccompanied by listing them in the UASC table.
    found.unaccompanied = true
    found.uascCeasedOn = blank(row.values.DUC) === null ? null : isoOfDmy(row.values.DUC ?? '')
  }
  for (const row of read.tables.Episodes ?? []) {
    const found = byChild.get(row.values.CHILD ?? '')
    if (!found) continue
    const v = row.values
    found.episodes.push({
      line: row.line,
      startedOn: required(isoOfDmy(v.DECOM ?? ''), 'DECOM'),
      reasonForNewEpisode: v.RNE as ReasonForNewEpisode,
      legalStatus: v.LS as LegalStatus,
      categoryOfNeed: v.CIN as CategoryOfNeed,
      placementType: v.PLACE as PlacementType,
      placementProvider: blank(v.PLACE_PROVIDER) as PlacementProvider | null,
      endedOn: blank(v.DEC) === null ? null : isoOfDmy(v.DEC ?? ''),
      reasonEnded: blank(v.REC) as ReasonEnded | null,
      reasonForPlacementChange: blank(v.REASON_PLACE_CHANGE) as ReasonForPlacementChange | null,
      homePostcode: blank(v.HOME_POST) === null ? null : normalisePostcode(v.HOME_POST ?? ''),
      placementPostcode: blank(v.PL_POST) === null ? null : normalisePostcode(v.PL_POST ?? ''),
      providerUrn: blank(v.URN)?.toUpperCase() ?? null,
    })
  }
  for (const row of read.tables.Missing ?? []) {
    const found = byChild.get(row.values.CHILD ?? '')
    if (!found) continue
    const v = row.values
    found.missing.push({
      line: row.line,
      category: v.MISSING === 'A' ? 'A' : 'M',
      startedOn: required(isoOfDmy(v.MIS_START ?? ''), 'MIS_START'),
      endedOn: blank(v.MIS_END) === null ? null : isoOfDmy(v.MIS_END ?? ''),
    })
  }
  for (const found of byChild.values()) {
    found.episodes.sort((a, b) => a.startedOn.localeCompare(b.startedOn) || a.line - b.line)
    found.missing.sort((a, b) => a.startedOn.localeCompare(b.startedOn) || (a.endedOn ?? '9999').localeCompare(b.endedOn ?? '9999') || a.line - b.line)
  }
  return [...byChild.values()]
}
