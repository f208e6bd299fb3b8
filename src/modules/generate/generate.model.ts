// The synthetic country, one unit of work at a time: a local authority's looked-after children (care
// histories, missing and away episodes, the police reports of them, NRM referrals, guardians, return
// interviews), then a police force's other incidents (children at home and adults). Each unit draws from its
// own seeded stream, so the output depends only on the options. Pure: rows go to a Sink.
import { Random } from '../../lib/random.ts'
import { matchableForm } from '../../lib/names.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { placementGeography } from '../agencies/geography.ts'
import { NAME_POOLS, type NamePool } from '../demo/demo.names.ts'
import { describe, describeRecord, drawLooks, looksGroupOf, type TrueLooks } from '../../linkage/synthetic/descriptions.ts'
import type { PersonDescription } from '../../linkage/person-record.ts'
import { MEAN_YEARS_IN_CARE, SHARES, lookedAfterBefore, targetsFor, type YearTargets } from './calibration.ts'
import type { Authority, Country } from './country.ts'
import type { GeneratedRow, GeneratedTable, Sink } from './generate.sink.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const YEAR = 365.25 * DAY

export interface GenerateOptions {
  /** A fraction of the country: 1 is all of England, 0.01 one child in a hundred. */
  scale: number
  /** Years ending 31 March, inclusive. */
  firstYear: number
  lastYear: number
  seed: number
  /** Whether person rows carry a physical description (default true); false gives the rows as before descriptions existed. */
  descriptions?: boolean
}

/** Agency ids by code, and the national bodies the records refer to. */
export interface AgencyIds {
  idOf(code: string): string
  singleCompetentAuthority: string
  immigrationCompetentAuthority: string
  guardianService: string
}

export interface ModelContext {
  options: GenerateOptions
  country: Country
  agencies: AgencyIds
  /** Phonetic keys (the database's dmetaphone) of every folded name the pools can produce. */
  phonetic: ReadonlyMap<string, string>
  sink: Sink
  /** Per financial year: the probability weight scale for ordinary looked-after children (from the first pass). */
  missingScale: ReadonlyMap<number, number>
  /** The run's ids. */
  ids: IdSource
}

// ---------------------------------------------------------------- helpers

/** FNV-1a: a stable 32-bit seed for each unit's stream. */
export function streamSeed(seed: number, ...parts: string[]): number {
  let hash = 0x811c9dc5 ^ seed
  for (const char of parts.join(':')) {
    hash ^= char.charCodeAt(0)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const hex = (value: number, length: number) => value.toString(16).padStart(length, '0')
const HEX_DIGITS = '0123456789abcdef'

/** `digits` lower-case hex digits of a non-negative integer below 2^53 (faster than toString and padStart). */
function hexDigits(value: number, digits: number): string {
  let text = ''
  let rest = value
  for (let i = 0; i < digits; i += 1) {
    text = HEX_DIGITS[rest % 16] + text
    rest = Math.floor(rest / 16)
  }
  return text
}

/**
 * UUIDv7 ids stamped with the record's own time. The 74 bits after the time hold a counter (42 bits: the unit of
 * work in the top 8, a count within the unit in the other 34) and 32 random bits: mulberry32 has only 2^32
 * states, so streams of different units can meet and repeat each other's bits, and records stamped with the same
 * day (decisions, placements) would then share an id. The counter makes every id of a run unique; since each unit
 * counts on its own, the ids do not depend on the order units run in (they run in parallel, docs/adr/0020).
 */
export class IdSource {
  private counter: number

  constructor(unit = 0) {
    if (!Number.isInteger(unit) || unit < 0 || unit > 0xff) throw new Error(`unit ${unit} must be from 0 to 255`)
    this.counter = unit * 2 ** 34
  }

  at(ms: number, random: Random): string {
    const time = hexDigits(Math.max(0, Math.floor(ms)), 12)
    const count = this.counter
    this.counter += 1
    const high = Math.floor(count / 2 ** 30) & 0xfff
    const low = count % 2 ** 30
    const bits = Math.floor(random.next() * 0x100000000)
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hexDigits(high, 3)}-${HEX_DIGITS[0x8 | (Math.floor(low / 2 ** 28) & 0x3)]}${hexDigits(Math.floor(low / 2 ** 16) & 0xfff, 3)}-${hexDigits(low & 0xffff, 4)}${hexDigits(bits, 8)}`
  }
}

// Calendar dates are formatted once per day: generation formats tens of millions of them.
const isoDates = new Map<number, string>()
function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY)
  let text = isoDates.get(day)
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10)
    isoDates.set(day, text)
  }
  return text
}
const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY
/** 1 April of the year before `year`: the start of the year ending 31 March `year` (UTC, near enough). */
const yearStart = (year: number) => Date.UTC(year - 1, 3, 1)

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random.next()) * mean
}

/** Failures before a success, with the given mean. */
function geometric(random: Random, mean: number): number {
  if (mean <= 0) return 0
  return Math.floor(Math.log(1 - random.next()) / Math.log(mean / (mean + 1)))
}

/** Episodes in a year for a child who goes missing: 35% once, the rest repeat, heavy-tailed (Coram: 65% repeat). */
function episodeCount(random: Random, mean: number): number {
  if (!random.chance(SHARES.repeat)) return 1
  const repeatMean = (mean - (1 - SHARES.repeat)) / SHARES.repeat
  return Math.min(150, 2 + geometric(random, Math.max(0, repeatMean - 2)))
}

/** Hours missing: 90% within two days, about 0.8% over 30 days (DfE 2015; PQ 2023). */
function durationHours(random: Random, kind: 'any' | 'short' | 'long'): number {
  const band =
    kind === 'short'
      ? 0
      : random.weighted(
          kind === 'long'
            ? ([[1, 0.18], [2, 0.06], [3, 0.032], [4, 0.008]] as const)
            : ([[0, 0.72], [1, 0.18], [2, 0.06], [3, 0.032], [4, 0.008]] as const),
        )
  switch (band) {
    case 0:
      return 1 + random.next() * 22.5
    case 1:
      return 24.5 + random.next() * 23.5
    case 2:
      return 48 + random.next() * 120
    case 3:
      return 168 + random.next() * 552
    default:
      return 720 + random.next() * 1500
  }
}

// ---------------------------------------------------------------- names and people

const BRITISH = NAME_POOLS.find((pool) => pool.nationality === 'GBR') ?? NAME_POOLS[0]
const OVERSEAS = NAME_POOLS.filter((pool) => pool.nationality !== 'GBR')
if (!BRITISH || OVERSEAS.length === 0) throw new Error('The demo name pools are missing')
// Each pool's look group (hair and eye colours) for the descriptions: fails here, at load, for a pool without one.
for (const pool of NAME_POOLS) looksGroupOf(pool.nationality)

/** Every folded name text the pools can produce, for the phonetic keys. */
export function foldedNamesOfPools(): string[] {
  const texts = new Set<string>()
  for (const pool of NAME_POOLS) {
    for (const text of [...pool.given, ...pool.family, ...Object.values(pool.variants ?? {}).flat()]) texts.add(matchableForm({ text, transliteration: null }))
    for (const native of pool.native ?? []) texts.add(matchableForm(native))
  }
  return [...texts]
}

const foldedCache = new Map<string, string>()

// ---------------------------------------------------------------- looks

/**
 * The stream a unit's descriptions are drawn from: one of its own (as the linkage generator's descriptions are), so
 * a seed gives the persons, names, dates and episodes it gave before descriptions existed. Null without them.
 */
function looksStream(options: GenerateOptions, ...unit: string[]): Random | null {
  return options.descriptions === false ? null : new Random(streamSeed(options.seed, 'looks', ...unit))
}

const sexCode = (sex: 'male' | 'female'): 'M' | 'F' => (sex === 'male' ? 'M' : 'F')

interface NameChoice {
  pool: NamePool
  given: string
  family: string
}

function chooseName(random: Random, pool: NamePool): NameChoice {
  return { pool, given: random.pick(pool.given), family: random.pick(pool.family) }
}

function writeNames(ctx: ModelContext, random: Random, personId: string, name: NameChoice, variant: boolean): void {
  const { pool } = name
  // Another agency often spells the name its own way (DOMAIN.md: name variants across agencies).
  const spell = (text: string) => (variant && pool.variants?.[text] ? random.pick(pool.variants[text] ?? [text]) : text)
  const rows: { kind: string; text: string; script: string; transliteration: string | null }[] = [
    { kind: 'given', text: spell(name.given), script: 'Latn', transliteration: null },
    { kind: 'family', text: spell(name.family), script: 'Latn', transliteration: null },
  ]
  const native = pool.native?.find((entry) => entry.transliteration === name.given)
  if (native && !variant) rows.push({ kind: 'alias', text: native.text, script: native.script, transliteration: native.transliteration })
  rows.forEach((row, position) => {
    const key = `${row.text}\u0000${row.transliteration ?? ''}`
    let folded = foldedCache.get(key)
    if (folded === undefined) {
      folded = matchableForm(row)
      foldedCache.set(key, folded)
    }
    ctx.sink.add('person_name', {
      id: ctx.ids.at(0, random),
      person_id: personId,
      position,
      kind: row.kind,
      text: row.text,
      script: row.script,
      transliteration: row.transliteration,
      folded,
      phonetic: ctx.phonetic.get(folded) ?? '',
    })
  })
}

interface PersonFacts {
  id: string
  agencyId: string
  sex: 'male' | 'female'
  dobMs: number
  assessed: boolean
  name: NameChoice
  unaccompanied: boolean
  suspectedTrafficking: boolean
  createdMs: number
  /** When suspicion of trafficking arose, if before the record was made (the child's coming into care). */
  suspectedFromMs?: number
  /** The physical description the record carries (from the looks stream), or none. */
  description: PersonDescription | undefined
}

function writePerson(ctx: ModelContext, random: Random, person: PersonFacts, variantNames: boolean): void {
  const dob = isoDate(person.dobMs)
  ctx.sink.add('person', {
    id: person.id,
    owning_agency_id: person.agencyId,
    sex: person.sex,
    // Age-disputed children have an assessed range around the stated date.
    dob_earliest: person.assessed ? isoDate(person.dobMs - 200 * DAY) : dob,
    dob_latest: person.assessed ? isoDate(Math.min(person.dobMs + 165 * DAY, person.createdMs - DAY)) : dob,
    dob_source: person.assessed ? 'assessed' : random.chance(0.6) ? 'documented' : 'stated',
    age_disputed: person.assessed,
    nationalities: [person.name.pool.nationality],
    languages: [person.name.pool.language],
    unaccompanied: person.unaccompanied,
    suspected_trafficking: person.suspectedTrafficking,
    // Suspicion arises when the child comes into care (the force's record, made at a later report, says so too),
    // or for a child at home when the force first hears of them.
    suspected_trafficking_since: person.suspectedTrafficking ? londonDateOf(new Date(Math.min(person.suspectedFromMs ?? person.createdMs, person.createdMs))) : null,
    restricted_location: person.suspectedTrafficking,
    height_cm: person.description?.heightCm ?? null,
    build: person.description?.build ?? null,
    hair: person.description?.hair ?? null,
    eyes: person.description?.eyes ?? null,
    distinguishing_marks: person.description?.distinguishingMarks ?? null,
    created_at: new Date(person.createdMs),
    updated_at: new Date(person.createdMs),
  })
  writeNames(ctx, random, person.id, person.name, variantNames)
}

// ---------------------------------------------------------------- care histories

const PLACEMENTS: readonly (readonly [string, number])[] = [
  ['U4', 22], ['U6', 24], ['U5', 2], ['U1', 6], ['U3', 9], ['U2', 0.5],
  ['K2', 10], ['K1', 0.3], ['H5', 5], ['P2', 2], ['P1', 6], ['A4', 1.5], ['A6', 1.5],
  ['R1', 0.4], ['R2', 0.3], ['R5', 0.3], ['S1', 0.6], ['Z1', 1.4],
]
// Registered supported accommodation (K3) replaced much semi-independent living (H5) from 2024/25.
const PLACEMENTS_FROM_2024: readonly (readonly [string, number])[] = PLACEMENTS.map(([code, weight]) => [code, code === 'H5' ? 1 : weight] as const).concat([['K3', 4]])
const UNACCOMPANIED_PLACEMENTS: readonly (readonly [string, number])[] = [['U4', 30], ['U6', 15], ['K2', 12], ['H5', 30], ['P2', 8], ['Z1', 5]]

/** How much more often a child in each placement goes missing [A]: children's homes and semi-independent most. */
function placementFactor(type: string): number {
  if (type === 'K2' || type === 'K1') return 3
  if (type === 'H5' || type === 'P2' || type === 'K3') return 2.5
  if (type.startsWith('U')) return 0.7
  return 0.5
}

/** DfE: under 0.2% of incidents involve children under 10; 44% are 10-15, 56% 16 and over. */
function ageFactor(age: number): number {
  if (age < 10) return 0.002
  if (age < 13) return 0.35
  if (age < 16) return 1
  return 1.9
}

function missingFromType(type: string): string {
  if (type.startsWith('U')) return 'foster_placement'
  if (type === 'K1' || type === 'K2') return 'childrens_home'
  if (type === 'H5' || type === 'P2' || type === 'K3') return 'supported_accommodation'
  if (type === 'R2') return 'hospital'
  if (type === 'S1') return 'school'
  return 'other'
}

function providerOf(type: string, outOfArea: boolean, random: Random): string | null {
  if (type.startsWith('T') || type.startsWith('Z')) return null
  if (type === 'P1') return 'PR0'
  if (type.startsWith('R')) return 'PR3'
  if (type.startsWith('K') || type === 'H5') return random.weighted([['PR4', 70], ['PR5', 15], ['PR1', outOfArea ? 5 : 15]] as const)
  return random.weighted([['PR1', outOfArea ? 30 : 65], ['PR4', 25], ['PR5', 8], ['PR2', 2]] as const)
}

interface Placement {
  startMs: number
  /** Day the placement ended (inclusive), or null if open at the end of the generated period. */
  endMs: number | null
  type: string
  hostCode: string
  placementPostcode: string
}

interface ChildHistory {
  id: string
  sex: 'male' | 'female'
  dobMs: number
  name: NameChoice
  unaccompanied: boolean
  /** Trafficking concern recorded (NRM-referred or suspected). */
  trafficked: boolean
  /** Whether the concern goes to an NRM referral (only possible once the NRM began, 1 April 2009). */
  referred: boolean
  careStartMs: number
  careEndMs: number | null
  homePostcode: string
  placements: Placement[]
}

const UNIT_LETTERS = [...'ABDEFGHJLNPQRSTUWXYZ']

function postcodeIn(la: Authority, random: Random): string {
  return `${random.pick(la.sectors)}${random.pick(UNIT_LETTERS)}${random.pick(UNIT_LETTERS)}`
}

function hostFor(ctx: ModelContext, la: Authority, type: string, random: Random): Authority {
  const share = type === 'K2' || type === 'K1' || type === 'H5' || type === 'K3' ? 0.65 : SHARES.outOfArea * 0.85
  if (!random.chance(share)) return la
  // Mostly a neighbour; sometimes anywhere (the 20-mile rule exists because many are far).
  const code = random.chance(0.7) ? random.pick(la.nearest.slice(0, 6)) : random.pick(la.nearest)
  return ctx.country.byCode.get(code) ?? la
}

/** One authority's looked-after children over the generated years (and the stock they start with). */
function careHistories(ctx: ModelContext, la: Authority, random: Random): ChildHistory[] {
  const { options } = ctx
  const share = (la.sectors.length / ctx.country.sectorCount) * options.scale
  const startMs = yearStart(options.firstYear)
  const endMs = yearStart(options.lastYear + 1) - 1
  const children: ChildHistory[] = []
  const makeChild = (careStartMs: number, remainingYears: number, trafficked: boolean, referrable: boolean) => {
    const unaccompanied = trafficked ? random.chance(0.6) : random.chance(SHARES.unaccompanied)
    const overseas = unaccompanied || (trafficked && random.chance(0.5))
    const age = unaccompanied || trafficked ? 13 + random.next() * 4.8 : random.weighted([[0.5, 20], [2.5, 16], [7, 16], [12.5, 30], [16.5, 18]] as const) + (random.next() - 0.5) * 2.5
    const entryAge = Math.max(0.02, Math.min(17.9, age))
    const dobMs = dayStart(careStartMs - entryAge * YEAR)
    const eighteenth = Date.UTC(new Date(dobMs).getUTCFullYear() + 18, new Date(dobMs).getUTCMonth(), new Date(dobMs).getUTCDate())
    const leaveMs = Math.min(dayStart(careStartMs + remainingYears * YEAR), eighteenth - DAY)
    const careEndMs = leaveMs > endMs ? null : Math.max(leaveMs, careStartMs)
    // Part of the starting stock who had already left (or turned 18) before the first year: not generated.
    if (careEndMs !== null && careEndMs < startMs) return
    const sex: 'male' | 'female' = unaccompanied || trafficked ? (random.chance(0.8) ? 'male' : 'female') : random.chance(0.54) ? 'male' : 'female'
    const pool = overseas ? random.pick(OVERSEAS) : random.chance(0.92) ? (BRITISH ?? random.pick(NAME_POOLS)) : random.pick(OVERSEAS)
    const child: ChildHistory = {
      id: ctx.ids.at(careStartMs, random),
      sex,
      dobMs,
      name: chooseName(random, pool),
      unaccompanied,
      trafficked,
      referred: trafficked && referrable && random.chance(0.85),
      careStartMs,
      careEndMs,
      homePostcode: postcodeIn(la, random),
      placements: [],
    }
    // Placements: 1 + a few moves, each at a random point of the period of care.
    const until = careEndMs ?? endMs
    const moves = Math.min(8, geometric(random, Math.max(0.3, (until - careStartMs) / YEAR) * 0.6))
    const cuts = Array.from({ length: moves }, () => dayStart(careStartMs + random.next() * (until - careStartMs)))
      .filter((cut) => cut > careStartMs && cut < until)
      .sort((a, b) => a - b)
    let from = careStartMs
    for (const cut of [...new Set(cuts), null]) {
      const to = cut === null ? careEndMs : cut
      const list = unaccompanied ? UNACCOMPANIED_PLACEMENTS : from >= Date.UTC(2024, 3, 1) ? PLACEMENTS_FROM_2024 : PLACEMENTS
      const type = random.weighted(list)
      const host = hostFor(ctx, la, type, random)
      child.placements.push({ startMs: from, endMs: to, type, hostCode: host.code, placementPostcode: postcodeIn(host, random) })
      if (cut !== null) from = cut
    }
    children.push(child)
  }

  // The stock at the start: begun before the first year, still in care (memoryless lengths of care).
  const stock = Math.round(lookedAfterBefore(options.firstYear) * share)
  for (let i = 0; i < stock; i += 1) {
    const careStartMs = dayStart(startMs - exponential(random, MEAN_YEARS_IN_CARE * YEAR * 0.6))
    makeChild(careStartMs, exponential(random, MEAN_YEARS_IN_CARE), random.chance(0.004), false)
  }
  // Starts each year: enough to replace those who leave and follow the published stock.
  for (let year = options.firstYear; year <= options.lastYear; year += 1) {
    const targets = targetsFor(year)
    const previous = year === options.firstYear ? lookedAfterBefore(year) : targetsFor(year - 1).lookedAfterAt31March
    const starts = (targets.lookedAfterAt31March / (MEAN_YEARS_IN_CARE * 0.62) + (targets.lookedAfterAt31March - previous)) * share
    const trafficked = traffickedStarts(targets) * share
    const ordinary = Math.max(0, starts - trafficked)
    const count = Math.floor(ordinary) + (random.chance(ordinary % 1) ? 1 : 0)
    const traffickedCount = Math.floor(trafficked) + (random.chance(trafficked % 1) ? 1 : 0)
    for (let i = 0; i < count + traffickedCount; i += 1) {
      const careStartMs = dayStart(yearStart(year) + random.next() * 365 * DAY)
      makeChild(careStartMs, exponential(random, MEAN_YEARS_IN_CARE), i >= count, careStartMs >= Date.UTC(2009, 3, 1))
    }
  }
  return children
}

/** Trafficked (or suspected) children entering care a year: in-care NRM referrals plus suspected-only [A]. */
function traffickedStarts(targets: YearTargets): number {
  const inCare = targets.childNrmReferrals * ((1 - SHARES.referralUkNational) * SHARES.referralsInCareNonUk * 0.6 + SHARES.referralUkNational * SHARES.referralsInCareUk * 0.6)
  return Math.max(250, inCare * 1.15)
}

function placementOn(child: ChildHistory, ms: number): Placement | undefined {
  let found: Placement | undefined
  for (const placement of child.placements) {
    if (placement.startMs <= ms && (placement.endMs === null || placement.endMs + DAY > ms)) found = placement
  }
  return found
}

function ageAt(child: { dobMs: number }, ms: number): number {
  return (ms - child.dobMs) / YEAR
}

/** The child's in-care window in a year, or null. */
function windowIn(child: ChildHistory, year: number, endOfData: number): [number, number] | null {
  const from = Math.max(yearStart(year), child.careStartMs + 6 * HOUR)
  const to = Math.min(yearStart(year + 1), (child.careEndMs ?? endOfData) + 18 * HOUR, endOfData)
  return to - from > 6 * HOUR ? [from, to] : null
}

function missingWeight(child: ChildHistory, year: number, window: [number, number]): number {
  const middle = (window[0] + window[1]) / 2
  const placement = placementOn(child, middle)
  const exposure = Math.min(1, (window[1] - window[0]) / YEAR + 0.25)
  return ageFactor(ageAt(child, middle)) * placementFactor(placement?.type ?? 'U4') * exposure
}

/** First pass: the probability scale per year that makes ordinary children's missing count meet the target. */
export function missingWeights(ctx: Omit<ModelContext, 'missingScale' | 'sink' | 'ids'>, la: Authority): Map<number, { weight: number; fixed: number }> {
  const random = new Random(streamSeed(ctx.options.seed, 'care', la.code))
  const full: ModelContext = { ...ctx, sink: null as never, missingScale: new Map(), ids: new IdSource() }
  const children = careHistories(full, la, random)
  const endOfData = yearStart(ctx.options.lastYear + 1) - HOUR
  const sums = new Map<number, { weight: number; fixed: number }>()
  for (const child of children) {
    for (let year = ctx.options.firstYear; year <= ctx.options.lastYear; year += 1) {
      const window = windowIn(child, year, endOfData)
      if (!window) continue
      const entry = sums.get(year) ?? { weight: 0, fixed: 0 }
      if (child.trafficked) entry.fixed += SHARES.traffickedMissing
      else if (child.unaccompanied) entry.fixed += SHARES.unaccompaniedMissing
      else entry.weight += missingWeight(child, year, window)
      sums.set(year, entry)
    }
  }
  return sums
}

// ---------------------------------------------------------------- one authority's children

const RATIONALE: Record<string, string> = {
  very_low: 'No apparent risk: known to stay with friends, expected back',
  low: 'Low risk: returns by morning, no concerns about associates',
  medium: 'Medium risk: repeat missing, some concerns about associates',
  high: 'High risk: exploitation concerns, not answering phone, seen with older associates',
}

interface PoliceSide {
  random: Random
  personByForce: Map<string, string>
}

function riskGrade(random: Random, startMs: number, trafficked: boolean): string {
  if (trafficked) return random.chance(0.8) ? 'high' : 'medium'
  // 2013 to about 2021: "absent" (no apparent risk), recorded here as very low.
  const absentEra = startMs >= Date.UTC(2013, 3, 1) && startMs < Date.UTC(2021, 3, 1)
  return random.weighted([['very_low', absentEra ? 20 : 3], ['low', 35], ['medium', 40], ['high', 8]] as const)
}

function writePoliceEpisode(
  ctx: ModelContext,
  random: Random,
  episode: { id: string; personId: string; forceCode: string; startMs: number; endMs: number | null; linkedId: string | null; postcode: string; fromType: string; child: boolean; trafficked: boolean; harmAllowed: boolean },
): void {
  const grade = riskGrade(random, episode.startMs, episode.trafficked)
  const ended = episode.endMs !== null
  const reportDelay = (0.5 + random.next() * 5.5) * HOUR
  const reportedMs = episode.startMs + (episode.endMs === null ? reportDelay : Math.min(reportDelay, (episode.endMs - episode.startMs) / 2))
  const method = ended ? random.weighted([['returned_voluntarily', 43], ['found_by_police', 29], ['found_by_carer_or_family', 20], ['found_by_other', 8]] as const) : null
  const harm = !ended ? null : random.weighted([['no_apparent_harm', 960], ['harmed', 33], ['sexual_offence_victim', 3], ['found_dead', episode.harmAllowed ? 4 : 0]] as const)
  const long = (episode.endMs ?? Infinity) - episode.startMs > 72 * HOUR
  ctx.sink.add('missing_episode', {
    id: episode.id,
    person_id: episode.personId,
    owning_agency_id: ctx.agencies.idOf(episode.forceCode),
    recorded_by: 'police',
    started_at: new Date(episode.startMs),
    ended_at: ended ? new Date(episode.endMs ?? 0) : null,
    reported_at: new Date(reportedMs),
    incident_reference: `${episode.forceCode}-${isoDate(episode.startMs).replaceAll('-', '')}-${hex(random.int(0, 0xffffff), 6)}`,
    la_category: null,
    continues_episode_id: null,
    linked_episode_id: episode.linkedId,
    last_seen_postcode: episode.postcode,
    missing_from_type: episode.fromType,
    current_risk_grade: grade,
    outcome: method === null ? null : method === 'returned_voluntarily' ? 'returned' : 'found',
    return_method: method,
    harm_outcome: harm,
    ukmpu_notified_at: long ? new Date(episode.startMs + 72 * HOUR + random.next() * Math.min(12 * HOUR, ((episode.endMs ?? Infinity) - episode.startMs - 72 * HOUR) / 2)) : null,
    created_at: new Date(reportedMs),
    updated_at: new Date(episode.endMs ?? reportedMs),
  })
  const assessedMs = reportedMs + random.next() * HOUR
  ctx.sink.add('risk_assessment', {
    id: ctx.ids.at(assessedMs, random),
    episode_id: episode.id,
    assessed_at: new Date(assessedMs),
    grade,
    app_version: '2021',
    is_initial: true,
    rationale: RATIONALE[grade] ?? '',
    vulnerability_flags: episode.trafficked ? ['looked_after_child', 'trafficking'] : episode.fromType === 'home' ? [] : ['looked_after_child'],
    created_at: new Date(assessedMs),
  })
}

/** Writes one authority's looked-after children and everything recorded about them. */
export function generateAuthority(ctx: ModelContext, la: Authority): void {
  const { options, sink } = ctx
  const careRandom = new Random(streamSeed(options.seed, 'care', la.code))
  const random = new Random(streamSeed(options.seed, 'events', la.code))
  const children = careHistories(ctx, la, careRandom)
  const endOfData = yearStart(options.lastYear + 1) - HOUR
  const laId = ctx.agencies.idOf(la.code)

  const looksRandom = looksStream(options, 'care', la.code)

  for (const child of children) {
    const police: PoliceSide = { random, personByForce: new Map() }
    // How the child looks (src/linkage/synthetic/descriptions.ts), the nearest look group to the name's pool; children
    // who came from abroad (alone, or trafficked) are marked and built as the arrived groups are.
    const looks: TrueLooks | null = looksRandom
      ? drawLooks(looksRandom, looksGroupOf(child.name.pool.nationality), sexCode(child.sex), child.unaccompanied || (child.trafficked && child.name.pool !== BRITISH))
      : null
    // An unaccompanied child is described once, at screening on arrival (when care begins), and the council's and
    // police's records copy that profile, as they copy the referral's names and dates (docs/adr/0013).
    const screened = looksRandom && looks && child.unaccompanied ? { profile: describe(looksRandom, looks, ageAt(child, child.careStartMs), false, 0) } : undefined
    const description = (keeper: 'police' | 'council', atMs: number) => (looksRandom && looks ? describeRecord(looksRandom, looks, ageAt(child, atMs), keeper, screened) : undefined)
    const policePerson = (forceCode: string, startMs: number) => {
      let id = police.personByForce.get(forceCode)
      if (!id) {
        id = ctx.ids.at(startMs, random)
        police.personByForce.set(forceCode, id)
        // The force records the child as it hears the name: unaccompanied children's names vary across agencies.
        writePerson(
          ctx,
          random,
          // The force's record of a child in care: the description from the Philomena profile the carer keeps.
          { id, agencyId: ctx.agencies.idOf(forceCode), sex: child.sex, dobMs: child.dobMs, assessed: child.unaccompanied && random.chance(0.5), name: child.name, unaccompanied: child.unaccompanied, suspectedTrafficking: child.trafficked, createdMs: startMs, suspectedFromMs: child.careStartMs, description: description('police', startMs) },
          child.name.pool.nationality !== 'GBR',
        )
      }
      return id
    }

    // NRM referral and decisions (DOMAIN-SOURCES.md §5.1).
    let referredMs: number | null = null
    if (child.referred) {
      referredMs = dayStart(child.careStartMs + (random.chance(0.3) ? -random.int(0, 3) : random.int(1, 40)) * DAY)
      if (referredMs < Date.UTC(2009, 3, 1)) referredMs = Date.UTC(2009, 3, 1)
      if (referredMs > endOfData) referredMs = null
    }

    // Missing and away episodes, year by year.
    let busyUntil = child.careStartMs
    let neverFound = false
    const laEpisodes: { id: string; startMs: number; endMs: number | null; category: 'M' | 'A'; continues: string | null; placement: Placement | undefined; police: boolean }[] = []
    const policeOnly: { startMs: number; endMs: number; placement: Placement | undefined }[] = []
    for (let year = options.firstYear; year <= options.lastYear && !neverFound; year += 1) {
      const window = windowIn(child, year, endOfData)
      if (!window) continue
      const targets = targetsFor(year)
      const probability = child.trafficked
        ? SHARES.traffickedMissing
        : child.unaccompanied
          ? SHARES.unaccompaniedMissing
          : (ctx.missingScale.get(year) ?? 0) * missingWeight(child, year, window)
      if (!random.chance(probability)) continue
      const count = episodeCount(random, child.trafficked ? SHARES.traffickedEpisodesPerChild : targets.episodesPerChild)
      // Before 2015 the register's records, like the old return, hold fewer long absences: the narrower
      // "more than 24 hours" series of 2006-2012 is met by choosing whether the child has a long one.
      const recordingEra = year <= 2014
      const longShare = targets.missingOver24Hours !== null ? targets.missingOver24Hours / targets.childrenMissing : recordingEra ? 0.34 : null
      const longIndex = longShare === null ? -1 : random.chance(longShare) ? random.int(0, count - 1) : -2
      const [from, to] = window
      const starts: number[] = []
      // Trafficked children: many go within 48 hours of placement, most within a week (APPG 2012).
      const firstPlacedMs = child.careStartMs
      const firstEverYear = laEpisodes.length === 0 && child.trafficked && firstPlacedMs >= from - DAY
      for (let i = 0; i < count; i += 1) starts.push(from + random.next() * (to - from))
      starts.sort((a, b) => a - b)
      if (firstEverYear) {
        const delay = random.chance(SHARES.traffickedWithin48Hours) ? 6 + random.next() * 40 : random.chance((SHARES.traffickedWithinWeek - SHARES.traffickedWithin48Hours) / (1 - SHARES.traffickedWithin48Hours)) ? 48 + random.next() * 120 : 168 + random.next() * 60 * 24
        starts[0] = Math.max(from, firstPlacedMs + delay * HOUR)
        starts.sort((a, b) => a - b)
      }
      for (let i = 0; i < starts.length; i += 1) {
        let startMs = starts[i] ?? from
        if (startMs < busyUntil + HOUR) startMs = busyUntil + HOUR + random.next() * 48 * HOUR
        if (startMs >= to) break
        const hours = durationHours(random, longIndex === -1 ? 'any' : i === longIndex ? 'long' : 'short')
        let endMs: number | null = startMs + hours * HOUR
        const last = i === starts.length - 1
        if (child.trafficked && last && random.chance(SHARES.traffickedNeverFound)) {
          endMs = null
          neverFound = true
        }
        if (endMs !== null && endMs > endOfData) endMs = null
        const careEnd = child.careEndMs === null ? null : child.careEndMs + 18 * HOUR
        if (endMs !== null && careEnd !== null && endMs > careEnd) endMs = Math.max(startMs + HOUR, careEnd)
        const placement = placementOn(child, startMs)
        // Sometimes the child is first away (A), then their whereabouts become unknown (M): two linked episodes.
        let continues: string | null = null
        if (random.chance(0.08) && startMs - 4 * HOUR > busyUntil + HOUR && startMs - 4 * HOUR > child.careStartMs + 6 * HOUR) {
          const awayStart = startMs - (1 + random.next() * 3) * HOUR
          continues = ctx.ids.at(awayStart, random)
          laEpisodes.push({ id: continues, startMs: awayStart, endMs: startMs, category: 'A', continues: null, placement, police: false })
        }
        laEpisodes.push({ id: ctx.ids.at(startMs, random), startMs, endMs, category: 'M', continues, placement, police: random.chance(SHARES.reportedToPolice) })
        busyUntil = endMs ?? Infinity
        // Now and then the police record an absence the authority did not (reconciliation's "police only").
        if (endMs !== null && random.chance(SHARES.policeOnlyFromCare)) {
          const policeStart = endMs + (1 + random.next() * 4) * DAY
          const policeEnd = policeStart + (2 + random.next() * 18) * HOUR
          const nextStart = starts[i + 1] ?? to
          if (policeEnd + HOUR < Math.min(nextStart, to)) {
            policeOnly.push({ startMs: policeStart, endMs: policeEnd, placement: placementOn(child, policeStart) })
            busyUntil = policeEnd
          }
        }
        if (neverFound) break
      }
      // Away without authorisation (A): about four in ten missing children, 4.5 episodes each (DfE 2025).
      if (!neverFound && random.chance(0.4)) {
        const awayCount = 1 + geometric(random, 3.5)
        for (let i = 0; i < awayCount; i += 1) {
          const startMs = Math.max(busyUntil + HOUR, from + random.next() * (to - from))
          const endMs = startMs + (1 + random.next() * 10) * HOUR
          if (endMs >= to || endMs > endOfData) break
          laEpisodes.push({ id: ctx.ids.at(startMs, random), startMs, endMs, category: 'A', continues: null, placement: placementOn(child, startMs), police: false })
          busyUntil = endMs
        }
      }
    }

    // A child never found stays missing; if they turn 18 meanwhile, care ends then (REC E8, SSDA903 rule 580),
    // and the authority's episode ends with it, unresolved.
    if (neverFound) {
      const last = laEpisodes.at(-1)
      const eighteenth = dayStart(child.dobMs + 18 * YEAR)
      const ceased = eighteenth <= endOfData && last ? eighteenth : null
      child.careEndMs = ceased
      child.placements = child.placements.filter((placement) => placement.startMs <= (last?.startMs ?? 0))
      const final = child.placements.at(-1)
      if (final) final.endMs = ceased
      if (last && ceased !== null) last.endMs = Math.max(ceased + 12 * HOUR, last.startMs + HOUR)
    }

    // The child's own record, as the authority keeps it.
    writePerson(
      ctx,
      random,
      { id: child.id, agencyId: laId, sex: child.sex, dobMs: child.dobMs, assessed: child.unaccompanied && random.chance(0.4), name: child.name, unaccompanied: child.unaccompanied, suspectedTrafficking: child.trafficked, createdMs: child.careStartMs, description: description('council', child.careStartMs) },
      false,
    )
    sink.add('person_identifier', { id: ctx.ids.at(child.careStartMs, random), person_id: child.id, kind: 'la_child_id', value: `${la.code}-${child.id.slice(-10)}`, issuing_agency_id: laId })
    if (child.unaccompanied) {
      sink.add('person_identifier', { id: ctx.ids.at(child.careStartMs, random), person_id: child.id, kind: 'home_office_reference', value: `HO${hex(random.int(0, 0xfffffff), 7).toUpperCase()}`, issuing_agency_id: laId })
    }

    child.placements.forEach((placement, index) => {
      const last = index === child.placements.length - 1
      const geography = placementGeography(child.homePostcode, placement.placementPostcode)
      const hostCode = geography.hostAuthorityCode ?? placement.hostCode
      const outOfArea = hostCode !== la.code
      const endMs = placement.endMs
      sink.add('care_episode', {
        id: ctx.ids.at(placement.startMs, random),
        person_id: child.id,
        responsible_agency_id: laId,
        started_on: isoDate(placement.startMs),
        reason_for_new_episode: index === 0 ? 'S' : 'P',
        legal_status: child.unaccompanied ? 'V2' : random.weighted([['C2', 50], ['C1', 20], ['V2', 22], ['E1', 5], ['J1', 3]] as const),
        category_of_need: child.unaccompanied ? 'N8' : random.weighted([['N1', 65], ['N4', 8], ['N5', 14], ['N2', 3], ['N3', 3], ['N6', 2], ['N7', 1], ['N8', 4]] as const),
        placement_type: placement.type,
        placement_provider: providerOf(placement.type, outOfArea, random),
        ended_on: endMs === null ? null : isoDate(endMs),
        reason_ended: endMs === null ? null : !last ? 'X1' : neverFound ? 'E8' : child.unaccompanied ? random.weighted([['E8', 30], ['E5', 40], ['E15', 10], ['E6', 20]] as const) : random.weighted([['E4A', 30], ['E13', 8], ['E11', 10], ['E45', 4], ['E17', 8], ['E8', 25], ['E5', 10], ['E3', 5]] as const),
        reason_for_placement_change: endMs === null || last ? null : random.pick(['CARPL', 'CREQB', 'CHILD', 'LAREQ', 'STAND', 'OTHER']),
        home_postcode: child.homePostcode,
        placement_postcode: placement.placementPostcode,
        host_agency_id: ctx.agencies.idOf(hostCode),
        placement_district_code: geography.placementDistrictCode,
        distance_miles: geography.distanceMiles,
        out_of_area: outOfArea,
        over_20_miles: geography.overTwentyMiles,
        created_at: new Date(placement.startMs),
        updated_at: new Date(endMs ?? placement.startMs),
      })
    })

    if (referredMs !== null) writeReferral(ctx, random, child.id, laId, referredMs, endOfData, child.unaccompanied || child.name.pool.nationality !== 'GBR')

    for (const episode of laEpisodes) {
      const placement = episode.placement
      const forceCode = ctx.country.byCode.get(placement?.hostCode ?? la.code)?.forceCode ?? la.forceCode
      const policeId = episode.police ? ctx.ids.at(episode.startMs, random) : null
      const ended = episode.endMs !== null
      const unresolved = neverFound && episode === laEpisodes.at(-1)
      sink.add('missing_episode', {
        id: episode.id,
        person_id: child.id,
        owning_agency_id: laId,
        recorded_by: 'local_authority',
        started_at: new Date(episode.startMs),
        ended_at: ended ? new Date(episode.endMs ?? 0) : null,
        reported_at: null,
        incident_reference: null,
        la_category: episode.category,
        continues_episode_id: episode.continues,
        linked_episode_id: policeId,
        last_seen_postcode: placement?.placementPostcode ?? null,
        missing_from_type: missingFromType(placement?.type ?? 'U4'),
        current_risk_grade: null,
        outcome: !ended || unresolved ? null : random.chance(0.55) ? 'returned' : 'found',
        return_method: !ended || unresolved ? null : random.weighted([['returned_voluntarily', 55], ['found_by_police', 25], ['found_by_carer_or_family', 15], ['found_by_other', 5]] as const),
        harm_outcome: null,
        ukmpu_notified_at: null,
        created_at: new Date(episode.startMs + HOUR),
        updated_at: new Date(episode.endMs ?? episode.startMs + HOUR),
      })
      if (policeId) {
        writePoliceEpisode(ctx, random, {
          id: policeId,
          personId: policePerson(forceCode, episode.startMs),
          forceCode,
          startMs: episode.startMs - random.next() * HOUR,
          endMs: unresolved ? null : episode.endMs === null ? null : episode.endMs - random.next() * 0.5 * HOUR,
          linkedId: episode.id,
          postcode: placement?.placementPostcode ?? child.homePostcode,
          fromType: missingFromType(placement?.type ?? 'U4'),
          child: true,
          trafficked: child.trafficked,
          harmAllowed: false,
        })
      }
      // Return home interviews: statutory from the January 2014 guidance, offered within 72 hours.
      if (ended && !unresolved && episode.category === 'M' && episode.startMs >= Date.UTC(2014, 0, 1)) {
        const endMs = episode.endMs ?? episode.startMs
        const offered = random.chance(0.85)
        const offeredMs = endMs + (2 + random.next() * (random.chance(0.8) ? 60 : 140)) * HOUR
        const accepted = offered && random.chance(0.6)
        sink.add('return_home_interview', {
          id: ctx.ids.at(endMs, random),
          episode_id: episode.id,
          offered_at: offered ? new Date(offeredMs) : null,
          accepted: offered ? accepted : null,
          completed_at: accepted ? new Date(offeredMs + (4 + random.next() * 60) * HOUR) : null,
          interviewer_independent: offered ? random.chance(0.85) : null,
          not_conducted_reason: offered ? (accepted ? null : 'Child declined the interview') : 'Not offered: child moved placement',
          created_at: new Date(offered ? offeredMs : endMs + DAY),
          updated_at: new Date(offered ? offeredMs : endMs + DAY),
        })
      }
    }
    for (const episode of policeOnly) {
      const forceCode = ctx.country.byCode.get(episode.placement?.hostCode ?? la.code)?.forceCode ?? la.forceCode
      writePoliceEpisode(ctx, random, {
        id: ctx.ids.at(episode.startMs, random),
        personId: policePerson(forceCode, episode.startMs),
        forceCode,
        startMs: episode.startMs,
        endMs: episode.endMs,
        linkedId: null,
        postcode: episode.placement?.placementPostcode ?? child.homePostcode,
        fromType: missingFromType(episode.placement?.type ?? 'U4'),
        child: true,
        trafficked: child.trafficked,
        harmAllowed: false,
      })
    }
  }
}

function writeReferral(ctx: ModelContext, random: Random, personId: string, referrerId: string, referredMs: number, endOfData: number, overseas: boolean): void {
  const id = ctx.ids.at(referredMs, random)
  // The Immigration Enforcement Competent Authority decides some cases from November 2021.
  const authority = referredMs >= Date.UTC(2021, 10, 1) && overseas && random.chance(0.3) ? ctx.agencies.immigrationCompetentAuthority : ctx.agencies.singleCompetentAuthority
  const type = random.weighted([['criminal', 43], ['labour', 18], ['sexual', 22], ['domestic_servitude', 6], ['unknown', 11]] as const)
  ctx.sink.add('nrm_referral', {
    id,
    person_id: personId,
    referring_agency_id: referrerId,
    competent_authority_id: authority,
    referred_on: isoDate(referredMs),
    nrm_reference: `NRM-${isoDate(referredMs).slice(0, 4)}-${hex(random.int(0, 0xffffff), 6).toUpperCase()}`,
    exploitation_types: [type],
    county_lines: type === 'criminal' && !overseas && random.chance(0.6),
    exploitation_location: overseas ? random.weighted([['overseas', 30], ['uk_and_overseas', 40], ['uk', 30]] as const) : 'uk',
    age_at_exploitation: 'child',
    created_at: new Date(referredMs + 10 * HOUR),
    updated_at: new Date(referredMs + 10 * HOUR),
  })
  // Reasonable grounds: target 5 working days; 6 days (2022) to 23 (2023) on average, longer before.
  const rgMs = dayStart(referredMs + (referredMs >= Date.UTC(2019, 3, 1) ? 3 + exponential(random, 12) : 5 + exponential(random, 30)) * DAY)
  if (rgMs > endOfData) return
  const positive = random.chance(SHARES.reasonableGroundsPositive)
  const recoveryDays = isoDate(rgMs) >= '2023-01-30' ? 30 : 45
  ctx.sink.add('nrm_decision', {
    id: ctx.ids.at(rgMs, random),
    referral_id: id,
    stage: 'reasonable_grounds',
    outcome: positive ? 'positive' : 'negative',
    conclusive_finding: null,
    decided_on: isoDate(rgMs),
    recovery_period_ends_on: positive ? isoDate(rgMs + recoveryDays * DAY) : null,
    reconsideration: false,
    created_at: new Date(rgMs + 12 * HOUR),
  })
  if (!positive) return
  // Conclusive grounds: many months, often more than a year.
  const cgMs = dayStart(rgMs + (recoveryDays + exponential(random, 300)) * DAY)
  if (cgMs > endOfData) return
  const conclusive = random.chance(SHARES.conclusiveGroundsPositive)
  ctx.sink.add('nrm_decision', {
    id: ctx.ids.at(cgMs, random),
    referral_id: id,
    stage: 'conclusive_grounds',
    outcome: conclusive ? 'positive' : 'negative',
    conclusive_finding: conclusive ? (random.chance(0.8) ? 'human_trafficking' : 'slavery_servitude_forced_labour') : null,
    decided_on: isoDate(cgMs),
    recovery_period_ends_on: null,
    reconsideration: false,
    created_at: new Date(cgMs + 12 * HOUR),
  })
  // Guardians (ICTGs): early adopter sites from 2017, two-thirds of authorities by 2024.
  if (referredMs >= Date.UTC(2017, 0, 1) && random.chance(Math.min(0.66, 0.25 + (referredMs - Date.UTC(2017, 0, 1)) / (7 * YEAR) * 0.41))) {
    const allocatedMs = referredMs + random.int(1, 14) * DAY
    if (allocatedMs <= endOfData) {
      ctx.sink.add('ictg_assignment', {
        id: ctx.ids.at(allocatedMs, random),
        person_id: personId,
        guardian_agency_id: ctx.agencies.guardianService,
        role: overseas ? 'direct_worker' : 'regional_practice_coordinator',
        allocated_on: isoDate(allocatedMs),
        ended_on: null,
        created_at: new Date(allocatedMs),
        updated_at: new Date(allocatedMs),
      })
    }
  }
}

// ---------------------------------------------------------------- one police force's other incidents

/**
 * A force's missing incidents other than those of looked-after children: children missing from home (some
 * referred to the NRM, mostly British children exploited in the UK, county lines) and adults (some with
 * dementia). About 60% of all incidents are of children, two incidents per person on average (NCA).
 */
export function generateForce(ctx: ModelContext, force: { code: string; authorities: readonly string[] }, lookedAfterIncidents: ReadonlyMap<number, number>): void {
  const { options } = ctx
  const random = new Random(streamSeed(options.seed, 'force', force.code))
  const authorities = force.authorities.map((code) => ctx.country.byCode.get(code)).filter((la): la is Authority => la !== undefined)
  if (authorities.length === 0) return
  const share = authorities.reduce((sum, la) => sum + la.sectors.length, 0) / ctx.country.sectorCount
  const endOfData = yearStart(options.lastYear + 1) - HOUR
  const forceId = ctx.agencies.idOf(force.code)
  const looksRandom = looksStream(options, 'force', force.code)

  for (let year = options.firstYear; year <= options.lastYear; year += 1) {
    const targets = targetsFor(year)
    const total = targets.policeIncidents * share * options.scale
    const fromCare = (lookedAfterIncidents.get(year) ?? 0) * share
    const others = Math.max(0, total - fromCare)
    const childShare = Math.max(0.2, Math.min(0.7, (SHARES.policeChildren * total - fromCare) / Math.max(1, others)))
    const referralsAtHome = targets.childNrmReferrals * (1 - ((1 - SHARES.referralUkNational) * SHARES.referralsInCareNonUk * 0.6 + SHARES.referralUkNational * SHARES.referralsInCareUk * 0.6)) * share * options.scale
    let incidents = Math.round(others)
    // Referred children at home: the year's referrals spread over its child individuals (about 2.3 incidents each).
    const referralChance = Math.min(1, referralsAtHome / Math.max(1, (others * childShare) / 2.3))
    while (incidents > 0) {
      const child = random.chance(childShare)
      const k = Math.min(incidents, 1 + geometric(random, child ? 1.3 : 0.7))
      incidents -= k
      const firstMs = yearStart(year) + random.next() * 365 * DAY
      const la = random.pick(authorities)
      const dementia = !child && random.chance(0.15)
      const age = child ? random.weighted([[12 + random.next() * 6, 93], [6 + random.next() * 6, 7]] as const) : dementia ? 70 + random.next() * 25 : 18 + random.next() * 55
      const dobMs = dayStart(firstMs - age * YEAR)
      const pool = random.chance(0.88) ? (BRITISH ?? random.pick(NAME_POOLS)) : random.pick(OVERSEAS)
      const personId = ctx.ids.at(firstMs, random)
      const referred = child && random.chance(referralChance)
      const sex = random.chance(child ? 0.5 : 0.6) ? 'male' : 'female'
      // The missing person report describes the person as the family or carers tell it.
      const description = looksRandom ? describeRecord(looksRandom, drawLooks(looksRandom, looksGroupOf(pool.nationality), sexCode(sex), false), age, 'police') : undefined
      writePerson(ctx, random, { id: personId, agencyId: forceId, sex, dobMs, assessed: false, name: chooseName(random, pool), unaccompanied: false, suspectedTrafficking: referred, createdMs: firstMs, description }, false)
      if (referred) {
        const referredMs = dayStart(firstMs + random.int(0, 60) * DAY)
        if (referredMs <= endOfData && referredMs >= Date.UTC(2009, 3, 1)) writeReferral(ctx, random, personId, forceId, referredMs, endOfData, pool !== BRITISH)
      }
      let startMs = firstMs
      const home = postcodeIn(la, random)
      for (let i = 0; i < k && startMs < endOfData; i += 1) {
        const hours = child ? durationHours(random, 'any') * 0.8 : durationHours(random, 'any')
        const open = random.chance(dementia ? 0.002 : 0.0015)
        const endMs = open || startMs + hours * HOUR > endOfData ? null : startMs + hours * HOUR
        writePoliceEpisode(ctx, random, {
          id: ctx.ids.at(startMs, random),
          personId,
          forceCode: force.code,
          startMs,
          endMs,
          linkedId: null,
          postcode: home,
          fromType: 'home',
          child,
          trafficked: referred,
          harmAllowed: !child,
        })
        if (endMs === null) break
        startMs = endMs + (2 + exponential(random, 60)) * DAY
      }
    }
  }
}

/** Police incidents of looked-after children expected nationally per year at this scale (for the forces). */
export function expectedLookedAfterIncidents(options: GenerateOptions): Map<number, number> {
  const expected = new Map<number, number>()
  for (let year = options.firstYear; year <= options.lastYear; year += 1) {
    const targets = targetsFor(year)
    expected.set(year, targets.childrenMissing * targets.episodesPerChild * (SHARES.reportedToPolice + SHARES.policeOnlyFromCare) * options.scale)
  }
  return expected
}

export type { GeneratedRow, GeneratedTable }
