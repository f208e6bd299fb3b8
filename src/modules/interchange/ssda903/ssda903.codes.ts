// SSDA903 code lists that change with the collection year, and the date form of the return. The Episodes
// code lists themselves are the care module's (care.codes.ts); the ETHNIC list is the people module's.
import { PLACEMENT_TYPE_CODES, type PlacementType } from '../../care/care.codes.ts'

/** A collection year is named by the year it ends: 2025 is 1 April 2024 to 31 March 2025. */
export function collectionWindow(year: number): { start: string; end: string } {
  return { start: `${year - 1}-04-01`, end: `${year}-03-31` }
}

/** The earliest and latest collection years Lantern knows the rules of. */
export const FIRST_YEAR = 2015
export const LAST_YEAR = 2027

/** SEX: 1 and 2 up to 2023/24; from 2024/25 DfE's rule 101 expects M, F or U (DOMAIN-SOURCES.md §3.5). */
export function sexCodes(year: number): readonly string[] {
  return year <= 2024 ? ['1', '2'] : ['M', 'F', 'U']
}

export function sexOfCode(code: string): 'male' | 'female' | 'unknown' {
  if (code === '1' || code === 'M') return 'male'
  if (code === '2' || code === 'F') return 'female'
  return 'unknown'
}

/** The SEX code for the year; null when the year has no code for it (1/2 years have no "unknown"). */
export function codeOfSex(sex: string, year: number): string | null {
  if (year <= 2024) return sex === 'male' ? '1' : sex === 'female' ? '2' : null
  return sex === 'male' ? 'M' : sex === 'female' ? 'F' : 'U'
}

const PLACE_UNTIL_2024: readonly PlacementType[] = PLACEMENT_TYPE_CODES.filter((code) => code !== 'K3' && !/^Z1\d$/.test(code))

/**
 * PLACE valid in a collection year (DfE rule 146 by year, DOMAIN-SOURCES.md §3.4): the 2022/23 list up to
 * 2023/24; K3 added in 2024/25; H5, P2 and Z1 gone from 2025/26, when Z1 became Z11 to Z14.
 */
export function placementTypes(year: number): readonly PlacementType[] {
  if (year <= 2024) return PLACE_UNTIL_2024
  if (year === 2025) return [...PLACE_UNTIL_2024, 'K3']
  return PLACEMENT_TYPE_CODES.filter((code) => code !== 'H5' && code !== 'P2' && code !== 'Z1')
}

/** UPN: 13 characters (a check letter, 11 digits, a digit or a letter for a temporary UPN) or UN1 to UN5. */
export function isUpn(value: string): boolean {
  return /^[A-Z]\d{11}[A-Z0-9]$/.test(value) || /^UN[1-5]$/.test(value)
}

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** dd/mm/YYYY (as DfE's validator reads it, one-digit day or month allowed) to ISO; null if not a real date. */
export function isoOfDmy(value: string): string | null {
  const match = DMY.exec(value)
  if (!match) return null
  const day = Number(match[1])
  const month = Number(match[2])
  const year = Number(match[3])
  // Checked by arithmetic, not through Date: a national return has a million dates.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return `${match[3]}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** ISO to dd/mm/YYYY, as the return writes dates. */
export function dmyOfIso(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
}

/** The day a person born on `dob` turns 18; a 29 February birthday gives 28 February, as in DfE's tool (pandas DateOffset). */
export function eighteenthBirthday(dob: string): string {
  const year = Number(dob.slice(0, 4)) + 18
  const candidate = `${year}${dob.slice(4)}`
  const date = new Date(`${candidate}T00:00:00Z`)
  return date.toISOString().slice(0, 10) === candidate ? candidate : `${year}-02-28`
}
