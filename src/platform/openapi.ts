import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    currentVersion: Type.Optional(Type.Integer()),
  },
  { $id: 'Problem', description: 'application/problem+json (RFC 9457) with the failing fields' },
)

const problem = { $ref: 'Problem#' }

/** The error responses every authenticated operation can give, for the OpenAPI document. */
export const problemResponses = {
  400: problem,
  401: problem,
  403: problem,
  404: problem,
  409: problem,
}

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() })

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
}

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid', errorMessage: 'must be an id' }) })

export async function registerOpenApi(app: FastifyInstance) {
  app.addSchema(ProblemSchema)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lantern API',
        version: '1',
        description:
          'The national register of missing people. Every call acts for one agency: send `Authorization: Bearer <token>` ' +
          '(a session from POST /api/v1/sessions, or an API token). Reading a record outside your own agency needs a purpose: ' +
          'send it in the `Lantern-Purpose` header. Changes carry the `version` you read; a stale one gets 409.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
  })
}
