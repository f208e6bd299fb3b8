// bench/linkage/misses.ts: why the multicultural figures are what they are. For each nationality group, at
// the threshold that gives precision >= 0.98, the true pairs missed (never compared by blocking, or scored
// below) and the false matches above it, tallied by their comparison levels, with examples.
//
//   node bench/linkage/misses.ts [--persons 20000] [--group VNM] [--examples 8] [--seed 7] [--no-descriptions] [--tf-bits 0]
//   (--tf-bits: the ceiling's buckets round the term-frequency adjustments to this many bits; 0, exact, bounds the model)
import { parseArgs } from 'node:util'
import { runLinkage } from '../../src/linkage/link.ts'
import { generateRecords, GROUPS } from '../../src/linkage/synthetic/generator.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'
import { recallBound, recallHeldOut } from './bound.ts'
import os from 'node:os'
import { ceilingTally, modelLevelOrders, monotoneCeilings, orderViolations, pairBuckets } from './monotone-ceiling.ts'

const { values } = parseArgs({ options: { persons: { type: 'string' }, group: { type: 'string' }, examples: { type: 'string' }, seed: { type: 'string' }, 'no-descriptions': { type: 'boolean' }, 'tf-bits': { type: 'string' } } })
const persons = Number(values.persons ?? 20_000)
const examples = Number(values.examples ?? 8)
const { records } = generateRecords({ persons, seed: Number(values.seed ?? 7), descriptions: !values['no-descriptions'] })
const run = runLinkage(records, null, { threshold: 0.0001 })
const labels = run.model.comparisons.map((comparison) => comparison.definition.name)
const show = (record: PersonRecord) =>
  `${record.givenNames} / ${record.familyName}${record.otherNames.length ? ` (${record.otherNames.join('; ')})` : ''} | ${record.dateOfBirth ?? `${record.dobEarliest ?? '?'}..${record.dobLatest ?? '?'}`} | ${record.sex} | ${record.nationality ?? '-'} | ${record.identifiers.map((i) => i.value).join(',')}`
const levels = new Uint8Array(labels.length)
const pattern = (a: number, b: number) => {
  run.scorer.levels(a, b, levels)
  return labels.map((label, c) => `${label}:${levels[c]}`).join(' ')
}
const compared = new Map<string, number>()
for (let p = 0; p < run.pairs.count; p++) compared.set(`${run.pairs.left[p]}:${run.pairs.right[p]}`, run.pairs.weight[p] as number)
const byPerson = new Map<string, number[]>()
records.forEach((record, index) => {
  const list = byPerson.get(record.extra.person_id ?? '') ?? []
  list.push(index)
  byPerson.set(record.extra.person_id ?? '', list)
})
console.log(`${records.length} records, ${run.candidatePairs} compared, prior ${run.model.probabilityTwoRandomRecordsMatch.toExponential(2)}`)
for (const c of run.model.comparisons) console.log(`  ${c.definition.name}: ${c.definition.levels.map((l, k) => `${k}=${l.isNull ? '-' : (Math.log2((c.m[k] as number) / (c.u[k] as number))).toFixed(1)}`).join(' ')}`)
const truePairs = new Map<string, number>()
for (const [, indexes] of byPerson) {
  const group = (records[indexes[0] as number] as PersonRecord).extra.group ?? ''
  truePairs.set(group, (truePairs.get(group) ?? 0) + (indexes.length * (indexes.length - 1)) / 2)
}
// The monotone ceiling over every candidate pair, the term frequencies exact: a missing field neutral (between
// agreement and disagreement, as the model weighs it), and apart (comparable to nothing: any monotone model).
const load = () => os.loadavg()[0]?.toFixed(1)
const ceilingStarted = performance.now()
const loadBefore = load()
const buckets = pairBuckets(run, { tfResolution: Number(values['tf-bits'] ?? 0) })
const bucketed = (performance.now() - ceilingStarted) / 1000
const ceilings = { neutral: monotoneCeilings(run, buckets, truePairs, { nulls: 'neutral' }), apart: monotoneCeilings(run, buckets, truePairs, { nulls: 'apart' }) }
console.log(`monotone ceiling: ${buckets.left.length} candidate pairs bucketed in ${bucketed.toFixed(1)} s, all groups' cuts in ${((performance.now() - ceilingStarted) / 1000 - bucketed).toFixed(1)} s (load average ${loadBefore} -> ${load()})`)
// Levels no candidate pair reaches (the description's, on records undescribed) cannot put the model out of order.
const reached = new Set<string>()
for (const set of buckets.buckets) for (let k = 0; k < set.levels.length; k++) reached.add(`${buckets.comparisons[k % set.comparisons]}:${set.levels[k]}`)
for (const nulls of ['neutral', 'apart'] as const) {
  const violations = orderViolations(run.model, modelLevelOrders(run.model, nulls)).filter((v) => reached.has(`${v.comparison}:${v.higher}`) && reached.has(`${v.comparison}:${v.lower}`))
  console.log(`  the model's weights against the level order (a missing field ${nulls}), on the levels pairs reach: ${violations.length === 0 ? 'in order, so the ceiling bounds this model' : violations.map((v) => v.message).join('; ')}`)
}
for (const group of GROUPS) {
  if (values.group && values.group !== group) continue
  const list: { a: number; b: number; weight: number; match: boolean }[] = []
  for (let p = 0; p < run.pairs.count; p++) {
    const a = run.pairs.left[p] as number
    const b = run.pairs.right[p] as number
    const ra = records[a] as PersonRecord
    if (ra.extra.group !== group) continue
    list.push({ a, b, weight: run.pairs.weight[p] as number, match: ra.extra.person_id === (records[b] as PersonRecord).extra.person_id })
  }
  list.sort((x, y) => y.weight - x.weight)
  let truth = 0
  const missedPairs: [number, number][] = []
  for (const [, indexes] of byPerson) {
    if ((records[indexes[0] as number] as PersonRecord).extra.group !== group) continue
    for (let i = 0; i < indexes.length; i++)
      for (let j = i + 1; j < indexes.length; j++) {
        truth++
        const a = Math.min(indexes[i] as number, indexes[j] as number)
        const b = Math.max(indexes[i] as number, indexes[j] as number)
        missedPairs.push([a, b])
      }
  }
  let tp = 0
  let fp = 0
  let best = 0
  let bestAt = Infinity
  for (const pair of list) {
    if (pair.match) tp++
    else fp++
    if (tp / (tp + fp) >= 0.98 && tp / truth > best) {
      best = tp / truth
      bestAt = pair.weight
    }
  }
  const oracle = recallBound(run, list, truth)
  const oracleOfFive = recallBound(run, list, truth, 0.98, 5)
  const heldOut = recallHeldOut(run, list, truth)
  console.log(`${group} bound (best recall at precision >= 0.98 with the labels known, bench/linkage/bound.ts): ${oracle.toFixed(3)}; over buckets of 5 pairs or more ${oracleOfFive.toFixed(3)}; ranked on one half of the pairs, read on the other ${heldOut.toFixed(3)}`)
  const neutral = ceilings.neutral.get(group)
  const apart = ceilings.apart.get(group)
  if (neutral && apart) {
    const fitted = (ceiling: typeof neutral) => (ceiling.crossFitted.recall > 0 ? `${ceiling.crossFitted.recall.toFixed(3)} at ${ceiling.crossFitted.precision.toFixed(3)}` : `none at 0.98 (precision ${ceiling.crossFitted.precision.toFixed(3)} at most)`)
    console.log(
      `${group} monotone ceiling (bench/linkage/monotone-ceiling.ts), a missing field neutral: ${neutral.upperRecall.toFixed(3)} (an up-set attains ${neutral.attainedRecall.toFixed(3)}); apart: ${apart.upperRecall.toFixed(3)} (${apart.attainedRecall.toFixed(3)}); ` +
        `cross-fitted, not a bound: ${fitted(neutral)}; ${apart.buckets} buckets, ${neutral.keptBuckets} kept, ${neutral.requirements} requirements, ${neutral.cuts} cuts, ${neutral.seconds.toFixed(1)} s`,
    )
  }
  const falseMatches = list.filter((pair) => !pair.match && pair.weight >= bestAt - 3)
  const notCompared = missedPairs.filter(([a, b]) => !compared.has(`${a}:${b}`) && !compared.has(`${b}:${a}`))
  const below = missedPairs.filter(([a, b]) => (compared.get(`${a}:${b}`) ?? compared.get(`${b}:${a}`) ?? Infinity) < bestAt)
  console.log(`\n== ${group}: ${truth} true pairs, best recall ${best.toFixed(3)} at weight ${bestAt.toFixed(2)}; ${notCompared.length} below 0.0001 or never compared, ${below.length} scored below; ${falseMatches.length} false within 3 of the threshold`)
  const tally = (pairs: [number, number][]) => {
    const counts = new Map<string, { n: number; example: [number, number][] }>()
    for (const [a, b] of pairs) {
      const key = pattern(a, b)
      const entry = counts.get(key) ?? { n: 0, example: [] }
      entry.n++
      if (entry.example.length < 3) entry.example.push([a, b])
      counts.set(key, entry)
    }
    for (const [key, entry] of [...counts].sort((x, y) => y[1].n - x[1].n).slice(0, examples)) {
      console.log(`  ${String(entry.n).padStart(5)}  ${key}`)
      for (const [a, b] of entry.example) console.log(`         ${show(records[a] as PersonRecord)}  ~  ${show(records[b] as PersonRecord)}  [${run.scorer.score(a, b).toFixed(1)}]`)
    }
  }
  console.log(' missed, never compared or below 0.0001:')
  tally(notCompared.filter(([a, b]) => !below.some(([x, y]) => x === a && y === b)))
  console.log(' missed, scored below the threshold:')
  tally(below)
  console.log(' false matches above threshold - 3:')
  tally(falseMatches.map((pair) => [pair.a, pair.b]))
  if (neutral) {
    console.log(' where the ceiling (a missing field neutral) and the model part: true / false pairs the ceiling takes below the model\'s threshold; those the model takes that the ceiling leaves')
    for (const row of ceilingTally(buckets, group, neutral, bestAt, ['names', 'date_of_birth', 'identifiers']).slice(0, examples))
      console.log(`  ${String(row.gainedTp).padStart(5)} / ${String(row.gainedFp).padStart(3)}  ;  ${String(row.lostTp).padStart(5)} / ${String(row.lostFp).padStart(3)}  ${row.pattern}`)
  }
}
