import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { recordAudit, recordOperatorAudit } from '../audit/audit.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'
import { policeForceAreas } from '../generate/country.ts'
import { ForbiddenError, ValidationError, type FieldError } from '../../lib/errors.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { financialYearEnding, londonDateOf } from '../../lib/dates.ts'
import {
  formatPublished,
  percentage,
  primaryCount,
  roundedCount,
  secondarySuppression,
  type GeographicLevel,
  type PublishedValue,
} from '../../lib/disclosure.ts'
import {
  CATEGORIES,
  DEFINITIONS,
  DEFINITION_LABELS,
  DIMENSIONS,
  PARLIAMENTARY_ANSWER_2013,
  TRAFFICKING_STATUSES,
  codeLabel,
  isDimensionName,
  type Category,
  type Definition,
  type DimensionName,
} from './statistics.definitions.ts'
import * as repo from './statistics.repository.ts'

export const FIRST_STATISTICS_YEAR = 2006

export interface PublishedCell extends PublishedValue {
  /** As shown on a page (DfE letters; thousands grouped). */
  text: string
  percent?: boolean
}

export interface TableRow {
  key: string
  label: string
  total: boolean
  cells: PublishedCell[]
}

/** A table ready to show or download: every figure already through disclosure control (unless unrounded). */
export interface StatisticsTable {
  id: string
  title: string
  rowHeading: string
  columns: { key: string; label: string }[]
  rows: TableRow[]
  notes: string[]
  /** When the statistics were last rebuilt from the records. */
  asAt: string | null
  unrounded: boolean
}

export interface BreakdownRequest {
  rows?: string
  columns?: string | null
  measure?: 'children' | 'episodes'
  yearFrom?: number
  yearTo?: number
  definition?: string
  category?: string
  filters?: Record<string, readonly string[]>
  unrounded?: boolean
}

interface Scope {
  yearFrom: number
  yearTo: number
  definition: Definition
  category: Category
  filter: repo.EpisodeFilter
  unrounded: boolean
}

const CATEGORY_CODES: Record<Category, ('M' | 'A')[]> = { missing: ['M'], away: ['A'], both: ['M', 'A'] }
const CATEGORY_LABELS: Record<Category, string> = { missing: 'missing (M)', away: 'away without authorisation (A)', both: 'missing (M) or away without authorisation (A)' }

const DISCLOSURE_NOTE =
  'National and regional figures are rounded to the nearest 10; local authority figures are unrounded, but counts of 1 to 5 are suppressed (c), with further cells suppressed where needed so none can be worked out from the totals. Percentages are of unrounded figures; k: under 0.5% (or a count rounding to 0); z: not applicable.'
const UNROUNDED_NOTE = 'Unrounded figures before disclosure control: not for publication.'

function cell(value: PublishedValue, percent = false): PublishedCell {
  return { ...value, text: formatPublished(value, { percent }), ...(percent ? { percent } : {}) }
}

const raw = (n: number): PublishedValue => ({ value: n, symbol: null })

export function createStatisticsService(db: Kysely<Database>) {
  const currentYear = () => financialYearEnding(londonDateOf(new Date()))

  function requireReader(actor: Actor, unrounded: boolean): void {
    if (!can.readStatistics(actor)) throw new ForbiddenError('Your role cannot see statistics')
    if (unrounded && !can.readUnroundedStatistics(actor)) throw new ForbiddenError('Only statisticians see figures before disclosure control')
  }

  async function auditUnrounded(actor: Actor | null, table: string, detail: Record<string, string | number | boolean | null>): Promise<void> {
    const entry: AuditEntry = { action: 'VIEW_UNROUNDED_STATISTICS', subjectPersonId: null, recordType: null, recordId: null, detail: { table, ...detail } }
    await db.transaction().execute((trx) => (actor ? recordAudit(trx, actor, [entry]) : recordOperatorAudit(trx, 'lantern stats --unrounded', [entry])))
  }

  /** Reads and checks the common parts of a request; every bad field is named. */
  function scopeOf(request: BreakdownRequest, errors: FieldError[], defaults: { yearFrom: number; yearTo: number; definition: Definition } = { yearFrom: FIRST_STATISTICS_YEAR, yearTo: currentYear() - 1, definition: 'every_episode' }): Scope {
    const yearFrom = request.yearFrom ?? defaults.yearFrom
    const yearTo = request.yearTo ?? defaults.yearTo
    if (!Number.isInteger(yearFrom) || yearFrom < FIRST_STATISTICS_YEAR || yearFrom > currentYear()) errors.push({ field: 'yearFrom', message: `must be a year ending 31 March from ${FIRST_STATISTICS_YEAR} to ${currentYear()}` })
    if (!Number.isInteger(yearTo) || yearTo < yearFrom || yearTo > currentYear()) errors.push({ field: 'yearTo', message: `must be a year from ${Number.isInteger(yearFrom) ? yearFrom : FIRST_STATISTICS_YEAR} to ${currentYear()}` })
    const definition = (request.definition ?? defaults.definition) as Definition
    if (!DEFINITIONS.includes(definition)) errors.push({ field: 'definition', message: `must be one of ${DEFINITIONS.join(', ')}` })
    const category = (request.category ?? 'missing') as Category
    if (!CATEGORIES.includes(category)) errors.push({ field: 'category', message: `must be one of ${CATEGORIES.join(', ')}` })
    const equals: repo.EpisodeFilter['equals'][number][] = []
    for (const [name, values] of Object.entries(request.filters ?? {})) {
      if (!isDimensionName(name)) errors.push({ field: `filters/${name}`, message: 'is not a breakdown' })
      else if (values.length === 0 || values.some((value) => typeof value !== 'string' || value.length > 64)) errors.push({ field: `filters/${name}`, message: 'must list one or more values' })
      else equals.push({ dimension: name, values })
    }
    return {
      yearFrom,
      yearTo,
      definition,
      category,
      unrounded: request.unrounded === true,
      filter: { yearFrom, yearTo, categories: CATEGORY_CODES[category] ?? ['M'], over24Hours: definition === 'over_24_hours', equals },
    }
  }

  async function asAtText(): Promise<string | null> {
    const refresh = await repo.latestRefresh(db)
    return refresh ? refresh.as_at.toISOString() : null
  }

  async function labelsFor(dimension: DimensionName, keys: readonly string[]): Promise<Map<string, string>> {
    const labels = new Map<string, string>()
    if (DIMENSIONS[dimension].labels === 'agency') {
      const names = await repo.agencyNames(db, keys.filter((key) => key !== 'unknown'))
      for (const key of keys) labels.set(key, names.get(key)?.name ?? codeLabel(dimension, key))
    } else {
      for (const key of keys) labels.set(key, codeLabel(dimension, key))
    }
    return labels
  }

  function orderKeys(dimension: DimensionName, keys: readonly string[], labels: ReadonlyMap<string, string>): string[] {
    const fixed: readonly string[] | undefined = 'values' in DIMENSIONS[dimension] ? (DIMENSIONS[dimension] as { values: readonly string[] }).values : undefined
    const rank = (key: string) => (fixed ? (fixed.indexOf(key) === -1 ? fixed.length : fixed.indexOf(key)) : key === 'unknown' ? 1 : 0)
    return [...keys].sort((a, b) => rank(a) - rank(b) || (dimension === 'year' ? Number(a) - Number(b) : (labels.get(a) ?? a).localeCompare(labels.get(b) ?? b)))
  }

  /**
   * Disclosure control over a grid of counts whose last row and last column are totals. Local rows: 1 to 5
   * suppressed, then secondary suppression across the whole grid (totals treated as exact relations). National
   * and regional rows: rounded to the nearest 10.
   */
  function controlGrid(values: number[][], levels: GeographicLevel[], unrounded: boolean): PublishedValue[][] {
    if (unrounded) return values.map((row) => row.map(raw))
    const anyLocal = levels.includes('local')
    const primary = values.map((row, r) => row.map((n) => (levels[r] === 'local' ? primaryCount(n, 'local').symbol === 'c' : false)))
    const suppressed = anyLocal ? secondarySuppression({ values, rowTotals: true, columnTotals: true, primary }) : primary
    return values.map((row, r) => row.map((n, c) => (suppressed[r]?.[c] ? { value: null, symbol: 'c' as const } : levels[r] === 'local' ? raw(n) : roundedCount(n))))
  }

  return {
    /** When the facts were last rebuilt, or null if never. */
    async latestRefreshOrNull(): Promise<{ asAt: Date; finishedAt: Date } | null> {
      const refresh = await repo.latestRefresh(db)
      return refresh ? { asAt: refresh.as_at, finishedAt: refresh.finished_at } : null
    },

    /**
     * Rebuilds the statistics from the records (docs/adr/0014): one transaction, so readers see the old figures
     * until the new ones are complete. Combining records into statistics is audited (DPA 2018 s62: combination).
     */
    async refresh(actor: Actor | null, asAt: Date = new Date()): Promise<{ episodes: number; careStarts: number; referrals: number; seconds: number }> {
      if (actor && !can.readUnroundedStatistics(actor)) throw new ForbiddenError('Only statisticians rebuild the statistics')
      const started = new Date()
      const id = uuidv7()
      const counts = await db.transaction().execute(async (trx) => {
        await repo.clearFacts(trx)
        const episodes = await repo.insertEpisodeFacts(trx, asAt, policeForceAreas())
        const careStarts = await repo.insertCareStartFacts(trx)
        const referrals = await repo.insertReferralFacts(trx)
        await repo.insertCells(trx)
        await repo.insertReconciliation(trx)
        await repo.insertRefresh(trx, { id, started_at: started, finished_at: new Date(), as_at: asAt, episodes, care_starts: careStarts, referrals })
        const entry: AuditEntry = { action: 'REFRESH_STATISTICS', subjectPersonId: null, recordType: 'statistics_refresh', recordId: id, detail: { episodes, careStarts, referrals } }
        if (actor) await recordAudit(trx, actor, [entry])
        else await recordOperatorAudit(trx, 'lantern stats refresh', [entry])
        return { episodes, careStarts, referrals }
      })
      await repo.analyzeFacts(db)
      return { ...counts, seconds: (Date.now() - started.getTime()) / 1000 }
    },

    /** Children (or episodes) by one or two breakdowns, with totals, after disclosure control. */
    async breakdown(actor: Actor | null, request: BreakdownRequest): Promise<StatisticsTable> {
      const errors: FieldError[] = []
      const rowDimension = request.rows ?? 'year'
      const columnDimension = request.columns ?? null
      if (!isDimensionName(rowDimension)) errors.push({ field: 'rows', message: 'is not a breakdown' })
      if (columnDimension !== null && (!isDimensionName(columnDimension) || columnDimension === rowDimension)) errors.push({ field: 'columns', message: 'must be another breakdown' })
      const measure = request.measure ?? 'children'
      if (measure !== 'children' && measure !== 'episodes') errors.push({ field: 'measure', message: 'must be children or episodes' })
      const scope = scopeOf(request, errors)
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const rows = rowDimension as DimensionName
      const columns = columnDimension as DimensionName | null

      const counts = await repo.countBy(db, rows, columns, scope.filter)
      const rowKeys = [...new Set(counts.filter((row) => row.row !== null).map((row) => row.row ?? ''))]
      const columnKeys = columns ? [...new Set(counts.filter((row) => row.column !== null).map((row) => row.column ?? ''))] : []
      const rowLabels = await labelsFor(rows, rowKeys)
      const columnLabels = columns ? await labelsFor(columns, columnKeys) : new Map<string, string>()
      const orderedRows = orderKeys(rows, rowKeys, rowLabels)
      const orderedColumns = columns ? orderKeys(columns, columnKeys, columnLabels) : []
      const lookup = new Map(counts.map((row) => [`${row.row ?? '\u0000'}|${row.column ?? '\u0000'}`, row[measure]]))
      const valueAt = (r: string | null, c: string | null) => lookup.get(`${r ?? '\u0000'}|${c ?? '\u0000'}`) ?? 0
      const gridRows = [...orderedRows, null]
      const gridColumns = [...orderedColumns, null]
      const values = gridRows.map((r) => gridColumns.map((c) => valueAt(r, columns ? c : null)))
      const rowLevel: GeographicLevel = 'level' in DIMENSIONS[rows] ? ((DIMENSIONS[rows] as { level: GeographicLevel }).level ?? 'national') : 'national'
      const localFilter = scope.filter.equals.some(({ dimension }) => 'level' in DIMENSIONS[dimension] && (DIMENSIONS[dimension] as { level: string }).level === 'local')
      const levels = gridRows.map((r): GeographicLevel => (localFilter ? 'local' : r === null ? 'national' : rowLevel))
      // A table without columns still has a total column (the same numbers): give the grid one data column.
      const grid = columns ? values : values.map((row) => [row[0] ?? 0, row[0] ?? 0])
      const controlled = controlGrid(grid, levels, scope.unrounded).map((row) => (columns ? row : row.slice(0, 1)))

      if (scope.unrounded) await auditUnrounded(actor, 'breakdown', { rows, columns, measure, yearFrom: scope.yearFrom, yearTo: scope.yearTo })
      const measureLabel = measure === 'children' ? 'Children who went missing' : 'Missing episodes'
      return {
        id: `breakdown-${rows}${columns ? `-${columns}` : ''}`,
        title: `${measureLabel}, by ${DIMENSIONS[rows].label.toLowerCase()}${columns ? ` and ${DIMENSIONS[columns].label.toLowerCase()}` : ''}, years ending 31 March ${scope.yearFrom}${scope.yearTo !== scope.yearFrom ? ` to ${scope.yearTo}` : ''}`,
        rowHeading: DIMENSIONS[rows].label,
        columns: columns ? [...orderedColumns.map((key) => ({ key, label: columnLabels.get(key) ?? key })), { key: 'total', label: 'Total' }] : [{ key: 'total', label: measureLabel }],
        rows: gridRows.map((r, i) => ({
          key: r ?? 'total',
          label: r === null ? (rowLevel === 'local' || rowLevel === 'regional' ? 'England' : 'Total') : (rowLabels.get(r) ?? r),
          total: r === null,
          cells: (controlled[i] ?? []).map((value) => cell(value)),
        })),
        notes: [
          `Looked-after children's ${CATEGORY_LABELS[scope.category]} episodes as the local authorities recorded them. ${DEFINITION_LABELS[scope.definition]}.`,
          'Breakdowns are as at the day each episode began: the placement open that day, the trafficking status that day, the age that day.',
          ...(measure === 'children' ? ['A child is counted once in each cell they had an episode in, and once in each total, so cells can add up to more than the total.'] : []),
          ...(scope.filter.equals.length > 0 ? [`Only: ${scope.filter.equals.map(({ dimension, values: v }) => `${DIMENSIONS[dimension].label} ${v.join(', ')}`).join('; ')}.`] : []),
          scope.unrounded ? UNROUNDED_NOTE : DISCLOSURE_NOTE,
        ],
        asAt: await asAtText(),
        unrounded: scope.unrounded,
      }
    },

    /**
     * The parliamentary question of 2013, answered from the records: looked-after children who went missing (by
     * default for more than 24 hours), years ending 31 March 2006 to 2012, beside the published answer, with the
     * disaggregation by trafficking status that the answer said was not possible.
     */
    async parliamentaryQuestion(actor: Actor | null, request: BreakdownRequest = {}): Promise<StatisticsTable> {
      const errors: FieldError[] = []
      const scope = scopeOf(request, errors, { yearFrom: 2006, yearTo: 2012, definition: 'over_24_hours' })
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const counts = await repo.parliamentaryCounts(db, scope.filter)
      const byYear = new Map(counts.map((row) => [row.year, row]))
      const count = (n: number) => cell(scope.unrounded ? raw(n) : roundedCount(n))
      const rows: TableRow[] = []
      for (let year = scope.yearFrom; year <= scope.yearTo; year += 1) {
        const row = byYear.get(year)
        const published = PARLIAMENTARY_ANSWER_2013[year]
        rows.push({
          key: String(year),
          label: `${year - 1} to ${String(year).slice(2)}`,
          total: false,
          cells: [
            cell(published === undefined ? { value: null, symbol: 'x' } : raw(published)),
            count(row?.children ?? 0),
            count(row?.referred ?? 0),
            count(row?.reasonableGrounds ?? 0),
            count(row?.conclusiveGrounds ?? 0),
            count(row?.suspectedOnly ?? 0),
            count(row?.anyConcern ?? 0),
            cell(percentage(row?.anyConcern ?? 0, row?.children ?? 0), true),
            // Before 1 April 2009 there was no NRM to refer a child to.
            ...(year < 2010 ? [] : []),
          ],
        })
      }
      if (scope.unrounded) await auditUnrounded(actor, 'parliamentary-question', { yearFrom: scope.yearFrom, yearTo: scope.yearTo })
      return {
        id: 'parliamentary-question',
        title: `Looked-after children who went missing${scope.definition === 'over_24_hours' ? ' for more than 24 hours' : ''}, and how many of them were potential victims of trafficking, years ending 31 March ${scope.yearFrom} to ${scope.yearTo}`,
        rowHeading: 'Year ending 31 March',
        columns: [
          { key: 'published', label: 'Published answer (2013), children missing more than 24 hours' },
          { key: 'children', label: 'Children who went missing (from the records)' },
          { key: 'referred', label: 'of whom referred to the NRM (any stage)' },
          { key: 'reasonableGrounds', label: 'of whom with a positive reasonable or conclusive grounds decision' },
          { key: 'conclusiveGrounds', label: 'of whom with a positive conclusive grounds decision' },
          { key: 'suspectedOnly', label: 'of whom suspected victims, not referred' },
          { key: 'anyConcern', label: 'of whom referred or suspected: any trafficking concern' },
          { key: 'anyConcernPercent', label: 'Percentage with any trafficking concern' },
        ],
        rows,
        notes: [
          'In 2013 a minister answered that it was "not possible to disaggregate the number of trafficked or potentially trafficked children". The published column is that answer (DfE SSDA903, placement-based, children missing more than 24 hours); the source years are approximate.',
          `From the records: ${DEFINITION_LABELS[scope.definition]}; ${CATEGORY_LABELS[scope.category]} episodes.`,
          'Trafficking status is as at the day each episode began: a child counts in a column if, on the day one of their episodes that year began, they had that status. The columns nest (conclusive within reasonable grounds within referred). The NRM began on 1 April 2009: before then a concern could only be "suspected".',
          scope.unrounded ? UNROUNDED_NOTE : DISCLOSURE_NOTE,
        ],
        asAt: await asAtText(),
        unrounded: scope.unrounded,
      }
    },

    /** Children and episodes still missing at the end of 31 March each year, by trafficking status as at the start. */
    async stillMissing(actor: Actor | null, request: BreakdownRequest = {}): Promise<StatisticsTable> {
      const errors: FieldError[] = []
      const scope = scopeOf(request, errors)
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const counts = await repo.openAtYearEnd(db, scope.filter)
      const at = (year: number, status: string | null) => counts.find((row) => row.year === year && row.status === status)?.children ?? 0
      const count = (n: number) => cell(scope.unrounded ? raw(n) : roundedCount(n))
      const rows: TableRow[] = []
      for (let year = scope.yearFrom; year <= scope.yearTo; year += 1) {
        rows.push({ key: String(year), label: `31 March ${year}`, total: false, cells: [count(at(year, null)), ...TRAFFICKING_STATUSES.map((status) => count(at(year, status)))] })
      }
      if (scope.unrounded) await auditUnrounded(actor, 'still-missing', { yearFrom: scope.yearFrom, yearTo: scope.yearTo })
      return {
        id: 'still-missing',
        title: `Looked-after children still missing at 31 March, by trafficking status, ${scope.yearFrom} to ${scope.yearTo}`,
        rowHeading: 'At the end of',
        columns: [{ key: 'total', label: 'Children still missing' }, ...TRAFFICKING_STATUSES.map((status) => ({ key: status, label: codeLabel('traffickingStatus', status) }))],
        rows,
        notes: [
          'A child is still missing at 31 March when an episode that began on or before that day had not ended by its end, whenever it began.',
          `${DEFINITION_LABELS[scope.definition]}; ${CATEGORY_LABELS[scope.category]} episodes; trafficking status as at the day the episode began.`,
          scope.unrounded ? UNROUNDED_NOTE : DISCLOSURE_NOTE,
        ],
        asAt: await asAtText(),
        unrounded: scope.unrounded,
      }
    },

    /** Police versus local authority: absences one recorded and the other did not, per force or per authority. */
    async reconciliation(actor: Actor | null, request: BreakdownRequest & { by?: string } = {}): Promise<StatisticsTable> {
      const errors: FieldError[] = []
      const scope = scopeOf(request, errors)
      const by = request.by ?? 'policeForce'
      if (by !== 'policeForce' && by !== 'responsibleAuthority') errors.push({ field: 'by', message: 'must be policeForce or responsibleAuthority' })
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const dimension = by as 'policeForce' | 'responsibleAuthority'
      const counts = await repo.reconciliation(db, dimension, scope.yearFrom, scope.yearTo)
      const keys = counts.filter((row) => row.agency !== null).map((row) => row.agency ?? '')
      const labels = await labelsFor(dimension, keys)
      const ordered = orderKeys(dimension, keys, labels)
      const byAgency = new Map(counts.map((row) => [row.agency, row]))
      const gridRows = [...ordered, null]
      const policeOnlyApplies = dimension === 'policeForce'
      const values = gridRows.map((key) => {
        const row = byAgency.get(key)
        const both = row?.both ?? 0
        const la = row?.localAuthorityOnly ?? 0
        const police = policeOnlyApplies ? (row?.policeOnly ?? 0) : 0
        return [both, la, police, both + la + police]
      })
      // Forces and authorities are local: 1 to 5 suppressed, with secondary suppression; England rounded.
      const controlled = controlGrid(values, gridRows.map((key) => (key === null ? 'national' : 'local')), scope.unrounded)
      if (scope.unrounded) await auditUnrounded(actor, 'reconciliation', { by, yearFrom: scope.yearFrom, yearTo: scope.yearTo })
      return {
        id: `reconciliation-${by === 'policeForce' ? 'police-force' : 'local-authority'}`,
        title: `Absences of looked-after children recorded by the police, the local authority, or both, by ${by === 'policeForce' ? 'police force' : 'responsible local authority'}, ${scope.yearFrom} to ${scope.yearTo}`,
        rowHeading: by === 'policeForce' ? 'Police force' : 'Responsible local authority',
        columns: [
          { key: 'both', label: 'Recorded by both (linked)' },
          { key: 'localAuthorityOnly', label: 'Local authority only' },
          { key: 'policeOnly', label: 'Police only' },
          { key: 'total', label: 'Total' },
        ],
        rows: gridRows.map((key, i) => ({
          key: key ?? 'total',
          label: key === null ? 'England' : (labels.get(key) ?? key),
          total: key === null,
          cells: (controlled[i] ?? []).map((value, c) => cell(!policeOnlyApplies && c === 2 ? { value: null, symbol: 'z' } : value)),
        })),
        notes: [
          "Missing (M) episodes from the local authorities' records, and police reports of children missing from a care setting. An LA episode and a police report of the same absence are linked.",
          by === 'policeForce'
            ? 'A police report counts for the force that made it; an LA episode the police never recorded counts for the force whose area the child was placed in.'
            : 'Police reports carry no responsible authority until they are linked to the authority\'s record, so "police only" does not apply (z) by authority: see the table by police force.',
          scope.unrounded ? UNROUNDED_NOTE : DISCLOSURE_NOTE,
        ],
        asAt: await asAtText(),
        unrounded: scope.unrounded,
      }
    },

    /** How long after entering care (or an NRM referral) children first go missing: within 48 hours, 7 days, 28 days. */
    async timeToFirstMissing(actor: Actor | null, request: BreakdownRequest & { from?: string; by?: string } = {}): Promise<StatisticsTable> {
      const errors: FieldError[] = []
      const scope = scopeOf(request, errors)
      const from = request.from ?? 'care'
      const by = request.by ?? (from === 'care' ? 'traffickingStatus' : 'unaccompanied')
      if (from !== 'care' && from !== 'referral') errors.push({ field: 'from', message: 'must be care or referral' })
      if (by !== 'traffickingStatus' && by !== 'unaccompanied') errors.push({ field: 'by', message: 'must be traffickingStatus or unaccompanied' })
      if (from === 'referral' && by === 'traffickingStatus') errors.push({ field: 'by', message: 'referrals are all trafficking concerns: break them down by unaccompanied' })
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const counts = await repo.timeToFirstMissing(db, from as 'care' | 'referral', scope.yearFrom, scope.yearTo, by as 'traffickingStatus' | 'unaccompanied')
      const keys = counts.filter((row) => row.status !== null).map((row) => row.status ?? '')
      const dimension: DimensionName = by === 'traffickingStatus' ? 'traffickingStatus' : 'unaccompanied'
      const labels = await labelsFor(dimension, keys)
      const ordered = [...orderKeys(dimension, keys, labels), null]
      const count = (n: number) => cell(scope.unrounded ? raw(n) : roundedCount(n))
      const share = (n: number, of: number) => cell(percentage(n, of), true)
      if (scope.unrounded) await auditUnrounded(actor, 'time-to-first-missing', { from, by, yearFrom: scope.yearFrom, yearTo: scope.yearTo })
      return {
        id: `time-to-first-missing-${from}`,
        title: `How soon children first went missing after ${from === 'care' ? 'starting to be looked after' : 'an NRM referral'}, ${scope.yearFrom} to ${scope.yearTo}`,
        rowHeading: by === 'traffickingStatus' ? 'Trafficking status when care began' : 'Unaccompanied (UASC)',
        columns: [
          { key: 'cohort', label: from === 'care' ? 'Children who started to be looked after' : 'NRM referrals of looked-after children' },
          { key: 'within48Hours', label: 'Within 48 hours (%)' },
          { key: 'within7Days', label: 'Within 7 days (%)' },
          { key: 'within28Days', label: 'Within 28 days (%)' },
          { key: 'ever', label: 'Went missing at all (%)' },
        ],
        rows: ordered.map((key) => {
          const row = counts.find((entry) => entry.status === key)
          const cohort = row?.cohort ?? 0
          return {
            key: key ?? 'total',
            label: key === null ? 'All' : (labels.get(key) ?? key),
            total: key === null,
            cells: [count(cohort), share(row?.within48Hours ?? 0, cohort), share(row?.within7Days ?? 0, cohort), share(row?.within28Days ?? 0, cohort), share(row?.ever ?? 0, cohort)],
          }
        }),
        notes: [
          from === 'care'
            ? 'Each start of a period of care (SSDA903 RNE "S") in the years, and the first missing (M) episode in that period of care, timed from the start of the day care began.'
            : 'Each NRM referral of a looked-after child made in the years, and the child\'s first missing (M) episode on or after the day of referral.',
          scope.unrounded ? UNROUNDED_NOTE : DISCLOSURE_NOTE,
        ],
        asAt: await asAtText(),
        unrounded: scope.unrounded,
      }
    },

    /** The same, as a curve: the cumulative share who had gone missing by each day (0 to `days`). */
    async firstMissingCurve(actor: Actor | null, request: BreakdownRequest & { from?: string; days?: number; trafficked?: boolean } = {}) {
      const errors: FieldError[] = []
      const scope = scopeOf(request, errors)
      const from = request.from ?? 'care'
      const days = request.days ?? 28
      if (from !== 'care' && from !== 'referral') errors.push({ field: 'from', message: 'must be care or referral' })
      if (!Number.isInteger(days) || days < 1 || days > 365) errors.push({ field: 'days', message: 'must be a whole number of days from 1 to 365' })
      if (errors.length > 0) throw new ValidationError(errors)
      if (actor) requireReader(actor, scope.unrounded)
      const trafficked = request.trafficked === true
      const cohorts = await repo.timeToFirstMissing(db, from as 'care' | 'referral', scope.yearFrom, scope.yearTo, 'traffickingStatus')
      const cohort = trafficked && from === 'care' ? cohorts.filter((row) => row.status !== null && row.status !== 'none').reduce((sum, row) => sum + row.cohort, 0) : (cohorts.find((row) => row.status === null)?.cohort ?? 0)
      const byDay = await repo.firstMissingByDay(db, from as 'care' | 'referral', scope.yearFrom, scope.yearTo, days, trafficked)
      let cumulative = 0
      const points: { day: number; percent: PublishedCell }[] = []
      for (let day = 0; day < days; day += 1) {
        cumulative += byDay.find((row) => row.day === day)?.children ?? 0
        points.push({ day: day + 1, percent: cell(scope.unrounded ? raw(cohort === 0 ? 0 : Math.round((cumulative / cohort) * 1000) / 10) : percentage(cumulative, cohort, { decimals: 1 }), true) })
      }
      return { from, trafficked, cohort: cell(scope.unrounded ? raw(cohort) : roundedCount(cohort)), points, asAt: await asAtText() }
    },
  }
}

export type StatisticsService = ReturnType<typeof createStatisticsService>
