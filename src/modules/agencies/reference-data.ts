import { readFileSync } from 'node:fs'
import { parseCsv } from '../../lib/csv.ts'
import type { GridPoint } from '../../lib/geo.ts'

// Reference data ships inside the module (see reference/README.md): read once, on first use, and kept.

export type Nation = 'england' | 'wales' | 'united_kingdom'

export type AgencyKind =
  | 'police_force'
  | 'local_authority'
  | 'competent_authority'
  | 'ictg_service'
  | 'first_responder'

export interface Agency {
  code: string
  name: string
  welshName: string | null
  region: string | null
  nation: Nation
  active: boolean
  /** The code(s) of the successor authority, several separated by ";" (Cumbria split in two). */
  replacedByCode: string | null
  kind: AgencyKind
  contactPhone: string | null
}

/** A postcode sector's majority local authority district and the mean grid position of its postcodes. */
export interface PostcodeSector extends GridPoint {
  districtCode: string
}

type Row = Record<string, string>

function once<T>(load: () => T): () => T {
  let value: T | undefined
  return () => (value ??= load())
}

/** The rows of a reference CSV as records keyed by its header; a missing column is a broken release. */
function readReference(fileName: string, columns: readonly string[]): Row[] {
  const [header, ...rows] = parseCsv(readFileSync(new URL(`./reference/${fileName}`, import.meta.url), 'utf8'))
  const missing = columns.filter((column) => !header?.includes(column))
  if (!header || missing.length > 0) throw new Error(`${fileName} lacks column(s): ${missing.join(', ')}`)
  return rows.map((fields) => Object.fromEntries(header.map((column, i) => [column, fields[i] ?? ''])))
}

function blankToNull(text: string | undefined): string | null {
  return text ? text : null
}

function nationOf(text: string | undefined, fileName: string): Nation {
  if (text === 'england' || text === 'wales' || text === 'united_kingdom') return text
  throw new Error(`${fileName}: unknown nation "${text ?? ''}"`)
}

function activeOf(text: string | undefined, fileName: string): boolean {
  // Police forces have no "active" column: all current.
  if (text === undefined || text === 'true') return true
  if (text === 'false') return false
  throw new Error(`${fileName}: "active" must be true or false, not "${text}"`)
}

const AGENCY_COLUMNS = ['code', 'name', 'welsh_name', 'region', 'nation'] as const

function agencyOf(row: Row, fileName: string, kind: AgencyKind): Agency {
  return {
    code: row.code ?? '',
    name: row.name ?? '',
    welshName: blankToNull(row.welsh_name),
    region: blankToNull(row.region),
    nation: nationOf(row.nation, fileName),
    active: activeOf(row.active, fileName),
    replacedByCode: blankToNull(row.replaced_by_code),
    kind,
    contactPhone: blankToNull(row.contact_phone),
  }
}

/** The 43 territorial police forces of England and Wales, and British Transport Police. */
export const policeForces = once((): readonly Agency[] => {
  const fileName = 'police-forces.csv'
  const rows = readReference(fileName, [...AGENCY_COLUMNS, 'contact_phone'])
  return Object.freeze(rows.map((row) => Object.freeze(agencyOf(row, fileName, 'police_force'))))
})

/** Upper-tier authorities with children's services, England and Wales, including those since replaced. */
export const localAuthorities = once((): readonly Agency[] => {
  const fileName = 'local-authorities.csv'
  const rows = readReference(fileName, [...AGENCY_COLUMNS, 'active', 'replaced_by_code'])
  return Object.freeze(rows.map((row) => Object.freeze(agencyOf(row, fileName, 'local_authority'))))
})

function nationalBody(code: string, name: string, kind: AgencyKind, contactPhone: string | null = null): Agency {
  // These bodies serve more than one nation, so none has a region.
  return Object.freeze({
    code,
    name,
    welshName: null,
    region: null,
    nation: 'united_kingdom',
    active: true,
    replacedByCode: null,
    kind,
    contactPhone,
  })
}

/** National Referral Mechanism decision-makers, the child trafficking guardians and first responders. */
export const otherAgencies = once(
  (): readonly Agency[] =>
    Object.freeze([
      nationalBody('SCA', 'Single Competent Authority', 'competent_authority'),
      nationalBody('IECA', 'Immigration Enforcement Competent Authority', 'competent_authority'),
      nationalBody(
        'ICTG',
        "Independent Child Trafficking Guardian service (Barnardo's)",
        'ictg_service',
        '0800 043 4303',
      ),
      nationalBody('FR-SALVATION-ARMY', 'The Salvation Army', 'first_responder'),
      nationalBody('FR-BARNARDOS', "Barnardo's", 'first_responder'),
      nationalBody('FR-NSPCC', 'NSPCC', 'first_responder'),
      nationalBody('FR-REFUGEE-COUNCIL', 'Refugee Council', 'first_responder'),
      nationalBody('FR-MIGRANT-HELP', 'Migrant Help', 'first_responder'),
    ]),
)

/** Every UK postcode sector ("SW1A 1") with its district and grid position. */
export const postcodeSectors = once((): ReadonlyMap<string, PostcodeSector> => {
  const rows = readReference('postcode-sectors.csv', ['sector', 'la_code', 'easting', 'northing'])
  return new Map(
    rows.map((row) => [
      row.sector ?? '',
      { districtCode: row.la_code ?? '', easting: Number(row.easting), northing: Number(row.northing) },
    ]),
  )
})

/** District (lower-tier) code -> the upper-tier authority that runs children's services there. */
export const upperTierOfDistrict = once((): ReadonlyMap<string, string> => {
  const rows = readReference('district-to-upper-tier.csv', ['district_code', 'upper_tier_code'])
  return new Map(rows.map((row) => [row.district_code ?? '', row.upper_tier_code ?? '']))
})
