import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, problemResponses } from '../../platform/openapi.ts'
import { Nullable } from '../../lib/schema.ts'
import type { InterviewsService } from './interviews.service.ts'
import {
  PreventionInterviewInput,
  PreventionInterviewResponse,
  PreventionInterviewUpdate,
  ReturnHomeInterviewInput,
  ReturnHomeInterviewResponse,
  ReturnHomeInterviewUpdate,
} from './interviews.schemas.ts'

export function interviewsRoutes(interviews: InterviewsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['interviews']

    app.get('/episodes/:id/interviews', {
      schema: {
        tags,
        summary: "The episode's police prevention interview and LA return home interview",
        params: IdParams,
        response: { 200: Type.Object({ preventionInterview: Nullable(PreventionInterviewResponse), returnHomeInterview: Nullable(ReturnHomeInterviewResponse) }), ...problemResponses },
      },
    }, async (request) => interviews.forEpisode(requireActor(request), request.params.id))

    app.post('/episodes/:id/prevention-interview', {
      schema: { tags, summary: 'Record the police prevention interview (safe and well check), or why it was not done', params: IdParams, body: PreventionInterviewInput, response: { 201: PreventionInterviewResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await interviews.recordPreventionInterview(requireActor(request), request.params.id, request.body)))

    app.patch('/prevention-interviews/:id', {
      schema: { tags, summary: 'Change a prevention interview (send the version you read)', params: IdParams, body: PreventionInterviewUpdate, response: { 200: PreventionInterviewResponse, ...problemResponses } },
    }, async (request) => interviews.updatePreventionInterview(requireActor(request), request.params.id, request.body))

    app.post('/episodes/:id/return-home-interview', {
      schema: { tags, summary: 'Record the LA return home interview: offered, accepted, completed (due within 72 hours of return)', params: IdParams, body: ReturnHomeInterviewInput, response: { 201: ReturnHomeInterviewResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await interviews.recordReturnHomeInterview(requireActor(request), request.params.id, request.body)))

    app.patch('/return-home-interviews/:id', {
      schema: { tags, summary: 'Change a return home interview (send the version you read)', params: IdParams, body: ReturnHomeInterviewUpdate, response: { 200: ReturnHomeInterviewResponse, ...problemResponses } },
    }, async (request) => interviews.updateReturnHomeInterview(requireActor(request), request.params.id, request.body))
  }
}
