import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, problemResponses } from '../../platform/openapi.ts'
import type { EpisodesService } from './episodes.service.ts'
import {
  ActionInput,
  ActionResponse,
  ActionUpdateInput,
  EpisodeEndInput,
  EpisodeInput,
  EpisodeListQuery,
  EpisodeReopenInput,
  EpisodeResponse,
  EpisodeSummaryResponse,
  EpisodeUpdateInput,
  LinkInput,
  RiskAssessmentWithVersion,
  SightingInput,
} from './episodes.schemas.ts'

const EpisodeWithoutHistory = Type.Omit(EpisodeResponse, ['riskAssessments', 'actions', 'sightings'])

export function episodesRoutes(episodes: EpisodesService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['missing episodes']

    app.post('/people/:id/episodes', {
      schema: {
        tags,
        summary: 'Report a missing episode (police: with the initial risk grade; local authority: M or A)',
        params: IdParams,
        body: EpisodeInput,
        response: { 201: EpisodeResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await episodes.create(requireActor(request), request.params.id, request.body)))

    app.get('/people/:id/episodes', {
      schema: { tags, summary: "A person's episodes, newest first", params: IdParams, response: { 200: Type.Array(EpisodeWithoutHistory), ...problemResponses } },
    }, async (request) => episodes.listForPerson(requireActor(request), request.params.id))

    app.get('/episodes', {
      schema: {
        tags,
        summary: "Your agency's episodes: high risk first, then longest missing",
        querystring: EpisodeListQuery,
        response: { 200: PageOf(EpisodeSummaryResponse), ...problemResponses },
      },
    }, async (request) => episodes.listForAgency(requireActor(request), request.query))

    app.get('/episodes/:id', {
      schema: { tags, summary: 'One episode with its risk history, actions and sightings', params: IdParams, response: { 200: EpisodeResponse, ...problemResponses } },
    }, async (request) => episodes.get(requireActor(request), request.params.id))

    app.patch('/episodes/:id', {
      schema: { tags, summary: 'Change an episode (send the version you read)', params: IdParams, body: EpisodeUpdateInput, response: { 200: EpisodeResponse, ...problemResponses } },
    }, async (request) => episodes.update(requireActor(request), request.params.id, request.body))

    app.post('/episodes/:id/end', {
      schema: { tags, summary: 'Record the person found or returned', params: IdParams, body: EpisodeEndInput, response: { 200: EpisodeResponse, ...problemResponses } },
    }, async (request) => episodes.end(requireActor(request), request.params.id, request.body))

    app.post('/episodes/:id/reopen', {
      schema: { tags, summary: 'Reopen an ended episode (the end was recorded in error, or the person found was not them)', params: IdParams, body: EpisodeReopenInput, response: { 200: EpisodeResponse, ...problemResponses } },
    }, async (request) => episodes.reopen(requireActor(request), request.params.id, request.body))

    app.post('/episodes/:id/risk-assessments', {
      schema: { tags, summary: 'Re-grade the risk (APP grades and the 25 questions)', params: IdParams, body: RiskAssessmentWithVersion, response: { 201: EpisodeResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await episodes.recordRiskAssessment(requireActor(request), request.params.id, request.body)))

    app.post('/episodes/:id/actions', {
      schema: { tags, summary: 'Add an action to the investigation log', params: IdParams, body: ActionInput, response: { 201: ActionResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await episodes.recordAction(requireActor(request), request.params.id, request.body)))

    app.patch('/episode-actions/:id', {
      schema: { tags, summary: 'Update or complete an action (send the version you read)', params: IdParams, body: ActionUpdateInput, response: { 200: ActionResponse, ...problemResponses } },
    }, async (request) => episodes.updateAction(requireActor(request), request.params.id, request.body))

    app.post('/episodes/:id/sightings', {
      schema: { tags, summary: 'Record a sighting', params: IdParams, body: SightingInput, response: { 201: EpisodeResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await episodes.recordSighting(requireActor(request), request.params.id, request.body)))

    app.post('/episodes/:id/links', {
      schema: {
        tags,
        summary: "Link this episode with the other agency's record of the same absence (police incident and LA M/A episode)",
        params: IdParams,
        body: LinkInput,
        response: { 200: EpisodeResponse, ...problemResponses },
      },
    }, async (request) => episodes.link(requireActor(request), request.params.id, request.body))
  }
}
