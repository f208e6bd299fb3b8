// Two versions of the search index side by side in one process, over the same corpus and queries: the share of
// queries with the true record in the top 10 for each, and the CPU a query, the two run in alternating rounds so
// that a load that comes and goes falls on both alike (the machine is shared; separate runs minutes apart differ
// by more than most changes do). The other version is another checkout of Lantern (a git worktree).
//   node bench/search/compare.ts --base /work/wt-base [--persons 1000000] [--queries 1000] [--rounds 3]
//                                [--mix register|referral] [--groups GBR]
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { generateEncounters, generateRecords, REFERRAL_MIX, REGISTER_MIX, GROUPS, type Group } from '../../src/linkage/synthetic/generator.ts'
import { SearchIndex } from '../../src/linkage/search-index.ts'
import { loadPersonModel } from '../../src/linkage/models/person-model.ts'

const { values } = parseArgs({
  options: { base: { type: 'string' }, persons: { type: 'string' }, queries: { type: 'string' }, rounds: { type: 'string' }, mix: { type: 'string' }, groups: { type: 'string' } },
})
if (values.base === undefined) throw new Error('--base DIR: the other checkout to compare with is needed')
const wholeNumber = (text: string | undefined, fallback: number, name: string): number => {
  const value = Number(text ?? fallback)
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: "${text}" is not a whole number of at least 1`)
  return value
}
const persons = wholeNumber(values.persons, 1_000_000, 'persons')
const queryCount = wholeNumber(values.queries, 1000, 'queries')
const rounds = wholeNumber(values.rounds, 3, 'rounds')
const mixName = values.mix ?? 'register'
if (mixName !== 'register' && mixName !== 'referral') throw new Error(`--mix: "${mixName}" is not register or referral`)
const mix = mixName === 'register' ? REGISTER_MIX : REFERRAL_MIX
const groups = values.groups?.split(',').map((group) => {
  if (!(GROUPS as readonly string[]).includes(group)) throw new Error(`--groups: "${group}" is not one of ${GROUPS.join(', ')}`)
  return group as Group
})

const baseModule = (await import(resolve(values.base, 'src/linkage/search-index.ts'))) as { SearchIndex: typeof SearchIndex }
const { records: corpus } = generateRecords({ persons, seed: 5, furtherRecordChance: 0, mix })
const queries = generateEncounters({ persons, seed: 5, furtherRecordChance: 0, mix, corpus, queries: queryCount, ...(groups ? { queryGroups: groups } : {}) })
const model = loadPersonModel()
const versions = [
  { name: `base (${values.base})`, index: new baseModule.SearchIndex(model, corpus), cpuMs: 0, found: 0 },
  { name: 'this checkout', index: new SearchIndex(model, corpus), cpuMs: 0, found: 0 },
]
const personOf = new Map(corpus.map((record) => [record.recordId, record.extra.person_id]))
// A first pass, not timed, counts what each finds and warms each up (each version's code is compiled apart).
for (const version of versions)
  for (const query of queries) if (version.index.search(query, { top: 10 }).some((hit) => personOf.get(hit.recordId) === query.extra.person_id)) version.found++
for (let round = 0; round < rounds; round++) {
  for (const version of round % 2 === 0 ? versions : [...versions].reverse()) {
    const start = process.cpuUsage()
    for (const query of queries) version.index.search(query, { top: 10 })
    const used = process.cpuUsage(start)
    version.cpuMs += (used.user + used.system) / 1000
  }
}
console.log(`${persons.toLocaleString('en-GB')} persons in the ${mixName} mix, ${queries.length} queries${groups ? ` of ${groups.join(', ')}` : ''}, ${rounds} rounds alternated`)
for (const version of versions)
  console.log(`  ${version.name}: true record in the top 10 for ${((100 * version.found) / queries.length).toFixed(1)}%; CPU ${(version.cpuMs / rounds / queries.length).toFixed(2)} ms a query`)
