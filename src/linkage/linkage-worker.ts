// A linkage worker thread (workers.ts): rebuilds the feature table from shared memory, then serves tasks from
// the main thread, taking the items of each from the shared counter until none is left.
import { workerData } from 'node:worker_threads'
import { BlockScratch, buildRuleBlocks, parseBlockingRule } from './blocking.ts'
import { featureTableFromParts } from './features.ts'
import { Scorer } from './model.ts'
import { ScoredPairs, scoreUnit } from './scoring.ts'
import { modelFromSplinkJson } from './splink.ts'
import { countPatterns, PATTERN_CHUNK, type WorkerInput, type WorkerReply, type WorkerTask } from './workers.ts'

const { signal, port, table: parts } = workerData as WorkerInput
const table = featureTableFromParts(parts)
const scratch = new BlockScratch()
const buffer = new ScoredPairs()

const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => {
  port.postMessage(reply, transfer)
  Atomics.add(signal, 1, 1)
  Atomics.notify(signal, 1)
}

/** Takes items [0, total) from the shared counter and does each; returns how many it did. */
function take(total: number, each: (item: number) => void): number {
  let done = 0
  for (let item = Atomics.add(signal, 0, 1); item < total; item = Atomics.add(signal, 0, 1)) {
    each(item)
    done++
  }
  return done
}

function serve(task: WorkerTask): number {
  switch (task.kind) {
    case 'blocks':
      return take(task.rules.length, (item) => {
        const blocks = buildRuleBlocks(table, parseBlockingRule(task.rules[item] as string), task.maxBlockSize, scratch)
        send({ kind: 'blocks', item, blocks })
      })
    case 'patterns': {
      const model = modelFromSplinkJson(task.model)
      const bound = model.comparisons.map((comparison) => comparison.definition.bind(table))
      return take(Math.ceil(task.left.length / PATTERN_CHUNK), (item) => {
        const from = item * PATTERN_CHUNK
        const patterns = countPatterns(bound, task.active, task.left, task.right, from, Math.min(task.left.length, from + PATTERN_CHUNK))
        send({ kind: 'patterns', item, patterns }, [patterns.levels.buffer as ArrayBuffer, patterns.counts.buffer as ArrayBuffer])
      })
    }
    case 'score': {
      const scorer = new Scorer(modelFromSplinkJson(task.model), table)
      return take(task.plan.unitRule.length, (item) => {
        const result = scoreUnit(task.plan, scorer, item, task.thresholdWeight, buffer)
        send({ kind: 'score', item, ...result }, [result.left.buffer as ArrayBuffer, result.right.buffer as ArrayBuffer, result.weight.buffer as ArrayBuffer])
      })
    }
  }
}

port.on('message', (task: WorkerTask) => {
  try {
    send({ kind: 'done', items: serve(task) })
  } catch (error) {
    send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})
