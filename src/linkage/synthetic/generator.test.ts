import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DESCRIPTION, generateEncounters, generateRecords, HOME_OFFICE_REFERENCE_SHARE, REGISTER_MIX } from './generator.ts'
import type { PersonRecord } from '../person-record.ts'

const hasReference = (record: PersonRecord) => record.identifiers.some((identifier) => identifier.type === 'home_office_reference')
const isDefault = (record: PersonRecord) => record.dateOfBirth?.endsWith('-01-01') === true
const isRange = (record: PersonRecord) => record.dateOfBirth === null && record.dobEarliest !== null

/** Pairs of records of one child who arrived from abroad. */
function arrivedPairs(records: PersonRecord[]): [PersonRecord, PersonRecord][] {
  const byPerson = new Map<string, PersonRecord[]>()
  for (const record of records) {
    if (record.extra.group === 'GBR') continue
    const own = byPerson.get(record.extra.person_id ?? '') ?? []
    own.push(record)
    byPerson.set(record.extra.person_id ?? '', own)
  }
  const pairs: [PersonRecord, PersonRecord][] = []
  for (const own of byPerson.values()) for (let i = 0; i < own.length; i++) for (let j = i + 1; j < own.length; j++) pairs.push([own[i] as PersonRecord, own[j] as PersonRecord])
  return pairs
}

test('the same seed gives the same records and encounters; another seed others', () => {
  const first = generateRecords({ persons: 400, seed: 21 })
  const again = generateRecords({ persons: 400, seed: 21 })
  assert.deepEqual(again.records, first.records)
  assert.notDeepEqual(generateRecords({ persons: 400, seed: 22 }).records, first.records)
  const encounters = (records: PersonRecord[]) => generateEncounters({ persons: 400, seed: 21, corpus: records, queries: 50 })
  assert.deepEqual(encounters(again.records), encounters(first.records))
})

test("an arrived child's records copy one age assessment from the referral: the same default date and the same assessed range far more often than chance", () => {
  const { records } = generateRecords({ persons: 6000, seed: 17 })
  const pairs = arrivedPairs(records)
  const bothDefault = pairs.filter(([a, b]) => isDefault(a) && isDefault(b))
  const sameDefault = bothDefault.filter(([a, b]) => a.dateOfBirth === b.dateOfBirth)
  const bothRange = pairs.filter(([a, b]) => isRange(a) && isRange(b))
  const sameRange = bothRange.filter(([a, b]) => a.dobEarliest === b.dobEarliest && a.dobLatest === b.dobLatest)
  assert.ok(bothDefault.length > 200 && bothRange.length > 200, `${bothDefault.length} and ${bothRange.length} pairs`)
  // Were each record's default year drawn on its own (the true year or one either side), two would agree about a third of the time.
  assert.ok(sameDefault.length / bothDefault.length > 0.7, `same default date in ${sameDefault.length} of ${bothDefault.length}`)
  // Likewise two ranges drawn on their own (four spans around the true year) agree about a quarter of the time.
  assert.ok(sameRange.length / bothRange.length > 0.45, `same range in ${sameRange.length} of ${bothRange.length}`)
})

test('each record taken alone is as likely as before to carry a reference or a default date; the council and the Home Office always carry the reference', () => {
  const { records } = generateRecords({ persons: 6000, seed: 17 })
  const arrived = records.filter((record) => record.extra.group !== 'GBR')
  const share = (predicate: (record: PersonRecord) => boolean) => arrived.filter(predicate).length / arrived.length
  assert.ok(Math.abs(HOME_OFFICE_REFERENCE_SHARE - 0.6) < 1e-9)
  assert.ok(Math.abs(share(hasReference) - 0.6) < 0.03, `reference on ${share(hasReference)}`)
  assert.ok(Math.abs(share(isDefault) - 0.25) < 0.03, `default date on ${share(isDefault)}`)
  const official = arrived.filter((record) => record.source === 'home_office' || record.source === 'local_authority')
  assert.ok(official.length > 1000)
  assert.ok(official.every(hasReference), 'a council or Home Office record without the reference')
  assert.ok(records.filter((record) => record.extra.group === 'GBR').every((record) => !hasReference(record)))
})

test('an encounter is a first contact: written by the police from what the child says, not copied from the referral', () => {
  const { records } = generateRecords({ persons: 3000, seed: 19, furtherRecordChance: 0 })
  const queries = generateEncounters({ persons: 3000, seed: 19, furtherRecordChance: 0, corpus: records, queries: 600 })
  assert.ok(queries.every((query) => query.source === 'police'))
  const arrived = queries.filter((query) => query.extra.group !== 'GBR')
  const withReference = arrived.filter(hasReference).length / arrived.length
  assert.ok(withReference > 0.15 && withReference < 0.35, `reference on ${withReference} of encounters`)
})

test('descriptions come from a stream of their own: the same seed gives the same names and dates with or without them, and the same descriptions again', () => {
  const described = generateRecords({ persons: 800, seed: 23 })
  const plain = generateRecords({ persons: 800, seed: 23, descriptions: false })
  assert.ok(plain.records.every((record) => record.description === undefined))
  assert.deepEqual(
    described.records.map(({ description: _, ...record }) => record),
    plain.records,
  )
  assert.deepEqual(generateRecords({ persons: 800, seed: 23 }).records, described.records)
  const encounters = (records: PersonRecord[], descriptions: boolean) => generateEncounters({ persons: 800, seed: 23, corpus: records, queries: 80, descriptions })
  assert.deepEqual(
    encounters(described.records, true).map(({ description: _, ...record }) => record),
    encounters(plain.records, false),
  )
})

test('who describes a child, and how: first contacts almost always, councils seldom, copies of the referral the profile; arrived children mostly black or dark brown hair', () => {
  const { records } = generateRecords({ persons: 6000, seed: 17 })
  const share = (list: PersonRecord[], predicate: (record: PersonRecord) => boolean) => list.filter(predicate).length / list.length
  const described = (record: PersonRecord) => record.description !== undefined
  const council = records.filter((record) => record.source === 'local_authority')
  assert.ok(Math.abs(share(council, described) - DESCRIPTION.describedBy.council) < 0.05, `council ${share(council, described)}`)
  const queries = generateEncounters({ persons: 6000, seed: 17, corpus: records, queries: 600 })
  assert.ok(Math.abs(share(queries, described) - DESCRIPTION.describedBy.firstContact) < 0.04, `encounters ${share(queries, described)}`)
  // An arrived child's council record and Home Office record, both copies of the referral, describe the child in the same words when both have a description.
  const byPerson = new Map<string, PersonRecord[]>()
  for (const record of records) if (record.extra.group !== 'GBR' && record.source !== 'police' && record.description) byPerson.set(record.extra.person_id ?? '', [...(byPerson.get(record.extra.person_id ?? '') ?? []), record])
  const copies = [...byPerson.values()].filter((list) => list.length >= 2)
  assert.ok(copies.length > 50)
  assert.ok(copies.every(([a, b]) => JSON.stringify(a?.description) === JSON.stringify(b?.description)))
  const dark = (record: PersonRecord) => /black|dark/.test(record.description?.hair ?? '')
  const withHair = (group: (g: string) => boolean) => records.filter((record) => group(record.extra.group ?? '') && record.description?.hair)
  assert.ok(share(withHair((g) => g !== 'GBR'), dark) > 0.8, `arrived ${share(withHair((g) => g !== 'GBR'), dark)}`)
  assert.ok(share(withHair((g) => g === 'GBR'), dark) < 0.4, `british ${share(withHair((g) => g === 'GBR'), dark)}`)
  // Heights of children of 10 to 17, in whole centimetres.
  const heights = records.flatMap((record) => (record.description?.heightCm == null ? [] : [record.description.heightCm]))
  assert.ok(heights.every((height) => Number.isInteger(height) && height >= 110 && height <= 215))
  // Some children have distinguishing marks, most do not.
  const marked = share(records.filter(described), (record) => record.description?.distinguishingMarks != null)
  assert.ok(marked > 0.08 && marked < 0.35, `marks on ${marked}`)
})

test('the register mix holds the arrived groups at 3% in their referral shares, and encounters can be drawn from chosen groups', () => {
  const { records } = generateRecords({ persons: 20000, seed: 23, furtherRecordChance: 0, mix: REGISTER_MIX })
  const arrived = records.filter((record) => record.extra.group !== 'GBR')
  assert.ok(Math.abs(arrived.length / records.length - 0.03) < 0.005, `${arrived.length} of ${records.length} arrived`)
  // Albanian (13) before Syrian (5), as among referrals.
  const count = (group: string) => arrived.filter((record) => record.extra.group === group).length
  assert.ok(count('ALB') > 1.8 * count('SYR'), `ALB ${count('ALB')}, SYR ${count('SYR')}`)
  const queries = generateEncounters({ persons: 20000, seed: 23, furtherRecordChance: 0, mix: REGISTER_MIX, corpus: records, queries: 200, queryGroups: ['ERI', 'SDN'] })
  assert.equal(queries.length, 200)
  assert.ok(queries.every((query) => query.extra.group === 'ERI' || query.extra.group === 'SDN'))
  // The same persons as the corpus: each query's person is one of its records.
  const persons = new Set(records.map((record) => record.extra.person_id))
  assert.ok(queries.every((query) => persons.has(query.extra.person_id as string)))
})
