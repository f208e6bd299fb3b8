// Scoring a run's candidate pairs: unit by unit (a run of one rule's blocks, blocking.ts), keeping the pairs
// at or above the threshold, on this thread or on worker threads (workers.ts). The units' results are put
// back together in unit order, so the pairs, their order and their weights are the same whatever the number
// of threads: each thread scores with the same model over the same feature table (its caches only save work).
import { generateUnitPairs, type BlockingPlan } from './blocking.ts'
import type { LinkageModel, Scorer } from './model.ts'
import type { LinkageWorkers, UnitResult } from './workers.ts'

/** Scored pairs in parallel typed arrays (record indexes into the run's feature table). */
export class ScoredPairs {
  left = new Int32Array(1024)
  right = new Int32Array(1024)
  weight = new Float32Array(1024)
  count = 0

  push(a: number, b: number, weight: number): void {
    if (this.count === this.left.length) {
      const size = this.left.length * 2
      const left = new Int32Array(size)
      left.set(this.left)
      this.left = left
      const right = new Int32Array(size)
      right.set(this.right)
      this.right = right
      const weights = new Float32Array(size)
      weights.set(this.weight)
      this.weight = weights
    }
    this.left[this.count] = a
    this.right[this.count] = b
    this.weight[this.count] = weight
    this.count++
  }
}

/** Scores one unit's candidate pairs; `buffer` is reused between units. */
export function scoreUnit(plan: BlockingPlan, scorer: Scorer, unit: number, thresholdWeight: number, buffer: ScoredPairs): UnitResult {
  buffer.count = 0
  const candidates = generateUnitPairs(plan, unit, (a, b) => {
    const weight = scorer.score(a, b)
    if (weight >= thresholdWeight) buffer.push(a, b, weight)
  })
  return { unit, candidates, left: buffer.left.slice(0, buffer.count), right: buffer.right.slice(0, buffer.count), weight: buffer.weight.slice(0, buffer.count) }
}

export interface ScoringOptions {
  /** Worker threads to score on; without them, this thread scores. */
  workers?: LinkageWorkers | null
  onProgress?: (unitsDone: number, unitsTotal: number) => void
}

export interface ScoringResult {
  pairs: ScoredPairs
  candidatePairs: number
  /** Pairs generated per rule of the plan. */
  pairsPerRule: Float64Array
  /** Threads that scored at least one unit. */
  threadsUsed: number
}

/** Scores every candidate pair of the plan; pairs at or above the threshold are kept, in unit order. */
export function scorePlan(model: LinkageModel, scorer: Scorer, plan: BlockingPlan, thresholdWeight: number, options: ScoringOptions = {}): ScoringResult {
  const units = plan.unitRule.length
  const results: (UnitResult | undefined)[] = new Array(units)
  let done = 0
  const record = (result: UnitResult) => {
    results[result.unit] = result
    done++
    options.onProgress?.(done, units)
  }
  let threadsUsed = 1
  if (options.workers) {
    options.workers.score(plan, model, thresholdWeight, record)
    threadsUsed = options.workers.scoringThreads
  } else {
    const buffer = new ScoredPairs()
    for (let unit = 0; unit < units; unit++) record(scoreUnit(plan, scorer, unit, thresholdWeight, buffer))
  }
  let count = 0
  let candidatePairs = 0
  const pairsPerRule = new Float64Array(plan.rules.length)
  for (let unit = 0; unit < units; unit++) {
    const result = results[unit]
    if (!result) throw new Error(`Unit ${unit} of the blocking plan was not scored`)
    count += result.left.length
    candidatePairs += result.candidates
    const rule = plan.unitRule[unit] as number
    pairsPerRule[rule] = (pairsPerRule[rule] as number) + result.candidates
  }
  const pairs = new ScoredPairs()
  pairs.left = new Int32Array(Math.max(count, 1))
  pairs.right = new Int32Array(pairs.left.length)
  pairs.weight = new Float32Array(pairs.left.length)
  for (let unit = 0, at = 0; unit < units; unit++) {
    const result = results[unit] as UnitResult
    pairs.left.set(result.left, at)
    pairs.right.set(result.right, at)
    pairs.weight.set(result.weight, at)
    at += result.left.length
    results[unit] = undefined
  }
  pairs.count = count
  return { pairs, candidatePairs, pairsPerRule, threadsUsed }
}
