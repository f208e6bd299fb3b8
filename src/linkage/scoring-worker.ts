// A scoring worker thread (scoring.ts): rebuilds the feature table from shared memory and the model from its
// JSON, then takes units from the shared counter until none is left, sending each unit's scored pairs back.
import { workerData } from 'node:worker_threads'
import { featureTableFromParts } from './features.ts'
import { Scorer } from './model.ts'
import { ScoredPairs, scoreUnit, type WorkerInput, type WorkerMessage } from './scoring.ts'
import { modelFromSplinkJson } from './splink.ts'

const input = workerData as WorkerInput
const { signal, port, plan } = input
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => {
  port.postMessage(message, transfer)
  Atomics.add(signal, 1, 1)
  Atomics.notify(signal, 1)
}
let units = 0
try {
  const total = plan.unitRule.length
  const table = featureTableFromParts(input.table)
  const scorer = new Scorer(modelFromSplinkJson(input.model), table)
  const buffer = new ScoredPairs()
  // Counted as started before the first unit is taken, so the main thread waits for every unit taken.
  Atomics.add(signal, 2, 1)
  for (let unit = Atomics.add(signal, 0, 1); unit < total; unit = Atomics.add(signal, 0, 1)) {
    const result = scoreUnit(plan, scorer, unit, input.thresholdWeight, buffer)
    units++
    send({ kind: 'unit', ...result }, [result.left.buffer as ArrayBuffer, result.right.buffer as ArrayBuffer, result.weight.buffer as ArrayBuffer])
  }
  send({ kind: 'done', units })
} catch (error) {
  Atomics.add(signal, 2, 1)
  send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
}
