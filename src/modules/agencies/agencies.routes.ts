import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { AgenciesService } from './agencies.service.ts'
import { AgencyListQuery, AgencyResponse } from './agencies.schemas.ts'

export function agenciesRoutes(agencies: AgenciesService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['agencies']

    app.get('/agencies', {
      schema: {
        tags,
        summary: 'Police forces, local authorities and national bodies, by kind then name',
        querystring: AgencyListQuery,
        response: { 200: PageOf(AgencyResponse), ...problemResponses },
      },
    }, async (request) => agencies.list(requireActor(request), request.query))

    app.get('/agencies/:id', {
      schema: { tags, summary: 'One agency', params: IdParams, response: { 200: AgencyResponse, ...problemResponses } },
    }, async (request) => agencies.get(requireActor(request), request.params.id))
  }
}
