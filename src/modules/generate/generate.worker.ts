// A worker thread of `lantern generate` on PostgreSQL (docs/adr/0020): runs the units of work the main thread
// hands it (an authority's looked-after children, or a force's other incidents), each on its own seeded stream
// and id counter, and sends back the rows as COPY text in UTF-8 chunks (transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads'
import { england } from './country.ts'
import { IdSource, generateAuthority, generateForce, missingWeights, type GenerateOptions, type ModelContext } from './generate.model.ts'
import { copyTextSink, type GeneratedTable } from './generate.sink.ts'

export interface WorkerSetup {
  options: GenerateOptions
  agencyIds: [string, string][]
  phonetic: [string, string][]
  lookedAfterIncidents: [number, number][]
}

/**
 * Main thread to worker: weigh an authority's children (the first pass), take the first pass's scale, run a unit
 * (authorities first, then forces, in `england()` order), or stop.
 */
export type ToWorker = { weigh: number } | { missingScale: [number, number][] } | { unit: number } | { stop: true }
/** Worker to main thread: a chunk of COPY text, a unit finished (with its row counts), or a failure. */
export type FromWorker =
  | { chunk: Uint8Array; table: GeneratedTable }
  /** `counts`: every row this worker has made so far. */
  | { done: number; counts: Record<GeneratedTable, number> }
  | { weighed: number; sums: [number, { weight: number; fixed: number }][] }
  | { failed: string }

const port = parentPort
if (!port) throw new Error('generate.worker.ts runs in a worker thread')
const setup = workerData as WorkerSetup
const country = england()
const byCode = new Map(setup.agencyIds)
const idOf = (code: string) => {
  const id = byCode.get(code)
  if (!id) throw new Error(`Reference agency ${code} is missing: run lantern migrate first`)
  return id
}
const lookedAfterIncidents = new Map(setup.lookedAfterIncidents)
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)
const sink = copyTextSink((table, chunk) => send({ chunk, table }, [chunk.buffer as ArrayBuffer]))
let base: Omit<ModelContext, 'ids'> = {
  options: setup.options,
  country,
  agencies: { idOf, singleCompetentAuthority: idOf('SCA'), immigrationCompetentAuthority: idOf('IECA'), guardianService: idOf('ICTG') },
  phonetic: new Map(setup.phonetic),
  sink,
  missingScale: new Map(),
}

port.on('message', (message: ToWorker) => {
  if ('stop' in message) {
    port.close()
    return
  }
  try {
    if ('weigh' in message) {
      const authority = country.authorities[message.weigh]
      if (!authority) throw new Error(`No authority ${message.weigh}`)
      send({ weighed: message.weigh, sums: [...missingWeights(base, authority)] })
      return
    }
    if ('missingScale' in message) {
      base = { ...base, missingScale: new Map(message.missingScale) }
      return
    }
    const ctx: ModelContext = { ...base, ids: new IdSource(message.unit) }
    const authority = country.authorities[message.unit]
    if (authority) generateAuthority(ctx, authority)
    else {
      const force = country.forces[message.unit - country.authorities.length]
      if (!force) throw new Error(`No unit ${message.unit}`)
      generateForce(ctx, force, lookedAfterIncidents)
    }
    void sink.finish().then((counts) => send({ done: message.unit, counts }))
  } catch (error) {
    send({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})
