// The best any model could do on these comparisons: with the labels known, rank the buckets of pairs that
// share every comparison level and their names' commonness (the names' term-frequency adjustment, to the
// nearest two bits) by their precision, and take buckets while precision stays at or above the target. A
// model's recall below this bound is the model's fault; the gap between this bound and 1 is the data's
// (pairs no comparison here can tell apart: the same names, a consistent date, no identifier). The hair and
// eye colours' frequencies (their term-frequency adjustment, to the nearest two bits) are part of the bucket too.
// Each comparison added splits the buckets finer, and a small bucket that happens to hold only true pairs counts
// in full: `minimumBucket` leaves out buckets of fewer pairs, to see how much of the bound is such luck.
import type { LinkageRun } from '../../src/linkage/link.ts'

export interface ScoredPair {
  a: number
  b: number
  match: boolean
}

export function recallBound(run: LinkageRun, pairs: ScoredPair[], truePairs: number, precision = 0.98, minimumBucket = 1): number {
  const levels = new Uint8Array(run.model.comparisons.length)
  const buckets = new Map<string, { tp: number; fp: number }>()
  const colours = run.model.comparisons.flatMap((comparison, c) => (comparison.definition.name === 'hair' || comparison.definition.name === 'eyes' ? [c] : []))
  for (const pair of pairs) {
    run.scorer.levels(pair.a, pair.b, levels)
    const explained = run.scorer.explain(pair.a, pair.b).comparisons
    const names = explained[0]
    const colourKey = colours.map((c) => Math.round((explained[c]?.tfAdjustment ?? 0) / 2)).join(',')
    const key = `${levels.join(',')}:${Math.round((names?.tfAdjustment ?? 0) / 2)}:${colourKey}`
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
