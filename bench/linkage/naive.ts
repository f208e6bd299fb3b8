// The baseline the engine is measured against: the same person comparisons written the plain way, from the
// records' strings on every pair (fold and tokenise the names, compute sound keys and Jaro-Winkler, parse the
// dates), with no precomputed features, no interning and no cache. The benchmark checks it agrees with the
// engine's levels on the pairs it times.
import { nameSoundKey } from '../../src/lib/names.ts'
import { nameTokens } from '../../src/linkage/names.ts'
import { NAME_VARIANT_OF } from '../../src/linkage/name-variants.ts'
import { jaroWinkler, withinOneEdit } from '../../src/linkage/jaro-winkler.ts'
import { dateTypo, PATRONYMIC_NATIONALITIES } from '../../src/linkage/comparisons.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'
import { BUILD_NEAR, BUILDS, buildCode, EYE_COLOURS, EYE_NEAR, eyeCode, HAIR_COLOURS, HAIR_NEAR, hairCode, heightLevel, marksLevel, parseMarks, wordLevel } from '../../src/linkage/description.ts'

const variantOf = (token: string) => NAME_VARIANT_OF.get(token) ?? (/^(?:al|el)(?=[^aeiou\s][a-z]{3,}$)/.test(token) ? (NAME_VARIANT_OF.get(token.slice(2)) ?? token.slice(2)) : null)
const same = (x: string, y: string) => x === y || (variantOf(x) !== null && variantOf(x) === variantOf(y))
const similar = (x: string, y: string) => {
  const jw = jaroWinkler(x, y)
  if (jw >= 0.9) return true
  if (jw < 0.75) return false
  const sx = nameSoundKey(x)
  if (sx === nameSoundKey(y) && sx.length >= 2 && x.length >= 5 && y.length >= 5) return true
  return x.length >= 4 && withinOneEdit(x, y)
}

function namesLevel(a: PersonRecord, b: PersonRecord): number {
  const givenA = nameTokens(a.givenNames)
  const givenB = nameTokens(b.givenNames)
  const tokensA = [...givenA, ...nameTokens(a.familyName)]
  const tokensB = [...givenB, ...nameTokens(b.familyName)]
  if (tokensA.length === 0 || tokensB.length === 0) return 0
  if ([...tokensA].sort().join(' ') === [...tokensB].sort().join(' ')) return givenA.join(' ') === givenB.join(' ') ? 1 : 2
  const usedA = tokensA.map(() => false)
  const usedB = tokensB.map(() => false)
  tokensA.forEach((x, i) => {
    const j = tokensB.findIndex((y, k) => !usedB[k] && same(x, y))
    if (j >= 0) [usedA[i], usedB[j]] = [true, true]
  })
  const joins = (tokens: string[]) => tokens.slice(0, -1).map((token, k) => token + tokens[k + 1])
  joins(tokensB).forEach((joined, k) => {
    if (usedB[k] || usedB[k + 1]) return
    const i = tokensA.findIndex((x, n) => !usedA[n] && x === joined)
    if (i >= 0) [usedA[i], usedB[k], usedB[k + 1]] = [true, true, true]
  })
  joins(tokensA).forEach((joined, k) => {
    if (usedA[k] || usedA[k + 1]) return
    const j = tokensB.findIndex((y, n) => !usedB[n] && y === joined)
    if (j >= 0) [usedB[j], usedA[k], usedA[k + 1]] = [true, true, true]
  })
  tokensA.forEach((x, i) => {
    if (usedA[i]) return
    const j = tokensB.findIndex((y, k) => !usedB[k] && similar(x, y))
    if (j >= 0) [usedA[i], usedB[j]] = [true, true]
  })
  const otherA = a.otherNames.flatMap(nameTokens)
  const otherB = b.otherNames.flatMap(nameTokens)
  tokensA.forEach((x, i) => {
    if (!usedA[i] && otherB.some((y) => same(x, y) || similar(x, y))) usedA[i] = true
  })
  tokensB.forEach((y, j) => {
    if (!usedB[j] && otherA.some((x) => same(y, x) || similar(y, x))) usedB[j] = true
  })
  const matchedA = usedA.filter(Boolean).length
  const matchedB = usedB.filter(Boolean).length
  const allA = matchedA === tokensA.length
  const allB = matchedB === tokensB.length
  if (allA && allB) return 3
  const matched = Math.min(matchedA, matchedB)
  if ((allA || allB) && matched >= 2) return 4
  if (matched >= 1) {
    const givenAny = usedA.slice(0, givenA.length).some(Boolean) || usedB.slice(0, givenB.length).some(Boolean)
    const familyA = usedA.slice(givenA.length)
    const familyB = usedB.slice(givenB.length)
    const familyMatched = (familyA.length > 0 && familyA.every(Boolean)) || (familyB.length > 0 && familyB.every(Boolean))
    if (familyMatched && !givenAny) return 5
    if (matched >= 2) return 6
    if ((givenA.length > 0 && usedA[0]) || (givenB.length > 0 && usedB[0])) {
      return PATRONYMIC_NATIONALITIES.includes(a.nationality ?? '') || PATRONYMIC_NATIONALITIES.includes(b.nationality ?? '') ? 7 : 8
    }
    return 9
  }
  return tokensA.some((x) => tokensB.some((y) => jaroWinkler(x, y) >= 0.8)) ? 10 : 11
}

const day = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000)

function ranges(record: PersonRecord): { exact: string | null; isDefault: boolean; year: [number, number]; wide: [number, number] } | null {
  const earliest = record.dobEarliest ?? record.dateOfBirth
  const latest = record.dobLatest ?? record.dateOfBirth
  if (earliest === null && latest === null) return null
  const low = earliest === null ? -2_147_483_648 : day(earliest)
  const high = latest === null ? 2_147_483_647 : day(latest)
  const exact = low === high ? (earliest as string) : null
  const isDefault = exact !== null && exact.endsWith('-01-01')
  if (!isDefault) return { exact, isDefault, year: [low, high], wide: [low, high] }
  const year = Number((exact as string).slice(0, 4))
  return { exact, isDefault, year: [low, day(`${year}-12-31`)], wide: [day(`${year - 1}-01-01`), day(`${year + 1}-12-31`)] }
}

function dobLevel(a: PersonRecord, b: PersonRecord): number {
  const x = ranges(a)
  const y = ranges(b)
  if (!x || !y) return 0
  const bothExact = x.exact !== null && y.exact !== null
  if (bothExact) {
    if (x.exact === y.exact) return x.isDefault ? 2 : 1
    if (!x.isDefault && !y.isDefault && dateTypo(Number((x.exact as string).replace(/-/g, '')), Number((y.exact as string).replace(/-/g, '')))) return 4
  } else if (x.exact === null && y.exact === null && x.year[0] === y.year[0] && x.year[1] === y.year[1]) return 3
  const twoRealDates = bothExact && !x.isDefault && !y.isDefault
  if (!twoRealDates && Math.max(x.year[0] - y.year[1], y.year[0] - x.year[1]) <= 0) return 5
  const gap = Math.max(x.wide[0] - y.wide[1], y.wide[0] - x.wide[1])
  if (gap <= 0 && !twoRealDates) return 6
  if (gap <= 366) return 7
  if (gap <= 1096) return 8
  return 9
}

function identifiersLevel(a: PersonRecord, b: PersonRecord): number {
  if (a.identifiers.length === 0 || b.identifiers.length === 0) return 0
  let comparable = false
  let typo = false
  for (const x of a.identifiers) {
    for (const y of b.identifiers) {
      if (x.type === y.type && x.value === y.value) return 1
      if (x.type === y.type && x.type !== 'force_reference' && x.type !== 'la_child_id') {
        comparable = true
        if (withinOneEdit(x.value, y.value)) typo = true
      }
    }
  }
  if (!comparable) return 0
  return typo ? 2 : 3
}

/** The person model's levels for one pair, computed from the records' strings. */
export function naiveLevels(a: PersonRecord, b: PersonRecord): number[] {
  return [
    namesLevel(a, b),
    dobLevel(a, b),
    a.sex === 'U' || b.sex === 'U' ? 0 : a.sex === b.sex ? 1 : 2,
    a.nationality === null || b.nationality === null ? 0 : a.nationality === b.nationality ? 1 : 2,
    identifiersLevel(a, b),
    // The description: its words normalised on every pair.
    heightLevel(a.description?.heightCm ?? 0, b.description?.heightCm ?? 0),
    wordLevel(buildCode(a.description?.build), buildCode(b.description?.build), BUILD_NEAR, BUILDS.length),
    wordLevel(hairCode(a.description?.hair), hairCode(b.description?.hair), HAIR_NEAR, HAIR_COLOURS.length),
    wordLevel(eyeCode(a.description?.eyes), eyeCode(b.description?.eyes), EYE_NEAR, EYE_COLOURS.length),
    marksLevel(...marksOf(a), ...marksOf(b)),
  ]
}

function marksOf(record: PersonRecord): [number[], number, number] {
  const marks = parseMarks(record.description?.distinguishingMarks)
  return [marks, 0, marks.length]
}

/** The match weight from naive levels and the model's level weights (no term-frequency adjustment). */
export function naiveWeight(levels: number[], weights: number[][], prior: number): number {
  let weight = prior
  for (let c = 0; c < levels.length; c++) weight += weights[c]?.[levels[c] as number] ?? 0
  return weight
}
