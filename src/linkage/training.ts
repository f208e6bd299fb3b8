// Training a model without labels, as Splink does it:
// - the prior from deterministic rules: the pairs that rules like "same identifier" or "same names and
//   date of birth" find, divided by their recall, over all possible pairs. Splink asks the analyst for that
//   recall; for this population (assessed ages, names in many spellings) nobody knows it, so unless one is
//   given it is estimated by capture-recapture: two rules that find matches independently of each other
//   (a shared identifier; the same names and date of birth) each "capture" some of the matches, and the
//   overlap of their captures gives the number of matches (Lincoln-Petersen: |A| |B| / |A and B|), and so
//   the recall of both together (docs/adr/0011);
// - u by random sampling: among pairs drawn at random almost none match, so the share of each level among
//   them is u;
// - m by expectation-maximisation over the pairs of training blocking rules, with u fixed. A comparison
//   whose columns a training rule blocks on cannot be estimated in that session (every pair agrees on it);
//   each m is the average of the sessions that could estimate it.
import { Random } from '../lib/random.ts'
import { countRulePairs, generatePairs, type BlockingRule } from './blocking.ts'
import type { ComparisonDefinition } from './comparisons.ts'
import type { FeatureTable } from './features.ts'
import type { LinkageModel, ModelComparison } from './model.ts'
import { countPatterns, type LevelPatterns, type LinkageWorkers } from './workers.ts'

export interface TrainingOptions {
  /** Rules whose pairs are almost all matches, for the prior. */
  deterministicRules: BlockingRule[]
  /** The share of true matches the deterministic rules find (Splink's `recall`); estimated when absent. */
  recall?: number
  /** One EM session per rule. */
  trainingRules: BlockingRule[]
  /** Rules the trained model will block on when predicting. */
  predictionRules: BlockingRule[]
  uSamplePairs?: number
  emMaxPairs?: number
  maxIterations?: number
  convergence?: number
  maxBlockSize?: number
  seed?: number
  /** Worker threads for the blocks and the comparison levels of the training pairs (the model is the same without). */
  workers?: LinkageWorkers | null
  onProgress?: (stage: string, done: number, total: number) => void
}

export interface TrainingReport {
  prior: { deterministicPairs: number; totalPairs: number; recall: number; recallEstimated: boolean; probability: number }
  uSample: { pairs: number }
  sessions: { rule: string; pairs: number; iterations: number; estimated: string[]; lambda: number }[]
}

function totalPairs(table: FeatureTable): number {
  if (table.leftSize < table.size) return table.leftSize * (table.size - table.leftSize)
  return (table.size * (table.size - 1)) / 2
}

/** Starting m: most of the mass on the strongest levels, a little on "else". */
function defaultM(definition: ComparisonDefinition): number[] {
  const levels = definition.levels
  const nonNull = levels.map((level, index) => (level.isNull ? -1 : index)).filter((index) => index >= 0)
  const m = levels.map(() => NaN)
  let total = 0
  nonNull.forEach((index, position) => {
    const value = position === nonNull.length - 1 ? 0.05 : 0.95 * 2 ** -(2 * position)
    m[index] = value
    total += value
  })
  for (const index of nonNull) m[index] = (m[index] as number) / total
  return m
}

const FLOOR = 1e-6

/** The level patterns of a list of pairs, on the worker threads if there are any, else here. */
function patternsOf(table: FeatureTable, comparisons: ComparisonDefinition[], active: boolean[], left: Int32Array, right: Int32Array, workers: LinkageWorkers | null): LevelPatterns {
  if (workers) return workers.patterns(comparisons, active, left, right)
  const bound = comparisons.map((comparison) => comparison.bind(table))
  return countPatterns(bound, active, left, right, 0, left.length)
}

/** u from pairs drawn at random. A level never seen among N pairs gets u = 1/N. */
export function estimateU(table: FeatureTable, comparisons: ComparisonDefinition[], pairs: number, random: Random, workers: LinkageWorkers | null = null): number[][] {
  const link = table.leftSize < table.size
  const rightSize = table.size - table.leftSize
  const left = new Int32Array(pairs)
  const right = new Int32Array(pairs)
  for (let p = 0; p < pairs; p++) {
    let a: number
    let b: number
    if (link) {
      a = Math.floor(random.next() * table.leftSize)
      b = table.leftSize + Math.floor(random.next() * rightSize)
    } else {
      a = Math.floor(random.next() * table.size)
      b = Math.floor(random.next() * (table.size - 1))
      if (b >= a) b++
    }
    left[p] = a
    right[p] = b
  }
  const patterns = patternsOf(
    table,
    comparisons,
    comparisons.map(() => true),
    left,
    right,
    workers,
  )
  const counts = comparisons.map((comparison) => new Float64Array(comparison.levels.length))
  for (let p = 0; p < patterns.size; p++) {
    for (let c = 0; c < comparisons.length; c++) {
      const level = patterns.levels[p * comparisons.length + c] as number
      const row = counts[c] as Float64Array
      row[level] = (row[level] ?? 0) + (patterns.counts[p] as number)
    }
  }
  return comparisons.map((comparison, c) => {
    const row = counts[c] as Float64Array
    const observed = comparison.levels.reduce((sum, level, index) => (level.isNull ? sum : sum + (row[index] ?? 0)), 0)
    return comparison.levels.map((level, index) => (level.isNull ? NaN : Math.max(row[index] ?? 0, 1) / Math.max(observed, 1)))
  })
}

/** Pairs found by the deterministic rules. */
export function countDeterministicPairs(table: FeatureTable, rules: BlockingRule[], maxBlockSize: number, workers: LinkageWorkers | null = null): number {
  let found = 0
  generatePairs(table, rules, (_left, _right, count) => (found += count), { maxBlockSize, workers })
  return found
}

/**
 * The recall of the deterministic rules by capture-recapture on the first two: A and B find matches
 * independently, so the number of matches is about |A| |B| / |A and B|, and A-or-B finds |A or B| of them.
 * Null when it cannot say (fewer than two rules, or no overlap).
 */
export function captureRecaptureRecall(table: FeatureTable, rules: BlockingRule[], maxBlockSize: number, workers: LinkageWorkers | null = null): number | null {
  if (rules.length < 2) return null
  const [first, second] = rules as [BlockingRule, BlockingRule]
  const a = countDeterministicPairs(table, [first], maxBlockSize, workers)
  const b = countDeterministicPairs(table, [second], maxBlockSize, workers)
  const either = countDeterministicPairs(table, [first, second], maxBlockSize, workers)
  const both = a + b - either
  if (both <= 0) return null
  const matches = (a * b) / both
  return Math.min(1, either / matches)
}

/** EM over the distinct level patterns of one session's pairs, u fixed; returns m for the active comparisons. */
function expectationMaximisation(
  comparisons: ComparisonDefinition[],
  active: boolean[],
  patterns: LevelPatterns,
  m: number[][],
  u: number[][],
  maxIterations: number,
  convergence: number,
): { m: number[][]; lambda: number; iterations: number } {
  let lambda = 0.1
  let current = m.map((row) => [...row])
  let iterations = 0
  for (; iterations < maxIterations; iterations++) {
    const next = comparisons.map((comparison) => new Float64Array(comparison.levels.length))
    let matched = 0
    let total = 0
    const n = comparisons.length
    for (let p = 0; p < patterns.size; p++) {
      const levels = patterns.levels.subarray(p * n, (p + 1) * n)
      const count = patterns.counts[p] as number
      let pm = lambda
      let pu = 1 - lambda
      for (let c = 0; c < comparisons.length; c++) {
        if (!active[c]) continue
        const level = levels[c] as number
        if ((comparisons[c] as ComparisonDefinition).levels[level]?.isNull) continue
        pm *= (current[c] as number[])[level] as number
        pu *= (u[c] as number[])[level] as number
      }
      const r = pm + pu > 0 ? pm / (pm + pu) : 0
      matched += count * r
      total += count
      for (let c = 0; c < comparisons.length; c++) {
        if (!active[c]) continue
        const level = levels[c] as number
        if ((comparisons[c] as ComparisonDefinition).levels[level]?.isNull) continue
        const row = next[c] as Float64Array
        row[level] = (row[level] ?? 0) + count * r
      }
    }
    const newLambda = total > 0 ? matched / total : lambda
    let change = Math.abs(newLambda - lambda)
    const updated = current.map((row, c) => {
      if (!active[c]) return row
      const definition = comparisons[c] as ComparisonDefinition
      const sums = next[c] as Float64Array
      const sum = definition.levels.reduce((acc, level, index) => (level.isNull ? acc : acc + (sums[index] ?? 0)), 0)
      if (sum <= 0) return row
      const raw = definition.levels.map((level, index) => (level.isNull ? NaN : Math.max((sums[index] ?? 0) / sum, FLOOR)))
      const norm = raw.reduce((acc, value) => (Number.isNaN(value) ? acc : acc + value), 0)
      const result = raw.map((value) => (Number.isNaN(value) ? NaN : value / norm))
      result.forEach((value, index) => {
        if (!Number.isNaN(value)) change = Math.max(change, Math.abs(value - (row[index] ?? 0)))
      })
      return result
    })
    current = updated
    lambda = newLambda
    if (change < convergence) {
      iterations++
      break
    }
  }
  return { m: current, lambda, iterations }
}

/** Trains a model on the records: prior, u, then m by EM. */
export function trainModel(table: FeatureTable, comparisons: ComparisonDefinition[], options: TrainingOptions): { model: LinkageModel; report: TrainingReport } {
  const random = new Random(options.seed ?? 1)
  const maxBlockSize = options.maxBlockSize ?? 1000
  options.onProgress?.('prior', 0, 1)
  const workers = options.workers ?? null
  const deterministicPairs = countDeterministicPairs(table, options.deterministicRules, maxBlockSize, workers)
  const allPairs = Math.max(1, totalPairs(table))
  options.onProgress?.('prior', 1, 1)

  const samplePairs = Math.min(options.uSamplePairs ?? 2_000_000, allPairs)
  options.onProgress?.('u', 0, 1)
  const u = estimateU(table, comparisons, samplePairs, random, workers)
  options.onProgress?.('u', 1, 1)

  const sessionsM: number[][][] = []
  const sessionsActive: boolean[][] = []
  const sessions: TrainingReport['sessions'] = []
  const emMaxPairs = options.emMaxPairs ?? 1_000_000
  options.trainingRules.forEach((rule, index) => {
    options.onProgress?.('m', index, options.trainingRules.length)
    const active = comparisons.map((comparison) => !comparison.columns.some((column) => rule.columns.includes(column)))
    const available = countRulePairs(table, rule, maxBlockSize, workers)
    const sampleProbability = available > emMaxPairs ? emMaxPairs / available : 1
    // The sample is drawn here (one random number per candidate pair, in order); its levels are counted on the workers.
    let left = new Int32Array(1024)
    let right = new Int32Array(1024)
    let pairs = 0
    generatePairs(
      table,
      [rule],
      (batchLeft, batchRight, count) => {
        if (pairs + count > left.length) {
          const size = Math.max(left.length * 2, pairs + count)
          const grownLeft = new Int32Array(size)
          grownLeft.set(left.subarray(0, pairs))
          left = grownLeft
          const grownRight = new Int32Array(size)
          grownRight.set(right.subarray(0, pairs))
          right = grownRight
        }
        left.set(batchLeft.subarray(0, count), pairs)
        right.set(batchRight.subarray(0, count), pairs)
        pairs += count
      },
      { maxBlockSize, sampleProbability, random: () => random.next(), workers },
    )
    const patterns = patternsOf(table, comparisons, active, left.subarray(0, pairs), right.subarray(0, pairs), workers)
    const start = comparisons.map(defaultM)
    const result = expectationMaximisation(comparisons, active, patterns, start, u, options.maxIterations ?? 25, options.convergence ?? 0.0001)
    sessionsM.push(result.m)
    sessionsActive.push(active)
    sessions.push({
      rule: rule.text,
      pairs,
      iterations: result.iterations,
      lambda: result.lambda,
      estimated: comparisons.filter((_comparison, c) => active[c]).map((comparison) => comparison.name),
    })
  })
  options.onProgress?.('m', options.trainingRules.length, options.trainingRules.length)

  const modelComparisons: ModelComparison[] = comparisons.map((definition, c) => {
    const estimates = sessionsM.filter((_m, s) => sessionsActive[s]?.[c]).map((m) => m[c] as number[])
    const m =
      estimates.length === 0
        ? defaultM(definition)
        : definition.levels.map((level, index) => (level.isNull ? NaN : estimates.reduce((sum, estimate) => sum + (estimate[index] ?? 0), 0) / estimates.length))
    return { definition, m, u: u[c] as number[] }
  })
  const model: LinkageModel = {
    linkType: table.leftSize < table.size ? 'link_only' : 'dedupe_only',
    probabilityTwoRandomRecordsMatch: 0.5,
    comparisons: modelComparisons,
    blockingRules: options.predictionRules,
  }
  let recall = options.recall
  const recallEstimated = recall === undefined
  if (recall === undefined) {
    // Lantern's default rules: capture-recapture on the first two; 0.8 (a common Splink choice) when it cannot say.
    recall = captureRecaptureRecall(table, options.deterministicRules, maxBlockSize, workers) ?? 0.8
  }
  const probability = Math.min(0.5, Math.max(1e-12, deterministicPairs / recall / allPairs))
  model.probabilityTwoRandomRecordsMatch = probability
  return {
    model,
    report: { prior: { deterministicPairs, totalPairs: allPairs, recall, recallEstimated, probability }, uSample: { pairs: samplePairs }, sessions },
  }
}
