import { TWENTY_MILES_IN_METRES, distanceMetres, metresToMiles, postcodeSector } from '../../lib/geo.ts'
import { postcodeSectors, upperTierOfDistrict } from './reference-data.ts'
import type { PostcodeSector } from './reference-data.ts'

export interface PlacementGeography {
  /** The local authority district most of the placement's postcode sector lies in. */
  placementDistrictCode: string | null
  /** The upper-tier authority (children's services) in whose area the child is placed. */
  hostAuthorityCode: string | null
  /** Home to placement in a straight line, to one decimal place. */
  distanceMiles: number | null
  /** A placement more than 20 miles from home needs the Director of Children's Services' approval. */
  overTwentyMiles: boolean | null
}

// Positions are sector means, so two postcodes in one sector are 0 miles apart and any distance is good to
// about a sector's width: enough for the 20-mile rule, which DfE-aligned tools also apply to sectors.
function sectorOf(postcode: string | null): PostcodeSector | null {
  if (postcode === null) return null
  const sector = postcodeSector(postcode)
  return sector === null ? null : (postcodeSectors().get(sector) ?? null)
}

// The ONS Postcode Directory places Northern Ireland on the Irish Grid and Great Britain on the British
// National Grid; a straight line between the two grids means nothing.
function sameGrid(a: PostcodeSector, b: PostcodeSector): boolean {
  return a.districtCode.startsWith('N') === b.districtCode.startsWith('N')
}

function upperTierOf(sector: PostcodeSector | null): string | null {
  return sector === null ? null : (upperTierOfDistrict().get(sector.districtCode) ?? null)
}

/** The children's services authority for a postcode (or sector) in England or Wales; null if unknown. */
export function authorityOfPostcode(postcode: string | null): string | null {
  return upperTierOf(sectorOf(postcode))
}

/** Where a placement is and how far from home; whatever cannot be known from the postcodes is null. */
export function placementGeography(homePostcode: string | null, placementPostcode: string | null): PlacementGeography {
  const home = sectorOf(homePostcode)
  const placement = sectorOf(placementPostcode)
  const metres = home && placement && sameGrid(home, placement) ? distanceMetres(home, placement) : null
  return {
    placementDistrictCode: placement?.districtCode ?? null,
    hostAuthorityCode: upperTierOf(placement),
    distanceMiles: metres === null ? null : Math.round(metresToMiles(metres) * 10) / 10,
    overTwentyMiles: metres === null ? null : metres > TWENTY_MILES_IN_METRES,
  }
}
