// A national SSDA903 year, synthetic and seeded: the same files every run. Calibrated on DOMAIN-SOURCES.md
// §6 and the suggested targets: about 115,000 looked-after children, about 11% of them missing at least once
// in the year, six to seven periods each (about 90,000 Missing rows), most periods two days or less.
// Every child passes DfE's rules, so the whole year imports.
import { toCsv } from '../../src/lib/csv.ts'
import { Random } from '../../src/lib/random.ts'
import { addDays } from '../../src/lib/dates.ts'
import { ETHNICITY_CODES } from '../../src/modules/people/people.schemas.ts'
import { IMPORTED_TABLES } from '../../src/modules/interchange/ssda903/ssda903.tables.ts'
import { dmyOfIso } from '../../src/modules/interchange/ssda903/ssda903.codes.ts'
import type { IncomingFile } from '../../src/modules/interchange/files.ts'

export const YEAR = 2025
const YEAR_START = '2024-04-01'
const YEAR_END = '2025-03-31'
// Real postcodes, so the placement geography is worked out as in production.
const POSTCODES = ['ME14 1XQ', 'TN1 1AA', 'CT1 2EH', 'DA1 1DR', 'M1 1AE', 'CR0 1NX', 'B1 1BB', 'LS1 1UR', 'CF10 1AA', 'NE1 7RU', '']
const PLACEMENTS = [['U4', 'PR1'], ['U6', 'PR4'], ['U5', 'PR1'], ['K2', 'PR4'], ['U1', 'PR1'], ['P1', 'PR0'], ['T0', '']] as const

/** One authority's return. */
export interface Return {
  files: IncomingFile[]
  children: number
  episodes: number
  missing: number
}

/** A national year: each authority's return, as DfE receives them. */
export interface NationalYear {
  returns: { la: string; year: Return }[]
  children: number
  episodes: number
  missing: number
}

/**
 * Every English upper-tier authority's return, the children spread unevenly between them (the largest
 * authorities look after about 2,500 children, the smallest a few dozen).
 */
export function generateNationalYear(children: number, seed: number, authorities: readonly string[]): NationalYear {
  const random = new Random(seed)
  const weights = authorities.map(() => 0.2 + random.next() * 1.8)
  const total = weights.reduce((sum, weight) => sum + weight, 0)
  const sizes = weights.map((weight) => Math.floor((children * weight) / total))
  sizes[0] = (sizes[0] ?? 0) + children - sizes.reduce((sum, size) => sum + size, 0)
  const returns = authorities.map((la, index) => ({ la, year: generateReturn(sizes[index] ?? 0, seed + index + 1) }))
  return {
    returns,
    children: returns.reduce((sum, item) => sum + item.year.children, 0),
    episodes: returns.reduce((sum, item) => sum + item.year.episodes, 0),
    missing: returns.reduce((sum, item) => sum + item.year.missing, 0),
  }
}

function dayOffset(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)
}

export function generateReturn(children: number, seed: number): Return {
  const random = new Random(seed)
  const header: string[][] = []
  const episodes: string[][] = []
  const missing: string[][] = []
  const uasc: string[][] = []
  const yearDays = dayOffset(YEAR_START, YEAR_END)
  for (let index = 0; index < children; index += 1) {
    const child = `N${String(index).padStart(7, '0')}`
    const sex = random.chance(0.56) ? 'M' : 'F'
    const dob = addDays('2007-04-02', random.int(0, 365 * 15))
    const upn = random.chance(0.1) ? `UN${random.int(1, 5)}` : `${String.fromCharCode(65 + random.int(0, 25))}${String(random.int(0, 99_999_999_999)).padStart(11, '0')}${random.int(0, 9)}`
    header.push([child, sex, dmyOfIso(dob), random.pick(ETHNICITY_CODES), upn, '', ''])
    const unaccompanied = random.chance(0.06)
    const goesMissing = random.chance(0.11)
    // Care began after birth, before or during the year; a child who goes missing is in care all year.
    const earliest = addDays(dob, 1) > '2015-01-01' ? addDays(dob, 1) : '2015-01-01'
    const latestStart = goesMissing ? '2024-03-01' : addDays(YEAR_END, -10)
    let start = earliest > latestStart ? earliest : addDays(earliest, random.int(0, dayOffset(earliest, latestStart)))
    if (goesMissing && start > '2024-03-01') start = '2024-03-01'
    const count = random.int(1, 3)
    let lastStart = start
    const home = random.pick(POSTCODES)
    for (let n = 0; n < count; n += 1) {
      const last = n === count - 1
      const [place, provider] = random.pick(PLACEMENTS)
      const endsIn = random.int(30, 500)
      let end: string | null = last ? null : addDays(start, endsIn)
      if (end !== null && end > addDays(YEAR_END, -5)) end = null
      const closes = last && !goesMissing && random.chance(0.2)
      if (closes) end = addDays(start, random.int(1, Math.max(1, dayOffset(start, YEAR_END))))
      if (end !== null && end > YEAR_END) end = YEAR_END
      const placementPostcode = random.pick(POSTCODES)
      lastStart = start
      episodes.push([
        child, dmyOfIso(start), n === 0 ? 'S' : 'P', random.pick(['C1', 'C2', 'V2'] as const), random.pick(['N1', 'N2', 'N4', 'N5', 'N8'] as const),
        place, provider, end === null ? '' : dmyOfIso(end), end === null ? '' : closes ? 'E4A' : 'X1', n === 0 ? '' : 'CARPL', home,
        place === 'T0' ? '' : placementPostcode, place === 'T0' || place === 'P1' ? '' : `SC${random.int(100_000, 999_999)}`,
      ])
      if (end === null) break
      start = end
    }
    if (goesMissing) {
      // Six or seven periods on average, heavy-tailed; 90% last two days or less; none overlap.
      const periods = Math.min(40, 1 + Math.floor(-Math.log(1 - random.next()) * 6))
      let day = random.int(0, 60)
      for (let n = 0; n < periods && day < yearDays - 2; n += 1) {
        const length = random.chance(0.9) ? random.int(0, 2) : random.int(3, 30)
        const begins = addDays(YEAR_START, day)
        let ends: string | null = addDays(begins, length)
        if (ends > YEAR_END) ends = YEAR_END
        const lastOne = n === periods - 1 || day + length + 2 >= yearDays - 2
        if (lastOne && begins >= lastStart && random.chance(0.02)) ends = null
        missing.push([child, dmyOfIso(dob), random.chance(0.7) ? 'M' : 'A', dmyOfIso(begins), ends === null ? '' : dmyOfIso(ends)])
        if (ends === null) break
        day += length + random.int(1, Math.max(2, Math.floor((yearDays - day) / Math.max(1, periods - n))))
      }
    }
    if (unaccompanied) uasc.push([child, sex, dmyOfIso(dob), random.chance(0.3) ? dmyOfIso(addDays(dob, 365 * 18 - 1)) : ''])
  }
  const file = (name: string, columns: readonly string[], rows: string[][]): IncomingFile => ({ name, bytes: Buffer.from(toCsv([[...columns], ...rows])) })
  return {
    files: [
      file('header.csv', IMPORTED_TABLES.Header, header),
      file('episodes.csv', IMPORTED_TABLES.Episodes, episodes),
      file('missing.csv', IMPORTED_TABLES.Missing, missing),
      file('uasc.csv', IMPORTED_TABLES.UASC, uasc),
    ],
    children,
    episodes: episodes.length,
    missing: missing.length,
  }
}
