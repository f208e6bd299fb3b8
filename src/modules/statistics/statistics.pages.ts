import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Services } from '../../services.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import type { WebPages } from '../../web/web.ts'
import { translator, type Translate } from '../../web/i18n.ts'
import { pageActor } from '../../web/session.ts'
import { fromServiceErrors } from '../../web/forms.ts'
import { ValidationError } from '../../lib/errors.ts'
import { SYMBOL_MEANINGS } from '../../lib/disclosure.ts'
import { DIMENSION_NAMES, DIMENSIONS } from './statistics.definitions.ts'
import { chartOfTable, lineChart } from './statistics.charts.ts'
import { tableToCsv, tableToXlsx } from './statistics.output.ts'
import type { BreakdownRequest, StatisticsTable } from './statistics.service.ts'
import './statistics.messages.ts'

// The statistics page: a form (GET, so every table has an address to share), the chosen table with its chart
// beside it, the notes and symbols, and downloads. Analysts and statisticians only; figures after disclosure
// control (the service applies it; this page never sees unrounded figures unless a statistician asks).

const TABLES = ['parliamentary-question', 'breakdown', 'still-missing', 'reconciliation', 'time-to-first-missing'] as const
type TableName = (typeof TABLES)[number]
const TABLE_LABELS: Record<TableName, string> = {
  'parliamentary-question': 'statistics.tableParliamentaryQuestion',
  breakdown: 'statistics.tableBreakdown',
  'still-missing': 'statistics.tableStillMissing',
  reconciliation: 'statistics.tableReconciliation',
  'time-to-first-missing': 'statistics.tableTimeToFirstMissing',
}
// The columns each table's chart draws (a breakdown draws all its columns but the total).
const CHART_COLUMNS: Record<Exclude<TableName, 'breakdown'>, readonly string[]> = {
  'parliamentary-question': ['published', 'children', 'anyConcern'],
  'still-missing': ['total'],
  reconciliation: ['both', 'localAuthorityOnly', 'policeOnly'],
  'time-to-first-missing': ['within48Hours', 'within7Days', 'within28Days'],
}

type Query = Record<string, string | undefined>

function readQuery(query: Query): { table: TableName; request: BreakdownRequest & { by?: string; from?: string } } {
  const table = TABLES.includes(query.table as TableName) ? (query.table as TableName) : 'parliamentary-question'
  const year = (value: string | undefined) => (value && /^\d{4}$/.test(value) ? Number(value) : value ? Number.NaN : undefined)
  return {
    table,
    request: {
      yearFrom: year(query.yearFrom),
      yearTo: year(query.yearTo),
      definition: query.definition || undefined,
      rows: table === 'breakdown' ? query.rows || 'year' : undefined,
      columns: table === 'breakdown' ? query.columns || null : undefined,
      measure: table === 'breakdown' && query.measure === 'episodes' ? 'episodes' : undefined,
      unrounded: query.unrounded === 'true',
    },
  }
}

async function tableFor(services: Services, actor: Actor, table: TableName, request: BreakdownRequest): Promise<StatisticsTable> {
  switch (table) {
    case 'breakdown':
      return services.statistics.breakdown(actor, request)
    case 'still-missing':
      return services.statistics.stillMissing(actor, request)
    case 'reconciliation':
      return services.statistics.reconciliation(actor, request)
    case 'time-to-first-missing':
      return services.statistics.timeToFirstMissing(actor, request)
    default:
      return services.statistics.parliamentaryQuestion(actor, request)
  }
}

function form(t: Translate, query: Query, table: TableName) {
  const option = (value: string, text: string, selected: string | undefined) => ({ value, text, selected: value === selected })
  return {
    tables: TABLES.map((name) => option(name, t(TABLE_LABELS[name]), table)),
    definitions: [option('', t('statistics.definitionDefault'), query.definition ?? ''), option('every_episode', t('statistics.definitionEvery'), query.definition), option('over_24_hours', t('statistics.definitionOver24'), query.definition)],
    rows: DIMENSION_NAMES.map((name) => option(name, DIMENSIONS[name].label, query.rows ?? 'year')),
    columns: [option('', t('statistics.noColumns'), query.columns ?? ''), ...DIMENSION_NAMES.map((name) => option(name, DIMENSIONS[name].label, query.columns))],
    measures: [option('children', t('statistics.measureChildren'), query.measure ?? 'children'), option('episodes', t('statistics.measureEpisodes'), query.measure)],
    yearFrom: query.yearFrom ?? '',
    yearTo: query.yearTo ?? '',
  }
}

/** GOV.UK table rows: the row label as a header, figures right-aligned (numeric). */
function govukRows(table: StatisticsTable) {
  return table.rows.map((row) => [
    { text: row.label, classes: row.total ? 'govuk-!-font-weight-bold' : undefined },
    ...row.cells.map((cell) => ({ text: cell.text, format: 'numeric', classes: row.total ? 'govuk-!-font-weight-bold' : undefined })),
  ])
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/statistics', async (request, reply) => {
      const t = translator(request.language)
      const actor = pageActor(request)
      const query = request.query as Query
      const { table, request: tableRequest } = readQuery(query)
      const view = { title: t('statistics.title'), form: form(t, query, table), query: new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString() }
      let result: StatisticsTable
      try {
        result = await tableFor(services, actor, table, tableRequest)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reply.view('modules/statistics/views/statistics.njk', { ...view, errors: fromServiceErrors(error.errors).toFormErrors() }, 400)
      }
      const chartColumns = table === 'breakdown' ? result.columns.filter((column) => column.key !== 'total' || result.columns.length === 1).map((column) => column.key) : CHART_COLUMNS[table]
      const symbols = [...new Set(result.rows.flatMap((row) => row.cells.map((cell) => cell.symbol)).filter((symbol) => symbol !== null))].map((symbol) => ({ symbol, meaning: SYMBOL_MEANINGS[symbol] }))
      let curve = null
      if (table === 'time-to-first-missing') {
        const [all, trafficked] = await Promise.all([
          services.statistics.firstMissingCurve(actor, { ...tableRequest, days: 28 }),
          services.statistics.firstMissingCurve(actor, { ...tableRequest, days: 28, trafficked: true }),
        ])
        const days = all.points.map((point) => point.day)
        curve = {
          chart: lineChart({
            id: 'chart-first-missing-curve',
            title: t('statistics.curveTitle'),
            description: t('statistics.curveDescription'),
            x: days,
            xLabel: t('statistics.day'),
            series: [
              { label: t('statistics.allChildren'), values: all.points.map((point) => point.percent) },
              { label: t('statistics.traffickedChildren'), values: trafficked.points.map((point) => point.percent) },
            ],
            percent: true,
          }),
          head: [{ text: t('statistics.day') }, { text: t('statistics.allChildren'), format: 'numeric' }, { text: t('statistics.traffickedChildren'), format: 'numeric' }],
          rows: all.points.map((point, i) => [{ text: String(point.day) }, { text: point.percent.text, format: 'numeric' }, { text: trafficked.points[i]?.percent.text ?? '', format: 'numeric' }]),
        }
      }
      return reply.view('modules/statistics/views/statistics.njk', {
        ...view,
        table: result,
        asAt: result.asAt ? new Date(result.asAt) : null,
        head: [{ text: result.rowHeading }, ...result.columns.map((column) => ({ text: column.label, format: 'numeric' }))],
        rows: govukRows(result),
        chart: chartOfTable(result, chartColumns),
        curve,
        symbols,
      })
    })

    app.get('/statistics/download', async (request, reply: FastifyReply) => {
      const actor = pageActor(request)
      const query = request.query as Query
      const { table, request: tableRequest } = readQuery(query)
      const result = await tableFor(services, actor, table, tableRequest)
      if (query.format === 'xlsx') {
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${result.id}.xlsx"`).send(await tableToXlsx(result))
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${result.id}.csv"`).send(tableToCsv(result))
    })
  }
}

export const statisticsPages: WebPages = {
  routes,
  navigation: [{ key: 'nav.statistics', href: '/statistics', show: (actor) => can.readStatistics(actor) }],
}
