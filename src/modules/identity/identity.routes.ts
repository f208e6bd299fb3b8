import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { IdentityService } from './identity.service.ts'
import {
  EncounterSearchInput,
  EncounterSearchResponse,
  IdentityDecisionInput,
  IdentityDecisionResponse,
  IdentityReviewResponse,
  IdentityRunResponse,
} from './identity.schemas.ts'

export function identityRoutes(identity: IdentityService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    // The in-process search index follows the register until the app closes.
    app.addHook('onClose', async () => identity.stop())

    app.post('/encounter-searches', {
      schema: {
        tags: ['encounter search'],
        summary: 'Police: who is this? Ranked matches among everyone missing now (scope "all": every person record, coordinators), each explained field by field (needs a Lantern-Purpose header)',
        body: EncounterSearchInput,
        response: { 200: EncounterSearchResponse, ...problemResponses },
      },
    }, async (request) => identity.search(requireActor(request), request.body))

    app.post('/identity-runs', {
      schema: {
        tags: ['identities'],
        summary: "Link the register's person records into identities now (coordinators and missing-from-care leads)",
        response: { 200: IdentityRunResponse, ...problemResponses },
      },
    }, async (request) => identity.runLinkage(requireActor(request)))

    app.get('/identity-reviews', {
      schema: {
        tags: ['identities'],
        summary: "Uncertain links involving your agency's records, for a person to decide (needs a Lantern-Purpose header)",
        querystring: Type.Object(
          {
            page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(IdentityReviewResponse), ...problemResponses },
      },
    }, async (request) => identity.reviews(requireActor(request), request.query))

    app.post('/identity-reviews/:id/decision', {
      schema: {
        tags: ['identities'],
        summary: 'Decide an uncertain link: the same person, or different people. Kept, and respected by every later run',
        params: IdParams,
        body: IdentityDecisionInput,
        response: { 200: IdentityDecisionResponse, ...problemResponses },
      },
    }, async (request) => identity.decide(requireActor(request), request.params.id, request.body))

    app.get('/people/:id/identity', {
      schema: {
        tags: ['identities'],
        summary: "The person records linked with one of your agency's records (ids and recording agencies)",
        params: IdParams,
        response: {
          200: Type.Object({
            identityId: Type.Union([Type.String(), Type.Null()]),
            records: Type.Array(Type.Object({ personId: Type.String(), recordedBy: Type.Object({ id: Type.String(), name: Type.String(), code: Type.String() }) })),
          }),
          ...problemResponses,
        },
      },
    }, async (request) => identity.identityOf(requireActor(request), request.params.id))
  }
}
