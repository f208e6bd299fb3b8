import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { bearerSecret, requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, PageQuery, problemResponses } from '../../platform/openapi.ts'
import { InstantOut, Nullable } from '../../lib/schema.ts'
import { pageWindow } from '../../lib/pagination.ts'
import type { UsersService } from './users.service.ts'
import { ApiTokenInput, NewUserInput, SessionResponse, SignInInput, UserResponse, UserUpdateInput } from './users.schemas.ts'

export function usersRoutes(users: UsersService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()

    app.post('/sessions', {
      config: { public: true },
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with email and password; returns a bearer token for the session',
        security: [],
        body: SignInInput,
        response: { 201: SessionResponse, ...problemResponses },
      },
    }, async (request, reply) => reply.code(201).send(await users.signIn(request.body.email, request.body.password)))

    app.delete('/sessions/current', {
      schema: { tags: ['sessions'], summary: 'Sign out', response: { 204: Type.Null(), ...problemResponses } },
    }, async (request, reply) => {
      requireActor(request)
      const secret = bearerSecret(request)
      if (secret) await users.signOut(secret)
      return reply.code(204).send(null)
    })

    app.get('/me', {
      schema: {
        tags: ['users'],
        summary: 'Who you are signed in as',
        response: { 200: Type.Intersect([UserResponse, Type.Object({ agencyName: Type.String() })]), ...problemResponses },
      },
    }, async (request) => users.me(requireActor(request)))

    app.get('/users', {
      schema: { tags: ['users'], summary: "Your agency's users (administrators)", querystring: Type.Object(PageQuery), response: { 200: PageOf(UserResponse), ...problemResponses } },
    }, async (request) => {
      const window = pageWindow(request.query)
      const { items, total } = await users.listUsers(requireActor(request), window)
      return { items, total, page: window.page, pageSize: window.pageSize }
    })

    app.post('/users', {
      schema: { tags: ['users'], summary: 'Add a user to your agency (administrators)', body: NewUserInput, response: { 201: UserResponse, ...problemResponses } },
    }, async (request, reply) => reply.code(201).send(await users.createUser(requireActor(request), request.body)))

    app.patch('/users/:id', {
      schema: { tags: ['users'], summary: "Change a user's name, roles or whether they can sign in", params: IdParams, body: UserUpdateInput, response: { 200: UserResponse, ...problemResponses } },
    }, async (request) => users.updateUser(requireActor(request), request.params.id, request.body))

    app.get('/api-tokens', {
      schema: {
        tags: ['api tokens'],
        summary: "Your agency's API tokens (administrators); secrets are never shown again",
        response: {
          200: Type.Array(Type.Object({
            id: Type.String(), name: Type.String(), roles: Type.Array(Type.String()), createdAt: InstantOut(),
            expiresAt: Nullable(InstantOut()), revokedAt: Nullable(InstantOut()), lastUsedAt: Nullable(InstantOut()),
          })),
          ...problemResponses,
        },
      },
    }, async (request) => users.listApiTokens(requireActor(request)))

    app.post('/api-tokens', {
      schema: {
        tags: ['api tokens'],
        summary: 'Issue a token for a partner system; the secret is in this response only',
        body: ApiTokenInput,
        response: { 201: Type.Object({ id: Type.String(), token: Type.String(), name: Type.String(), roles: Type.Array(Type.String()), expiresAt: Nullable(InstantOut()) }), ...problemResponses },
      },
    }, async (request, reply) => {
      const body = request.body
      const created = await users.createApiToken(requireActor(request), {
        name: body.name,
        roles: body.roles,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      })
      return reply.code(201).send(created)
    })

    app.delete('/api-tokens/:id', {
      schema: { tags: ['api tokens'], summary: 'Revoke a token', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
    }, async (request, reply) => {
      await users.revokeApiToken(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    })
  }
}
