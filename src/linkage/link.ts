// A linkage run from records to scored pairs and clusters: features, training (unless a model is given),
// blocking, scoring, clustering. The CLI, the benchmarks and the register's identity run all use this.
import { generatePairs, parseBlockingRule, type BlockingRule, type BlockingStats } from './blocking.ts'
import { personComparisons, type ComparisonDefinition } from './comparisons.ts'
import { buildFeatureTable, type FeatureTable } from './features.ts'
import { Scorer, weightOfProbability, type LinkageModel } from './model.ts'
import type { PersonRecord } from './person-record.ts'
import { trainModel, type TrainingReport } from './training.ts'

/** The person model's rules: which pairs are compared when predicting. */
export const PERSON_PREDICTION_RULES = [
  'lantern: identifier',
  'lantern: name_sound_pair & dob_year',
  'lantern: name_sound & dob',
  'lantern: name_sound_pair',
  'lantern: name_sound & dob_year',
]
/** Pairs these find are almost all the same person: the prior comes from them. */
export const PERSON_DETERMINISTIC_RULES = ['lantern: identifier', 'lantern: name_set & dob']
/** One EM session each: pairs sharing an identifier estimate names, date of birth, sex and nationality; the second the identifiers. */
export const PERSON_TRAINING_RULES = ['lantern: identifier', 'lantern: name_set & dob_year']

export interface LinkageOptions {
  /** A trained model (saved by Lantern or Splink); without one, the run trains its own. */
  model?: LinkageModel
  comparisons?: ComparisonDefinition[]
  predictionRules?: string[]
  deterministicRules?: string[]
  trainingRules?: string[]
  recall?: number
  /** Pairs at or above this match probability are kept (and clustered). */
  threshold?: number
  maxBlockSize?: number
  uSamplePairs?: number
  emMaxPairs?: number
  seed?: number
  onProgress?: (stage: string, done: number, total: number) => void
}

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

export interface LinkageRun {
  table: FeatureTable
  model: LinkageModel
  scorer: Scorer
  training: TrainingReport | null
  blocking: BlockingStats[]
  candidatePairs: number
  pairs: ScoredPairs
  thresholdWeight: number
  timings: { features: number; training: number; scoring: number; total: number }
}

/** Dedupes one list of records (right = null) or links two. */
export function runLinkage(left: PersonRecord[], right: PersonRecord[] | null, options: LinkageOptions = {}): LinkageRun {
  const started = performance.now()
  const records = right === null ? left : [...left, ...right]
  options.onProgress?.('features', 0, records.length)
  const table = buildFeatureTable(records, { leftSize: left.length })
  options.onProgress?.('features', records.length, records.length)
  const featuresDone = performance.now()
  const maxBlockSize = options.maxBlockSize ?? 1000

  let model: LinkageModel
  let training: TrainingReport | null = null
  if (options.model) model = options.model
  else {
    const trained = trainModel(table, options.comparisons ?? personComparisons(), {
      deterministicRules: (options.deterministicRules ?? PERSON_DETERMINISTIC_RULES).map(parseBlockingRule),
      ...(options.recall !== undefined ? { recall: options.recall } : {}),
      trainingRules: (options.trainingRules ?? PERSON_TRAINING_RULES).map(parseBlockingRule),
      predictionRules: (options.predictionRules ?? PERSON_PREDICTION_RULES).map(parseBlockingRule),
      maxBlockSize,
      ...(options.uSamplePairs !== undefined ? { uSamplePairs: options.uSamplePairs } : {}),
      ...(options.emMaxPairs !== undefined ? { emMaxPairs: options.emMaxPairs } : {}),
      seed: options.seed ?? 1,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
    model = trained.model
    training = trained.report
  }
  const trainingDone = performance.now()

  const scorer = new Scorer(model, table)
  const thresholdWeight = weightOfProbability(Math.min(Math.max(options.threshold ?? 0.5, 1e-12), 1 - 1e-12))
  const pairs = new ScoredPairs()
  let candidatePairs = 0
  const rules: BlockingRule[] = model.blockingRules.length > 0 ? model.blockingRules : (options.predictionRules ?? PERSON_PREDICTION_RULES).map(parseBlockingRule)
  const blocking = generatePairs(
    table,
    rules,
    (leftBatch, rightBatch, count) => {
      candidatePairs += count
      for (let p = 0; p < count; p++) {
        const a = leftBatch[p] as number
        const b = rightBatch[p] as number
        const weight = scorer.score(a, b)
        if (weight >= thresholdWeight) pairs.push(a, b, weight)
      }
    },
    {
      maxBlockSize,
      onProgress: (ruleIndex, done, total) => options.onProgress?.(`scoring (rule ${ruleIndex + 1} of ${rules.length})`, done, total),
    },
  )
  const finished = performance.now()
  return {
    table,
    model,
    scorer,
    training,
    blocking,
    candidatePairs,
    pairs,
    thresholdWeight,
    timings: {
      features: featuresDone - started,
      training: trainingDone - featuresDone,
      scoring: finished - trainingDone,
      total: finished - started,
    },
  }
}

/** Connected components of the pairs at or above a weight: a cluster id (its smallest record index) per record. */
export function clusterPairs(size: number, pairs: ScoredPairs, minimumWeight = -Infinity): Int32Array {
  const parent = new Int32Array(size)
  for (let i = 0; i < size; i++) parent[i] = i
  const find = (x: number): number => {
    let root = x
    while (parent[root] !== root) root = parent[root] as number
    while (parent[x] !== root) {
      const next = parent[x] as number
      parent[x] = root
      x = next
    }
    return root
  }
  for (let p = 0; p < pairs.count; p++) {
    if ((pairs.weight[p] as number) < minimumWeight) continue
    const a = find(pairs.left[p] as number)
    const b = find(pairs.right[p] as number)
    if (a !== b) {
      if (a < b) parent[b] = a
      else parent[a] = b
    }
  }
  for (let i = 0; i < size; i++) parent[i] = find(i)
  return parent
}
