import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { DeadlinesService } from './deadlines.service.ts'
import { TaskQuery, TaskResponse } from './deadlines.schemas.ts'

export function deadlinesRoutes(deadlines: DeadlinesService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['tasks']

    app.get('/tasks', {
      schema: {
        tags,
        summary: "Your agency's statutory tasks: open ones by deadline, overdue first (state, mine, kind, episodeId to narrow)",
        querystring: TaskQuery,
        response: { 200: PageOf(TaskResponse), ...problemResponses },
      },
    }, async (request) => deadlines.list(requireActor(request), request.query))

    app.get('/tasks/:id', {
      schema: { tags, summary: 'One task', params: IdParams, response: { 200: TaskResponse, ...problemResponses } },
    }, async (request) => deadlines.get(requireActor(request), request.params.id))
  }
}
