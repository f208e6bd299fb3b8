import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { TraffickingService } from './trafficking.service.ts'
import {
  GuardianAssignmentInput,
  GuardianAssignmentResponse,
  GuardianAssignmentUpdateInput,
  NrmDecisionInput,
  NrmQueueQuery,
  NrmReferralInput,
  NrmReferralResponse,
  NrmReferralUpdateInput,
} from './trafficking.schemas.ts'

export function traffickingRoutes(trafficking: TraffickingService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['trafficking']

    app.post('/people/:id/nrm-referrals', {
      schema: {
        tags,
        summary: 'Refer a person to a competent authority under the National Referral Mechanism',
        params: IdParams,
        body: NrmReferralInput,
        response: { 201: NrmReferralResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await trafficking.createReferral(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/nrm-referrals', {
      schema: {
        tags,
        summary: "A person's NRM referrals, each with its decisions",
        params: IdParams,
        response: { 200: Type.Array(NrmReferralResponse), ...problemResponses },
      },
    }, async (request) => trafficking.listReferralsOfPerson(requireActor(request), request.params.id))

    app.get('/nrm-referrals', {
      schema: {
        tags,
        summary: "A decision-maker's queue: their competent authority's referrals, oldest first, optionally only those awaiting a decision",
        querystring: NrmQueueQuery,
        response: { 200: PageOf(NrmReferralResponse), ...problemResponses },
      },
    }, async (request) => trafficking.listReferralsOfAuthority(requireActor(request), request.query))

    app.get('/nrm-referrals/:id', {
      schema: { tags, summary: 'One NRM referral with its decisions', params: IdParams, response: { 200: NrmReferralResponse, ...problemResponses } },
    }, async (request) => trafficking.getReferral(requireActor(request), request.params.id))

    app.patch('/nrm-referrals/:id', {
      schema: {
        tags,
        summary: 'Change an NRM referral (send the version you read)',
        params: IdParams,
        body: NrmReferralUpdateInput,
        response: { 200: NrmReferralResponse, ...problemResponses },
      },
    }, async (request) => trafficking.updateReferral(requireActor(request), request.params.id, request.body))

    app.post('/nrm-referrals/:id/decisions', {
      schema: {
        tags,
        summary: 'Record a reasonable-grounds or conclusive-grounds decision (decision-makers of the competent authority)',
        params: IdParams,
        body: NrmDecisionInput,
        response: { 201: NrmReferralResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await trafficking.recordDecision(requireActor(request), request.params.id, request.body)))

    app.post('/people/:id/guardian-assignments', {
      schema: {
        tags,
        summary: 'Allocate an Independent Child Trafficking Guardian',
        params: IdParams,
        body: GuardianAssignmentInput,
        response: { 201: GuardianAssignmentResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await trafficking.assignGuardian(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/guardian-assignments', {
      schema: {
        tags,
        summary: "A child's guardian assignments, current first",
        params: IdParams,
        response: { 200: Type.Array(GuardianAssignmentResponse), ...problemResponses },
      },
    }, async (request) => trafficking.listGuardianAssignmentsOfPerson(requireActor(request), request.params.id))

    app.get('/guardian-assignments/:id', {
      schema: { tags, summary: 'One guardian assignment', params: IdParams, response: { 200: GuardianAssignmentResponse, ...problemResponses } },
    }, async (request) => trafficking.getGuardianAssignment(requireActor(request), request.params.id))

    app.patch('/guardian-assignments/:id', {
      schema: {
        tags,
        summary: 'Change or end a guardian assignment (send the version you read)',
        params: IdParams,
        body: GuardianAssignmentUpdateInput,
        response: { 200: GuardianAssignmentResponse, ...problemResponses },
      },
    }, async (request) => trafficking.updateGuardianAssignment(requireActor(request), request.params.id, request.body))
  }
}
