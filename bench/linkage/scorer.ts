// bench/linkage/scorer.ts: the scorer alone, quickly and without training: the shipped person model
// (models/person.json) over the candidate pairs of generated records (the person rules), one thread. Prints
// pairs per CPU second for score() and for scoreAtLeast() with no floor and with a floor, and a fingerprint of
// every score's bits, so two versions of the scorer can be shown to give the very same scores.
//
//   node bench/linkage/scorer.ts [--persons 20000] [--seed 7] [--passes 5] [--no-descriptions] [--profile-only]
import { parseArgs } from 'node:util'
import os from 'node:os'
import { generatePairs, parseBlockingRule } from '../../src/linkage/blocking.ts'
import { buildFeatureTable } from '../../src/linkage/features.ts'
import { PERSON_PREDICTION_RULES } from '../../src/linkage/link.ts'
import { Scorer } from '../../src/linkage/model.ts'
import { loadPersonModel } from '../../src/linkage/models/person-model.ts'
import { generateRecords } from '../../src/linkage/synthetic/generator.ts'

const { values } = parseArgs({ options: { persons: { type: 'string' }, seed: { type: 'string' }, passes: { type: 'string' }, 'no-descriptions': { type: 'boolean' } } })
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ')
console.log(`bench/linkage/scorer on Node ${process.version}, ${new Date().toISOString()}; load average ${load()}`)
const { records } = generateRecords({ persons: Number(values.persons ?? 20_000), seed: Number(values.seed ?? 7), descriptions: !values['no-descriptions'] })
const table = buildFeatureTable(records)
const scorer = new Scorer(loadPersonModel(), table)
const left: number[] = []
const right: number[] = []
generatePairs(table, PERSON_PREDICTION_RULES.map(parseBlockingRule), (l, r, count) => {
  for (let p = 0; p < count; p++) {
    left.push(l[p] as number)
    right.push(r[p] as number)
  }
})
const a = Int32Array.from(left)
const b = Int32Array.from(right)
const pairs = a.length
const passes = Number(values.passes ?? 5)

// A fingerprint of the scores' bits (FNV-1a over their two 32-bit halves): equal fingerprints, equal scores.
const scores = new Float64Array(pairs)
for (let p = 0; p < pairs; p++) scores[p] = scorer.score(a[p] as number, b[p] as number)
const fingerprint = (values: Float64Array): string => {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2)
  let hash = 0x811c9dc5
  for (let k = 0; k < words.length; k++) hash = Math.imul(hash ^ (words[k] as number), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}
let bounded = 0
for (let p = 0; p < pairs; p++) if (Math.abs(scorer.scoreAtLeast(a[p] as number, b[p] as number, -Infinity) - (scores[p] as number)) > 1e-9) bounded++
const sorted = Float64Array.from(scores).sort()
const median = sorted[pairs >> 1] as number
console.log(`${records.length} records, ${pairs} candidate pairs; scores' fingerprint ${fingerprint(scores)}; scoreAtLeast(-Infinity) differs from score on ${bounded} pairs; median weight ${median.toFixed(3)}`)

// Each pass timed apart: on a shared machine the best pass is the steadiest figure of the code's own speed.
function time(name: string, scoreOne: (x: number, y: number) => number): void {
  let sink = 0
  for (let p = 0; p < Math.min(pairs, 200_000); p++) sink += scoreOne(a[p] as number, b[p] as number)
  const perPass: number[] = []
  let wall = 0
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    for (let p = 0; p < pairs; p++) sink += scoreOne(a[p] as number, b[p] as number)
    const cpu = process.cpuUsage(cpuStarted)
    wall += (performance.now() - started) / 1000
    perPass.push(pairs / ((cpu.user + cpu.system) / 1e6))
  }
  perPass.sort((x, y) => y - x)
  const figure = (value: number) => Math.round(value).toLocaleString('en-GB').padStart(10)
  console.log(`${name.padEnd(24)} best pass ${figure(perPass[0] as number)}, median ${figure(perPass[perPass.length >> 1] as number)} pairs per CPU second (${wall.toFixed(2)} s by the wall clock)${sink === 42 ? ' ' : ''}`)
}
time('score', (x, y) => scorer.score(x, y))
time('scoreAtLeast(-Infinity)', (x, y) => scorer.scoreAtLeast(x, y, -Infinity))
time('scoreAtLeast(median)', (x, y) => scorer.scoreAtLeast(x, y, median))
console.log(`load average at the end: ${load()}`)
