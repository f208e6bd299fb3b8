import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { RegisterService } from './register.service.ts'
import { RegisterEntryResponse, RegisterQuery } from './register.schemas.ts'

export function registerRoutes(register: RegisterService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['national register']

    app.get('/register/episodes', {
      schema: {
        tags,
        summary: 'Police: search everyone missing now, nationally (needs a Lantern-Purpose header)',
        querystring: RegisterQuery,
        response: { 200: PageOf(RegisterEntryResponse), ...problemResponses },
      },
    }, async (request) => register.search(requireActor(request), request.query))

    app.get('/register/episodes/:id', {
      schema: { tags, summary: 'Police: one open episode on the national register', params: IdParams, response: { 200: RegisterEntryResponse, ...problemResponses } },
    }, async (request) => register.entry(requireActor(request), request.params.id))

    app.get('/register/episodes/:id/photos/:photoId', {
      schema: {
        tags,
        summary: 'Police: a photo of a person on the national register',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), photoId: Type.String({ format: 'uuid' }) }),
        response: { ...problemResponses },
      },
    }, async (request, reply) => {
      const photo = await register.photo(requireActor(request), request.params.id, request.params.photoId)
      return reply.type(photo.contentType).header('cache-control', 'private, no-store').send(Buffer.from(photo.bytes))
    })
  }
}
