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
import type { BoundComparison, ComparisonDefinition } from './comparisons.ts'
import type { FeatureTable } from './features.ts'
import type { LinkageModel, ModelComparison } from './model.ts'

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

/** u from pairs drawn at random. A level never seen among N pairs gets u = 1/N. */
export function estimateU(table: FeatureTable, comparisons: ComparisonDefinition[], pairs: number, random: Random): number[][] {
  const bound = comparisons.map((comparison) => comparison.bind(table))
  const counts = comparisons.map((comparison) => new Float64Array(comparison.levels.length))
  const link = table.leftSize < table.size
  const rightSize = table.size - table.leftSize
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
    for (let c = 0; c < bound.length; c++) {
      const level = (bound[c] as BoundComparison).level(a, b)
      const row = counts[c] as Float64Array
      row[level] = (row[level] ?? 0) + 1
    }
  }
  return comparisons.map((comparison, c) => {
    const row = counts[c] as Float64Array
    const observed = comparison.levels.reduce((sum, level, index) => (level.isNull ? sum : sum + (row[index] ?? 0)), 0)
    return comparison.levels.map((level, index) => (level.isNull ? NaN : Math.max(row[index] ?? 0, 1) / Math.max(observed, 1)))
  })
}

/** Pairs found by the deterministic rules. */
export function countDeterministicPairs(table: FeatureTable, rules: BlockingRule[], maxBlockSize: number): number {
  let found = 0
  generatePairs(table, rules, (_left, _right, count) => (found += count), { maxBlockSize })
  return found
}

/**
 * The recall of the deterministic rules by capture-recapture on the first two: A and B find matches
 * independently, so the number of matches is about |A| |B| / |A and B|, and A-or-B finds |A or B| of them.
 * Null when it cannot say (fewer than two rules, or no overlap).
 */
export function captureRecaptureRecall(table: FeatureTable, rules: BlockingRule[], maxBlockSize: number): number | null {
  if (rules.length < 2) return null
  const [first, second] = rules as [BlockingRule, BlockingRule]
  const a = countDeterministicPairs(table, [first], maxBlockSize)
  const b = countDeterministicPairs(table, [second], maxBlockSize)
  const either = countDeterministicPairs(table, [first, second], maxBlockSize)
  const both = a + b - either
  if (both <= 0) return null
  const matches = (a * b) / both
  return Math.min(1, either / matches)
}

interface PatternCounts {
  levels: Uint8Array[]
  counts: number[]
}

/** EM over the distinct level patterns of one session's pairs, u fixed; returns m for the active comparisons. */
function expectationMaximisation(
  comparisons: ComparisonDefinition[],
  active: boolean[],
  patterns: PatternCounts,
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
    for (let p = 0; p < patterns.counts.length; p++) {
      const levels = patterns.levels[p] as Uint8Array
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
  const deterministicPairs = countDeterministicPairs(table, options.deterministicRules, maxBlockSize)
  const allPairs = Math.max(1, totalPairs(table))
  options.onProgress?.('prior', 1, 1)

  const samplePairs = Math.min(options.uSamplePairs ?? 2_000_000, allPairs)
  options.onProgress?.('u', 0, 1)
  const u = estimateU(table, comparisons, samplePairs, random)
  options.onProgress?.('u', 1, 1)

  const sessionsM: number[][][] = []
  const sessionsActive: boolean[][] = []
  const sessions: TrainingReport['sessions'] = []
  const bound = comparisons.map((comparison) => comparison.bind(table))
  const emMaxPairs = options.emMaxPairs ?? 1_000_000
  options.trainingRules.forEach((rule, index) => {
    options.onProgress?.('m', index, options.trainingRules.length)
    const active = comparisons.map((comparison) => !comparison.columns.some((column) => rule.columns.includes(column)))
    const available = countRulePairs(table, rule, maxBlockSize)
    const sampleProbability = available > emMaxPairs ? emMaxPairs / available : 1
    const index_ = new Map<string, number>()
    const patterns: PatternCounts = { levels: [], counts: [] }
    const levels = new Uint8Array(comparisons.length)
    let pairs = 0
    generatePairs(
      table,
      [rule],
      (left, right, count) => {
        for (let p = 0; p < count; p++) {
          const a = left[p] as number
          const b = right[p] as number
          for (let c = 0; c < bound.length; c++) levels[c] = active[c] ? (bound[c] as BoundComparison).level(a, b) : 0
          const key = levels.join(',')
          const found = index_.get(key)
          if (found === undefined) {
            index_.set(key, patterns.counts.length)
            patterns.levels.push(levels.slice())
            patterns.counts.push(1)
          } else patterns.counts[found] = (patterns.counts[found] as number) + 1
          pairs++
        }
      },
      { maxBlockSize, sampleProbability, random: () => random.next() },
    )
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
    recall = captureRecaptureRecall(table, options.deterministicRules, maxBlockSize) ?? 0.8
  }
  const probability = Math.min(0.5, Math.max(1e-12, deterministicPairs / recall / allPairs))
  model.probabilityTwoRandomRecordsMatch = probability
  return {
    model,
    report: { prior: { deterministicPairs, totalPairs: allPairs, recall, recallEstimated, probability }, uSample: { pairs: samplePairs }, sessions },
  }
}
