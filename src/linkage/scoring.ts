// Blocking and scoring of a run's candidate pairs, on this thread or shared with worker threads
// (node:worker_threads). The blocking plan cuts the pairs into units of about equal size (a run of one rule's
// blocks); each thread takes the next unit from a shared counter, scores its pairs and keeps those at or
// above the threshold; the units' results are put back together in unit order. So the pairs, their order
// and their weights are the same whatever the number of threads (each thread scores with the same model
// over the same feature table; its caches only save work). Workers read the feature table and the blocks
// from shared memory; the main thread scores units too, and waits for the workers synchronously
// (Atomics.wait, receiveMessageOnPort), so a run stays one synchronous call.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { generateUnitPairs, sharedPlan, type BlockingPlan } from './blocking.ts'
import { featureTableParts, type FeatureTable } from './features.ts'
import type { LinkageModel, Scorer } from './model.ts'
import { modelToSplinkJson } from './splink.ts'

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

/** One unit's result: its pairs at or above the threshold, and how many it compared. */
export interface UnitResult {
  unit: number
  candidates: number
  left: Int32Array
  right: Int32Array
  weight: Float32Array
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
  /** Threads to score on, this one included (1: this thread only). */
  threads?: number
  /** Start scoring only once every worker is ready, so that each takes a share (tests; a short run is otherwise done before they start). */
  waitForWorkers?: boolean
  onProgress?: (unitsDone: number, unitsTotal: number) => void
}

export interface ScoringResult {
  pairs: ScoredPairs
  candidatePairs: number
  /** Pairs generated per rule of the plan. */
  pairsPerRule: Float64Array
  /** Threads that scored at least one unit (this one included). */
  threadsUsed: number
}

/** What a worker is sent: everything as plain data or shared memory. */
export interface WorkerInput {
  table: ReturnType<typeof featureTableParts>
  model: Record<string, unknown>
  plan: BlockingPlan
  thresholdWeight: number
  /** [0] the next unit to take; [1] bumped after each message a worker sends; [2] workers started. */
  signal: Int32Array
  port: MessagePort
}

export type WorkerMessage = ({ kind: 'unit' } & UnitResult) | { kind: 'done'; units: number } | { kind: 'error'; message: string }

/** Scores every candidate pair of the plan; pairs at or above the threshold are kept, in unit order. */
export function scorePlan(table: FeatureTable, model: LinkageModel, scorer: Scorer, plan: BlockingPlan, thresholdWeight: number, options: ScoringOptions = {}): ScoringResult {
  const units = plan.unitRule.length
  const results: (UnitResult | undefined)[] = new Array(units)
  const workers = Math.max(0, Math.min((options.threads ?? 1) - 1, units - 1))
  const signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT))
  let done = 0
  const record = (result: UnitResult) => {
    results[result.unit] = result
    done++
    options.onProgress?.(done, units)
  }
  const started: { worker: Worker; port: MessagePort }[] = []
  if (workers > 0) {
    const input: Omit<WorkerInput, 'port'> = {
      table: featureTableParts(table, { records: model.comparisons.some((comparison) => comparison.definition.readsRecords === true) }),
      model: modelToSplinkJson(model),
      plan: sharedPlan(plan),
      thresholdWeight,
      signal,
    }
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel()
      const worker = new Worker(new URL('./scoring-worker.ts', import.meta.url), { workerData: { ...input, port: port2 }, transferList: [port2] })
      worker.unref()
      started.push({ worker, port: port1 })
    }
  }
  let workersUsed = 0
  const drain = () => {
    for (const { port } of started) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const body = message.message as WorkerMessage
        if (body.kind === 'unit') record(body)
        else if (body.kind === 'done') {
          finished++
          if (body.units > 0) workersUsed++
        } else throw new Error(`A scoring worker failed: ${body.message}`)
      }
    }
  }
  let finished = 0
  if (options.waitForWorkers) {
    while (Atomics.load(signal, 2) < started.length) {
      const seen = Atomics.load(signal, 1)
      drain()
      Atomics.wait(signal, 1, seen, 50)
    }
  }
  const buffer = new ScoredPairs()
  let ownUnits = 0
  for (let unit = Atomics.add(signal, 0, 1); unit < units; unit = Atomics.add(signal, 0, 1)) {
    record(scoreUnit(plan, scorer, unit, thresholdWeight, buffer))
    ownUnits++
    if (started.length > 0) drain()
  }
  // Wait for the workers that started (a worker that starts after the last unit was taken takes none).
  while (started.length > 0) {
    const seen = Atomics.load(signal, 1)
    drain()
    if (finished >= Atomics.load(signal, 2)) break
    Atomics.wait(signal, 1, seen, 1000)
  }
  for (const { worker, port } of started) {
    port.close()
    void worker.terminate()
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
  return { pairs, candidatePairs, pairsPerRule, threadsUsed: (ownUnits > 0 ? 1 : 0) + workersUsed }
}
