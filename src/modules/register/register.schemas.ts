import { Type } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid } from '../../lib/schema.ts'
import { PersonName } from '../people/people.schemas.ts'

export const RegisterQuery = Type.Object(
  {
    name: Type.Optional(Text(200, { description: 'Any name, alias or nickname, in any spelling; matched on its letters and its sound' })),
    sex: Type.Optional(OneOf(['male', 'female', 'unknown'] as const)),
    ageFrom: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, errorMessage: 'must be an age in years' })),
    ageTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, errorMessage: 'must be an age in years' })),
    description: Type.Optional(Text(200, { description: 'Words in the description or clothing, e.g. "scar" or "red jacket"' })),
    page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
  },
  { additionalProperties: false },
)

export const RegisterEntryResponse = Type.Object({
  episodeId: Uuid(),
  personId: Uuid(),
  names: Type.Array(PersonName),
  sex: Type.String(),
  dateOfBirth: Nullable(Type.Object({ earliest: Nullable(IsoDate()), latest: Nullable(IsoDate()), source: Nullable(Type.String()) })),
  ageRange: Nullable(Type.Object({ youngest: Type.Integer(), oldest: Type.Integer() })),
  description: Type.Object({
    heightCm: Nullable(Type.Integer()),
    build: Nullable(Type.String()),
    hair: Nullable(Type.String()),
    eyes: Nullable(Type.String()),
    distinguishingMarks: Nullable(Type.String()),
    clothing: Nullable(Type.String()),
  }),
  flags: Type.Object({ unaccompanied: Type.Boolean(), suspectedTrafficking: Type.Boolean() }),
  photoIds: Type.Array(Uuid()),
  riskGrade: Nullable(Type.String()),
  missingSince: InstantOut(),
  lastSeenPlace: Nullable(Type.String()),
  incidentReference: Nullable(Type.String()),
  owningAgency: Type.Object({
    id: Uuid(),
    name: Type.String(),
    code: Type.String(),
    contactPhone: Nullable(Type.String()),
    contactEmail: Nullable(Type.String()),
  }),
})
