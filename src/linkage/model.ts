// The Fellegi-Sunter model: a prior (the probability that two records drawn at random are the same
// person), and for each comparison level the probabilities m (of seeing the level when the records match)
// and u (when they do not). A pair's match weight is the prior's weight plus, for each comparison, log2(m/u)
// of its level, plus a term-frequency adjustment where the level has one (Splink's formulas), so the parts
// add up to the whole and can be drawn as a waterfall.
import type { BoundComparison, ComparisonDefinition } from './comparisons.ts'
import type { FeatureTable } from './features.ts'
import type { BlockingRule } from './blocking.ts'
import { columnText } from './features.ts'
import type { PersonRecord } from './person-record.ts'

export interface ModelComparison {
  definition: ComparisonDefinition
  /** m and u per level, in the order of the levels; NaN on the null level, which carries no weight. */
  m: number[]
  u: number[]
}

export interface LinkageModel {
  linkType: 'dedupe_only' | 'link_only'
  probabilityTwoRandomRecordsMatch: number
  comparisons: ModelComparison[]
  blockingRules: BlockingRule[]
}

/**
 * Term frequencies need a population: in a table of a few records every value looks common. Below this many
 * records the levels' own u is used, with no term-frequency adjustment.
 */
export const TF_MINIMUM_RECORDS = 1000

/** log2 of the chance two records drawn at random share a value of a tf column (kept by termFrequencyLog); `fallback` (a u) when not computed. */
function populationSumOfSquaresLog(table: FeatureTable, column: string, fallback: number): number {
  const sum = table.cache.get(`tf:${column}:sumsq`)
  return Math.log2(typeof sum === 'number' && sum > 0 ? sum : fallback)
}

export const weightOfProbability = (probability: number): number => Math.log2(probability / (1 - probability))
export const probabilityOfWeight = (weight: number): number => {
  const odds = 2 ** weight
  return odds / (1 + odds)
}

/**
 * How the scorer reads each comparison's weight, chosen once per comparison. Every way gives the weight of the
 * level that level() gives (a test checks score() against explain(), which calls level()); the cheaper ways
 * save a call through `BoundComparison.level`, which, one call site for every comparison, V8 cannot inline.
 */
const WEIGH = {
  /** level(), then the level's weight with its term-frequency adjustment. */
  byCall: 0,
  /** One read: the weight of the pair of codes (a look-up of few codes: build, hair, eyes). */
  byPairWeight: 1,
  /** The level of the pair of codes from its table, then the level's weight (a look-up of many codes: height). */
  byCodeLevel: 2,
  /** As byCall, but the null level without a call when either record's row is empty (distinguishing marks). */
  byCallIfRows: 3,
} as const

const NO_CODES = new Uint8Array(0)
const NO_WEIGHTS = new Float64Array(0)
const NO_FREQUENCIES = new Float32Array(0)
const NO_ROWS = new Int32Array(0)

/** Scores pairs of one feature table with one model: integer level lookups and a table of weights. */
export class Scorer {
  readonly model: LinkageModel
  readonly table: FeatureTable
  readonly bound: BoundComparison[]
  /**
   * Per comparison, how its weight is read (WEIGH), and what that reads: each list holds arrays of one type, an
   * empty one where unused rather than null, so that every read in the hot loop sees one kind of object.
   */
  private readonly weighBy: Uint8Array
  private readonly codes: Uint8Array[]
  private readonly codeWidth: Int32Array
  private readonly codeLevels: Uint8Array[]
  /** Per look-up comparison with a tf-adjusted level, log2 of each code's frequency; else empty. */
  private readonly codeFrequencies: Float32Array[]
  /** Per comparison weighed by its pair of codes, the weight (with its tf adjustment) of every pair of codes. */
  private readonly pairWeights: Float64Array[]
  private readonly rowStarts: Int32Array[]
  /** Per comparison, its `present` array (BoundComparison.present), or empty. */
  private readonly present: Uint8Array[]
  /**
   * Where a run of comparisons sharing one `present` array starts, the index after the run (else 0): runEnd by
   * comparison, boundRunEnd by position in boundOrder. A run is skipped when either record has none.
   */
  private readonly runEnd: Int32Array
  private readonly boundRunEnd: Int32Array
  readonly priorWeight: number
  /** Per comparison, the index of its first level in the flattened arrays. */
  private readonly offsets: Int32Array
  /** log2(m/u) of every level (0 on null levels). */
  private readonly weights: Float64Array
  /** Term-frequency adjustment per level: its weight (0 for none), log2 of the minimum u, log2 of u on the exact level. */
  private readonly tfWeight: Float64Array
  private readonly tfMinimumLog: Float64Array
  private readonly tfExactULog: Float64Array
  /** Comparisons in the order a bounded score evaluates them: the cheapest first (names last). */
  private readonly boundOrder: Int32Array
  /** The most each comparison can add (its best level with the largest term-frequency adjustment). */
  private readonly maxWeight: Float64Array
  /** The most the comparisons from boundOrder[k] on can add together. */
  private readonly remainingMax: Float64Array

  constructor(model: LinkageModel, table: FeatureTable) {
    this.model = model
    this.table = table
    this.bound = model.comparisons.map((comparison) => comparison.definition.bind(table))
    this.priorWeight = weightOfProbability(model.probabilityTwoRandomRecordsMatch)
    const total = model.comparisons.reduce((sum, comparison) => sum + comparison.definition.levels.length, 0)
    this.offsets = new Int32Array(model.comparisons.length)
    this.weights = new Float64Array(total)
    this.tfWeight = new Float64Array(total)
    this.tfMinimumLog = new Float64Array(total)
    this.tfExactULog = new Float64Array(total)
    let offset = 0
    model.comparisons.forEach((comparison, c) => {
      this.offsets[c] = offset
      const levels = comparison.definition.levels
      // Splink adjusts by u of the exact-match level on the same tf column: here, the first level with that column.
      const exactU = (column: string): number => {
        const index = levels.findIndex((level) => level.tf?.column === column)
        return comparison.u[index] ?? 1
      }
      levels.forEach((level, k) => {
        const m = comparison.m[k] ?? NaN
        const u = comparison.u[k] ?? NaN
        this.weights[offset + k] = level.isNull || !(m > 0) || !(u > 0) ? 0 : Math.log2(m / u)
        if (level.tf && !level.isNull && table.size >= TF_MINIMUM_RECORDS) {
          this.tfWeight[offset + k] = level.tf.weight
          this.tfMinimumLog[offset + k] = level.tf.minimumU > 0 ? Math.log2(level.tf.minimumU) : -Infinity
          this.tfExactULog[offset + k] =
            level.tf.baseline === 'population' ? populationSumOfSquaresLog(table, level.tf.column, exactU(level.tf.column)) : Math.log2(level.tf.baseline === 'level' ? u : exactU(level.tf.column))
        }
      })
      offset += levels.length
    })
    const count = this.bound.length
    this.weighBy = new Uint8Array(count)
    this.codes = []
    this.codeWidth = new Int32Array(count)
    this.codeLevels = []
    this.codeFrequencies = []
    this.pairWeights = []
    this.rowStarts = []
    this.present = []
    this.bound.forEach((comparison, c) => {
      const lookup = comparison.lookup
      this.codes.push(lookup?.codes ?? NO_CODES)
      this.codeWidth[c] = lookup?.width ?? 0
      this.codeLevels.push(lookup?.levels ?? NO_CODES)
      this.codeFrequencies.push(lookup?.tfOfCode ?? NO_FREQUENCIES)
      this.rowStarts.push(comparison.rowStarts ?? NO_ROWS)
      this.present.push(comparison.present ?? NO_CODES)
      let pairWeights = NO_WEIGHTS
      // A look-up of few codes (build, hair, eyes) weighs a pair by one read: its weight for every pair of codes, computed here.
      if (lookup && lookup.width <= 32) {
        pairWeights = new Float64Array(lookup.width * lookup.width)
        for (let x = 0; x < lookup.width; x++)
          for (let y = 0; y < lookup.width; y++) {
            const cell = x * lookup.width + y
            pairWeights[cell] = this.adjustedWeight((this.offsets[c] as number) + (lookup.levels[cell] as number), lookup.tfOfCode === null ? 0 : (lookup.tfOfCode[x] as number))
          }
      }
      this.pairWeights.push(pairWeights)
      this.weighBy[c] = lookup ? (lookup.width <= 32 ? WEIGH.byPairWeight : WEIGH.byCodeLevel) : comparison.rowStarts ? WEIGH.byCallIfRows : WEIGH.byCall
    })
    this.maxWeight = new Float64Array(model.comparisons.length)
    model.comparisons.forEach((comparison, c) => {
      let best = -Infinity
      for (let k = 0; k < comparison.definition.levels.length; k++) {
        const index = (this.offsets[c] as number) + k
        const adjust = this.tfWeight[index] as number
        // The adjustment is adjust * (exactULog - max(tfLog, minimumLog)) with tfLog <= 0: largest at either end.
        const exact = this.tfExactULog[index] as number
        const minimum = this.tfMinimumLog[index] as number
        const tfMax = adjust === 0 ? 0 : Math.max(adjust * (exact - minimum), adjust * (exact - Math.max(0, minimum)))
        const level = (this.weights[index] as number) + (Number.isNaN(tfMax) ? Infinity : tfMax)
        if (level > best) best = level
      }
      this.maxWeight[c] = best
    })
    const order = model.comparisons.map((_, c) => c)
    order.sort((x, y) => (model.comparisons[x]?.definition.cost ?? 0) - (model.comparisons[y]?.definition.cost ?? 0))
    this.boundOrder = Int32Array.from(order)
    this.remainingMax = new Float64Array(order.length + 1)
    for (let k = order.length - 1; k >= 0; k--) this.remainingMax[k] = (this.remainingMax[k + 1] as number) + (this.maxWeight[order[k] as number] as number)
    this.runEnd = this.runsOf(model.comparisons.map((_, c) => c))
    this.boundRunEnd = this.runsOf(order)
  }

  /** For comparisons in `order`, by position: where a run sharing one `present` array starts, the position after it (else 0). */
  private runsOf(order: number[]): Int32Array {
    const ends = new Int32Array(order.length)
    for (let k = 0; k < order.length; ) {
      const present = this.present[order[k] as number] as Uint8Array
      let end = k + 1
      while (end < order.length && present.length > 0 && this.present[order[end] as number] === present) end++
      if (present.length > 0) ends[k] = end
      k = end
    }
    return ends
  }

  /**
   * The match weight of a pair if it can reach `floor`, else -Infinity: the comparisons are evaluated cheapest
   * first, and evaluation stops once the weight so far plus the most the rest could add falls short of the
   * floor. The weight is score(a, b) summed in that order (the same up to rounding); with a floor of
   * -Infinity it never stops early.
   */
  scoreAtLeast(a: number, b: number, floor: number): number {
    const order = this.boundOrder
    const remaining = this.remainingMax
    const runEnd = this.boundRunEnd
    let weight = this.priorWeight
    // A little slack for sums taken in another order.
    const target = floor - 1e-9
    if (weight + (remaining[0] as number) < target) return -Infinity
    for (let k = 0; k < order.length; k++) {
      const c = order[k] as number
      const end = runEnd[k] as number
      if (end !== 0) {
        // A run of comparisons at their null level (either record undescribed) adds nothing: go past it, with
        // the check at its end alone (the most the rest can add only falls along the run, so any check inside
        // it that would stop, that one does too).
        const present = this.present[c] as Uint8Array
        if (present[a] === 0 || present[b] === 0) {
          k = end - 1
          if (weight + (remaining[end] as number) < target) return -Infinity
          continue
        }
      }
      weight += this.weightOf(c, a, b)
      if (weight + (remaining[k + 1] as number) < target) return -Infinity
    }
    return weight
  }

  /** The match weight of a pair. The hot loop: level lookups and additions. */
  score(a: number, b: number): number {
    const count = this.weighBy.length
    const runEnd = this.runEnd
    let weight = this.priorWeight
    for (let c = 0; c < count; c++) {
      const end = runEnd[c] as number
      if (end !== 0) {
        // Either record undescribed: the description's comparisons are all at their null level, which weighs
        // nothing (x + 0 is x, so the sum is the same to the bit).
        const present = this.present[c] as Uint8Array
        if (present[a] === 0 || present[b] === 0) {
          c = end - 1
          continue
        }
      }
      weight += this.weightOf(c, a, b)
    }
    return weight
  }

  /** One comparison's weight for a pair, read as weighBy says (the same weight as its level() gives). */
  private weightOf(c: number, a: number, b: number): number {
    switch (this.weighBy[c]) {
      case WEIGH.byPairWeight: {
        const codes = this.codes[c] as Uint8Array
        return (this.pairWeights[c] as Float64Array)[(codes[a] as number) * (this.codeWidth[c] as number) + (codes[b] as number)] as number
      }
      case WEIGH.byCodeLevel: {
        const codes = this.codes[c] as Uint8Array
        const x = codes[a] as number
        const level = (this.codeLevels[c] as Uint8Array)[x * (this.codeWidth[c] as number) + (codes[b] as number)] as number
        const frequencies = this.codeFrequencies[c] as Float32Array
        return this.adjustedWeight((this.offsets[c] as number) + level, frequencies.length === 0 ? 0 : (frequencies[x] as number))
      }
      case WEIGH.byCallIfRows: {
        const starts = this.rowStarts[c] as Int32Array
        // Most records have no marks: the null level, which weighs nothing, without a call.
        if (starts[a + 1] === starts[a] || starts[b + 1] === starts[b]) return 0
        return this.levelWeight(c, a, b)
      }
      default:
        return this.levelWeight(c, a, b)
    }
  }

  /** A comparison's weight for a pair by its level(), with the level's term-frequency adjustment (tfLog read only where there is one). */
  private levelWeight(c: number, a: number, b: number): number {
    const comparison = this.bound[c] as BoundComparison
    const index = (this.offsets[c] as number) + comparison.level(a, b)
    const weight = this.weights[index] as number
    if (this.tfWeight[index] === 0) return weight
    return this.adjustedWeight(index, comparison.tfLog)
  }

  /**
   * The weight of a level (index into the model's level arrays) with its term-frequency adjustment for a value
   * of frequency 2^tfLog. A value with no frequency (both sides blank) carries no adjustment.
   */
  private adjustedWeight(index: number, tfLog: number): number {
    const weight = this.weights[index] as number
    const adjust = this.tfWeight[index] as number
    if (adjust === 0 || !(tfLog > -1e9)) return weight
    const minimum = this.tfMinimumLog[index] as number
    return weight + adjust * ((this.tfExactULog[index] as number) - (tfLog > minimum ? tfLog : minimum))
  }

  /** The comparison levels of a pair, into `out` (one entry per comparison). */
  levels(a: number, b: number, out: Uint8Array): void {
    for (let c = 0; c < this.bound.length; c++) out[c] = (this.bound[c] as BoundComparison).level(a, b)
  }

  /** Why a pair scores what it does: the prior and each comparison's level and weight, adding up to the total. */
  explain(a: number, b: number): PairExplanation {
    const left = this.table.records[a] as PersonRecord
    const right = this.table.records[b] as PersonRecord
    let total = this.priorWeight
    const comparisons = this.model.comparisons.map((comparison, c) => {
      const bound = this.bound[c] as BoundComparison
      const level = bound.level(a, b)
      const index = (this.offsets[c] as number) + level
      const definition = comparison.definition.levels[level]
      const weight = this.weights[index] as number
      let tfAdjustment = 0
      const adjust = this.tfWeight[index] as number
      if (adjust !== 0 && bound.tfLog > -1e9) {
        const minimum = this.tfMinimumLog[index] as number
        tfAdjustment = adjust * ((this.tfExactULog[index] as number) - (bound.tfLog > minimum ? bound.tfLog : minimum))
      }
      total += weight + tfAdjustment
      return {
        comparison: comparison.definition.name,
        level,
        label: definition?.label ?? '',
        isNull: definition?.isNull === true,
        m: definition?.isNull ? null : (comparison.m[level] ?? null),
        u: definition?.isNull ? null : (comparison.u[level] ?? null),
        weight,
        tfAdjustment,
        values: {
          left: describeColumns(left, comparison.definition.columns),
          right: describeColumns(right, comparison.definition.columns),
        },
      }
    })
    return {
      recordIdLeft: left.recordId,
      recordIdRight: right.recordId,
      prior: { probability: this.model.probabilityTwoRandomRecordsMatch, weight: this.priorWeight },
      comparisons,
      matchWeight: total,
      matchProbability: probabilityOfWeight(total),
    }
  }
}

export interface ComparisonExplanation {
  comparison: string
  level: number
  label: string
  isNull: boolean
  m: number | null
  u: number | null
  /** log2(m/u); 0 on the null level. */
  weight: number
  /** The term-frequency adjustment added to the weight (0 when the level has none). */
  tfAdjustment: number
  values: { left: string; right: string }
}

export interface PairExplanation {
  recordIdLeft: string
  recordIdRight: string
  prior: { probability: number; weight: number }
  comparisons: ComparisonExplanation[]
  /** prior.weight + the sum of every comparison's weight and tfAdjustment. */
  matchWeight: number
  matchProbability: number
}

function describeColumns(record: PersonRecord, columns: string[]): string {
  return columns
    .map((column) => {
      if (column === 'identifiers') return record.identifiers.map((identifier) => `${identifier.type}:${identifier.value}`).join('; ')
      if (column === 'date_of_birth') {
        if (record.dateOfBirth) return record.dateOfBirth
        if (record.dobEarliest || record.dobLatest) return `${record.dobEarliest ?? '?'} to ${record.dobLatest ?? '?'}`
        return ''
      }
      if (column === 'dob_earliest' || column === 'dob_latest') return ''
      return columnText(record, column) ?? ''
    })
    .filter((text) => text !== '')
    .join(' | ')
}
