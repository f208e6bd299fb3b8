// The best any model could do on these comparisons: with the labels known, rank the buckets of pairs that
// share every comparison level and their names' commonness (the names' term-frequency adjustment, to the
// nearest two bits) by their precision, and take buckets while precision stays at or above the target. A
// model's recall below this bound is the model's fault; the gap between this bound and 1 is the data's
// (pairs no comparison here can tell apart: the same names, a consistent date, no identifier). The hair and
// eye colours' frequencies (their term-frequency adjustment, to the nearest two bits) are part of the bucket too.
// Each comparison added splits the buckets finer, and a small bucket that happens to hold only true pairs counts
// in full: `minimumBucket` leaves out buckets of fewer pairs, to see how much of the bound is such luck. With the
// ten comparisons of the physical description this is no bound any more; `monotone-ceiling.ts` is (for any model
// that respects the order of each comparison's levels).
import type { LinkageRun } from '../../src/linkage/link.ts'

export interface ScoredPair {
  a: number
  b: number
  match: boolean
}

export function recallBound(run: LinkageRun, pairs: ScoredPair[], truePairs: number, precision = 0.98, minimumBucket = 1): number {
  const buckets = new Map<string, { tp: number; fp: number }>()
  const keyOf = bucketKey(run)
  for (const pair of pairs) {
    const key = keyOf(pair)
    const entry = buckets.get(key) ?? { tp: 0, fp: 0 }
    if (pair.match) entry.tp++
    else entry.fp++
    buckets.set(key, entry)
  }
  let tp = 0
  let fp = 0
  let best = 0
  for (const entry of [...buckets.values()].filter((bucket) => bucket.tp + bucket.fp >= minimumBucket).sort((x, y) => y.tp / (y.tp + y.fp) - x.tp / (x.tp + x.fp))) {
    tp += entry.tp
    fp += entry.fp
    if (tp / (tp + fp) >= precision) best = tp / truePairs
  }
  return best
}

/** A pair's bucket: every comparison level, the names' frequency and the colours' (to the nearest two bits). */
function bucketKey(run: LinkageRun): (pair: ScoredPair) => string {
  const levels = new Uint8Array(run.model.comparisons.length)
  const colours = run.model.comparisons.flatMap((comparison, c) => (comparison.definition.name === 'hair' || comparison.definition.name === 'eyes' ? [c] : []))
  return (pair) => {
    run.scorer.levels(pair.a, pair.b, levels)
    const explained = run.scorer.explain(pair.a, pair.b).comparisons
    const colourKey = colours.map((c) => Math.round((explained[c]?.tfAdjustment ?? 0) / 2)).join(',')
    return `${levels.join(',')}:${Math.round((explained[0]?.tfAdjustment ?? 0) / 2)}:${colourKey}`
  }
}

/**
 * The same ranking of buckets, but honest about luck: the pairs are split in two halves (by the pair, fixed), the
 * buckets ranked by their precision on one half (a bucket's true and false pairs plus one pair at the half's
 * overall precision, so a bucket of one true pair does not come first) and the recall at the target precision
 * read on the other half, then the halves swapped and the two averaged. Not a ceiling: an estimate of what a
 * model that knew each bucket's precision would reach on pairs it had not seen. With more comparisons the
 * buckets split finer and the in-sample bound above counts more small buckets that hold only true pairs by
 * chance; this one does not.
 */
export function recallHeldOut(run: LinkageRun, pairs: ScoredPair[], truePairs: number, precision = 0.98): number {
  const keyOf = bucketKey(run)
  const half = (pair: ScoredPair) => (Math.imul(pair.a, 0x9e3779b1) ^ Math.imul(pair.b, 0x85ebca6b)) & 1
  const counts = [new Map<string, { tp: number; fp: number }>(), new Map<string, { tp: number; fp: number }>()]
  const keyed = pairs.map((pair) => ({ key: keyOf(pair), side: half(pair), match: pair.match }))
  for (const { key, side, match } of keyed) {
    const map = counts[side] as Map<string, { tp: number; fp: number }>
    const entry = map.get(key) ?? { tp: 0, fp: 0 }
    if (match) entry.tp++
    else entry.fp++
    map.set(key, entry)
  }
  const comparedTrue = keyed.filter((pair) => pair.match).length
  let total = 0
  for (const side of [0, 1]) {
    const fit = counts[1 - side] as Map<string, { tp: number; fp: number }>
    const test = counts[side] as Map<string, { tp: number; fp: number }>
    let fitTp = 0
    let fitAll = 0
    for (const entry of fit.values()) {
      fitTp += entry.tp
      fitAll += entry.tp + entry.fp
    }
    const base = fitAll > 0 ? fitTp / fitAll : 0
    const estimate = (key: string) => {
      const entry = fit.get(key) ?? { tp: 0, fp: 0 }
      return (entry.tp + base) / (entry.tp + entry.fp + 1)
    }
    const ranked = [...test.entries()].sort((x, y) => estimate(y[0]) - estimate(x[0]))
    // This half's share of the true pairs, never-compared ones included.
    const sideTrue = [...test.values()].reduce((sum, entry) => sum + entry.tp, 0)
    const denominator = comparedTrue > 0 ? (truePairs * sideTrue) / comparedTrue : truePairs / 2
    let tp = 0
    let fp = 0
    let best = 0
    for (const [, entry] of ranked) {
      tp += entry.tp
      fp += entry.fp
      if (tp / (tp + fp) >= precision) best = tp / denominator
    }
    total += best
  }
  return total / 2
}
