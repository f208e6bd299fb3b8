import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'
import { IDENTIFIER_KINDS, PersonName, SEXES } from '../people/people.schemas.ts'

export const SEARCH_SCOPES = ['missing', 'all'] as const

export const EncounterSearchInput = Type.Object(
  {
    name: Type.Optional(Text(300, { description: 'The whole name as given, in any order, spelling or script (Nguyen Van An, محمد, ዮናስ)' })),
    givenNames: Type.Optional(Text(200)),
    familyName: Type.Optional(Text(200)),
    otherNames: Type.Optional(Type.Array(Text(200), { maxItems: 10, description: 'Aliases and nicknames' })),
    dateOfBirth: Type.Optional(IsoDate({ description: 'A date of birth the person gives or a document shows' })),
    dobEarliest: Type.Optional(IsoDate()),
    dobLatest: Type.Optional(IsoDate()),
    ageFrom: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, errorMessage: 'must be an age in years' })),
    ageTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, errorMessage: 'must be an age in years' })),
    sex: Type.Optional(OneOf(SEXES)),
    nationality: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', errorMessage: 'must be an ISO 3166-1 alpha-3 code like ERI' })),
    identifiers: Type.Optional(
      Type.Array(Type.Object({ kind: OneOf(IDENTIFIER_KINDS), value: Text(100, { minLength: 1 }) }, { additionalProperties: false }), { maxItems: 10 }),
    ),
    description: Type.Optional(
      Type.Object(
        {
          heightCm: Type.Optional(Type.Integer({ minimum: 30, maximum: 250, errorMessage: 'must be a height in centimetres between 30 and 250', description: 'Measured or estimated' })),
          build: Type.Optional(Text(100, { description: 'slim, medium, stocky' })),
          hair: Type.Optional(Text(200, { description: 'As seen: black, dark brown, shaved' })),
          eyes: Type.Optional(Text(100)),
          distinguishingMarks: Type.Optional(Text(1000, { description: 'Scars, marks, tattoos, piercings, each with where it is: "scar above left eye; tattoo right forearm"' })),
        },
        { additionalProperties: false, description: 'What the officer can see of the person' },
      ),
    ),
    scope: Type.Optional(OneOf(SEARCH_SCOPES, { description: 'missing: everyone missing now, nationally (default); all: every person record (coordinators)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, errorMessage: 'must be between 1 and 50' })),
  },
  { additionalProperties: false },
)
export type EncounterSearchInput = Static<typeof EncounterSearchInput>

/** One step of the waterfall: the prior, then each field's weight, adding up to the match weight. */
export const ExplanationResponse = Type.Object({
  prior: Type.Object({ probability: Type.Number(), weight: Type.Number() }),
  fields: Type.Array(
    Type.Object({
      field: Type.String(),
      level: Type.String({ description: 'The comparison level the pair reached, in words' }),
      weight: Type.Number({ description: 'log2 of the Bayes factor, with the term-frequency adjustment' }),
      termFrequencyAdjustment: Type.Number(),
    }),
  ),
  matchWeight: Type.Number({ description: 'prior.weight plus every field weight' }),
  matchProbability: Type.Number(),
})

export const MatchPersonResponse = Type.Object({
  personId: Uuid(),
  names: Type.Array(PersonName),
  sex: Type.String(),
  dateOfBirth: Nullable(Type.Object({ earliest: Nullable(IsoDate()), latest: Nullable(IsoDate()), source: Nullable(Type.String()) })),
  nationalities: Type.Array(Type.String()),
  recordedBy: Type.Object({ id: Uuid(), name: Type.String(), code: Type.String() }),
})

export const EncounterMatchResponse = Type.Object({
  rank: Type.Integer(),
  matchWeight: Type.Number(),
  matchProbability: Type.Number(),
  person: MatchPersonResponse,
  description: Type.Object({
    heightCm: Nullable(Type.Integer()),
    build: Nullable(Type.String()),
    hair: Nullable(Type.String()),
    eyes: Nullable(Type.String()),
    distinguishingMarks: Nullable(Type.String()),
  }),
  flags: Type.Object({ unaccompanied: Type.Boolean(), suspectedTrafficking: Type.Boolean() }),
  openEpisode: Nullable(
    Type.Object({
      episodeId: Uuid(),
      missingSince: InstantOut(),
      riskGrade: Nullable(Type.String()),
      incidentReference: Nullable(Type.String()),
      owningAgency: Type.Object({ id: Uuid(), name: Type.String(), code: Type.String(), contactPhone: Nullable(Type.String()), contactEmail: Nullable(Type.String()) }),
    }),
  ),
  explanation: ExplanationResponse,
})

export const EncounterSearchResponse = Type.Object({
  scope: OneOf(SEARCH_SCOPES),
  searched: Type.Integer({ description: 'How many records the search covered' }),
  results: Type.Array(EncounterMatchResponse),
})

export const IdentityRunResponse = Type.Object({
  runId: Uuid(),
  records: Type.Integer(),
  candidatePairs: Type.Integer(),
  linked: Type.Integer(),
  review: Type.Integer(),
  confirmed: Type.Integer(),
  rejected: Type.Integer(),
  identities: Type.Integer(),
})

export const IdentityReviewResponse = Type.Object({
  id: Uuid(),
  version: Type.Integer(),
  matchWeight: Type.Number(),
  matchProbability: Type.Number(),
  explanation: ExplanationResponse,
  records: Type.Array(MatchPersonResponse),
})

export const DECISIONS = ['same_person', 'different_people'] as const

export const IdentityDecisionInput = Type.Object(
  {
    decision: OneOf(DECISIONS),
    reason: Text(1000, { minLength: 1, errorMessage: 'Say why (up to 1000 characters)' }),
    version: Version,
  },
  { additionalProperties: false },
)
export type IdentityDecisionInput = Static<typeof IdentityDecisionInput>

export const IdentityDecisionResponse = Type.Object({ id: Uuid(), status: Type.String(), version: Type.Integer() })
