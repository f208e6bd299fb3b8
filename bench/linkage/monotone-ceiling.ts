// The monotone ceiling: the best recall at a precision that any model respecting the order of each comparison's
// levels can reach on these pairs, with the labels known. Fellegi-Sunter with ordered weights is such a model: a
// pair at least as good on every comparison (and agreeing on values at least as rare) never scores lower, so
// every threshold accepts an up-set of that order. The in-sample bucket bound (`bound.ts`) ranks buckets of
// pairs freely, and with ten comparisons small buckets pure by luck inflate it; here a bucket can be taken only
// with every bucket that dominates it, so a lucky low bucket costs its dominators' false pairs.
//
// Buckets: pairs with the same level on every comparison and the same term-frequency adjustment (in bits, to a
// resolution: 0 keeps it exact, so the shipped model's score is a function of the bucket). Bucket X dominates Y
// when, on every comparison, X's level is at least as good in that comparison's order (LEVEL_ORDERS) and X's
// adjustment is at least as large (the agreed value at least as rare). The best recall with precision >= p over
// up-sets: maximising TP - lambda * FP over up-sets is a maximum-weight closure (a minimum cut, `max-flow.ts`);
// its optima for all lambda are the vertices of the upper concave hull of the achievable (FP, TP), searched
// between the two vertices on either side of the line TP = FP * p / (1 - p). The hull's TP on that line is an
// upper bound for every monotone model; the vertex below it (precision >= p) is attained by one.
import { maximumClosure, type Requirements } from './max-flow.ts'
import { generatePairs } from '../../src/linkage/blocking.ts'
import type { LinkageRun } from '../../src/linkage/link.ts'
import type { LinkageModel } from '../../src/linkage/model.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'

/** A partial order on one comparison's levels: atLeast[l * levels + k] = 1 when level l is at least as good as level k. */
export interface LevelOrder {
  levels: number
  atLeast: Uint8Array
  /** A number that rises strictly along the order (the count of levels below): sorts dominators first. */
  rank: Int32Array
}

/** The reflexive and transitive closure of `better` ([l, k]: level l is better than level k). */
export function levelOrder(levels: number, better: [number, number][]): LevelOrder {
  const atLeast = new Uint8Array(levels * levels)
  for (let l = 0; l < levels; l++) atLeast[l * levels + l] = 1
  for (const [l, k] of better) {
    if (l < 0 || l >= levels || k < 0 || k >= levels || l === k) throw new RangeError(`level order: ${l} > ${k} is not a pair of distinct levels of 0..${levels - 1}`)
    atLeast[l * levels + k] = 1
  }
  for (let m = 0; m < levels; m++)
    for (let l = 0; l < levels; l++)
      if (atLeast[l * levels + m]) for (let k = 0; k < levels; k++) if (atLeast[m * levels + k]) atLeast[l * levels + k] = 1
  const rank = new Int32Array(levels)
  for (let l = 0; l < levels; l++)
    for (let k = 0; k < levels; k++) {
      if (l === k || !atLeast[l * levels + k]) continue
      if (atLeast[k * levels + l]) throw new RangeError(`level order: levels ${l} and ${k} are each better than the other`)
      rank[l] = (rank[l] as number) + 1
    }
  return { levels, atLeast, rank }
}

/**
 * The orders of the person comparisons' levels (level 0 is the null level of each), by comparison name. Only
 * what the levels' meaning warrants; where it does not say (a family name alone against a first given name alone,
 * a typing slip against dates a year apart) the levels are left apart, which can only raise the ceiling. Names:
 * exact above the same set in another order and above all similar (those two apart: the shipped model weighs
 * the second higher, a model trained on seed 7 the first), both above one record's names all within the other's;
 * below that, two names or more matching beat one; any match beats names only close, which beat nothing.
 * Dates: the same real date beats the same default date and the same assessed range, each of which beats a date
 * merely consistent, then a year either side of a default, a year apart, three years, none; a typing slip apart
 * is below the same real date and above nothing else. Every other comparison is a chain, best first.
 */
export const LEVEL_ORDERS: Record<string, { levels: number; better: [number, number][] }> = {
  names: {
    levels: 12,
    better: [[1, 2], [1, 3], [2, 4], [3, 4], [4, 5], [4, 6], [6, 7], [6, 8], [6, 9], [5, 10], [7, 10], [8, 10], [9, 10], [10, 11]],
  },
  date_of_birth: {
    levels: 10,
    better: [[1, 2], [1, 3], [1, 4], [2, 5], [3, 5], [5, 6], [6, 7], [7, 8], [8, 9], [4, 9]],
  },
}

/**
 * How a comparison's null level (one record lacks the field) stands to the others. 'apart': comparable to none
 * but itself (sound for any model, however it weighs a missing field). 'neutral': below full agreement (the
 * first level after it) and above the last level (disagreement), as a model does when agreement counts for a
 * match, disagreement against, and a missing field neither (Fellegi-Sunter's null weighs 0).
 */
export type NullTreatment = 'apart' | 'neutral'

/**
 * The order of one comparison's levels, level 0 its null level: `better` ([l, k]: level l is better than k) or
 * else a chain from level 1 down, with the null level placed as `nulls` says.
 */
export function comparisonOrder(levels: number, nulls: NullTreatment, better?: [number, number][]): LevelOrder {
  const pairs: [number, number][] = better ? [...better] : Array.from({ length: Math.max(0, levels - 2) }, (_, k) => [k + 1, k + 2] as [number, number])
  if (nulls === 'neutral' && levels >= 3) pairs.push([1, 0], [0, levels - 1])
  return levelOrder(levels, pairs)
}

/** The level orders of a model's comparisons (LEVEL_ORDERS, else a chain); each comparison's null level must be its first. */
export function modelLevelOrders(model: LinkageModel, nulls: NullTreatment): LevelOrder[] {
  return model.comparisons.map((comparison) => {
    const definition = comparison.definition
    const levels = definition.levels.length
    if (definition.levels[0]?.isNull !== true || definition.levels.some((level, l) => l > 0 && level.isNull === true))
      throw new Error(`comparison ${definition.name}: the ceiling expects its null level first and only there`)
    const declared = LEVEL_ORDERS[definition.name]
    if (declared && declared.levels !== levels)
      throw new Error(`comparison ${definition.name} has ${levels} levels, LEVEL_ORDERS in bench/linkage/monotone-ceiling.ts describes ${declared.levels}: update the order`)
    return comparisonOrder(levels, nulls, declared?.better)
  })
}

/** Pairs of levels the order ranks one way and the model's weights (log2 m/u; a null level weighs 0) the other. */
export function orderViolations(model: LinkageModel, orders: LevelOrder[]): { comparison: string; higher: number; lower: number; message: string }[] {
  const found: { comparison: string; higher: number; lower: number; message: string }[] = []
  model.comparisons.forEach((comparison, c) => {
    const order = orders[c] as LevelOrder
    const name = comparison.definition.name
    const weight = (level: number) => (comparison.definition.levels[level]?.isNull ? 0 : Math.log2((comparison.m[level] as number) / (comparison.u[level] as number)))
    for (let l = 0; l < order.levels; l++)
      for (let k = 0; k < order.levels; k++)
        if (l !== k && order.atLeast[l * order.levels + k] && weight(l) < weight(k))
          found.push({ comparison: name, higher: l, lower: k, message: `${name}: level ${l} (${weight(l).toFixed(2)}) is above level ${k} (${weight(k).toFixed(2)})` })
  })
  return found
}

/** Buckets of pairs: levels and term-frequency bins per comparison (row-major, `comparisons` a row), true and false pairs. */
export interface BucketSet {
  comparisons: number
  count: number
  levels: Int32Array
  bins: Int32Array
  tp: Int32Array
  fp: Int32Array
}

export function bucketSet(rows: { levels: number[]; bins?: number[]; tp: number; fp: number }[]): BucketSet {
  const comparisons = rows[0]?.levels.length ?? 0
  const set: BucketSet = { comparisons, count: rows.length, levels: new Int32Array(rows.length * comparisons), bins: new Int32Array(rows.length * comparisons), tp: new Int32Array(rows.length), fp: new Int32Array(rows.length) }
  rows.forEach((row, i) => {
    if (row.levels.length !== comparisons || (row.bins && row.bins.length !== comparisons)) throw new RangeError(`bucket ${i}: ${row.levels.length} levels, expected ${comparisons}`)
    set.levels.set(row.levels, i * comparisons)
    if (row.bins) set.bins.set(row.bins, i * comparisons)
    set.tp[i] = row.tp
    set.fp[i] = row.fp
  })
  return set
}

/**
 * The requirements of an up-set: bucket i may be taken only with each bucket that dominates it (a transitive
 * reduction: the bucket's nearest dominators, whose own requirements carry the rest). Buckets holding no true
 * pair and dominating none that does are left out (`kept` 0): no up-set worth having needs them.
 */
export function dominance(buckets: BucketSet, orders: LevelOrder[]): { requirements: Requirements; kept: Uint8Array } {
  const { comparisons: C, count: n } = buckets
  if (orders.length !== C) throw new RangeError(`${orders.length} level orders for ${C} comparisons`)
  const dominates = (x: number, y: number): boolean => {
    for (let c = 0; c < C; c++) {
      const order = orders[c] as LevelOrder
      if (!order.atLeast[(buckets.levels[x * C + c] as number) * order.levels + (buckets.levels[y * C + c] as number)]) return false
      if ((buckets.bins[x * C + c] as number) < (buckets.bins[y * C + c] as number)) return false
    }
    return true
  }
  // First pass over every bucket: which ones dominate a bucket with a true pair.
  const needed = new Uint8Array(n)
  {
    const sets = dominatorSets(buckets, orders, Int32Array.from({ length: n }, (_, i) => i))
    const words = sets.words
    const union = new Int32Array(words)
    const scratch = new Int32Array(words)
    for (let q = 0; q < n; q++) {
      if ((buckets.tp[sets.node[q] as number] as number) === 0) continue
      sets.dominatorsOf(q, scratch)
      for (let w = 0; w < words; w++) union[w] = (union[w] as number) | (scratch[w] as number)
      union[q >>> 5] = (union[q >>> 5] as number) | (1 << (q & 31))
    }
    for (let q = 0; q < n; q++) if ((union[q >>> 5] as number) & (1 << (q & 31))) needed[sets.node[q] as number] = 1
  }
  const keptNodes = Int32Array.from({ length: n }, (_, i) => i).filter((i) => needed[i] === 1)
  const sets = dominatorSets(buckets, orders, keptNodes)
  const m = keptNodes.length
  // Each bucket's dominators, kept for the reduction: row q holds positions below q only (dominators sort first).
  const offsets = new Float64Array(m + 1)
  for (let q = 0; q < m; q++) offsets[q + 1] = (offsets[q] as number) + ((q + 31) >>> 5)
  const cache = new Int32Array(offsets[m] as number)
  const row = new Int32Array(sets.words)
  for (let q = 0; q < m; q++) {
    sets.dominatorsOf(q, row)
    cache.set(row.subarray(0, (q + 31) >>> 5), offsets[q] as number)
  }
  const from: number[] = []
  const to: number[] = []
  const covered = new Int32Array(sets.words)
  for (let q = 0; q < m; q++) {
    const base = offsets[q] as number
    const words = (q + 31) >>> 5
    covered.fill(0, 0, words)
    // Nearest dominators first (latest in the order): one not yet implied by an earlier one is a cover.
    for (let w = words - 1; w >= 0; w--) {
      let bits = (cache[base + w] as number) & ~(covered[w] as number)
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits)
        const x = w * 32 + bit
        from.push(sets.node[q] as number)
        to.push(sets.node[x] as number)
        const xBase = offsets[x] as number
        const xWords = (x + 31) >>> 5
        for (let v = 0; v < xWords; v++) covered[v] = (covered[v] as number) | (cache[xBase + v] as number)
        bits = (cache[base + w] as number) & ~(covered[w] as number) & ((1 << bit) - 1)
      }
    }
  }
  // A check of the bitsets against the definition on a sample of the requirements.
  for (let k = 0; k < from.length; k += Math.max(1, Math.floor(from.length / 1000)))
    if (!dominates(to[k] as number, from[k] as number)) throw new Error(`internal: bucket ${to[k]} recorded as dominating ${from[k]}, which it does not`)
  return { requirements: { from: Int32Array.from(from), to: Int32Array.from(to), count: from.length }, kept: needed }
}

/**
 * Buckets sorted so that dominators come first (by the sum of the levels' ranks and the bins), and per
 * comparison and per value (level, bin) the bitset of positions whose value is at least as good: a bucket's
 * dominators are the AND of its values' bitsets, restricted to the positions before it.
 */
function dominatorSets(buckets: BucketSet, orders: LevelOrder[], nodes: Int32Array) {
  const C = buckets.comparisons
  const potential = (i: number) => {
    let sum = 0
    for (let c = 0; c < C; c++) sum += ((orders[c] as LevelOrder).rank[buckets.levels[i * C + c] as number] as number) + (buckets.bins[i * C + c] as number)
    return sum
  }
  const node = Int32Array.from(nodes).sort((x, y) => potential(y) - potential(x))
  const n = node.length
  const words = Math.max(1, (n + 31) >>> 5)
  const valueOf: Int32Array[] = []
  const bitsets: Int32Array[][] = []
  for (let c = 0; c < C; c++) {
    const order = orders[c] as LevelOrder
    const index = new Map<string, number>()
    const values: [number, number][] = []
    const of = new Int32Array(n)
    for (let q = 0; q < n; q++) {
      const i = node[q] as number
      const level = buckets.levels[i * C + c] as number
      const bin = buckets.bins[i * C + c] as number
      const key = `${level}:${bin}`
      let v = index.get(key)
      if (v === undefined) {
        v = values.length
        index.set(key, v)
        values.push([level, bin])
      }
      of[q] = v
    }
    // Positions per level, by bin from the largest: a value's bitset is, for each level at least as good, a prefix.
    const byLevel: number[][] = Array.from({ length: order.levels }, () => [])
    for (let q = 0; q < n; q++) (byLevel[buckets.levels[(node[q] as number) * C + c] as number] as number[]).push(q)
    for (const list of byLevel) list.sort((p, q) => (buckets.bins[(node[q] as number) * C + c] as number) - (buckets.bins[(node[p] as number) * C + c] as number))
    bitsets.push(
      values.map(([level, bin]) => {
        const set = new Int32Array(words)
        for (let l = 0; l < order.levels; l++) {
          if (!order.atLeast[l * order.levels + level]) continue
          for (const q of byLevel[l] as number[]) {
            if ((buckets.bins[(node[q] as number) * C + c] as number) < bin) break
            set[q >>> 5] = (set[q >>> 5] as number) | (1 << (q & 31))
          }
        }
        return set
      }),
    )
    valueOf.push(of)
  }
  return {
    node,
    words,
    /** The dominators of position q (strictly, so at positions before q), into `out` (words beyond q's are zeroed). */
    dominatorsOf(q: number, out: Int32Array): void {
      const used = (q + 31) >>> 5
      out.fill(0)
      if (used === 0) return
      const first = bitsets[0]?.[valueOf[0]?.[q] as number] as Int32Array
      for (let w = 0; w < used; w++) out[w] = first[w] as number
      for (let c = 1; c < C; c++) {
        const set = (bitsets[c] as Int32Array[])[(valueOf[c] as Int32Array)[q] as number] as Int32Array
        for (let w = 0; w < used; w++) out[w] = (out[w] as number) & (set[w] as number)
      }
      if (q & 31) out[used - 1] = (out[used - 1] as number) & ((1 << (q & 31)) - 1)
    },
  }
}

/** A closure's buckets (indexed as the bucket set) and its true and false pairs. */
export interface UpSet {
  selected: Uint8Array
  tp: number
  fp: number
}

/**
 * The up-sets of a bucket set's dominance order: the requirements computed once, then the best up-set for any
 * counts of true and false pairs per bucket (the bucket set's own, or a part of them, for cross-fitting).
 */
export class UpSets {
  readonly buckets: BucketSet
  readonly nodes: Int32Array
  readonly requirements: Requirements
  cuts = 0
  private local: Requirements

  /** Buckets with no true pair in `buckets` that dominate none with one are left out: no best up-set takes them. */
  constructor(buckets: BucketSet, orders: LevelOrder[]) {
    this.buckets = buckets
    const { requirements, kept } = dominance(buckets, orders)
    this.requirements = requirements
    this.nodes = Int32Array.from({ length: buckets.count }, (_, i) => i).filter((i) => kept[i] === 1)
    const position = new Int32Array(buckets.count).fill(-1)
    this.nodes.forEach((i, q) => (position[i] = q))
    this.local = { from: requirements.from.map((i) => position[i] as number), to: requirements.to.map((i) => position[i] as number), count: requirements.count }
  }

  /** The up-set maximising den * TP - num * FP (lambda = num / den, integers so the sums are exact); the smallest such. */
  best(tp: Int32Array, fp: Int32Array, num: number, den: number): UpSet {
    this.cuts++
    const weights = Float64Array.from(this.nodes, (i) => den * (tp[i] as number) - num * (fp[i] as number))
    const { selected: local } = maximumClosure(weights, this.local)
    const selected = new Uint8Array(this.buckets.count)
    let takenTp = 0
    let takenFp = 0
    this.nodes.forEach((i, q) => {
      if (local[q]) {
        selected[i] = 1
        takenTp += tp[i] as number
        takenFp += fp[i] as number
      }
    })
    return { selected, tp: takenTp, fp: takenFp }
  }

  /**
   * The best true pairs at precision >= p over up-sets: the upper concave hull of (FP, TP) searched between its
   * vertices on either side of the line TP * (1 - p) = FP * p (Eisner and Severance's search of a parametric
   * problem: each cut finds the vertex farthest above the chord, if any). Returns the hull's TP on the line (a
   * bound) and the vertex below it (attained).
   */
  ceiling(precision: number, tp = this.buckets.tp, fp = this.buckets.fp): { upperTp: number; attained: UpSet } {
    if (!(precision > 0 && precision < 1)) throw new RangeError(`precision ${precision} is not between 0 and 1`)
    const totalTp = tp.reduce((sum, count) => sum + count, 0)
    const precise = (point: UpSet) => point.tp + point.fp === 0 || point.tp / (point.tp + point.fp) >= precision
    let a = this.best(tp, fp, totalTp + 1, 1) // no false pair is worth a true one: the most true pairs with none false
    let b = this.best(tp, fp, 0, 1) // every true pair, with what it requires
    if (precise(b)) return { upperTp: b.tp, attained: b }
    for (;;) {
      const num = b.tp - a.tp
      const den = b.fp - a.fp
      const c = this.best(tp, fp, num, den)
      if (den * c.tp - num * c.fp <= den * a.tp - num * a.fp) break // nothing above the chord a-b: it is a hull edge
      if (precise(c)) a = c
      else b = c
    }
    // Where the edge a-b crosses TP * (1 - p) = FP * p.
    const slack = (point: UpSet) => point.tp * (1 - precision) - point.fp * precision
    const t = slack(a) / (slack(a) - slack(b))
    return { upperTp: a.tp + t * (b.tp - a.tp), attained: a }
  }
}

export interface Ceiling {
  /** The hull's TP at precision p: no up-set (no monotone model) takes more true pairs at precision >= p. */
  upperTp: number
  /** An up-set with precision >= p (the hull vertex below the line): a monotone model takes this many. */
  attainedTp: number
  attainedFp: number
  /** The buckets of that up-set. */
  selected: Uint8Array
  buckets: number
  keptBuckets: number
  requirements: number
  /** Minimum cuts solved. */
  cuts: number
}

/** The monotone ceiling over buckets (see the file's head). */
export function monotoneCeiling(buckets: BucketSet, orders: LevelOrder[], precision: number): Ceiling {
  const upSets = new UpSets(buckets, orders)
  const { upperTp, attained } = upSets.ceiling(precision)
  return { upperTp, attainedTp: attained.tp, attainedFp: attained.fp, selected: attained.selected, buckets: buckets.count, keptBuckets: upSets.nodes.length, requirements: upSets.requirements.count, cuts: upSets.cuts }
}

export interface CeilingOptions {
  precision?: number
  nulls?: NullTreatment
  /** The term-frequency adjustments' resolution in bits; 0 (the default) keeps them exact (to a millionth of a bit). */
  tfResolution?: number
  /** Leave these comparisons out of the buckets (their levels and adjustments), to see what they add. */
  without?: string[]
}

export interface GroupCeiling extends Ceiling {
  group: string
  /** The group's true pairs, compared or not (the recall's denominator). */
  truePairs: number
  upperRecall: number
  attainedRecall: number
  seconds: number
  /**
   * Not a bound: the best recall at precision >= p of up-sets chosen on nine tenths of the pairs, read on the tenth
   * left out, with that precision; recall 0 and the best precision reached when none reaches p.
   */
  crossFitted: { recall: number; precision: number }
}

/** Every candidate pair of a run of generated records (`extra.group`, `extra.person_id`), bucketed per group. */
export interface PairBuckets {
  comparisons: string[]
  groups: string[]
  left: Int32Array
  right: Int32Array
  group: Int32Array
  bucket: Int32Array
  match: Uint8Array
  weight: Float64Array
  /** Per group, its buckets (indexed by `bucket`). */
  buckets: BucketSet[]
}

/**
 * Buckets every candidate pair of the run (all the blocking rules find, whatever their score: a model could take
 * any of them), with its match weight under the run's model. Throws when the pairs found differ in number from the
 * run's own (the blocking options differ).
 */
export function pairBuckets(run: LinkageRun, options: CeilingOptions = {}): PairBuckets {
  const resolution = options.tfResolution ?? 0
  const records = run.table.records as PersonRecord[]
  const comparisons = run.model.comparisons.map((comparison) => comparison.definition.name)
  const used = comparisons.map((name, c) => (options.without?.includes(name) ? -1 : c)).filter((c) => c >= 0)
  const left: number[] = []
  const right: number[] = []
  generatePairs(run.table, run.model.blockingRules, (l, r, count) => {
    for (let p = 0; p < count; p++) {
      left.push(l[p] as number)
      right.push(r[p] as number)
    }
  })
  if (left.length !== run.candidatePairs) throw new Error(`the blocking rules found ${left.length} pairs, the run compared ${run.candidatePairs}: run it with the default block size`)
  const n = left.length
  const groups: string[] = []
  const groupIndex = new Map<string, number>()
  const keys: Map<string, number>[] = []
  const rows: { levels: number[]; bins: number[]; tp: number; fp: number }[][] = []
  const result = { comparisons: used.map((c) => comparisons[c] as string), groups, left: Int32Array.from(left), right: Int32Array.from(right), group: new Int32Array(n), bucket: new Int32Array(n), match: new Uint8Array(n), weight: new Float64Array(n), buckets: [] as BucketSet[] }
  for (let p = 0; p < n; p++) {
    const a = left[p] as number
    const b = right[p] as number
    const name = records[a]?.extra.group ?? ''
    let g = groupIndex.get(name)
    if (g === undefined) {
      g = groups.length
      groupIndex.set(name, g)
      groups.push(name)
      keys.push(new Map())
      rows.push([])
    }
    const explained = run.scorer.explain(a, b)
    const levels = used.map((c) => explained.comparisons[c]?.level ?? 0)
    const bins = used.map((c) => {
      const adjustment = explained.comparisons[c]?.tfAdjustment ?? 0
      return resolution > 0 ? Math.round(adjustment / resolution) : Math.round(adjustment * 1e6)
    })
    const key = `${levels.join(',')}:${bins.join(',')}`
    const map = keys[g] as Map<string, number>
    const list = rows[g] as { levels: number[]; bins: number[]; tp: number; fp: number }[]
    let bucket = map.get(key)
    if (bucket === undefined) {
      bucket = list.length
      map.set(key, bucket)
      list.push({ levels, bins, tp: 0, fp: 0 })
    }
    const match = records[a]?.extra.person_id === records[b]?.extra.person_id
    const row = list[bucket] as { tp: number; fp: number }
    if (match) row.tp++
    else row.fp++
    result.group[p] = g
    result.bucket[p] = bucket
    result.match[p] = match ? 1 : 0
    result.weight[p] = explained.matchWeight
  }
  result.buckets = rows.map((list) => bucketSet(list))
  return result
}

/** The monotone ceiling of each group (truePairs: each group's true pairs, compared or not). */
export function monotoneCeilings(run: LinkageRun, pairs: PairBuckets, truePairs: Map<string, number>, options: CeilingOptions = {}): Map<string, GroupCeiling> {
  const allOrders = modelLevelOrders(run.model, options.nulls ?? 'apart')
  const orders = run.model.comparisons.flatMap((comparison, c) => (pairs.comparisons.includes(comparison.definition.name) ? [allOrders[c] as LevelOrder] : []))
  const precision = options.precision ?? 0.98
  const ceilings = new Map<string, GroupCeiling>()
  pairs.groups.forEach((group, g) => {
    const started = performance.now()
    const buckets = pairs.buckets[g] as BucketSet
    const upSets = new UpSets(buckets, orders)
    const { upperTp, attained } = upSets.ceiling(precision)
    const seconds = (performance.now() - started) / 1000
    const total = truePairs.get(group) ?? 0
    const recall = (tp: number) => (total > 0 ? tp / total : 0)
    ceilings.set(group, {
      upperTp,
      attainedTp: attained.tp,
      attainedFp: attained.fp,
      selected: attained.selected,
      buckets: buckets.count,
      keptBuckets: upSets.nodes.length,
      requirements: upSets.requirements.count,
      cuts: upSets.cuts,
      group,
      truePairs: total,
      upperRecall: recall(upperTp),
      attainedRecall: recall(attained.tp),
      seconds,
      crossFitted: crossFitted(pairs, g, upSets, precision, total),
    })
  })
  return ceilings
}

/**
 * Not a bound: what an up-set learnt from labelled pairs reaches on pairs it has not seen. The pairs are dealt
 * into ten folds (by the pair, fixed); for each exchange rate lambda on a grid (a quarter to 4,096 true pairs per false one),
 * each fold's pairs are read with the best up-set of the other nine folds at that rate, and the folds' true and
 * false pairs pooled; the best recall among the rates whose pooled precision is >= p (else 0, with the best precision). The model is trained without
 * labels; this estimate, trained with them, says how much of the ceiling's lead is luck.
 */
function crossFitted(pairs: PairBuckets, g: number, upSets: UpSets, precision: number, truePairs: number, folds = 10): { recall: number; precision: number } {
  const buckets = pairs.buckets[g] as BucketSet
  const foldTp = Array.from({ length: folds }, () => new Int32Array(buckets.count))
  const foldFp = Array.from({ length: folds }, () => new Int32Array(buckets.count))
  for (let p = 0; p < pairs.group.length; p++) {
    if (pairs.group[p] !== g) continue
    const fold = ((Math.imul(pairs.left[p] as number, 0x9e3779b1) ^ Math.imul(pairs.right[p] as number, 0x85ebca6b)) >>> 0) % folds
    const bucket = pairs.bucket[p] as number
    const counts = (pairs.match[p] ? foldTp : foldFp)[fold] as Int32Array
    counts[bucket] = (counts[bucket] as number) + 1
  }
  let best = { recall: 0, precision: 0 }
  // Rates from a quarter of a true pair per false one to 4,096 (the hull's slope where it crosses precision p
  // is below p / (1 - p), often far below).
  for (let step = -8; step <= 48; step++) {
    const num = Math.round(2 ** (step / 4) * 16)
    let tp = 0
    let fp = 0
    for (let fold = 0; fold < folds; fold++) {
      const fitTp = buckets.tp.map((count, i) => count - ((foldTp[fold] as Int32Array)[i] as number))
      const fitFp = buckets.fp.map((count, i) => count - ((foldFp[fold] as Int32Array)[i] as number))
      const { selected } = upSets.best(fitTp, fitFp, num, 16)
      for (let i = 0; i < buckets.count; i++)
        if (selected[i]) {
          tp += (foldTp[fold] as Int32Array)[i] as number
          fp += (foldFp[fold] as Int32Array)[i] as number
        }
    }
    const reached = tp + fp > 0 ? tp / (tp + fp) : 0
    const recall = truePairs > 0 ? tp / truePairs : 0
    if (reached >= precision ? recall > best.recall || best.precision < precision : reached > best.precision) best = { recall: reached >= precision ? recall : 0, precision: reached }
  }
  return best
}

/**
 * Where the ceiling and the model part, by the pairs' levels on the given comparisons: the true and false pairs
 * the ceiling's up-set takes that the model scores below its threshold, and those the model takes that the
 * ceiling leaves. Sorted by the true pairs the ceiling gains.
 */
export function ceilingTally(pairs: PairBuckets, group: string, ceiling: Ceiling, thresholdWeight: number, by: string[]): { pattern: string; gainedTp: number; gainedFp: number; lostTp: number; lostFp: number }[] {
  const g = pairs.groups.indexOf(group)
  const buckets = pairs.buckets[g]
  if (g < 0 || !buckets) return []
  const columns = by.map((name) => pairs.comparisons.indexOf(name)).filter((c) => c >= 0)
  const rows = new Map<string, { pattern: string; gainedTp: number; gainedFp: number; lostTp: number; lostFp: number }>()
  for (let p = 0; p < pairs.group.length; p++) {
    if (pairs.group[p] !== g) continue
    const bucket = pairs.bucket[p] as number
    const byCeiling = ceiling.selected[bucket] === 1
    const byModel = (pairs.weight[p] as number) >= thresholdWeight
    if (byCeiling === byModel) continue
    const pattern = columns.map((c) => `${pairs.comparisons[c]}:${buckets.levels[bucket * buckets.comparisons + c]}`).join(' ')
    const row = rows.get(pattern) ?? { pattern, gainedTp: 0, gainedFp: 0, lostTp: 0, lostFp: 0 }
    if (byCeiling) {
      if (pairs.match[p]) row.gainedTp++
      else row.gainedFp++
    } else if (pairs.match[p]) row.lostTp++
    else row.lostFp++
    rows.set(pattern, row)
  }
  return [...rows.values()].sort((x, y) => y.gainedTp - y.lostTp - (x.gainedTp - x.lostTp))
}
