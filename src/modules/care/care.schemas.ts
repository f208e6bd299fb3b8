import { Type, type Static } from '@sinclair/typebox'
import { InstantOut, IsoDate, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'
import {
  CATEGORY_OF_NEED_CODES,
  LEGAL_STATUS_CODES,
  PLACEMENT_PROVIDER_CODES,
  PLACEMENT_TYPE_CODES,
  REASON_ENDED_CODES,
  REASON_FOR_NEW_EPISODE_CODES,
  REASON_FOR_PLACEMENT_CHANGE_CODES,
} from './care.codes.ts'

// Postcodes are checked and normalised by the service (lib/geo.ts), which names the field when one is
// malformed; here they are only bounded text.
const Postcode = () => Text(16, { description: 'A full UK postcode, any spacing or case, e.g. ME14 1XQ' })

const episodeFields = {
  startedOn: IsoDate({ description: 'DECOM: the date the episode began' }),
  reasonForNewEpisode: OneOf(REASON_FOR_NEW_EPISODE_CODES, { description: 'RNE' }),
  legalStatus: OneOf(LEGAL_STATUS_CODES, { description: 'LS' }),
  categoryOfNeed: OneOf(CATEGORY_OF_NEED_CODES, { description: 'CIN' }),
  placementType: OneOf(PLACEMENT_TYPE_CODES, { description: 'PLACE' }),
  placementProvider: Type.Optional(Nullable(OneOf(PLACEMENT_PROVIDER_CODES, { description: 'PLACE_PROVIDER: none for temporary and Z placements' }))),
  endedOn: Type.Optional(Nullable(IsoDate({ description: 'DEC: the date the episode ended' }))),
  reasonEnded: Type.Optional(Nullable(OneOf(REASON_ENDED_CODES, { description: 'REC: required with endedOn' }))),
  reasonForPlacementChange: Type.Optional(Nullable(OneOf(REASON_FOR_PLACEMENT_CHANGE_CODES, { description: 'REASON_PLACE_CHANGE' }))),
  homePostcode: Type.Optional(Nullable(Postcode())),
  placementPostcode: Type.Optional(Nullable(Postcode())),
  providerUrn: Type.Optional(
    Nullable(Type.String({ pattern: '^[A-Za-z0-9]{1,10}$', errorMessage: "must be the provider's Ofsted URN (letters and digits, up to 10)" })),
  ),
}

export const CareEpisodeInput = Type.Object(episodeFields, { additionalProperties: false })
export type CareEpisodeInput = Static<typeof CareEpisodeInput>

export const CareEpisodeUpdateInput = Type.Object(
  {
    version: Version,
    startedOn: Type.Optional(episodeFields.startedOn),
    reasonForNewEpisode: Type.Optional(episodeFields.reasonForNewEpisode),
    legalStatus: Type.Optional(episodeFields.legalStatus),
    categoryOfNeed: Type.Optional(episodeFields.categoryOfNeed),
    placementType: Type.Optional(episodeFields.placementType),
    placementProvider: episodeFields.placementProvider,
    endedOn: episodeFields.endedOn,
    reasonEnded: episodeFields.reasonEnded,
    reasonForPlacementChange: episodeFields.reasonForPlacementChange,
    homePostcode: episodeFields.homePostcode,
    placementPostcode: episodeFields.placementPostcode,
    providerUrn: episodeFields.providerUrn,
  },
  { additionalProperties: false },
)
export type CareEpisodeUpdateInput = Static<typeof CareEpisodeUpdateInput>

// ------------------------------------------------------------------ what the API returns

export const CareEpisodeResponse = Type.Object({
  id: Uuid(),
  personId: Uuid(),
  responsibleAgencyId: Uuid(),
  startedOn: IsoDate(),
  reasonForNewEpisode: OneOf(REASON_FOR_NEW_EPISODE_CODES),
  legalStatus: OneOf(LEGAL_STATUS_CODES),
  categoryOfNeed: OneOf(CATEGORY_OF_NEED_CODES),
  placementType: OneOf(PLACEMENT_TYPE_CODES),
  placementProvider: Nullable(OneOf(PLACEMENT_PROVIDER_CODES)),
  endedOn: Nullable(IsoDate()),
  reasonEnded: Nullable(OneOf(REASON_ENDED_CODES)),
  reasonForPlacementChange: Nullable(OneOf(REASON_FOR_PLACEMENT_CHANGE_CODES)),
  homePostcode: Nullable(Type.String()),
  placementPostcode: Nullable(Type.String()),
  providerUrn: Nullable(Type.String()),
  hostAgencyId: Nullable(Uuid({ description: 'The local authority the placement is in, when it is known and registered' })),
  placementDistrictCode: Nullable(Type.String({ description: 'ONS code of the district the placement is in' })),
  distanceMiles: Nullable(Type.Number({ description: 'Home to placement in a straight line, to 0.1 mile' })),
  outOfArea: Nullable(Type.Boolean({ description: "Placed outside the responsible authority's area" })),
  overTwentyMiles: Nullable(Type.Boolean()),
  locationRestricted: Type.Boolean({
    description: 'The placement postcode, provider and district are withheld: the child is flagged and your role cannot see where they are placed',
  }),
  version: Type.Integer(),
  createdAt: InstantOut(),
  updatedAt: InstantOut(),
})

export const CareEpisodeList = Type.Object({ items: Type.Array(CareEpisodeResponse) })
