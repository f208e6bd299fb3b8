import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'

// Herbert (adults at risk, dementia) and Philomena (children in care) grab packs: DOMAIN-SOURCES.md §2 and
// "Implications for the data model", ProtocolProfile. Every object refuses properties it does not name, which is
// how the schema keeps out what must never be held: social media passwords and full card or account numbers.

export const PROTOCOLS = ['herbert', 'philomena'] as const
export const VULNERABILITIES = [
  'cse',
  'cce',
  'county_lines',
  'trafficking',
  'self_harm',
  'mental_health',
  'dementia',
  'learning_disability',
  'substance_misuse',
] as const
// §2.1: the person's own consent, or a best-interests decision under the Mental Capacity Act.
export const CONSENT_BASES = ['consent', 'best_interests'] as const
/** Parts of `details` that only the Philomena form has (§2.2, Durham form). */
export const PHILOMENA_ONLY_DETAILS = ['legalStatus', 'previousMissingIncidents', 'significantIndividuals'] as const

const strict = { additionalProperties: false } as const
const RequiredText = (maxLength: number) => Text(maxLength, { minLength: 1, errorMessage: `must be text of 1 to ${maxLength} characters` })
const OptionalText = (maxLength: number) => Type.Optional(Nullable(Text(maxLength)))
const PhoneNumber = Type.String({ pattern: '^\\+?[0-9][0-9 ()-]{4,24}$', errorMessage: 'must be a phone number (digits, spaces, +, brackets, hyphens)' })
const List = <T extends TSchema>(item: T, maxItems: number) => Type.Optional(Type.Array(item, { maxItems, errorMessage: `must be a list of at most ${maxItems}` }))

export const PersonalDetails = Type.Object(
  {
    preferredName: OptionalText(200),
    firstLanguage: OptionalText(100),
    accent: OptionalText(200),
    mobilityAndCommunicationAids: OptionalText(1000),
  },
  { ...strict, description: "Build, height, hair, eyes and marks are on the person's own record: refer to it, do not repeat them" },
)

export const Medication = Type.Object(
  {
    name: RequiredText(200),
    dose: OptionalText(200),
    effectIfMissed: OptionalText(1000),
  },
  strict,
)

export const Medical = Type.Object(
  {
    conditions: List(RequiredText(500), 30),
    medication: List(Medication, 30),
    gp: Type.Optional(Nullable(Type.Object({ name: OptionalText(200), practice: OptionalText(200), phone: Type.Optional(Nullable(PhoneNumber)) }, strict))),
  },
  strict,
)

export const Routine = Type.Object({ when: RequiredText(200), description: RequiredText(1000), place: OptionalText(500) }, strict)
export const PlaceOfInterest = Type.Object({ place: RequiredText(500), reason: OptionalText(1000) }, strict)
export const PlacePreviouslyFound = Type.Object({ place: RequiredText(500), foundOn: Type.Optional(Nullable(IsoDate())), notes: OptionalText(1000) }, strict)
export const Phone = Type.Object({ number: PhoneNumber, provider: OptionalText(100), handset: OptionalText(200) }, strict)
export const SocialMediaAccount = Type.Object(
  { platform: RequiredText(100), username: RequiredText(200) },
  { ...strict, description: 'Never a password: the schema refuses one' },
)
export const BankCard = Type.Object(
  {
    cardType: OptionalText(50),
    issuer: OptionalText(100),
    lastFourDigits: Type.String({ pattern: '^[0-9]{4}$', errorMessage: 'must be the last 4 digits of the card only, never the full number' }),
  },
  { ...strict, description: 'Stored masked: the last 4 digits only' },
)
export const Locator = Type.Object({ type: RequiredText(200), contactCentreNumber: Type.Optional(Nullable(PhoneNumber)) }, strict)
export const SignificantIndividual = Type.Object({ name: RequiredText(200), relationship: RequiredText(200), phone: Type.Optional(Nullable(PhoneNumber)) }, strict)

export const ProfileDetails = Type.Object(
  {
    personal: Type.Optional(PersonalDetails),
    medical: Type.Optional(Medical),
    routines: List(Routine, 50),
    placesOfInterest: List(PlaceOfInterest, 50),
    placesPreviouslyFound: List(PlacePreviouslyFound, 50),
    phones: List(Phone, 10),
    emails: List(Type.String({ format: 'email', maxLength: 254, errorMessage: 'must be an email address' }), 5),
    socialMedia: List(SocialMediaAccount, 20),
    bankCards: List(BankCard, 10),
    transportHabits: OptionalText(2000),
    locator: Type.Optional(Nullable(Locator)),
    // Philomena only:
    legalStatus: Type.Optional(Nullable(Text(500, { description: 'Care order or other legal status (Philomena)' }))),
    previousMissingIncidents: Type.Optional(
      Nullable(Type.Integer({ minimum: 0, maximum: 10000, errorMessage: 'must be a count from 0', description: 'Philomena' })),
    ),
    significantIndividuals: List(SignificantIndividual, 50),
  },
  strict,
)
export type ProfileDetails = Static<typeof ProfileDetails>

export const RiskAssessedLocation = Type.Object(
  {
    address: RequiredText(500),
    reason: RequiredText(1000),
    associatedPeople: List(RequiredText(200), 30),
    riskNotes: OptionalText(2000),
  },
  strict,
)
export type RiskAssessedLocation = Static<typeof RiskAssessedLocation>

export const Associate = Type.Object(
  {
    name: RequiredText(200),
    relationship: RequiredText(200),
    phone: Type.Optional(Nullable(PhoneNumber)),
    risk: OptionalText(1000),
  },
  strict,
)
export type Associate = Static<typeof Associate>

const profileFields = {
  details: Type.Optional(ProfileDetails),
  riskAssessedLocations: Type.Optional(Type.Array(RiskAssessedLocation, { maxItems: 50, errorMessage: 'must be a list of at most 50' })),
  associates: Type.Optional(Type.Array(Associate, { maxItems: 100, errorMessage: 'must be a list of at most 100' })),
  vulnerabilities: Type.Optional(
    Type.Array(OneOf(VULNERABILITIES), { uniqueItems: true, maxItems: VULNERABILITIES.length, errorMessage: `each once, from ${VULNERABILITIES.join(', ')}` }),
  ),
  consentBasis: OneOf(CONSENT_BASES),
  lastReviewedOn: Type.Optional(Nullable(IsoDate())),
  photoUpdatedOn: Type.Optional(Nullable(IsoDate())),
}

export const ProtocolProfileInput = Type.Object({ protocol: OneOf(PROTOCOLS), ...profileFields }, strict)
export type ProtocolProfileInput = Static<typeof ProtocolProfileInput>

/** The protocol is fixed once recorded; `details` and each list, when sent, replace what was there. */
export const ProtocolProfileUpdateInput = Type.Object(
  {
    version: Version,
    details: profileFields.details,
    riskAssessedLocations: profileFields.riskAssessedLocations,
    associates: profileFields.associates,
    vulnerabilities: profileFields.vulnerabilities,
    consentBasis: Type.Optional(profileFields.consentBasis),
    lastReviewedOn: profileFields.lastReviewedOn,
    photoUpdatedOn: profileFields.photoUpdatedOn,
  },
  strict,
)
export type ProtocolProfileUpdateInput = Static<typeof ProtocolProfileUpdateInput>

// ------------------------------------------------------------------ what the API returns

export const ProtocolProfileResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  protocol: OneOf(PROTOCOLS),
  ownerAgencyId: Uuid(),
  details: ProfileDetails,
  riskAssessedLocations: Type.Array(RiskAssessedLocation),
  associates: Type.Array(Associate),
  vulnerabilities: Type.Array(OneOf(VULNERABILITIES)),
  consentBasis: OneOf(CONSENT_BASES),
  lastReviewedOn: Nullable(IsoDate()),
  photoUpdatedOn: Nullable(IsoDate()),
  photoStale: Type.Boolean({ description: 'No photo date, or the photo is more than 6 months old (Cleveland MRT: a new photo "every six months or so")' }),
  reviewDue: Type.Boolean({ description: 'Last reviewed (or, never reviewed, recorded) more than 6 months ago' }),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})
