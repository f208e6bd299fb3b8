// A linkage run from records to scored pairs and clusters: features, training (unless a model is given),
// blocking, scoring, clustering. The CLI, the benchmarks and the register's identity run all use this.
import { blockingStats, dropRuleBlocks, parseBlockingRule, planBlocking, type BlockingRule, type BlockingStats } from './blocking.ts'
import { personComparisons, type ComparisonDefinition } from './comparisons.ts'
import { buildFeatureTable, type FeatureTable } from './features.ts'
import { Scorer, weightOfProbability, type LinkageModel } from './model.ts'
import type { PersonRecord } from './person-record.ts'
import { scorePlan, ScoredPairs } from './scoring.ts'
import { trainModel, type TrainingReport } from './training.ts'
import { LinkageWorkers } from './workers.ts'

export { ScoredPairs }

/** The person model's rules: which pairs are compared when predicting. */
/**
 * The person model's rules: which pairs are compared when predicting. Each carries a name key and, but for the
 * rarest, a date or a size limit, so the pairs a record is compared in stay about the same as the register
 * grows (60 a record at a million, against 429 with the rules before issue 5; bench/linkage, docs/adr/0011).
 */
export const PERSON_PREDICTION_RULES = [
  'lantern: identifier',
  'lantern: identifier_slip',
  'lantern: name_sound_set & dob',
  'lantern: name_sound_pair_joined & dob_year then sex limit 128',
  'lantern: name_variant_sound & dob limit 32',
  'lantern: name_sound_initial & dob_range limit 128',
  'lantern: name_sound_set then dob_year then sex limit 256',
  'lantern: name_sound_pair_joined limit 32',
  'lantern: name_sound_initial & dob_year then sex limit 64',
  'lantern: name_sound_initial limit 32',
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
  /**
   * Threads for the heavy steps (blocks, training pairs' levels, scoring): above 1, that many worker threads
   * (node:worker_threads) do them while this one waits. The results are the same for any number. Default 1.
   */
  threads?: number
  onProgress?: (stage: string, done: number, total: number) => void
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
  /** Threads the heavy steps ran on (worker threads, or 1: this one). */
  threads: number
  /** Milliseconds: features, training, blocking (the rules' blocks), scoring (pairs generated and scored), total. */
  timings: { features: number; training: number; blocking: number; scoring: number; total: number }
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
  const comparisons = options.model ? options.model.comparisons.map((comparison) => comparison.definition) : (options.comparisons ?? personComparisons())
  const workers = LinkageWorkers.start(table, options.threads ?? 1, { records: comparisons.some((comparison) => comparison.readsRecords === true) })
  try {
    let model: LinkageModel
    let training: TrainingReport | null = null
    if (options.model) model = options.model
    else {
      const trained = trainModel(table, comparisons, {
        deterministicRules: (options.deterministicRules ?? PERSON_DETERMINISTIC_RULES).map(parseBlockingRule),
        ...(options.recall !== undefined ? { recall: options.recall } : {}),
        trainingRules: (options.trainingRules ?? PERSON_TRAINING_RULES).map(parseBlockingRule),
        predictionRules: (options.predictionRules ?? PERSON_PREDICTION_RULES).map(parseBlockingRule),
        maxBlockSize,
        ...(options.uSamplePairs !== undefined ? { uSamplePairs: options.uSamplePairs } : {}),
        ...(options.emMaxPairs !== undefined ? { emMaxPairs: options.emMaxPairs } : {}),
        seed: options.seed ?? 1,
        workers,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })
      model = trained.model
      training = trained.report
    }
    const trainingDone = performance.now()

    const scorer = new Scorer(model, table)
    const thresholdWeight = weightOfProbability(Math.min(Math.max(options.threshold ?? 0.5, 1e-12), 1 - 1e-12))
    const rules: BlockingRule[] = model.blockingRules.length > 0 ? model.blockingRules : (options.predictionRules ?? PERSON_PREDICTION_RULES).map(parseBlockingRule)
    options.onProgress?.('blocking', 0, rules.length)
    const plan = planBlocking(table, rules, { maxBlockSize, workers })
    options.onProgress?.('blocking', rules.length, rules.length)
    const blockingDone = performance.now()
    options.onProgress?.('scoring', 0, plan.unitRule.length)
    const scored = scorePlan(model, scorer, plan, thresholdWeight, { workers, onProgress: (done, total) => options.onProgress?.('scoring', done, total) })
    const blocking = blockingStats(plan, scored.pairsPerRule)
    dropRuleBlocks(table)
    const finished = performance.now()
    return {
      table,
      model,
      scorer,
      training,
      blocking,
      candidatePairs: scored.candidatePairs,
      pairs: scored.pairs,
      thresholdWeight,
      threads: workers ? workers.threads : 1,
      timings: {
        features: featuresDone - started,
        training: trainingDone - featuresDone,
        blocking: blockingDone - trainingDone,
        scoring: finished - blockingDone,
        total: finished - started,
      },
    }
  } finally {
    workers?.close()
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
