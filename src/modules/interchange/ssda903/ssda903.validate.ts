// DfE's SSDA903 validation rules for the tables Lantern imports, each reported with DfE's rule code and
// message (ssda903.catalogue.ts), the table, the line and the field. The logic of each rule follows DfE's
// open-source validator (DOMAIN-SOURCES.md §3.3 and §3.4); where Lantern needs more than DfE checks, it says
// so with its own code (report.ts). Pure: no database; what Lantern already holds comes in as `known`.
import { CATEGORY_OF_NEED_CODES, LEGAL_STATUS_CODES, PLACEMENT_PROVIDER_CODES, REASON_ENDED_CODES, REASON_FOR_NEW_EPISODE_CODES, REASON_FOR_PLACEMENT_CHANGE_CODES } from '../../care/care.codes.ts'
import { PLACEMENT_TYPES_WITHOUT_PROVIDER } from '../../care/care.codes.ts'
import type { PlacementType } from '../../care/care.codes.ts'
import { ETHNICITY_CODES } from '../../people/people.schemas.ts'
import { normalisePostcode } from '../../../lib/geo.ts'
import { FORMAT_RULE, REQUIRED_RULE, type Issue } from '../report.ts'
import { dfeMessage } from './ssda903.catalogue.ts'
import { collectionWindow, eighteenthBirthday, isoOfDmy, isUpn, placementTypes, sexCodes } from './ssda903.codes.ts'
import type { ImportedTable, SourceRow, SourceTables } from './ssda903.tables.ts'

export interface ValidationContext {
  year: number
  /** XML returns carry the UASC flag in Header (rule 105 applies to them only). */
  format: 'csv' | 'xml'
  /**
   * For rule 576: the start date of each child's missing period that Lantern holds open at the start of the
   * collection year (last year's return, or the authority's own record), by CHILD.
   */
  openAtStart: ReadonlyMap<string, string>
}

const ETHNIC = new Set<string>(ETHNICITY_CODES)
const RNE = new Set<string>(REASON_FOR_NEW_EPISODE_CODES)
const LS = new Set<string>(LEGAL_STATUS_CODES)
const CIN = new Set<string>(CATEGORY_OF_NEED_CODES)
const PROVIDER = new Set<string>(PLACEMENT_PROVIDER_CODES)
const REC = new Set<string>(REASON_ENDED_CODES)
const REASON_PLACE_CHANGE = new Set<string>(REASON_FOR_PLACEMENT_CHANGE_CODES)

interface DatedEpisode {
  row: SourceRow
  decom: string
  dec: string | null
}

interface DatedMissing {
  row: SourceRow
  start: string
  end: string | null
}

/** A period of care: consecutive episodes with no gap between them (rules 577, 578). */
interface PeriodOfCare {
  start: string
  end: string | null
}

function groupByChild(rows: readonly SourceRow[] | undefined): Map<string, SourceRow[]> {
  const groups = new Map<string, SourceRow[]>()
  for (const row of rows ?? []) {
    const child = row.values.CHILD ?? ''
    if (child === '') continue
    const list = groups.get(child)
    if (list) list.push(row)
    else groups.set(child, [row])
  }
  return groups
}

export function validateReturn(tables: SourceTables, context: ValidationContext): Issue[] {
  const { year } = context
  const window = collectionWindow(year)
  const issues: Issue[] = []
  const report = (code: string, table: ImportedTable, row: SourceRow, field: string | null) => {
    issues.push({ rule: code, message: dfeMessage(year, code), table, line: row.line, field, key: row.values.CHILD || null })
  }
  const lantern = (code: string, message: string, table: ImportedTable, row: SourceRow, field: string) => {
    issues.push({ rule: code, message, table, line: row.line, field, key: row.values.CHILD || null })
  }
  const requireChild = (table: ImportedTable, row: SourceRow) => {
    if ((row.values.CHILD ?? '') === '') lantern(REQUIRED_RULE, 'CHILD is blank: every row must carry the child identifier', table, row, 'CHILD')
  }

  // ------------------------------------------------------------------ Header
  const headerByChild = groupByChild(tables.Header)
  const headerDob = new Map<string, string>()
  const headerSex = new Map<string, string>()
  const sexes = new Set(sexCodes(year))
  for (const row of tables.Header ?? []) {
    const v = row.values
    requireChild('Header', row)
    const child = v.CHILD ?? ''
    if (child !== '' && (headerByChild.get(child)?.length ?? 0) > 1) report('INT32', 'Header', row, 'CHILD')
    if (!sexes.has(v.SEX ?? '')) report('101', 'Header', row, 'SEX')
    else headerSex.set(child, v.SEX ?? '')
    const dob = isoOfDmy(v.DOB ?? '')
    if (dob === null) report('102', 'Header', row, 'DOB')
    else {
      headerDob.set(child, dob)
      if (dob > window.end) report('301', 'Header', row, 'DOB')
    }
    if (!ETHNIC.has(v.ETHNIC ?? '')) report('103', 'Header', row, 'ETHNIC')
    if ((v.UPN ?? '') !== '' && !isUpn(v.UPN ?? '')) report('168', 'Header', row, 'UPN')
    if ((v.MC_DOB ?? '') !== '' && isoOfDmy(v.MC_DOB ?? '') === null) report('171', 'Header', row, 'MC_DOB')
    if (context.format === 'xml' && v.UASC !== '0' && v.UASC !== '1') report('105', 'Header', row, 'UASC')
  }

  // ------------------------------------------------------------------ UASC
  const uascByChild = groupByChild(tables.UASC)
  for (const row of tables.UASC ?? []) {
    const v = row.values
    requireChild('UASC', row)
    const child = v.CHILD ?? ''
    if (child === '') continue
    if (!headerByChild.has(child)) report('INT09', 'UASC', row, 'CHILD')
    if ((uascByChild.get(child)?.length ?? 0) > 1) report('INT36', 'UASC', row, 'CHILD')
    const dob = isoOfDmy(v.DOB ?? '')
    const knownDob = headerDob.get(child)
    if (knownDob !== undefined && dob !== knownDob) report('INT18', 'UASC', row, 'DOB')
    const knownSex = headerSex.get(child)
    if (knownSex !== undefined && (v.SEX ?? '') !== knownSex) report('INT21', 'UASC', row, 'SEX')
    if ((v.DUC ?? '') !== '') {
      const duc = isoOfDmy(v.DUC ?? '')
      if (duc === null) report('104', 'UASC', row, 'DUC')
      else if (knownDob !== undefined && duc > eighteenthBirthday(knownDob)) report('304', 'UASC', row, 'DUC')
    }
  }

  // ------------------------------------------------------------------ Episodes
  const places = new Set<string>(placementTypes(year))
  const episodesByChild = new Map<string, DatedEpisode[]>()
  const childrenWithEpisodes = new Set<string>()
  for (const row of tables.Episodes ?? []) {
    const v = row.values
    requireChild('Episodes', row)
    const child = v.CHILD ?? ''
    childrenWithEpisodes.add(child)
    if (child !== '' && !headerByChild.has(child)) report('INT03', 'Episodes', row, 'CHILD')
    const decom = isoOfDmy(v.DECOM ?? '')
    if (decom === null) report('141', 'Episodes', row, 'DECOM')
    const dec = (v.DEC ?? '') === '' ? null : isoOfDmy(v.DEC ?? '')
    if ((v.DEC ?? '') !== '' && dec === null) report('147', 'Episodes', row, 'DEC')
    for (const [field, codes, rule] of [['RNE', RNE, '143'], ['LS', LS, '144'], ['CIN', CIN, '145'], ['PLACE', places, '146']] as const) {
      const value = v[field] ?? ''
      // DfE's code-list rules let a blank pass (other rules ask for it); Lantern cannot make an episode without it.
      if (value === '') lantern(REQUIRED_RULE, `${field} is blank: an episode needs it`, 'Episodes', row, field)
      else if (!codes.has(value)) report(rule, 'Episodes', row, field)
    }
    const rec = v.REC ?? ''
    if (rec !== '' && !REC.has(rec)) report('149', 'Episodes', row, 'REC')
    if ((rec === '') !== ((v.DEC ?? '') === '')) report('148', 'Episodes', row, (v.DEC ?? '') === '' ? 'DEC' : 'REC')
    const place = v.PLACE ?? ''
    const provider = v.PLACE_PROVIDER ?? ''
    if (PLACEMENT_TYPES_WITHOUT_PROVIDER.has(place as PlacementType)) {
      if (provider !== '') report('213', 'Episodes', row, 'PLACE_PROVIDER')
    } else if (place !== '' && !PROVIDER.has(provider)) {
      // Rule 178; a blank provider fails it too, as the care module requires one for these placements.
      report('178', 'Episodes', row, 'PLACE_PROVIDER')
    }
    const reasonChange = v.REASON_PLACE_CHANGE ?? ''
    if (reasonChange !== '' && !REASON_PLACE_CHANGE.has(reasonChange)) {
      lantern(FORMAT_RULE, `REASON_PLACE_CHANGE "${reasonChange}" is not one of ${[...REASON_PLACE_CHANGE].join(', ')}`, 'Episodes', row, 'REASON_PLACE_CHANGE')
    }
    for (const field of ['HOME_POST', 'PL_POST'] as const) {
      const postcode = v[field] ?? ''
      if (postcode !== '' && normalisePostcode(postcode) === null) report('392c', 'Episodes', row, field)
    }
    if ((v.URN ?? '') !== '' && !/^[A-Za-z0-9]{1,10}$/.test(v.URN ?? '')) {
      lantern(FORMAT_RULE, "URN must be the provider's Ofsted URN (letters and digits, up to 10)", 'Episodes', row, 'URN')
    }
    if (decom !== null) {
      if (decom > window.end) report('354', 'Episodes', row, 'DECOM')
      if (dec !== null && dec < decom) report('356', 'Episodes', row, 'DECOM')
      if (child !== '') {
        const list = episodesByChild.get(child)
        const episode = { row, decom, dec }
        if (list) list.push(episode)
        else episodesByChild.set(child, [episode])
      }
    }
    if (dec !== null && dec > window.end) report('385', 'Episodes', row, 'DEC')
  }
  const periodsByChild = new Map<string, PeriodOfCare[]>()
  for (const [child, episodes] of episodesByChild) {
    episodes.sort((a, b) => a.decom.localeCompare(b.decom) || a.row.line - b.row.line)
    const dob = headerDob.get(child)
    const first = episodes[0]
    if (first && dob !== undefined && first.decom < dob) report('302', 'Episodes', first.row, 'DECOM')
    const periods: PeriodOfCare[] = []
    episodes.forEach((episode, index) => {
      const previous = episodes[index - 1]
      if (previous) {
        if (previous.dec === null) report('142', 'Episodes', previous.row, 'DEC')
        else if (episode.decom < previous.dec) report('501', 'Episodes', episode.row, 'DECOM')
      }
      const current = periods.at(-1)
      // DfE's periods of care: a new one starts when an episode begins after the previous one ended.
      if (!current || (previous?.dec !== null && previous?.dec !== undefined && episode.decom > previous.dec)) periods.push({ start: episode.decom, end: episode.dec })
      else current.end = episode.dec
    })
    periodsByChild.set(child, periods)
  }

  // ------------------------------------------------------------------ Missing
  const missingByChild = new Map<string, DatedMissing[]>()
  for (const row of tables.Missing ?? []) {
    const v = row.values
    requireChild('Missing', row)
    const child = v.CHILD ?? ''
    const kind = v.MISSING ?? ''
    const startText = v.MIS_START ?? ''
    const endText = v.MIS_END ?? ''
    const start = isoOfDmy(startText)
    const end = endText === '' ? null : isoOfDmy(endText)
    if (child !== '') {
      if (!headerByChild.has(child)) report('INT04', 'Missing', row, 'CHILD')
      else {
        const dob = isoOfDmy(v.DOB ?? '')
        const known = headerDob.get(child)
        if (known !== undefined && dob !== known) report('INT13', 'Missing', row, 'DOB')
      }
      if (tables.Episodes !== undefined && !childrenWithEpisodes.has(child)) report('1012', 'Missing', row, 'CHILD')
    }
    if (kind !== '' && kind !== 'M' && kind !== 'A') report('1006', 'Missing', row, 'MISSING')
    if (start === null) report('1004', 'Missing', row, 'MIS_START')
    if (endText !== '' && end === null) report('1005', 'Missing', row, 'MIS_END')
    if ((kind === 'M' || kind === 'A') && startText === '') report('564', 'Missing', row, 'MIS_START')
    if (startText !== '' && kind === '') report('565', 'Missing', row, 'MISSING')
    if (endText !== '' && kind === '') report('566', 'Missing', row, 'MISSING')
    if (kind === '' && startText === '' && endText === '') lantern(REQUIRED_RULE, 'MISSING is blank: say M (missing) or A (away without authorisation)', 'Missing', row, 'MISSING')
    if (start === null) continue
    if (end !== null && start > end) report('567', 'Missing', row, 'MIS_END')
    if (start > window.end) report('570', 'Missing', row, 'MIS_START')
    if (end !== null && (end < window.start || end > window.end)) report('571', 'Missing', row, 'MIS_END')
    const dob = isoOfDmy(v.DOB ?? '') ?? headerDob.get(child)
    if (dob !== undefined && start <= dob) report('586', 'Missing', row, 'MIS_START')
    if (child !== '') {
      const list = missingByChild.get(child)
      const period = { row, start, end }
      if (list) list.push(period)
      else missingByChild.set(child, [period])
    }
  }

  for (const [child, periods] of missingByChild) {
    // 574: sorted by (end, or start when open; start), no period starts while the previous is open or before it ended.
    const sorted = [...periods].sort((a, b) => (a.end ?? a.start).localeCompare(b.end ?? b.start) || a.start.localeCompare(b.start) || a.row.line - b.row.line)
    sorted.forEach((period, index) => {
      const previous = sorted[index - 1]
      if (previous && (previous.end === null || period.start < previous.end)) report('574', 'Missing', period.row, 'MIS_START')
    })
    // 576: the period open at the start of the year must be this year's first.
    const openStart = context.openAtStart.get(child)
    const earliest = [...periods].sort((a, b) => a.start.localeCompare(b.start) || a.row.line - b.row.line)[0]
    if (openStart !== undefined && earliest && earliest.start !== openStart) report('576', 'Missing', earliest.row, 'CHILD')

    const episodes = episodesByChild.get(child) ?? []
    const pocs = periodsByChild.get(child) ?? []
    for (const period of periods) {
      // 575: the placement the child went missing from has ended, so the period must have too.
      if (period.end === null && episodes.some((episode) => episode.dec !== null && episode.decom <= period.start && period.start <= episode.dec)) {
        report('575', 'Missing', period.row, 'MIS_END')
      }
      if (pocs.length > 0) {
        // 577: outside every period of care (DfE's four conditions).
        const outside577 = pocs.every(
          (poc) =>
            (period.end === null && poc.end !== null) ||
            (period.end === null && period.start < poc.start) ||
            (period.end !== null && poc.end !== null && period.end > poc.end) ||
            (period.end !== null && period.end < poc.start),
        )
        if (outside577) report('577', 'Missing', period.row, 'MIS_END')
        // 578: started outside every period of care.
        if (pocs.every((poc) => period.start < poc.start || (poc.end !== null && period.start > poc.end))) report('578', 'Missing', period.row, 'MIS_START')
      }
      // 581: not within any episode.
      if (episodes.length > 0 && !episodes.some((episode) => episode.decom <= period.start && (episode.dec === null || period.start <= episode.dec))) {
        report('581', 'Missing', period.row, 'MIS_START')
      }
    }
    // 580: missing until the 18th birthday, when care ended: the episode ending that day must say E8.
    const dob = headerDob.get(child)
    if (dob !== undefined) {
      const birthday = eighteenthBirthday(dob)
      const reported = new Set<SourceRow>()
      for (const period of periods) {
        if (period.end !== birthday) continue
        for (const episode of episodes) {
          if (episode.dec === birthday && episode.row.values.REC !== 'E8' && !reported.has(episode.row)) {
            reported.add(episode.row)
            report('580', 'Episodes', episode.row, 'REC')
          }
        }
      }
    }
  }
  return issues
}
