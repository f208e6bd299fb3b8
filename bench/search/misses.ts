// bench/search/misses.ts: which encounter queries miss the true record in the top 10, and why (never a
// candidate, or outranked, and by whom), with the share found per nationality group.
//
//   node bench/search/misses.ts [--persons 100000] [--queries 1000] [--examples 40] [--mix referral|register] [--groups ERI,SDN] [--no-descriptions]
//
// With --mix register the persons are in the register's mix and the queries are encounters of arrived children
// (as the second part of run.ts measures them) unless --groups names others.
import { parseArgs } from 'node:util'
import { generateEncounters, generateRecords, GROUPS, REFERRAL_MIX, REGISTER_MIX, type Group } from '../../src/linkage/synthetic/generator.ts'
import { SearchIndex } from '../../src/linkage/search-index.ts'
import { loadPersonModel } from '../../src/linkage/models/person-model.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'

const { values } = parseArgs({ options: { persons: { type: 'string' }, queries: { type: 'string' }, examples: { type: 'string' }, mix: { type: 'string' }, groups: { type: 'string' }, 'no-descriptions': { type: 'boolean' } } })
const size = Number(values.persons ?? 100_000)
const register = values.mix === 'register'
if (values.mix !== undefined && !register && values.mix !== 'referral') throw new Error(`--mix: "${values.mix}" is not referral or register`)
const mix = register ? REGISTER_MIX : REFERRAL_MIX
// --no-descriptions: the same persons and records with no physical description, to see what it adds.
const descriptions = !values['no-descriptions']
const { records: corpus } = generateRecords({ persons: size, seed: 5, furtherRecordChance: 0, mix, descriptions })
const queries = generateEncounters({
  persons: size,
  seed: 5,
  furtherRecordChance: 0,
  mix,
  descriptions,
  corpus,
  queries: Number(values.queries ?? 1000),
  ...(values.groups ? { queryGroups: values.groups.split(',') as Group[] } : register ? { queryGroups: GROUPS.filter((group) => group !== 'GBR') } : {}),
})
const index = new SearchIndex(loadPersonModel(), corpus)
const byPerson = new Map(corpus.map((record) => [record.extra.person_id, record]))
const byId = new Map(corpus.map((record) => [record.recordId, record]))
const show = (record: PersonRecord | undefined) =>
  record
    ? `${record.givenNames} / ${record.familyName}${record.otherNames.length ? ` (${record.otherNames.join('; ')})` : ''} | ${record.dateOfBirth ?? `${record.dobEarliest ?? '?'}..${record.dobLatest ?? '?'}`} | ${record.sex} | ${record.nationality ?? '-'} | ${record.identifiers.map((identifier) => identifier.value).join(',')}`
    : '-'
let found = 0
let notCandidate = 0
let outranked = 0
// Outranked queries where at least 10 other records agree with the query at least as well as the true record
// on every comparison (each comparison's level weight, before term frequencies): any ranking that respects
// the order of each comparison's levels puts those 10 at or above the true record.
let dominated = 0
const dominatedByGroup = new Map<string, number>()
const groups = new Map<string, { found: number; total: number }>()
const examples: string[] = []
for (const query of queries) {
  const truth = byPerson.get(query.extra.person_id)
  const hits = index.searchExplained(query, { top: 2000 })
  const rank = hits.findIndex((hit) => hit.recordId === truth?.recordId)
  const group = groups.get(query.extra.group ?? '') ?? { found: 0, total: 0 }
  group.total++
  groups.set(query.extra.group ?? '', group)
  if (rank >= 0 && rank < 10) {
    found++
    group.found++
    continue
  }
  if (rank < 0) notCandidate++
  else {
    outranked++
    const truthLevels = (hits[rank] as (typeof hits)[number]).explanation.comparisons.map((c) => c.weight)
    let ahead = 0
    for (const other of hits.slice(0, rank)) if (other.explanation.comparisons.every((c, k) => c.weight >= (truthLevels[k] as number))) ahead++
    if (ahead >= 10) {
      dominated++
      dominatedByGroup.set(query.extra.group ?? '', (dominatedByGroup.get(query.extra.group ?? '') ?? 0) + 1)
    }
  }
  if (examples.length >= Number(values.examples ?? 40)) continue
  const hit = hits[rank]
  const why = hit ? `  [${hit.matchWeight.toFixed(1)} against #10 ${(hits[9]?.matchWeight ?? 0).toFixed(1)}: ${hit.explanation.comparisons.map((c) => `${c.comparison}:${c.level}`).join(' ')}]` : ''
  examples.push(`rank ${rank < 0 ? 'none' : rank + 1}: query ${show(query)}\n     true ${show(truth)}${why}\n     #1   ${show(byId.get(hits[0]?.recordId ?? ''))} [${(hits[0]?.matchWeight ?? 0).toFixed(1)}]`)
}
console.log(`${size} persons, ${queries.length} queries: true record in the top 10 for ${((100 * found) / queries.length).toFixed(1)}%; missed: ${notCandidate} never a candidate, ${outranked} outranked`)
console.log([...groups].map(([name, group]) => `${name} ${((100 * group.found) / group.total).toFixed(1)}% of ${group.total}`).join(', '))
console.log(
  `of the outranked, ${dominated} have 10 or more records agreeing with the query at least as well as the true record on every field (no ranking by these fields can lift them): the bound is ${((100 * (queries.length - dominated)) / queries.length).toFixed(1)}%; by group: ${[...groups].map(([name, group]) => `${name} ${((100 * (group.total - (dominatedByGroup.get(name) ?? 0))) / group.total).toFixed(1)}%`).join(', ')}`,
)
console.log(examples.join('\n'))
