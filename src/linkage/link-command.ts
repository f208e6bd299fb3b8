// `lantern link dedupe | pair | generate`: the engine over person CSV files, with a progress bar.
import { readFileSync, writeFileSync, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { SingleBar, Presets } from 'cli-progress'
import { csvLine } from '../lib/csv.ts'
import { readPersonCsv, writePersonCsv, PersonCsvError, type PersonRecord } from './person-record.ts'
import { clusterPairs, runLinkage, type LinkageRun } from './link.ts'
import { probabilityOfWeight } from './model.ts'
import { modelFromSplinkJson, modelToSplinkJson, ModelFormatError } from './splink.ts'
import { generateEncounters, generateRecords } from './synthetic/generator.ts'
import { loadPersonModel } from './models/person-model.ts'

export const LINK_HELP = `  link dedupe --input FILE --output FILE [--clusters FILE] [--model FILE] [--save-model FILE]
              [--threshold P] [--recall R] [--max-block N] [--threads N]
                   score the pairs of one person CSV that are likely the same person (--threads: worker
                   threads for blocking, training and scoring; default every core, at most 8, from 20,000 records, else 1)
  link pair --left FILE --right FILE --output FILE [same options]
                   the same across two files
  link generate --persons N --output FILE [--seed S] [--queries N --queries-output FILE]
                   synthetic multicultural person records (and encounter queries) for trying the engine`

export class UsageError extends Error {}

/** From this many records a run uses every core by default; below, starting the worker threads costs more than it saves. */
const THREADS_FROM_RECORDS = 20_000
/** Each worker holds a copy of the vocabulary: past a few, more cores save little and cost memory. */
const DEFAULT_THREADS_AT_MOST = 8

/** A progress bar on a terminal; stage lines otherwise (logs, CI). */
export function progressReporter(): { onProgress: (stage: string, done: number, total: number) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true
  const bar = tty ? new SingleBar({ format: '{stage} [{bar}] {percentage}% {value}/{total}', hideCursor: true, stream: process.stderr }, Presets.shades_classic) : null
  let current = ''
  let started = false
  return {
    onProgress(stage, done, total) {
      if (stage !== current) {
        current = stage
        if (bar) {
          if (started) bar.stop()
          bar.start(Math.max(total, 1), done, { stage: stage.padEnd(26) })
          started = true
        } else console.error(`${stage}...`)
        return
      }
      bar?.setTotal(Math.max(total, 1))
      bar?.update(done, { stage: stage.padEnd(26) })
    },
    stop() {
      if (bar && started) bar.stop()
    },
  }
}

function readFile(path: string, label: string): PersonRecord[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`Cannot read ${label} "${path}"`)
  }
  return readPersonCsv(text, path)
}

function readModel(path: string) {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UsageError(`Cannot read the model "${path}": ${error instanceof Error ? error.message : String(error)}`)
  }
  return modelFromSplinkJson(json)
}

function probabilityOption(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!(value > 0 && value < 1)) throw new UsageError(`--${name} must be a number between 0 and 1, not "${text}"`)
  return value
}

async function writePairs(path: string, run: LinkageRun): Promise<void> {
  const stream = createWriteStream(path)
  stream.write('record_id_l,record_id_r,match_weight,match_probability\n')
  const records = run.table.records
  let chunk = ''
  for (let p = 0; p < run.pairs.count; p++) {
    const weight = run.pairs.weight[p] as number
    chunk += `${csvLine([(records[run.pairs.left[p] as number] as PersonRecord).recordId, (records[run.pairs.right[p] as number] as PersonRecord).recordId, weight.toFixed(4), probabilityOfWeight(weight).toFixed(6)])}\n`
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain')
      chunk = ''
    }
  }
  stream.end(chunk)
  await once(stream, 'finish')
}

function writeClusters(path: string, run: LinkageRun): number {
  const clusters = clusterPairs(run.table.size, run.pairs)
  const lines = ['cluster_id,record_id']
  const names = new Map<number, string>()
  for (let i = 0; i < run.table.size; i++) {
    const root = clusters[i] as number
    let name = names.get(root)
    if (name === undefined) {
      name = `c${names.size + 1}`
      names.set(root, name)
    }
    lines.push(csvLine([name, (run.table.records[i] as PersonRecord).recordId]))
  }
  writeFileSync(path, lines.join('\n') + '\n')
  return names.size
}

/** Runs `lantern link <subcommand>`; returns the exit code. */
export async function linkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      left: { type: 'string' },
      right: { type: 'string' },
      output: { type: 'string' },
      clusters: { type: 'string' },
      model: { type: 'string' },
      'save-model': { type: 'string' },
      threshold: { type: 'string' },
      recall: { type: 'string' },
      'max-block': { type: 'string' },
      threads: { type: 'string' },
      persons: { type: 'string' },
      seed: { type: 'string' },
      queries: { type: 'string' },
      'queries-output': { type: 'string' },
    },
  })
  const subcommand = positionals[0]
  try {
    if (subcommand === 'generate') {
      const persons = Number(values.persons ?? '1000')
      const seed = Number(values.seed ?? '20261121')
      if (!Number.isInteger(persons) || persons < 1) throw new UsageError(`--persons must be a whole number, not "${values.persons}"`)
      if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`)
      if (!values.output) throw new UsageError('link generate needs --output FILE')
      const { records } = generateRecords({ persons, seed })
      writeFileSync(values.output, writePersonCsv(records, ['person_id', 'group']))
      console.log(`Wrote ${records.length} records of ${persons} persons to ${values.output} (further columns: person_id, group).`)
      if (values.queries) {
        const count = Number(values.queries)
        if (!Number.isInteger(count) || count < 1) throw new UsageError(`--queries must be a whole number, not "${values.queries}"`)
        if (!values['queries-output']) throw new UsageError('--queries needs --queries-output FILE')
        const queries = generateEncounters({ persons, seed, corpus: records, queries: count })
        writeFileSync(values['queries-output'], writePersonCsv(queries, ['person_id', 'group']))
        console.log(`Wrote ${queries.length} encounter queries to ${values['queries-output']}.`)
      }
      return 0
    }
    if (subcommand !== 'dedupe' && subcommand !== 'pair') throw new UsageError(`Usage:\n${LINK_HELP}`)
    if (!values.output) throw new UsageError(`link ${subcommand} needs --output FILE`)
    const maxBlockSize = values['max-block'] === undefined ? 1000 : Number(values['max-block'])
    if (!Number.isInteger(maxBlockSize) || maxBlockSize < 2) throw new UsageError(`--max-block must be a whole number of at least 2, not "${values['max-block']}"`)
    let left: PersonRecord[]
    let right: PersonRecord[] | null = null
    if (subcommand === 'dedupe') {
      if (!values.input) throw new UsageError('link dedupe needs --input FILE')
      left = readFile(values.input, 'the input')
    } else {
      if (!values.left || !values.right) throw new UsageError('link pair needs --left FILE and --right FILE')
      left = readFile(values.left, 'the left file')
      right = readFile(values.right, 'the right file')
    }
    let threads = left.length + (right?.length ?? 0) >= THREADS_FROM_RECORDS ? Math.min(availableParallelism(), DEFAULT_THREADS_AT_MOST) : 1
    if (values.threads !== undefined) {
      threads = Number(values.threads)
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError(`--threads must be a whole number from 1 to 64, not "${values.threads}"`)
    }
    const model = values.model ? readModel(values.model) : undefined
    const progress = progressReporter()
    const recall = values.recall === undefined ? undefined : probabilityOption(values.recall, 'recall', 0.8)
    const run = runLinkage(left, right, {
      ...(model ? { model } : {}),
      threshold: probabilityOption(values.threshold, 'threshold', 0.5),
      ...(recall !== undefined ? { recall } : {}),
      maxBlockSize,
      threads,
      onProgress: progress.onProgress,
    })
    progress.stop()
    await writePairs(values.output, run)
    const summary = [
      `${run.table.size} records, ${run.candidatePairs} candidate pairs compared, ${run.pairs.count} pairs at or above the threshold written to ${values.output}`,
      `in ${(run.timings.total / 1000).toFixed(1)} s (features ${(run.timings.features / 1000).toFixed(1)} s, training ${(run.timings.training / 1000).toFixed(1)} s, blocking ${(run.timings.blocking / 1000).toFixed(1)} s, scoring ${(run.timings.scoring / 1000).toFixed(1)} s; ${run.threads === 1 ? 'one thread' : `${run.threads} worker threads`}).`,
    ]
    const skipped = run.blocking.reduce((sum, rule) => sum + rule.skippedBlocks, 0)
    if (skipped > 0) summary.push(`${skipped} blocks over their size limit (--max-block ${maxBlockSize}, or the rule's own) were skipped after any splits (their pairs are reached through rarer keys).`)
    if (run.training) summary.push(`Prior: ${run.training.prior.probability.toExponential(3)} (deterministic pairs ${run.training.prior.deterministicPairs}, recall ${run.training.prior.recall.toFixed(3)}${run.training.prior.recallEstimated ? ', estimated by capture-recapture' : ''}).`)
    if (values.clusters) summary.push(`${writeClusters(values.clusters, run)} clusters written to ${values.clusters}.`)
    if (values['save-model']) {
      writeFileSync(values['save-model'], JSON.stringify(modelToSplinkJson(run.model), null, 2) + '\n')
      summary.push(`Model (Splink settings JSON) written to ${values['save-model']}.`)
    }
    console.log(summary.join('\n'))
    return 0
  } catch (error) {
    if (error instanceof UsageError || error instanceof PersonCsvError || error instanceof ModelFormatError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
}

export const SEARCH_HELP = `  search --corpus FILE --queries FILE --output FILE [--top N] [--model FILE]
                   rank the corpus records for each query (both person CSV files): query_id, rank,
                   record_id, match_weight, match_probability`


/** Runs `lantern search`; returns the exit code. */
export async function searchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { corpus: { type: 'string' }, queries: { type: 'string' }, output: { type: 'string' }, top: { type: 'string' }, model: { type: 'string' } },
  })
  try {
    if (!values.corpus || !values.queries || !values.output) throw new UsageError(`Usage:\n${SEARCH_HELP}`)
    const top = Number(values.top ?? '10')
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a whole number of at least 1, not "${values.top}"`)
    const corpus = readFile(values.corpus, 'the corpus')
    const queries = readFile(values.queries, 'the queries')
    const model = values.model ? readModel(values.model) : loadPersonModel()
    const { SearchIndex } = await import('./search-index.ts')
    const started = performance.now()
    const index = new SearchIndex(model, corpus)
    const built = performance.now()
    const progress = progressReporter()
    const lines = ['query_id,rank,record_id,match_weight,match_probability']
    const latencies: number[] = []
    queries.forEach((query, n) => {
      const before = performance.now()
      const hits = index.search(query, { top })
      latencies.push(performance.now() - before)
      hits.forEach((hit, rank) => lines.push(csvLine([query.recordId, rank + 1, hit.recordId, hit.matchWeight.toFixed(4), hit.matchProbability.toFixed(6)])))
      if ((n & 255) === 0) progress.onProgress('searching', n, queries.length)
    })
    progress.stop()
    writeFileSync(values.output, lines.join('\n') + '\n')
    latencies.sort((a, b) => a - b)
    const at = (share: number) => (latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0).toFixed(2)
    console.log(
      `${corpus.length} records indexed in ${((built - started) / 1000).toFixed(1)} s; ${queries.length} queries, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; results written to ${values.output}.`,
    )
    return 0
  } catch (error) {
    if (error instanceof UsageError || error instanceof PersonCsvError || error instanceof ModelFormatError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
}
