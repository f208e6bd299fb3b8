import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, problemResponses } from '../../platform/openapi.ts'
import type { CareService } from './care.service.ts'
import { CareEpisodeInput, CareEpisodeList, CareEpisodeResponse, CareEpisodeUpdateInput } from './care.schemas.ts'

export function careRoutes(care: CareService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['care episodes']

    app.post('/people/:id/care-episodes', {
      schema: {
        tags,
        summary: "Record an episode of care (SSDA903 Episodes) on your authority's record of a child",
        params: IdParams,
        body: CareEpisodeInput,
        response: { 201: CareEpisodeResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await care.create(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/care-episodes', {
      schema: {
        tags,
        summary: "A child's episodes of care, earliest first",
        params: IdParams,
        response: { 200: CareEpisodeList, ...problemResponses },
      },
    }, async (request) => ({ items: await care.listForPerson(requireActor(request), request.params.id) }))

    app.get('/care-episodes/:id', {
      schema: { tags, summary: 'One episode of care', params: IdParams, response: { 200: CareEpisodeResponse, ...problemResponses } },
    }, async (request) => care.get(requireActor(request), request.params.id))

    app.patch('/care-episodes/:id', {
      schema: {
        tags,
        summary: 'Change an episode of care (send the version you read)',
        params: IdParams,
        body: CareEpisodeUpdateInput,
        response: { 200: CareEpisodeResponse, ...problemResponses },
      },
    }, async (request) => care.update(requireActor(request), request.params.id, request.body))
  }
}
