import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, problemResponses } from '../../platform/openapi.ts'
import type { ProtocolsService } from './protocols.service.ts'
import { ProtocolProfileInput, ProtocolProfileResponse, ProtocolProfileUpdateInput } from './protocols.schemas.ts'

export function protocolsRoutes(protocols: ProtocolsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['protocols']

    app.post('/people/:id/protocol-profiles', {
      schema: {
        tags,
        summary: 'Record a Herbert or Philomena profile of a person',
        params: IdParams,
        body: ProtocolProfileInput,
        response: { 201: ProtocolProfileResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await protocols.create(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/protocol-profiles', {
      schema: {
        tags,
        summary: "A person's Herbert and Philomena profiles",
        params: IdParams,
        response: { 200: Type.Array(ProtocolProfileResponse), ...problemResponses },
      },
    }, async (request) => protocols.listForPerson(requireActor(request), request.params.id))

    app.get('/protocol-profiles/:id', {
      schema: { tags, summary: 'One protocol profile', params: IdParams, response: { 200: ProtocolProfileResponse, ...problemResponses } },
    }, async (request) => protocols.get(requireActor(request), request.params.id))

    app.patch('/protocol-profiles/:id', {
      schema: {
        tags,
        summary: 'Change a protocol profile (send the version you read; details and lists sent replace what was there)',
        params: IdParams,
        body: ProtocolProfileUpdateInput,
        response: { 200: ProtocolProfileResponse, ...problemResponses },
      },
    }, async (request) => protocols.update(requireActor(request), request.params.id, request.body))
  }
}
