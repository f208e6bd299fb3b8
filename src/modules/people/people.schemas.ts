import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'

export const NAME_KINDS = ['given', 'family', 'full', 'alias', 'nickname'] as const
export const DOB_SOURCES = ['stated', 'documented', 'assessed', 'estimated'] as const
export const SEXES = ['male', 'female', 'unknown'] as const
export const IDENTIFIER_KINDS = ['force_reference', 'pnc_id', 'la_child_id', 'upn', 'home_office_reference', 'nrm_reference'] as const
// DfE SSDA903 ETHNIC codes (DOMAIN-SOURCES.md §3.5).
export const ETHNICITY_CODES = [
  'WBRI', 'WIRI', 'WOTH', 'WIRT', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND',
  'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT',
] as const

export const NameInput = Type.Object(
  {
    kind: OneOf(NAME_KINDS),
    text: Text(200, { minLength: 1, errorMessage: 'Enter the name as written (up to 200 characters)' }),
    script: Type.Optional(Type.String({ pattern: '^[A-Z][a-z]{3}$', errorMessage: 'must be an ISO 15924 script code like Latn, Arab, Ethi' })),
    transliteration: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
)

export const DateOfBirthInput = Type.Object(
  {
    earliest: IsoDate(),
    latest: IsoDate(),
    source: OneOf(DOB_SOURCES),
  },
  { additionalProperties: false, description: 'A range: a stated date of birth has earliest = latest; an assessed age is a wider range' },
)

export const DescriptionInput = Type.Object(
  {
    heightCm: Type.Optional(Nullable(Type.Integer({ minimum: 30, maximum: 250, errorMessage: 'must be a height in centimetres between 30 and 250' }))),
    build: Type.Optional(Nullable(Text(100))),
    hair: Type.Optional(Nullable(Text(200))),
    eyes: Type.Optional(Nullable(Text(100))),
    distinguishingMarks: Type.Optional(Nullable(Text(1000))),
    notes: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
)

export const FlagsInput = Type.Object(
  {
    unaccompanied: Type.Optional(Type.Boolean()),
    suspectedTrafficking: Type.Optional(Type.Boolean()),
    /** The day suspicion began, when it was earlier than the day it is recorded (the default); only while suspected. */
    suspectedTraffickingSince: Type.Optional(IsoDate()),
    restrictedLocation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const IdentifierInput = Type.Object(
  {
    kind: OneOf(IDENTIFIER_KINDS),
    value: Text(100, { minLength: 1, errorMessage: 'Enter the identifier (up to 100 characters)' }),
  },
  { additionalProperties: false },
)

const personFields = {
  names: Type.Array(NameInput, { minItems: 1, maxItems: 30, errorMessage: 'Give at least one name (and at most 30)' }),
  sex: OneOf(SEXES),
  dateOfBirth: Type.Optional(Nullable(DateOfBirthInput)),
  ageDisputed: Type.Optional(Type.Boolean()),
  ethnicity: Type.Optional(Nullable(OneOf(ETHNICITY_CODES))),
  nationalities: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{3}$', errorMessage: 'must be an ISO 3166-1 alpha-3 code like VNM' }), { maxItems: 5 })),
  languages: Type.Optional(Type.Array(Text(50, { minLength: 1 }), { maxItems: 10 })),
  description: Type.Optional(DescriptionInput),
  flags: Type.Optional(FlagsInput),
  identifiers: Type.Optional(Type.Array(IdentifierInput, { maxItems: 20 })),
}

export const PersonInput = Type.Object(personFields, { additionalProperties: false })
export type PersonInput = Static<typeof PersonInput>

export const PersonUpdateInput = Type.Object(
  {
    version: Version,
    names: Type.Optional(personFields.names),
    sex: Type.Optional(personFields.sex),
    dateOfBirth: personFields.dateOfBirth,
    ageDisputed: personFields.ageDisputed,
    ethnicity: personFields.ethnicity,
    nationalities: personFields.nationalities,
    languages: personFields.languages,
    description: personFields.description,
    flags: personFields.flags,
    identifiers: personFields.identifiers,
  },
  { additionalProperties: false },
)
export type PersonUpdateInput = Static<typeof PersonUpdateInput>

export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const

export const PhotoInput = Type.Object(
  {
    contentType: OneOf(PHOTO_CONTENT_TYPES),
    dataBase64: Type.String({ minLength: 4, maxLength: 2_800_000, errorMessage: 'must be the image, base64-encoded, at most 2 MB' }),
    takenOn: Type.Optional(Nullable(IsoDate())),
    caption: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
)
export type PhotoInput = Static<typeof PhotoInput>

export const PersonListQuery = Type.Object(
  {
    name: Type.Optional(Text(200)),
    page: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a page number from 1' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be between 1 and 100' })),
  },
  { additionalProperties: false },
)

// ------------------------------------------------------------------ what the API returns

export const PersonName = Type.Object({
  kind: OneOf(NAME_KINDS),
  text: Type.String(),
  script: Type.String(),
  transliteration: Nullable(Type.String()),
})

export const PersonResponse = Type.Object({
  id: Uuid(),
  owningAgencyId: Uuid(),
  access: OneOf(['owner', 'host', 'linked', 'competentAuthority', 'guardian'] as const, {
    description: 'How the caller reaches this record',
  }),
  names: Type.Array(PersonName),
  sex: OneOf(SEXES),
  dateOfBirth: Nullable(Type.Object({ earliest: Nullable(IsoDate()), latest: Nullable(IsoDate()), source: Nullable(OneOf(DOB_SOURCES)) })),
  ageDisputed: Type.Boolean(),
  ethnicity: Nullable(Type.String()),
  nationalities: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  description: Type.Object({
    heightCm: Nullable(Type.Integer()),
    build: Nullable(Type.String()),
    hair: Nullable(Type.String()),
    eyes: Nullable(Type.String()),
    distinguishingMarks: Nullable(Type.String()),
    notes: Nullable(Type.String()),
  }),
  flags: Type.Object({ unaccompanied: Type.Boolean(), suspectedTrafficking: Type.Boolean(), suspectedTraffickingSince: Nullable(IsoDate()), restrictedLocation: Type.Boolean() }),
  identifiers: Type.Array(Type.Object({ kind: OneOf(IDENTIFIER_KINDS), value: Type.String() })),
  photos: Type.Array(Type.Object({ id: Uuid(), contentType: Type.String(), takenOn: Nullable(IsoDate()), caption: Nullable(Type.String()) })),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})
