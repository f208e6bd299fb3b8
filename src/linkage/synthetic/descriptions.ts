// How a child looks, and how each record describes it (docs/adr/0013, amended): a height from the child's age
// and sex on a growth curve with the child's own centile, a build, hair and eye colours by nationality group,
// and sometimes distinguishing marks; then each writer's version of it (an officer's estimate and what the
// officer sees, or the profile the referral or a missing-person report carries, copied). Drawn from a stream of
// their own, so the same seed gives the same names and dates as before the descriptions existed.
import type { Random } from '../../lib/random.ts'
import type { PersonDescription } from '../person-record.ts'
import { BUILDS, EYE_COLOURS, EYE_NEAR, HAIR_COLOURS, HAIR_NEAR } from '../description.ts'

type Hair = (typeof HAIR_COLOURS)[number]
type Eyes = (typeof EYE_COLOURS)[number]
type Build = (typeof BUILDS)[number]
type Kind = 'scar' | 'tattoo' | 'birthmark' | 'mole' | 'burn' | 'piercing'
type Part =
  | 'head' | 'forehead' | 'eye' | 'cheek' | 'nose' | 'lip' | 'chin' | 'ear' | 'neck' | 'shoulder' | 'arm' | 'wrist' | 'hand' | 'chest' | 'stomach' | 'back' | 'leg' | 'foot'

/**
 * The shares that make the descriptions: ASSUMPTIONS, not measurements. No published figure says how often a
 * record of a missing or trafficked child carries each field, how far an officer's estimate of height is off, or
 * how many children have marks. They were written down before anything was measured and are not tuned to the
 * figures (bench/linkage/README.md, bench/search/README.md).
 */
export const DESCRIPTION = {
  /** Standard deviation of children's heights around the median at their age (UK-90 charts: about 6 to 7 cm in the teens). */
  heightSpreadCm: 6.5,
  /** An officer's estimate of a child in front of them is off by this much (standard deviation, cm; assumed: a glance, no tape). */
  estimateErrorCm: 5,
  /** A profile's height (screening, a carer's report on a Philomena form) is off by this much (assumed: a measurement or a carer's figure). */
  profileErrorCm: 2,
  /** A record was written up to this many years before today (uniform; assumed): the child has grown since. An encounter is today. */
  recordAgeYears: 1.5,
  /**
   * How often a record carries a description at all, by who wrote it (assumed): an officer meeting the child writes
   * what is in front of them; the police copy is the Philomena profile (DOMAIN-SOURCES 2.2: "physical
   * description"); the Home Office's screening record often has one; a council's record is about care, not looks.
   */
  describedBy: { firstContact: 0.95, police: 0.9, homeOffice: 0.6, council: 0.25 },
  /** Within a description, each field is written this often (assumed: eyes need a close look, build is a judgement). */
  fieldWritten: { height: 0.9, build: 0.7, hair: 0.9, eyes: 0.6 },
  /** A writer names a neighbouring colour or build this often (dark brown hair written black, slim written medium; assumed). */
  wordNear: 0.2,
  /** Children with at least one distinguishing mark (assumed; scars from the journey make it higher among those who arrived alone). */
  marked: { british: 0.2, arrived: 0.35 },
  /** A marked child has a second mark this often (assumed). */
  secondMark: 0.3,
  /** A mark is noted by an officer meeting the child when it can be seen (face, head, neck, hands, arms), when hidden; by a profile either way (assumed). */
  markNoted: { visible: 0.6, hidden: 0.1, profile: 0.8 },
  /** A noted mark's side is left out, or swapped (the officer's left, not the child's), this often (assumed). */
  sideOmitted: 0.2,
  sideSwapped: 0.05,
}

/** Hair colours by nationality group (assumed from the populations, rounded: most children of the arrived groups have black or dark brown hair). */
const HAIR_BY_GROUP: Record<string, [Hair, number][]> = {
  GBR: [['black', 7], ['dark brown', 18], ['brown', 32], ['light brown', 15], ['blond', 20], ['red', 6], ['grey', 0.2]],
  ALB: [['black', 25], ['dark brown', 45], ['brown', 22], ['light brown', 5], ['blond', 3]],
  VNM: [['black', 92], ['dark brown', 8]],
  ERI: [['black', 96], ['dark brown', 4]],
  SDN: [['black', 96], ['dark brown', 4]],
  AFG: [['black', 55], ['dark brown', 33], ['brown', 9], ['light brown', 2], ['red', 1]],
  SYR: [['black', 40], ['dark brown', 40], ['brown', 14], ['light brown', 3], ['blond', 3]],
}
const EYES_BY_GROUP: Record<string, [Eyes, number][]> = {
  GBR: [['brown', 28], ['dark brown', 4], ['hazel', 10], ['green', 10], ['blue', 42], ['grey', 6]],
  ALB: [['brown', 55], ['dark brown', 10], ['hazel', 14], ['green', 9], ['blue', 12]],
  VNM: [['brown', 55], ['dark brown', 45]],
  ERI: [['brown', 55], ['dark brown', 45]],
  SDN: [['brown', 55], ['dark brown', 45]],
  AFG: [['brown', 60], ['dark brown', 15], ['hazel', 10], ['green', 9], ['blue', 6]],
  SYR: [['brown', 62], ['dark brown', 12], ['hazel', 13], ['green', 8], ['blue', 5]],
}
/** Builds: children who arrived alone are more often slim (assumed). */
const BUILD_BY_GROUP = { british: [['slim', 40], ['medium', 45], ['stocky', 15]], arrived: [['slim', 60], ['medium', 34], ['stocky', 6]] } as Record<string, [Build, number][]>
const KINDS: [Kind, number][] = [['scar', 45], ['tattoo', 10], ['birthmark', 10], ['mole', 12], ['burn', 8], ['piercing', 15]]
const PARTS: [Part, number][] = [
  ['head', 5], ['forehead', 8], ['eye', 7], ['cheek', 8], ['nose', 2], ['lip', 3], ['chin', 4], ['ear', 2], ['neck', 6], ['shoulder', 4], ['arm', 14], ['wrist', 5], ['hand', 10],
  ['chest', 5], ['stomach', 4], ['back', 6], ['leg', 10], ['foot', 3],
]
const PIERCED: [Part, number][] = [['ear', 75], ['nose', 12], ['eye', 8], ['lip', 5]]
const VISIBLE = new Set<Part>(['head', 'forehead', 'eye', 'cheek', 'nose', 'lip', 'chin', 'ear', 'neck', 'arm', 'wrist', 'hand'])
const PAIRED = new Set<Part>(['eye', 'cheek', 'ear', 'shoulder', 'arm', 'wrist', 'hand', 'leg', 'foot'])
const FACE = new Set<Part>(['forehead', 'eye', 'cheek', 'nose', 'lip', 'chin'])

/** Median height (cm) at ages 10 to 18 (UK-90 growth reference, rounded), boys and girls. */
const MEDIAN_HEIGHT = { M: [139, 144, 149, 156, 163, 169, 173, 175, 176], F: [138, 144, 151, 157, 160, 162, 163, 163, 164] }
/** Median height (cm) at birth and ages 1 to 9 (UK-90, rounded), for the national generator's younger children. */
const MEDIAN_HEIGHT_YOUNG = { M: [50, 76, 87, 96, 103, 110, 116, 122, 128, 134], F: [49, 74, 86, 95, 102, 109, 115, 121, 127, 133] }

/** How the words are written: each canonical word's spellings, the first most often. */
const HAIR_WRITTEN: Record<Hair, string[]> = {
  black: ['black', 'black', 'jet black', 'short black'], 'dark brown': ['dark brown', 'dark brown', 'dk brown', 'dark'], brown: ['brown', 'brown', 'mid brown', 'short brown'],
  'light brown': ['light brown', 'light brown', 'mousy', 'dark blonde'], blond: ['blonde', 'blond', 'fair'], red: ['ginger', 'red', 'auburn'], grey: ['grey'],
}
const EYES_WRITTEN: Record<Eyes, string[]> = {
  brown: ['brown', 'brown', 'brown eyes'], 'dark brown': ['dark brown', 'dark', 'dk brown'], hazel: ['hazel'], green: ['green'], blue: ['blue', 'blue', 'light blue'], grey: ['grey', 'gray'],
}
const BUILD_WRITTEN: Record<Build, string[]> = { slim: ['slim', 'slim', 'thin', 'skinny'], medium: ['medium', 'average', 'medium build'], stocky: ['stocky', 'heavy', 'large', 'well built'] }
const KIND_WRITTEN: Record<Kind, string[]> = {
  scar: ['scar', 'small scar', 'scar', 'old scar'], tattoo: ['tattoo', 'tattoo of a star', 'tattoo of initials'], birthmark: ['birthmark', 'birth mark'], mole: ['mole', 'large mole'],
  burn: ['burn mark', 'burn scar', 'burn'], piercing: ['pierced', 'piercing'],
}
const PART_WRITTEN: Record<Part, string[]> = {
  head: ['head', 'scalp'], forehead: ['forehead'], eye: ['eye', 'eyebrow'], cheek: ['cheek'], nose: ['nose'], lip: ['lip', 'upper lip'], chin: ['chin', 'jaw'], ear: ['ear'],
  neck: ['neck'], shoulder: ['shoulder'], arm: ['arm', 'forearm', 'upper arm'], wrist: ['wrist'], hand: ['hand', 'knuckles', 'thumb'], chest: ['chest'], stomach: ['stomach', 'abdomen'],
  back: ['back', 'lower back'], leg: ['leg', 'knee', 'thigh', 'shin'], foot: ['foot', 'ankle'],
}

interface TrueMark {
  kind: Kind
  part: Part
  side: 'left' | 'right' | null
}

/** How the child looks: fixed but for the height, which follows the child's centile as the child grows. */
export interface TrueLooks {
  sex: 'M' | 'F'
  /** The child's centile, as a number of standard deviations from the median. */
  heightZ: number
  build: Build
  hair: Hair
  eyes: Eyes
  marks: TrueMark[]
}

/** A normal draw (Box-Muller). */
function normal(random: Random): number {
  const u = Math.max(random.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next())
}

/**
 * `arrived`: the child came from abroad, alone or trafficked (scars from the journey, more often slim); the linkage
 * generator's children of every group but GBR did, the national generator says which of its children did.
 */
export function drawLooks(random: Random, group: string, sex: 'M' | 'F', arrived = group !== 'GBR'): TrueLooks {
  const british = !arrived
  const marks: TrueMark[] = []
  if (random.chance(british ? DESCRIPTION.marked.british : DESCRIPTION.marked.arrived)) {
    const count = random.chance(DESCRIPTION.secondMark) ? 2 : 1
    for (let k = 0; k < count; k++) {
      const kind = random.weighted(KINDS)
      const part = random.weighted(kind === 'piercing' ? PIERCED : PARTS)
      marks.push({ kind, part, side: PAIRED.has(part) ? (random.chance(0.5) ? 'left' : 'right') : null })
    }
  }
  return {
    sex,
    heightZ: Math.max(-3, Math.min(3, normal(random))),
    build: random.weighted(BUILD_BY_GROUP[british ? 'british' : 'arrived'] as [Build, number][]),
    hair: random.weighted(HAIR_BY_GROUP[group] ?? (HAIR_BY_GROUP.GBR as [Hair, number][])),
    eyes: random.weighted(EYES_BY_GROUP[group] ?? (EYES_BY_GROUP.GBR as [Eyes, number][])),
    marks,
  }
}

/**
 * The child's true height (cm) at an age in years, on the growth curve at the child's centile; an adult's is the
 * height at 18. Ages below `youngest` count as `youngest`: 10 for the linkage generator, whose records were
 * measured so (its children are 10 to 17 today, a record up to 18 months older), 0 for the national generator.
 */
export function heightAt(looks: TrueLooks, ageYears: number, youngest = 10): number {
  if (ageYears < 10 && youngest < 10) {
    // Under 10 the spread shrinks with the height (UK-90: about 2 cm at birth, 4.5 cm at five).
    const young = MEDIAN_HEIGHT_YOUNG[looks.sex]
    const at = Math.max(youngest, ageYears)
    const low = Math.min(9, Math.floor(at))
    const median = (young[low] as number) * (low + 1 - at) + ((low === 9 ? MEDIAN_HEIGHT[looks.sex][0] : young[low + 1]) as number) * (at - low)
    return median + looks.heightZ * DESCRIPTION.heightSpreadCm * (median / (MEDIAN_HEIGHT[looks.sex][0] as number))
  }
  const medians = MEDIAN_HEIGHT[looks.sex]
  const clamped = Math.max(10, Math.min(18, ageYears))
  const low = Math.min(7, Math.floor(clamped - 10))
  const share = clamped - 10 - low
  const median = (medians[low] as number) * (1 - share) + (medians[low + 1] as number) * share
  return median + looks.heightZ * DESCRIPTION.heightSpreadCm
}

/** A word, sometimes a neighbouring one (a writer's judgement), in one of its written forms. */
function writeWord<T extends string>(random: Random, value: T, canonical: readonly T[], near: Uint8Array | null, written: Record<T, string[]>): string {
  let word = value
  if (near && random.chance(DESCRIPTION.wordNear)) {
    const code = canonical.indexOf(value) + 1
    const size = canonical.length + 1
    const neighbours = canonical.filter((_, index) => near[code * size + index + 1] === 1)
    if (neighbours.length > 0) word = random.pick(neighbours)
  }
  return random.pick(written[word])
}

/** A build is a judgement: sometimes the next one along. */
function writeBuild(random: Random, build: Build): string {
  let index = BUILDS.indexOf(build)
  if (random.chance(DESCRIPTION.wordNear)) index = index === 0 ? 1 : index === 2 ? 1 : random.chance(0.5) ? 0 : 2
  return random.pick(BUILD_WRITTEN[BUILDS[index] as Build])
}

function writeMark(random: Random, mark: TrueMark, officer: boolean): string {
  let side = mark.side
  if (side !== null && random.chance(DESCRIPTION.sideSwapped)) side = side === 'left' ? 'right' : 'left'
  if (random.chance(DESCRIPTION.sideOmitted)) side = null
  // An officer often writes "on the face" for where on the face.
  const part = officer && FACE.has(mark.part) && random.chance(0.3) ? 'face' : random.pick(PART_WRITTEN[mark.part])
  const place = `${side ? `${side} ` : ''}${part}`
  const kind = random.pick(KIND_WRITTEN[mark.kind])
  if (mark.kind === 'piercing') return random.chance(0.5) ? `${kind} ${place}` : `${place} ${kind}`
  const preposition = mark.part === 'eye' ? random.pick(['above the', 'under the', 'by the']) : random.pick(['on', 'on the', 'on'])
  return `${kind} ${preposition} ${place}`
}

/**
 * One writer's description of the child at an age: `officer` for a first contact (an estimate and what can be
 * seen), else a profile (measured or reported, every mark it knows). Null when nothing was written. `youngest`:
 * as for `heightAt`.
 */
export function describe(random: Random, looks: TrueLooks, ageYears: number, officer: boolean, youngest = 10): PersonDescription | undefined {
  const written = DESCRIPTION.fieldWritten
  const heightCm = random.chance(written.height)
    ? Math.round(heightAt(looks, ageYears, youngest) + normal(random) * (officer ? DESCRIPTION.estimateErrorCm : DESCRIPTION.profileErrorCm))
    : null
  const build = random.chance(written.build) ? writeBuild(random, looks.build) : null
  const hair = random.chance(written.hair) ? writeWord(random, looks.hair, HAIR_COLOURS, HAIR_NEAR, HAIR_WRITTEN) : null
  const eyes = random.chance(written.eyes) ? writeWord(random, looks.eyes, EYE_COLOURS, EYE_NEAR, EYES_WRITTEN) : null
  const noted = looks.marks.filter((mark) =>
    random.chance(officer ? (VISIBLE.has(mark.part) ? DESCRIPTION.markNoted.visible : DESCRIPTION.markNoted.hidden) : DESCRIPTION.markNoted.profile),
  )
  const distinguishingMarks = noted.length === 0 ? null : noted.map((mark) => writeMark(random, mark, officer)).join(random.pick(['; ', ', ', ' and ']))
  const description = { heightCm, build, hair, eyes, distinguishingMarks }
  return Object.values(description).some((value) => value !== null) ? description : undefined
}

// ------------------------------------------------------------------ the national generator's person records

/**
 * The look group of a nationality of the national generator's name pools (src/modules/demo/demo.names.ts): the
 * nationality itself, whose hair and eye colours are above (every pool's is today); a clear error for one with
 * none, so that a name pool added without its colours fails when the generator loads.
 */
export function looksGroupOf(nationality: string): string {
  if (HAIR_BY_GROUP[nationality] === undefined || EYES_BY_GROUP[nationality] === undefined)
    throw new Error(`No hair and eye colours for nationality ${nationality}: add its group to HAIR_BY_GROUP and EYES_BY_GROUP (src/linkage/synthetic/descriptions.ts)`)
  return nationality
}

/**
 * Adults' hair greys (assumed, for the national generator's missing adults, some with dementia): a share of those
 * aged `from` and over, rising by `perYear` to at most `most`.
 */
export const GREYING = { from: 45, perYear: 0.025, most: 0.85 }

/**
 * The description on a person record of the national generator (src/modules/generate/): its keeper describes the
 * person this often (DESCRIPTION.describedBy: the police's record of a missing person, from the Philomena profile
 * or the family, usually; a council's care record seldom); then either the profile the record copies (an
 * unaccompanied child's, made when the child arrived; undefined if it said nothing) or the keeper's own profile of
 * the person at their age then (measured or reported, not an officer's glance). Undefined when nothing is written.
 */
export function describeRecord(
  random: Random,
  looks: TrueLooks,
  ageYears: number,
  keeper: 'police' | 'council',
  copied?: { profile: PersonDescription | undefined },
): PersonDescription | undefined {
  if (!random.chance(DESCRIPTION.describedBy[keeper])) return undefined
  if (copied) return copied.profile === undefined ? undefined : { ...copied.profile }
  const grey = ageYears >= GREYING.from && random.chance(Math.min(GREYING.most, (ageYears - GREYING.from) * GREYING.perYear))
  return describe(random, grey ? { ...looks, hair: 'grey' } : looks, ageYears, false, 0)
}
