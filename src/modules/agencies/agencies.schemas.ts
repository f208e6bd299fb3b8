import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, Nullable, OneOf, Uuid } from '../../lib/schema.ts'
import { AGENCY_KINDS } from '../access/roles.ts'

export const NATIONS = ['england', 'wales', 'united_kingdom'] as const

export const AgencyListQuery = Type.Object(
  {
    kind: Type.Optional(OneOf(AGENCY_KINDS)),
    activeOnly: Type.Optional(Type.Boolean({ description: 'Leave out authorities since replaced (Cumbria, say)', errorMessage: 'must be true or false' })),
    page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
  },
  { additionalProperties: false },
)
export type AgencyListQuery = Static<typeof AgencyListQuery>

export const AgencyResponse = Type.Object({
  id: Uuid(),
  kind: OneOf(AGENCY_KINDS),
  code: Type.String({ description: 'ONS code of a police force area or local authority; a short name for national bodies' }),
  name: Type.String(),
  welshName: Nullable(Type.String()),
  region: Nullable(Type.String()),
  nation: OneOf(NATIONS),
  contactPhone: Nullable(Type.String()),
  contactEmail: Nullable(Type.String()),
  active: Type.Boolean(),
  replacedByCode: Nullable(Type.String({ description: 'The successor(s), separated by ";"' })),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})
