import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SearchIndex, TopK } from './search-index.ts'
import { weightOfProbability } from './model.ts'
import { loadPersonModel } from './models/person-model.ts'
import { generateEncounters, generateRecords } from './synthetic/generator.ts'
import type { PersonRecord } from './person-record.ts'

const persons = 3000
const { records: corpus } = generateRecords({ persons, seed: 11, furtherRecordChance: 0 })
const queries = generateEncounters({ persons, seed: 11, furtherRecordChance: 0, corpus, queries: 120 })
const index = new SearchIndex(loadPersonModel(), corpus)

test('the bounded top k keeps the k best, best first, equal weights in the order offered', () => {
  const offered = [3, -1, 7, 7, 2, 9, 7, -4, 5, 9, 0, 7].map((weight, position) => ({ position, weight }))
  const top = new TopK(4)
  for (const { position, weight } of offered) top.offer(position, weight)
  // A full stable sort by weight, best first, is the reference.
  const expected = [...offered].sort((a, b) => b.weight - a.weight).slice(0, 4)
  assert.deepEqual(top.sorted(), expected)
  assert.equal(top.worst, 7)
  const none = new TopK(0)
  none.offer(1, 5)
  assert.deepEqual(none.sorted(), [])
})

test('a search for the top 10 ranks exactly as scoring and sorting every candidate does', () => {
  for (const query of queries) {
    // With room for every candidate, nothing is pruned: each is scored in full and all are sorted.
    const all = index.search(query, { top: 1_000_000 })
    const ten = index.search(query, { top: 10 })
    assert.deepEqual(ten, all.slice(0, 10), `query ${query.recordId}`)
    const floor = index.search(query, { top: 10, minimumProbability: 0.01 })
    assert.deepEqual(
      floor,
      all.filter((hit) => hit.matchWeight >= weightOfProbability(0.01)).slice(0, 10),
      `query ${query.recordId} with a minimum`,
    )
  }
})

test('explained hits add up: the prior and the fields give the match weight', () => {
  const hits = index.searchExplained(queries[0] as (typeof queries)[number], { top: 5 })
  assert.ok(hits.length > 0)
  for (const hit of hits) {
    const sum = hit.explanation.prior.weight + hit.explanation.comparisons.reduce((total, c) => total + c.weight + c.tfAdjustment, 0)
    assert.ok(Math.abs(sum - hit.matchWeight) < 1e-9)
  }
})

test('records of a conflicting nationality or sex do not take the places of a one-name match with a near date of birth', () => {
  const record = (recordId: string, given: string, family: string, extra: Partial<PersonRecord>): PersonRecord => ({
    recordId,
    source: 'test',
    givenNames: given,
    familyName: family,
    otherNames: [],
    dateOfBirth: null,
    dobEarliest: null,
    dobLatest: null,
    sex: 'F',
    nationality: 'SDN',
    identifiers: [],
    extra: {},
    ...extra,
  })
  const born = (date: string) => ({ dateOfBirth: date, dobEarliest: date, dobLatest: date })
  // Found first (indexed first), born on the same day, but Syrian, or male: a weight of about -18 each.
  const others = [
    ...Array.from({ length: 8 }, (_, k) => record(`syr${k}`, 'Fatima', `Haddad${'abcdefgh'[k]}`, { ...born('2012-05-15'), nationality: 'SYR' })),
    ...Array.from({ length: 8 }, (_, k) => record(`m${k}`, 'Fatima', `Osman${'abcdefgh'[k]}`, { ...born('2012-05-15'), sex: 'M' })),
  ]
  const truth = record('truth', 'Fatima', 'Ahmed', born('2012-05-15'))
  const small = new SearchIndex(loadPersonModel(), [...others, truth], { maxWeakCandidates: 5 })
  // The father's name dropped and another written: only the given name and the date agree.
  const query = record('q', 'Fatima', 'Muhammad', { dobEarliest: '2011-01-01', dobLatest: '2012-12-31' })
  assert.equal(small.search(query, { top: 10 })[0]?.recordId, 'truth')
  // Only the given name and the year of birth.
  const givenOnly = record('q2', 'Fatima', '', { dobEarliest: '2012-01-01', dobLatest: '2012-12-31' })
  assert.equal(small.search(givenOnly, { top: 1 })[0]?.recordId, 'truth')

  // Namesakes of both names, more than the cap, do not crowd out a record of the query's very date found by
  // the given name alone.
  const namesakes = Array.from({ length: 12 }, (_, k) => record(`n${k}`, 'Fatima', 'Muhammad', born(`20${10 + (k % 3)}-0${1 + (k % 9)}-1${k % 10}`)))
  const crowded = new SearchIndex(loadPersonModel(), [...namesakes, truth], { maxCandidates: 5, maxWeakCandidates: 3 })
  const hits = crowded.search(record('q3', 'Fatima', 'Muhammad', born('2012-05-15')), { top: 10 })
  assert.ok(hits.some((hit) => hit.recordId === 'truth'), hits.map((hit) => hit.recordId).join(' '))
})

/** A British boy's record born on one day, for the tests of name keys below. */
const record = (recordId: string, given: string, family: string, dateOfBirth: string): PersonRecord => ({
  recordId,
  source: 'test',
  givenNames: given,
  familyName: family,
  otherNames: [],
  dateOfBirth,
  dobEarliest: dateOfBirth,
  dobLatest: dateOfBirth,
  sex: 'M',
  nationality: 'GBR',
  identifiers: [],
  extra: {},
})

test('a record whose rare name lacks a letter the query has is found beside a common given name (Elmick for Elmwick)', () => {
  // Anthony is common (over the limit below), so it only counts for records a rarer key found.
  const anthonys = Array.from({ length: 30 }, (_, k) => record(`a${k}`, 'Anthony', `Family${'abcdefghijklmnopqrstuvwxyzabcd'[k]}${k}`, '2013-08-20'))
  // Another child who is an Elmwick makes that name a rare key, so Anthony no longer finds records by itself.
  const namesake = record('namesake', 'Anthony', 'Elmwick', '2015-04-22')
  const small = new SearchIndex(loadPersonModel(), [...anthonys, namesake, record('truth', 'Anthony', 'Elmick', '2013-08-20')], { commonKeyPostings: 10 })
  assert.equal(small.search(record('q', 'Anthony', 'Elmwick', '2013-08-20'), { top: 10 })[0]?.recordId, 'truth')
  // And the other way: the query lacks the letter.
  const longer = new SearchIndex(loadPersonModel(), [...anthonys, record('namesake', 'Anthony', 'Elmick', '2015-04-22'), record('truth', 'Anthony', 'Elmwick', '2013-08-20')], { commonKeyPostings: 10 })
  assert.equal(longer.search(record('q', 'Anthony', 'Elmick', '2013-08-20'), { top: 10 })[0]?.recordId, 'truth')
})

test('two common names are found apart as well as side by side: a middle name between them does not hide the record', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  // Callum and Jones are both common (over the limit below); two other children are called Callum Jones.
  const callums = Array.from({ length: 20 }, (_, k) => record(`c${k}`, 'Callum', `Fam${letters[k]}x`, '2010-01-15'))
  const joneses = Array.from({ length: 20 }, (_, k) => record(`j${k}`, `Giv${letters[k]}x`, 'Jones', '2011-03-15'))
  const namesakes = [record('n1', 'Callum', 'Jones', '2012-02-01'), record('n2', 'Callum', 'Jones', '2014-09-30')]
  const truth = record('truth', 'Callum Marcus', 'Jones', '2013-06-22')
  const index = new SearchIndex(loadPersonModel(), [...callums, ...joneses, ...namesakes, truth], { commonKeyPostings: 10 })
  assert.equal(index.search(record('q', 'Callum', 'Jones', '2013-06-22'), { top: 10 })[0]?.recordId, 'truth')
})
