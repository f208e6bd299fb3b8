// bench/linkage: quality and speed of the linkage engine, in one run.
//   FEBRL4 (link) and FEBRL3 (dedupe): precision, recall, F1 at match probability 0.5.
//   Multicultural records from src/linkage/synthetic: per nationality group, precision and recall at 0.5,
//     and the best recall at precision >= 0.98, beside the bounds: the buckets ranked freely with the labels
//     known (bound.ts) and the monotone ceiling (monotone-ceiling.ts).
//   Scoring throughput, one thread: the engine's scorer beside the naive implementation (bench/linkage/naive.ts)
//     on the same candidate pairs, with their agreement.
//   Dedupe of a million generated records, end to end (features, training, blocking, scoring).
//
//   node bench/linkage/run.ts [--febrl DIR] [--persons 20000] [--million 1000000] [--threads N] [--skip-million | --million-only] [--no-descriptions]
import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readFebrl, febrlEntity } from './febrl.ts'
import { febrlComparisons, FEBRL_DETERMINISTIC_RULES, FEBRL_PREDICTION_RULES, FEBRL_TRAINING_RULES } from './febrl-model.ts'
import { naiveLevels } from './naive.ts'
import { recallBound, recallHeldOut } from './bound.ts'
import { monotoneCeilings, pairBuckets } from './monotone-ceiling.ts'
import { runLinkage, type LinkageRun } from '../../src/linkage/link.ts'
import { generatePairs } from '../../src/linkage/blocking.ts'
import { generateRecords, GROUPS } from '../../src/linkage/synthetic/generator.ts'
import { weightOfProbability } from '../../src/linkage/model.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'

const { values } = parseArgs({
  options: {
    febrl: { type: 'string' },
    persons: { type: 'string' },
    million: { type: 'string' },
    'skip-million': { type: 'boolean' },
    'million-only': { type: 'boolean' },
    threads: { type: 'string' },
    'no-descriptions': { type: 'boolean' },
  },
})
// --no-descriptions: the same generated records with no physical description, to see what it adds.
const descriptions = !values['no-descriptions']
const febrlDir = values.febrl ?? path.resolve(import.meta.dirname, '../../../shared/data/linkage')
const fixed = (value: number, digits = 4) => value.toFixed(digits)

function f1Report(name: string, run: LinkageRun, isMatch: (a: PersonRecord, b: PersonRecord) => boolean, truth: number) {
  let truePositives = 0
  const threshold = weightOfProbability(0.5)
  let predicted = 0
  for (let p = 0; p < run.pairs.count; p++) {
    if ((run.pairs.weight[p] as number) < threshold) continue
    predicted++
    if (isMatch(run.table.records[run.pairs.left[p] as number] as PersonRecord, run.table.records[run.pairs.right[p] as number] as PersonRecord)) truePositives++
  }
  const precision = truePositives / Math.max(1, predicted)
  const recall = truePositives / truth
  const f1 = (2 * precision * recall) / (precision + recall)
  console.log(`${name.padEnd(8)} precision ${fixed(precision)}  recall ${fixed(recall)}  F1 ${fixed(f1)}  (${predicted} predicted, ${truth} true pairs, ${run.candidatePairs} compared, ${(run.timings.total / 1000).toFixed(1)} s)`)
}

function febrl() {
  const a = path.join(febrlDir, 'dataset4a.csv')
  if (!existsSync(a)) {
    console.log(`FEBRL files not found in ${febrlDir} (pass --febrl DIR): skipped`)
    return
  }
  console.log('\n== FEBRL (reference: Splink FEBRL4 F1 0.9991, FEBRL3 F1 0.9947; targets 0.995 and 0.99)')
  const options = { comparisons: febrlComparisons(), predictionRules: FEBRL_PREDICTION_RULES, deterministicRules: FEBRL_DETERMINISTIC_RULES, trainingRules: FEBRL_TRAINING_RULES, threshold: 0.5, uSamplePairs: 1_000_000 }
  const link = runLinkage(readFebrl(a), readFebrl(path.join(febrlDir, 'dataset4b.csv')), options)
  f1Report('FEBRL4', link, (x, y) => febrlEntity(x.recordId) === febrlEntity(y.recordId), 5000)
  const records = readFebrl(path.join(febrlDir, 'dataset3.csv'))
  const sizes = new Map<string, number>()
  for (const record of records) sizes.set(febrlEntity(record.recordId), (sizes.get(febrlEntity(record.recordId)) ?? 0) + 1)
  let truth = 0
  for (const size of sizes.values()) truth += (size * (size - 1)) / 2
  const dedupe = runLinkage(records, null, options)
  f1Report('FEBRL3', dedupe, (x, y) => febrlEntity(x.recordId) === febrlEntity(y.recordId), truth)
}

function multicultural(persons: number): { run: LinkageRun; records: PersonRecord[] } {
  console.log(`\n== Multicultural records: ${persons} generated persons (target: recall >= 0.95 at precision >= 0.98 per group)`)
  const { records } = generateRecords({ persons, seed: 7, descriptions })
  const run = runLinkage(records, null, { threshold: 0.01 })
  const truth = new Map<string, number>()
  const byPerson = new Map<string, number>()
  for (const record of records) byPerson.set(record.extra.person_id ?? '', (byPerson.get(record.extra.person_id ?? '') ?? 0) + 1)
  const groupOf = new Map(records.map((record) => [record.extra.person_id ?? '', record.extra.group ?? '']))
  for (const [person, count] of byPerson) truth.set(groupOf.get(person) ?? '', (truth.get(groupOf.get(person) ?? '') ?? 0) + (count * (count - 1)) / 2)
  const scored: Record<string, { a: number; b: number; weight: number; match: boolean }[]> = {}
  for (let p = 0; p < run.pairs.count; p++) {
    const a = records[run.pairs.left[p] as number] as PersonRecord
    const b = records[run.pairs.right[p] as number] as PersonRecord
    ;(scored[a.extra.group ?? ''] ??= []).push({ a: run.pairs.left[p] as number, b: run.pairs.right[p] as number, weight: run.pairs.weight[p] as number, match: a.extra.person_id === b.extra.person_id })
  }
  console.log(`${records.length} records, ${run.candidatePairs} pairs compared in ${(run.timings.total / 1000).toFixed(1)} s; prior ${run.model.probabilityTwoRandomRecordsMatch.toExponential(2)}`)
  // The best any model respecting each comparison's level order could do (a missing field neutral).
  const ceilings = monotoneCeilings(run, pairBuckets(run), truth, { nulls: 'neutral' })
  console.log('group  true pairs  precision@0.5  recall@0.5  best recall with precision>=0.98 (threshold)  bound (bench/linkage/bound.ts; over buckets of 5 pairs or more; held out)  monotone ceiling (monotone-ceiling.ts)')
  const half = weightOfProbability(0.5)
  for (const group of GROUPS) {
    const list = (scored[group] ?? []).sort((x, y) => y.weight - x.weight)
    const total = truth.get(group) ?? 0
    let tp = 0
    let fp = 0
    let tpHalf = 0
    let fpHalf = 0
    let best = 0
    let bestAt = NaN
    for (const pair of list) {
      if (pair.match) tp++
      else fp++
      if (pair.weight >= half) {
        if (pair.match) tpHalf++
        else fpHalf++
      }
      if (tp / (tp + fp) >= 0.98 && tp / total > best) {
        best = tp / total
        bestAt = pair.weight
      }
    }
    const threshold = Number.isNaN(bestAt) ? '-' : (2 ** bestAt / (1 + 2 ** bestAt)).toFixed(3)
    console.log(`${group.padEnd(6)} ${String(total).padStart(10)}  ${fixed(tpHalf / Math.max(1, tpHalf + fpHalf), 3).padStart(13)}  ${fixed(tpHalf / total, 3).padStart(10)}  ${fixed(best, 3)} (${threshold})${' '.repeat(28)}${fixed(recallBound(run, list, total), 3)} (${fixed(recallBound(run, list, total, 0.98, 5), 3)}; ${fixed(recallHeldOut(run, list, total), 3)})  ${fixed(ceilings.get(group)?.upperRecall ?? 0, 3)}`)
  }
  return { run, records }
}

function throughput(run: LinkageRun, records: PersonRecord[]) {
  console.log('\n== Scoring throughput, one thread (target: >= 1,000,000 pairs per second)')
  const left: number[] = []
  const right: number[] = []
  generatePairs(run.table, run.model.blockingRules, (l, r, count) => {
    for (let p = 0; p < count && left.length < 2_000_000; p++) {
      left.push(l[p] as number)
      right.push(r[p] as number)
    }
  })
  const pairs = left.length
  const a = Int32Array.from(left)
  const b = Int32Array.from(right)
  let sink = 0
  for (let p = 0; p < Math.min(pairs, 200_000); p++) sink += run.scorer.score(a[p] as number, b[p] as number)
  const passes = 3
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let pass = 0; pass < passes; pass++) for (let p = 0; p < pairs; p++) sink += run.scorer.score(a[p] as number, b[p] as number)
  const engineSeconds = (performance.now() - started) / 1000
  const engineCpu = process.cpuUsage(cpuStarted)
  const enginePerSecond = (pairs * passes) / engineSeconds
  const enginePerCpuSecond = (pairs * passes) / ((engineCpu.user + engineCpu.system) / 1e6)
  const naivePairs = Math.min(pairs, 100_000)
  const levels = new Uint8Array(run.model.comparisons.length)
  let agree = 0
  const naiveStarted = performance.now()
  const naiveCpuStarted = process.cpuUsage()
  const naive: number[][] = []
  for (let p = 0; p < naivePairs; p++) naive.push(naiveLevels(records[a[p] as number] as PersonRecord, records[b[p] as number] as PersonRecord))
  const naiveSeconds = (performance.now() - naiveStarted) / 1000
  const naiveCpu = process.cpuUsage(naiveCpuStarted)
  const naivePerCpuSecond = naivePairs / ((naiveCpu.user + naiveCpu.system) / 1e6)
  for (let p = 0; p < naivePairs; p++) {
    run.scorer.levels(a[p] as number, b[p] as number, levels)
    if ((naive[p] as number[]).every((level, c) => level === levels[c])) agree++
  }
  // Per CPU second is the figure for one thread: on a shared machine the wall clock counts other processes' turns.
  console.log(`engine: ${Math.round(enginePerCpuSecond).toLocaleString('en-GB')} pairs per CPU second; ${Math.round(enginePerSecond).toLocaleString('en-GB')} pairs/s by the wall clock (${pairs} candidate pairs x ${passes}, ${engineSeconds.toFixed(2)} s)`)
  console.log(`naive:  ${Math.round(naivePerCpuSecond).toLocaleString('en-GB')} pairs per CPU second; ${Math.round(naivePairs / naiveSeconds).toLocaleString('en-GB')} pairs/s by the wall clock (${naivePairs} pairs, ${naiveSeconds.toFixed(2)} s); levels agree on ${fixed((100 * agree) / naivePairs, 2)}% of pairs`)
  if (sink === 42) console.log('')
}

function million(records: number, threads: number) {
  console.log(`\n== Dedupe of ${records.toLocaleString('en-GB')} generated records, end to end, on ${threads} thread(s) (target: under 2 minutes)`)
  const persons = Math.round(records / 1.87)
  const generated = generateRecords({ persons, seed: 3, descriptions }).records.slice(0, records)
  const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ')
  console.log(`load average at the start (1, 5, 15 min): ${load()}`)
  const memoryBefore = process.memoryUsage().rss
  const cpuBefore = process.cpuUsage()
  const run = runLinkage(generated, null, { threshold: 0.5, threads })
  const cpu = process.cpuUsage(cpuBefore)
  const t = run.timings
  const seconds = (ms: number) => (ms / 1000).toFixed(1)
  console.log(
    `${generated.length} records: ${seconds(t.total)} s by the wall clock (features ${seconds(t.features)} s, training ${seconds(t.training)} s, blocking ${seconds(t.blocking)} s, scoring ${seconds(t.scoring)} s on ${run.threads} thread(s)); ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU seconds (all threads)`,
  )
  console.log(
    `${run.candidatePairs.toLocaleString('en-GB')} pairs compared (${(run.candidatePairs / generated.length).toFixed(1)} a record), ${run.pairs.count.toLocaleString('en-GB')} above 0.5; resident memory +${Math.round((process.memoryUsage().rss - memoryBefore) / 1e6)} MB, peak ${(process.resourceUsage().maxRSS / 1e6).toFixed(2)} GB`,
  )
  for (const rule of run.blocking)
    console.log(`  ${rule.rule.padEnd(64)} ${rule.pairs.toLocaleString('en-GB').padStart(12)} pairs; ${rule.splitBlocks} blocks split, ${rule.skippedBlocks} over the limit skipped`)
  if (run.training) console.log(`training: prior ${run.training.prior.probability.toExponential(2)}; u from ${run.training.uSample.pairs.toLocaleString('en-GB')} random pairs; EM on ${run.training.sessions.map((session) => session.pairs.toLocaleString('en-GB')).join(' and ')} pairs`)
  console.log(`load average at the end: ${load()}`)
}

console.log(`bench/linkage on Node ${process.version}, ${new Date().toISOString()}`)
if (!values['million-only']) {
  febrl()
  const { run, records } = multicultural(Number(values.persons ?? 20_000))
  throughput(run, records)
}
if (!values['skip-million']) million(Number(values.million ?? 1_000_000), Number(values.threads ?? os.availableParallelism()))
