import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { IdParams, PageOf, PageQuery, problemResponses } from '../../platform/openapi.ts'
import { InstantOut, Nullable } from '../../lib/schema.ts'
import { pageWindow } from '../../lib/pagination.ts'
import type { AuditService } from './audit.service.ts'

const TrailEntry = Type.Object({
  seq: Type.Integer(),
  occurredAt: InstantOut(),
  operation: Type.String({ description: 'DPA 2018 s62: collection, alteration, consultation, disclosure, combination or erasure' }),
  action: Type.String(),
  recordType: Nullable(Type.String()),
  recordId: Nullable(Type.String()),
  purpose: Nullable(Type.String()),
  actor: Type.Object({ userId: Nullable(Type.String()), tokenId: Nullable(Type.String()), name: Nullable(Type.String()), agencyName: Nullable(Type.String()) }),
})

export function auditRoutes(audit: AuditService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    app.get('/people/:id/audit-trail', {
      schema: {
        tags: ['audit'],
        summary: "Who has seen and changed this person's record, newest first (coordinators and missing-from-care leads)",
        params: IdParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: PageOf(TrailEntry), ...problemResponses },
      },
    }, async (request) => {
      const window = pageWindow(request.query)
      const { items, total } = await audit.trailForPerson(requireActor(request), request.params.id, window)
      return { items, total, page: window.page, pageSize: window.pageSize }
    })
  }
}
