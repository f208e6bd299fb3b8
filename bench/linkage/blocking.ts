// bench/linkage/blocking.ts: what the blocking rules cost and what they lose, at the size of a register. For
// generated records (a million by default), per rule set: the pairs each rule generates (each pair once, by
// the first rule that finds it), its blocks split and skipped over the size limit; and per nationality group
// the true pairs never compared, with those among them that the shipped model (models/person.json) would
// score at or above match probability 0.5 (the identity module's review threshold) and 0.95. A lost pair
// below 0.5 costs nothing: the run would not have kept it. misses.ts does the same at 20,000 persons, where
// few blocks reach a limit.
//
//   node bench/linkage/blocking.ts [--records 1000000] [--seed 3] [--rules FILE]
//
// --rules: a JSON object of named rule lists to measure beside the person rules before issue 5 and now.
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { generateUnitPairs, parseBlockingRule, planBlocking, ruleFindingPair, dropRuleBlocks } from '../../src/linkage/blocking.ts'
import { buildFeatureTable } from '../../src/linkage/features.ts'
import { PERSON_PREDICTION_RULES } from '../../src/linkage/link.ts'
import { Scorer, weightOfProbability } from '../../src/linkage/model.ts'
import { loadPersonModel } from '../../src/linkage/models/person-model.ts'
import { generateRecords, GROUPS } from '../../src/linkage/synthetic/generator.ts'

/** The person rules before issue 5 (429 million pairs at a million records). */
const RULES_BEFORE = ['lantern: identifier', 'lantern: name_sound_pair & dob_year', 'lantern: name_sound & dob', 'lantern: name_sound_pair', 'lantern: name_sound & dob_year']

const { values } = parseArgs({ options: { records: { type: 'string' }, seed: { type: 'string' }, rules: { type: 'string' } } })
const size = Number(values.records ?? 1_000_000)
const sets: Record<string, string[]> = { 'before issue 5': RULES_BEFORE, now: PERSON_PREDICTION_RULES, ...(values.rules ? (JSON.parse(readFileSync(values.rules, 'utf8')) as Record<string, string[]>) : {}) }

console.log(`bench/linkage/blocking on Node ${process.version}, ${new Date().toISOString()}; load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`)
const records = generateRecords({ persons: Math.round(size / 1.87), seed: Number(values.seed ?? 3) }).records.slice(0, size)
const table = buildFeatureTable(records)
const scorer = new Scorer(loadPersonModel(), table)
const half = weightOfProbability(0.5)
const high = weightOfProbability(0.95)

// The true pairs, each with its group and its weight under the shipped model.
const byPerson = new Map<string, number[]>()
records.forEach((record, index) => {
  const person = record.extra.person_id ?? ''
  const list = byPerson.get(person)
  if (list) list.push(index)
  else byPerson.set(person, [index])
})
const groupIndex = new Map<string, number>(GROUPS.map((group, index) => [group, index]))
const left: number[] = []
const right: number[] = []
const group: number[] = []
const weight: number[] = []
for (const list of byPerson.values()) {
  for (let x = 0; x < list.length; x++) {
    for (let y = x + 1; y < list.length; y++) {
      const a = Math.min(list[x] as number, list[y] as number)
      const b = Math.max(list[x] as number, list[y] as number)
      left.push(a)
      right.push(b)
      group.push(groupIndex.get(records[a]?.extra.group ?? '') ?? 0)
      weight.push(scorer.score(a, b))
    }
  }
}
console.log(`${records.length.toLocaleString('en-GB')} records, ${left.length.toLocaleString('en-GB')} true pairs`)

for (const [name, texts] of Object.entries(sets)) {
  const started = performance.now()
  const plan = planBlocking(table, texts.map(parseBlockingRule), { maxBlockSize: 1000 })
  const perRule = new Float64Array(plan.rules.length)
  for (let unit = 0; unit < plan.unitRule.length; unit++) {
    const rule = plan.unitRule[unit] as number
    perRule[rule] = (perRule[rule] as number) + generateUnitPairs(plan, unit, () => {})
  }
  const pairs = perRule.reduce((sum, count) => sum + count, 0)
  console.log(`\n== ${name}: ${pairs.toLocaleString('en-GB')} pairs compared (${(pairs / records.length).toFixed(1)} a record; blocks and pairs in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  plan.rules.forEach((blocks, r) =>
    console.log(`  ${blocks.rule.padEnd(62)} ${Math.round(perRule[r] as number).toLocaleString('en-GB').padStart(12)} pairs; ${blocks.stats.splitBlocks} blocks split, ${blocks.stats.skippedBlocks} over the limit`),
  )
  const tally = GROUPS.map(() => ({ truth: 0, never: 0, neverHalf: 0, neverHigh: 0 }))
  for (let p = 0; p < left.length; p++) {
    const entry = tally[group[p] as number] as (typeof tally)[number]
    entry.truth++
    if (ruleFindingPair(plan, left[p] as number, right[p] as number) !== -1) continue
    entry.never++
    if ((weight[p] as number) >= half) entry.neverHalf++
    if ((weight[p] as number) >= high) entry.neverHigh++
  }
  console.log('  group  true pairs  never compared  of them >= 0.5  of them >= 0.95')
  tally.forEach((entry, g) =>
    console.log(`  ${(GROUPS[g] as string).padEnd(5)} ${String(entry.truth).padStart(11)} ${String(entry.never).padStart(15)} ${String(entry.neverHalf).padStart(15)} ${String(entry.neverHigh).padStart(16)}`),
  )
  dropRuleBlocks(table)
}
console.log(`\nload average at the end: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`)
