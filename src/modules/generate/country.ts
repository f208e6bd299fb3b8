// The country the generator draws from: England's children's services authorities (active today), the police
// force covering each, their size, their postcode sectors and their neighbours. Built once from the agencies
// reference data; nothing here is personal data.
import { localAuthorities, policeForces, postcodeSectors, upperTierOfDistrict } from '../agencies/reference-data.ts'

/**
 * The police force area (ONS E23 code) of each upper-tier authority in England. Police force areas are made of
 * whole counties and unitary authorities (Police Act 1996, Schedule 1), so each authority lies in exactly one.
 * Used only to decide which force a synthetic child is reported to; `country.test.ts` checks every active
 * English authority has one and every English force covers at least one.
 */
const FORCE_OF_AUTHORITY: Readonly<Record<string, readonly string[]>> = {
  E23000001: Array.from({ length: 32 }, (_, i) => `E090000${String(i + 2).padStart(2, '0')}`), // the London boroughs
  E23000034: ['E09000001'], // City of London
  E23000002: ['E06000063', 'E06000064'],
  E23000003: ['E10000017', 'E06000008', 'E06000009'],
  E23000004: ['E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015'],
  E23000005: ['E08000001', 'E08000002', 'E08000003', 'E08000004', 'E08000005', 'E08000006', 'E08000007', 'E08000008', 'E08000009', 'E08000010'],
  E23000006: ['E06000006', 'E06000007', 'E06000049', 'E06000050'],
  E23000007: ['E06000057', 'E08000021', 'E08000022', 'E08000023', 'E08000024', 'E08000037'],
  E23000008: ['E06000047', 'E06000005'],
  E23000009: ['E06000065', 'E06000014'],
  E23000010: ['E08000032', 'E08000033', 'E08000034', 'E08000035', 'E08000036'],
  E23000011: ['E08000038', 'E08000017', 'E08000018', 'E08000039'],
  E23000012: ['E06000010', 'E06000011', 'E06000012', 'E06000013'],
  E23000013: ['E06000001', 'E06000002', 'E06000003', 'E06000004'],
  E23000014: ['E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030', 'E08000031'],
  E23000015: ['E10000028', 'E06000021'],
  E23000016: ['E06000019', 'E06000020', 'E06000051', 'E10000034'],
  E23000017: ['E10000031'],
  E23000018: ['E06000015', 'E10000007'],
  E23000019: ['E06000018', 'E10000024'],
  E23000020: ['E10000019'],
  E23000021: ['E06000016', 'E06000017', 'E10000018'],
  E23000022: ['E06000061', 'E06000062'],
  E23000023: ['E06000031', 'E10000003'],
  E23000024: ['E10000020'],
  E23000025: ['E10000029'],
  E23000026: ['E06000032', 'E06000055', 'E06000056'],
  E23000027: ['E10000015'],
  E23000028: ['E06000033', 'E06000034', 'E10000012'],
  E23000029: ['E06000036', 'E06000037', 'E06000038', 'E06000039', 'E06000040', 'E06000041', 'E06000042', 'E06000060', 'E10000025'],
  E23000030: ['E06000044', 'E06000045', 'E06000046', 'E10000014'],
  E23000031: ['E10000030'],
  E23000032: ['E06000035', 'E10000016'],
  E23000033: ['E06000043', 'E10000011', 'E10000032'],
  E23000035: ['E06000026', 'E06000027', 'E06000052', 'E06000053', 'E10000008'],
  E23000036: ['E06000022', 'E06000023', 'E06000024', 'E06000025', 'E06000066'],
  E23000037: ['E10000013'],
  E23000038: ['E06000030', 'E06000054'],
  E23000039: ['E06000058', 'E06000059'],
}

export interface Authority {
  code: string
  name: string
  region: string
  forceCode: string
  /** Postcode sectors whose majority district is in the authority: its share of the country's people, roughly. */
  sectors: readonly string[]
  easting: number
  northing: number
  /** Other authorities, nearest first (by the mean position of their sectors). */
  nearest: readonly string[]
}

export interface Country {
  authorities: readonly Authority[]
  byCode: ReadonlyMap<string, Authority>
  forces: readonly { code: string; name: string; authorities: readonly string[] }[]
  /** All English sectors: the share of each authority is its share of sectors. */
  sectorCount: number
}

let built: Country | null = null

/** England's active children's services authorities and police forces, with geography. */
export function england(): Country {
  if (built) return built
  const districts = upperTierOfDistrict()
  const sectorsOf = new Map<string, { sectors: string[]; easting: number; northing: number }>()
  for (const [sector, info] of postcodeSectors()) {
    const authority = districts.get(info.districtCode)
    // Sectors shaped like today's postcodes only (the file keeps some terminated ones).
    if (!authority?.startsWith('E') || !/^[A-Z]{1,2}\d[A-Z\d]? \d$/.test(sector)) continue
    let entry = sectorsOf.get(authority)
    if (!entry) {
      entry = { sectors: [], easting: 0, northing: 0 }
      sectorsOf.set(authority, entry)
    }
    entry.sectors.push(sector)
    entry.easting += info.easting
    entry.northing += info.northing
  }
  const forceOf = new Map<string, string>()
  for (const [force, codes] of Object.entries(FORCE_OF_AUTHORITY)) for (const code of codes) forceOf.set(code, force)

  const draft = localAuthorities()
    .filter((la) => la.nation === 'england' && la.active)
    .map((la) => {
      const entry = sectorsOf.get(la.code)
      const forceCode = forceOf.get(la.code)
      if (!entry || entry.sectors.length === 0) throw new Error(`No postcode sectors for ${la.code} ${la.name}`)
      if (!forceCode) throw new Error(`No police force area for ${la.code} ${la.name}`)
      entry.sectors.sort()
      return {
        code: la.code,
        name: la.name,
        region: la.region ?? 'England',
        forceCode,
        sectors: entry.sectors,
        easting: entry.easting / entry.sectors.length,
        northing: entry.northing / entry.sectors.length,
      }
    })
  const authorities: Authority[] = draft.map((la) => ({
    ...la,
    nearest: draft
      .filter((other) => other.code !== la.code)
      .map((other) => ({ code: other.code, d: Math.hypot(other.easting - la.easting, other.northing - la.northing) }))
      .sort((a, b) => a.d - b.d || a.code.localeCompare(b.code))
      .map((other) => other.code),
  }))
  const forces = policeForces()
    .filter((force) => force.nation === 'england')
    .map((force) => ({ code: force.code, name: force.name, authorities: authorities.filter((la) => la.forceCode === force.code).map((la) => la.code) }))
  built = {
    authorities,
    byCode: new Map(authorities.map((la) => [la.code, la])),
    forces,
    sectorCount: authorities.reduce((sum, la) => sum + la.sectors.length, 0),
  }
  return built
}

/** The police force area (force code) of each children's services authority in England, by authority code. */
export function policeForceAreas(): ReadonlyMap<string, string> {
  const areas = new Map<string, string>()
  for (const [force, codes] of Object.entries(FORCE_OF_AUTHORITY)) for (const code of codes) areas.set(code, force)
  return areas
}
