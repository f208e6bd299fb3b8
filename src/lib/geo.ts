/** A point on a national grid, in metres. */
export interface GridPoint {
  easting: number
  northing: number
}

/** One statute mile is exactly 1,609.344 m (international yard and pound agreement, 1959). */
const METRES_PER_MILE = 1609.344

/** 20 miles, rounded to the metre: the distance that makes a placement need extra approval. */
export const TWENTY_MILES_IN_METRES = 32_187

// The outward code (area letters, district digit, optional digit or letter) then the inward code (sector
// digit, two unit letters): A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA. Shape only: whether the
// postcode exists is for the sector file to say.
const OUTWARD = '[A-Z]{1,2}[0-9][A-Z0-9]?'
const FULL_POSTCODE = new RegExp(`^(${OUTWARD})([0-9][A-Z]{2})$`)
// A sector needs its space: "M11" could be M1 1 or the district M11.
const SECTOR = new RegExp(`^(${OUTWARD}) +([0-9])$`)

/** "sw1a1aa", " SW1A  1AA " -> "SW1A 1AA"; anything not shaped like a full UK postcode -> null. */
export function normalisePostcode(text: string): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase()
  const match = FULL_POSTCODE.exec(compact)
  if (!match) return null
  return `${match[1]} ${match[2]}`
}

/**
 * The postcode sector ("SW1A 1AA" -> "SW1A 1"): the outward code and the sector digit. Accepts a sector too,
 * since records degraded to their sector before sharing (as DfE-aligned tools do) must still place.
 */
export function postcodeSector(postcode: string): string | null {
  const full = normalisePostcode(postcode)
  if (full) return full.slice(0, -2)
  const match = SECTOR.exec(postcode.trim().toUpperCase())
  return match ? `${match[1]} ${match[2]}` : null
}

/** Straight-line distance in metres. Both points must be on the same grid (British and Irish grids differ). */
export function distanceMetres(a: GridPoint, b: GridPoint): number {
  return Math.hypot(a.easting - b.easting, a.northing - b.northing)
}

export function metresToMiles(metres: number): number {
  return metres / METRES_PER_MILE
}
