// Worker threads (node:worker_threads) for a run's heavy steps: building the rules' blocks, the comparison
// levels of the training pairs, and scoring the candidate pairs. Each worker gets the feature table once, in
// shared memory, and then takes tasks; within a task it takes items (a rule, a chunk of pairs, a unit of
// blocks) from a shared counter, so the work is shared out as it goes. The results are put back together in
// item order, so they are the same whatever the number of threads, and the same as on the main thread alone.
// The main thread only hands out tasks and gathers results, waiting synchronously (Atomics.wait and
// receiveMessageOnPort), so that a run stays one synchronous call; it does none of the heavy work itself,
// whose garbage would make its collector mark the whole heap (a million person records) again and again.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { sharedPlan, type BlockingPlan, type BlockingRule, type RuleBlocks } from './blocking.ts'
import type { BoundComparison, ComparisonDefinition } from './comparisons.ts'
import { featureTableParts, sharedCopy, type FeatureTable, type FeatureTableParts } from './features.ts'
import type { LinkageModel } from './model.ts'
import { modelToSplinkJson } from './splink.ts'

/** The distinct level patterns of some pairs, in the order first seen, with their counts. */
export interface LevelPatterns {
  /** Pattern p's levels are levels[p * comparisons .. (p + 1) * comparisons). */
  levels: Uint8Array
  counts: Float64Array
  size: number
}

/** Counts level patterns of pairs, keeping the order in which they are first seen. */
export class PatternCounter {
  private readonly index = new Map<number | string, number>()
  private levels: Uint8Array
  private counts: Float64Array
  size = 0
  readonly comparisons: number

  constructor(comparisons: number) {
    this.comparisons = comparisons
    this.levels = new Uint8Array(64 * Math.max(1, comparisons))
    this.counts = new Float64Array(64)
  }

  add(levels: Uint8Array, count = 1): void {
    const n = this.comparisons
    // Up to 13 comparisons of up to 16 levels fit one number; otherwise a string.
    let key: number | string = 0
    if (n <= 13) {
      for (let c = n - 1; c >= 0; c--) {
        const level = levels[c] as number
        if (level > 15) {
          key = levels.join(',')
          break
        }
        key = (key as number) * 16 + level
      }
    } else key = levels.join(',')
    const found = this.index.get(key)
    if (found !== undefined) {
      this.counts[found] = (this.counts[found] as number) + count
      return
    }
    if (this.size === this.counts.length) {
      const counts = new Float64Array(this.size * 2)
      counts.set(this.counts)
      this.counts = counts
      const grown = new Uint8Array(this.levels.length * 2)
      grown.set(this.levels)
      this.levels = grown
    }
    this.levels.set(levels.subarray(0, n), this.size * n)
    this.counts[this.size] = count
    this.index.set(key, this.size)
    this.size++
  }

  /** Adds every pattern of another count, in its order. */
  addAll(other: LevelPatterns): void {
    const n = this.comparisons
    for (let p = 0; p < other.size; p++) this.add(other.levels.subarray(p * n, (p + 1) * n), other.counts[p] as number)
  }

  result(): LevelPatterns {
    return { levels: this.levels.slice(0, this.size * this.comparisons), counts: this.counts.slice(0, this.size), size: this.size }
  }
}

/** The level patterns of pairs [from, to) of a list; comparisons not active get level 0. */
export function countPatterns(bound: BoundComparison[], active: boolean[], left: Int32Array, right: Int32Array, from: number, to: number): LevelPatterns {
  const counter = new PatternCounter(bound.length)
  const levels = new Uint8Array(bound.length)
  for (let p = from; p < to; p++) {
    const a = left[p] as number
    const b = right[p] as number
    for (let c = 0; c < bound.length; c++) levels[c] = active[c] ? (bound[c] as BoundComparison).level(a, b) : 0
    counter.add(levels)
  }
  return counter.result()
}

/** Pairs per chunk of a pattern task: small enough to share out, large enough to cost little to send. */
export const PATTERN_CHUNK = 32_768

/** A unit's scored pairs: those at or above the threshold, and how many it compared. */
export interface UnitResult {
  unit: number
  candidates: number
  left: Int32Array
  right: Int32Array
  weight: Float32Array
}

export type WorkerTask =
  | { kind: 'blocks'; rules: string[]; maxBlockSize: number }
  | { kind: 'patterns'; model: Record<string, unknown>; active: boolean[]; left: Int32Array; right: Int32Array }
  | { kind: 'score'; model: Record<string, unknown>; plan: BlockingPlan; thresholdWeight: number }

export type WorkerReply =
  | { kind: 'blocks'; item: number; blocks: RuleBlocks }
  | { kind: 'patterns'; item: number; patterns: LevelPatterns }
  | ({ kind: 'score'; item: number } & UnitResult)
  | { kind: 'done'; items: number }
  | { kind: 'error'; message: string }

export interface WorkerInput {
  table: FeatureTableParts
  /** [0] the next item of the current task; [1] bumped after each reply. */
  signal: Int32Array
  port: MessagePort
}

/** How long the main thread waits without a word from any worker before it gives up. */
const SILENCE_LIMIT_MS = 10 * 60 * 1000

/** A model of the comparisons alone (m and u do not matter), to rebuild them in a worker. */
function comparisonsJson(comparisons: ComparisonDefinition[], table: FeatureTable): Record<string, unknown> {
  return modelToSplinkJson({
    linkType: table.leftSize < table.size ? 'link_only' : 'dedupe_only',
    probabilityTwoRandomRecordsMatch: 0.5,
    comparisons: comparisons.map((definition) => ({ definition, m: definition.levels.map(() => 0.5), u: definition.levels.map(() => 0.5) })),
    blockingRules: [],
  })
}

export class LinkageWorkers {
  readonly threads: number
  private readonly table: FeatureTable
  private readonly signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
  private readonly started: { worker: Worker; port: MessagePort }[] = []
  /** Workers that took at least one item of the last scoring task. */
  scoringThreads = 0

  private constructor(table: FeatureTable, threads: number, records: boolean) {
    this.table = table
    this.threads = threads
    const parts = featureTableParts(table, { records })
    for (let w = 0; w < threads; w++) {
      const { port1, port2 } = new MessageChannel()
      const input: WorkerInput = { table: parts, signal: this.signal, port: port2 }
      const worker = new Worker(new URL('./linkage-worker.ts', import.meta.url), { workerData: input, transferList: [port2] })
      worker.unref()
      this.started.push({ worker, port: port1 })
    }
  }

  /**
   * Workers for a run, or null for one thread (the main thread then does the work itself). `records`: send
   * the person records too, for comparisons that read them (Splink SQL on further columns).
   */
  static start(table: FeatureTable, threads: number, options: { records: boolean }): LinkageWorkers | null {
    return threads > 1 ? new LinkageWorkers(table, threads, options.records) : null
  }

  /** Hands a task to every worker and gathers the replies until each says it is done; returns how many workers took items. */
  private run(task: WorkerTask, onReply: (reply: WorkerReply) => void): number {
    Atomics.store(this.signal, 0, 0)
    for (const { port } of this.started) port.postMessage(task)
    let done = 0
    let busy = 0
    let heard = performance.now()
    while (done < this.started.length) {
      const seen = Atomics.load(this.signal, 1)
      for (const { port } of this.started) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          heard = performance.now()
          const reply = message.message as WorkerReply
          if (reply.kind === 'done') {
            done++
            if (reply.items > 0) busy++
          } else if (reply.kind === 'error') throw new Error(`A linkage worker failed: ${reply.message}`)
          else onReply(reply)
        }
      }
      if (done >= this.started.length) break
      if (Atomics.wait(this.signal, 1, seen, 1000) === 'timed-out' && performance.now() - heard > SILENCE_LIMIT_MS)
        throw new Error(`No linkage worker has answered for ${SILENCE_LIMIT_MS / 60_000} minutes`)
    }
    return busy
  }

  /** The rules' blocks, built on the workers (each rule by one of them). */
  buildBlocks(rules: BlockingRule[], maxBlockSize: number): RuleBlocks[] {
    const built: (RuleBlocks | undefined)[] = new Array(rules.length)
    this.run({ kind: 'blocks', rules: rules.map((rule) => rule.text), maxBlockSize }, (reply) => {
      if (reply.kind === 'blocks') built[reply.item] = reply.blocks
    })
    return built.map((blocks, r) => {
      if (!blocks) throw new Error(`The blocks of rule ${r + 1} were not built`)
      return blocks
    })
  }

  /** The level patterns of a list of pairs, in the order first seen (as one thread counting in order would find them). */
  patterns(comparisons: ComparisonDefinition[], active: boolean[], left: Int32Array, right: Int32Array): LevelPatterns {
    const chunks: (LevelPatterns | undefined)[] = new Array(Math.ceil(left.length / PATTERN_CHUNK))
    this.run(
      { kind: 'patterns', model: comparisonsJson(comparisons, this.table), active, left: sharedCopy(left), right: sharedCopy(right) },
      (reply) => {
        if (reply.kind === 'patterns') chunks[reply.item] = reply.patterns
      },
    )
    const counter = new PatternCounter(comparisons.length)
    chunks.forEach((chunk, index) => {
      if (!chunk) throw new Error(`Chunk ${index} of the training pairs was not counted`)
      counter.addAll(chunk)
    })
    return counter.result()
  }

  /** Scores the plan's units on the workers; the results by unit. */
  score(plan: BlockingPlan, model: LinkageModel, thresholdWeight: number, onUnit: (result: UnitResult) => void): void {
    this.scoringThreads = this.run({ kind: 'score', model: modelToSplinkJson(model), plan: sharedPlan(plan), thresholdWeight }, (reply) => {
      if (reply.kind === 'score') onUnit(reply)
    })
  }

  close(): void {
    for (const { worker, port } of this.started) {
      port.close()
      void worker.terminate()
    }
    this.started.length = 0
  }
}
