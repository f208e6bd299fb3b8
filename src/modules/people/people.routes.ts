import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import { Version } from '../../lib/schema.ts'
import type { PeopleService } from './people.service.ts'
import { PersonInput, PersonListQuery, PersonResponse, PersonUpdateInput, PhotoInput } from './people.schemas.ts'

const PersonSummaryResponse = Type.Pick(PersonResponse, ['id', 'names', 'sex', 'dateOfBirth', 'flags', 'version', 'updatedAt'])

export function peopleRoutes(people: PeopleService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['people']

    app.post('/people', {
      schema: { tags, summary: 'Record a person', body: PersonInput, response: { 201: PersonResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await people.create(requireActor(request), request.body)))

    app.get('/people', {
      schema: {
        tags,
        summary: "Your agency's people, newest change first; filter by a name or its sound",
        querystring: PersonListQuery,
        response: { 200: PageOf(PersonSummaryResponse), ...problemResponses },
      },
    }, async (request) => people.list(requireActor(request), request.query))

    app.get('/people/:id', {
      schema: { tags, summary: 'One person record', params: IdParams, response: { 200: PersonResponse, ...problemResponses } },
    }, async (request) => people.get(requireActor(request), request.params.id))

    app.patch('/people/:id', {
      schema: {
        tags,
        summary: 'Change a person record (send the version you read)',
        params: IdParams,
        body: PersonUpdateInput,
        response: { 200: PersonResponse, ...problemResponses },
      },
    }, async (request) => people.update(requireActor(request), request.params.id, request.body))

    app.delete('/people/:id', {
      schema: {
        tags,
        summary: 'Erase a person record and everything recorded about them (the audit trail stays)',
        params: IdParams,
        querystring: Type.Object({ version: Version }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    }, async (request, reply) => {
      await people.erase(requireActor(request), request.params.id, request.query.version)
      return reply.code(204).send(null)
    })

    app.post('/people/:id/photos', {
      schema: {
        tags,
        summary: 'Add a photo (base64 JPEG, PNG or WebP, at most 2 MB)',
        params: IdParams,
        body: PhotoInput,
        response: { 201: Type.Object({ id: Type.String() }), ...problemResponses },
      },
      bodyLimit: 3 * 1024 * 1024,
    }, async (request, reply) => reply.code(201).send(await people.addPhoto(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/photos/:photoId', {
      schema: {
        tags,
        summary: 'A photo, as the image itself',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), photoId: Type.String({ format: 'uuid' }) }),
        response: { ...problemResponses },
      },
    }, async (request, reply) => {
      const photo = await people.getPhoto(requireActor(request), request.params.id, request.params.photoId)
      return reply.type(photo.contentType).header('cache-control', 'private, no-store').send(Buffer.from(photo.bytes))
    })
  }
}
