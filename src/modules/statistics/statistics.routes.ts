import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { problemResponses } from '../../platform/openapi.ts'
import { DIMENSION_NAMES, isDimensionName } from './statistics.definitions.ts'
import { tableToCsv, tableToXlsx } from './statistics.output.ts'
import type { StatisticsService, StatisticsTable } from './statistics.service.ts'
import { CurveResponse, StatisticsQuery, TableResponse } from './statistics.schemas.ts'

type Query = Static<typeof StatisticsQuery>

/** Filters are query parameters named after a breakdown, with comma-separated values: `?sex=female&traffickingStatus=referred,suspected`. */
function requestOf(query: Query & Record<string, unknown>) {
  const filters: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(query)) {
    if (isDimensionName(key) && typeof value === 'string') filters[key] = value.split(',').map((part) => part.trim()).filter(Boolean)
  }
  return {
    rows: query.rows,
    columns: query.columns,
    measure: query.measure,
    yearFrom: query.yearFrom,
    yearTo: query.yearTo,
    definition: query.definition,
    category: query.category,
    unrounded: query.unrounded,
    by: query.by,
    from: query.from,
    filters,
  }
}

async function send(reply: FastifyReply, table: StatisticsTable, format: Query['format']) {
  if (format === 'csv') {
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${table.id}.csv"`).send(tableToCsv(table))
  }
  if (format === 'xlsx') {
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${table.id}.xlsx"`)
      .send(await tableToXlsx(table))
  }
  return table
}

export function statisticsRoutes(statistics: StatisticsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['statistics']
    const table = (summary: string) => ({ tags, summary, querystring: StatisticsQuery, response: { 200: TableResponse, ...problemResponses } })

    app.get('/statistics/breakdown', { schema: table(`Children or episodes by one or two breakdowns (${DIMENSION_NAMES.join(', ')}); filter by naming a breakdown`) }, async (request, reply) =>
      send(reply, await statistics.breakdown(requireActor(request), requestOf(request.query)), request.query.format))

    app.get('/statistics/parliamentary-question', { schema: table('The 2013 parliamentary question, answered from the records, with the trafficking disaggregation') }, async (request, reply) =>
      send(reply, await statistics.parliamentaryQuestion(requireActor(request), requestOf(request.query)), request.query.format))

    app.get('/statistics/still-missing', { schema: table('Children still missing at 31 March each year, by trafficking status') }, async (request, reply) =>
      send(reply, await statistics.stillMissing(requireActor(request), requestOf(request.query)), request.query.format))

    app.get('/statistics/reconciliation', { schema: table('Police and local authority records of the same absences: by police force or by responsible authority (by=)') }, async (request, reply) =>
      send(reply, await statistics.reconciliation(requireActor(request), requestOf(request.query)), request.query.format))

    app.get('/statistics/time-to-first-missing', { schema: table('How soon children first went missing after entering care or an NRM referral (from=care|referral)') }, async (request, reply) =>
      send(reply, await statistics.timeToFirstMissing(requireActor(request), requestOf(request.query)), request.query.format))

    app.get('/statistics/first-missing-curve', {
      schema: {
        tags,
        summary: 'The cumulative share of a cohort who had gone missing, day by day',
        querystring: Type.Intersect([StatisticsQuery, Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), trafficked: Type.Optional(Type.Boolean()) })]),
        response: { 200: CurveResponse, ...problemResponses },
      },
    }, async (request) => statistics.firstMissingCurve(requireActor(request), { ...requestOf(request.query), days: request.query.days, trafficked: request.query.trafficked }))

    app.post('/statistics/refresh', {
      schema: { tags, summary: 'Statisticians: rebuild the statistics from the records', response: { 200: Type.Object({ episodes: Type.Integer(), careStarts: Type.Integer(), referrals: Type.Integer(), seconds: Type.Number() }), ...problemResponses } },
    }, async (request) => statistics.refresh(requireActor(request)))
  }
}
