import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readPersonCsv, writePersonCsv, PersonCsvError, type PersonRecord } from './person-record.ts'
import { buildFeatureTable } from './features.ts'
import { couldBeAlike, dateOfBirthComparison, dateTypo, identifiersComparison, letterCounts, namesComparison, personComparisons } from './comparisons.ts'
import { jaroWinkler } from './jaro-winkler.ts'
import { BlockScratch, buildRuleBlocks, generatePairs, parseBlockingRule } from './blocking.ts'
import { Scorer, type LinkageModel } from './model.ts'
import { modelFromSplinkJson, modelToSplinkJson, ModelFormatError } from './splink.ts'
import { clusterPairs, PERSON_PREDICTION_RULES, runLinkage } from './link.ts'
import { generateRecords } from './synthetic/generator.ts'

function person(recordId: string, given: string, family: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return {
    recordId,
    source: 'test',
    givenNames: given,
    familyName: family,
    otherNames: [],
    dateOfBirth: null,
    dobEarliest: null,
    dobLatest: null,
    sex: 'U',
    nationality: null,
    identifiers: [],
    extra: {},
    ...extra,
  }
}

const exact = (date: string) => ({ dateOfBirth: date, dobEarliest: date, dobLatest: date })

test('the person CSV reads every column, keeps further columns, and writes back the same records', () => {
  const text = [
    'record_id,source,given_names,family_name,other_names,date_of_birth,dob_earliest,dob_latest,sex,nationality,identifiers,cluster',
    'a1,police,Yonas,Tesfay,Jonas;Yoni,2009-03-14,,,M,ERI,home_office_reference:HO123;pnc_id:20/1234A,7',
    'a2,la,"Nguyen, Van",An,,,2007-01-01,2007-12-31,u,vnm,,8',
  ].join('\n')
  const records = readPersonCsv(text)
  assert.equal(records.length, 2)
  assert.deepEqual(records[0]?.otherNames, ['Jonas', 'Yoni'])
  assert.equal(records[0]?.dobEarliest, '2009-03-14')
  assert.deepEqual(records[0]?.identifiers, [
    { type: 'home_office_reference', value: 'HO123' },
    { type: 'pnc_id', value: '20/1234A' },
  ])
  assert.equal(records[1]?.sex, 'U')
  assert.equal(records[1]?.nationality, 'VNM')
  assert.equal(records[1]?.extra.cluster, '8')
  assert.deepEqual(readPersonCsv(writePersonCsv(records, ['cluster'])), records)
})

test('a bad person CSV is refused whole, naming the line and the field of every problem', () => {
  const text = [
    'record_id,given_names,family_name,date_of_birth,sex,nationality,identifiers',
    'a1,Ali,Hassan,2009-02-30,M,SDN,',
    'a1,Ali,Hassan,,X,Sudan,pnc',
  ].join('\n')
  assert.throws(
    () => readPersonCsv(text, 'people.csv'),
    (error: unknown) => {
      assert.ok(error instanceof PersonCsvError)
      const seen = error.problems.map((problem) => `${problem.line}:${problem.field}`)
      assert.deepEqual(seen, ['2:date_of_birth', '3:record_id', '3:sex', '3:nationality', '3:identifiers'])
      assert.match(error.message, /^people\.csv: 5 problem\(s\), nothing was read/)
      return true
    },
  )
})

test('names compare as a set: another order, Arabic script, and a dropped father\'s name', () => {
  const table = buildFeatureTable([
    person('1', 'Van An', 'Nguyen'),
    person('2', 'Nguyen Van', 'An'),
    person('3', 'Muhammad', 'Ali'),
    person('4', 'محمد', 'علي'),
    person('5', 'Yonas Tesfay', 'Gebremariam'),
    person('6', 'Yonas', 'Tesfay'),
    person('7', 'Abdul Rahman', 'Osman'),
    person('8', 'Abdulrahman', 'Othman'),
    person('9', 'Sarah', 'Jones'),
    person('10', 'Rhys', 'Evans'),
    person('11', 'Reece', 'Evans'),
  ])
  const names = namesComparison()
  const level = names.bind(table).level
  const label = (a: number, b: number) => names.levels[level(a, b)]?.label
  assert.equal(label(0, 1), 'The same names in another order or field')
  assert.equal(label(2, 3), 'All names match, some spelt differently (a variant, a transliteration, a slip)')
  assert.equal(label(4, 5), "All names of one record match, the other has more (a middle name, a father's name)")
  assert.equal(label(6, 7), 'All names match, some spelt differently (a variant, a transliteration, a slip)')
  assert.equal(label(0, 8), 'All other comparisons')
  // Rhys is said Reece: neither the sound key nor a slip joins them, the variant list does.
  assert.equal(label(9, 10), 'All names match, some spelt differently (a variant, a transliteration, a slip)')
})

test('dates of birth compare as ranges, and a shared 1 January default is its own, weaker level', () => {
  const table = buildFeatureTable([
    person('1', 'A', 'B', exact('2008-01-01')),
    person('2', 'A', 'B', exact('2008-01-01')),
    person('3', 'A', 'B', { dateOfBirth: null, dobEarliest: '2007-01-01', dobLatest: '2007-12-31' }),
    person('4', 'A', 'B', exact('2007-03-14')),
    person('5', 'A', 'B', exact('2007-03-14')),
    person('6', 'A', 'B', exact('2007-03-15')),
    person('7', 'A', 'B'),
  ])
  const comparison = dateOfBirthComparison()
  const level = comparison.bind(table).level
  assert.equal(comparison.levels[level(0, 1)]?.label, 'Same date of birth, but a default date (1 January)')
  assert.equal(comparison.levels[level(3, 4)]?.label, 'Same date of birth')
  assert.match(comparison.levels[level(2, 3)]?.label ?? '', /^Dates of birth consistent: a date within an assessed range/)
  assert.match(comparison.levels[level(0, 2)]?.label ?? '', /^Dates of birth consistent within a year either side of a default date/)
  assert.match(comparison.levels[level(3, 5)]?.label ?? '', /typing slip/)
  assert.equal(level(0, 6), 0)
})

test('the same assessed range of dates of birth (one age assessment, copied) is its own level, above merely overlapping ranges', () => {
  const table = buildFeatureTable([
    person('1', 'A', 'B', { dobEarliest: '2010-01-01', dobLatest: '2011-12-31' }),
    person('2', 'A', 'B', { dobEarliest: '2010-01-01', dobLatest: '2011-12-31' }),
    person('3', 'A', 'B', { dobEarliest: '2011-01-01', dobLatest: '2011-12-31' }),
    person('4', 'A', 'B', exact('2011-06-30')),
  ])
  const comparison = dateOfBirthComparison()
  const level = comparison.bind(table).level
  assert.equal(comparison.levels[level(0, 1)]?.label, 'The same assessed range of dates of birth')
  // Overlapping but different ranges, and a date within a range, stay "consistent".
  assert.match(comparison.levels[level(0, 2)]?.label ?? '', /^Dates of birth consistent: a date within an assessed range/)
  assert.match(comparison.levels[level(0, 3)]?.label ?? '', /^Dates of birth consistent: a date within an assessed range/)
  // Trained on generated records, where an arrived child's records copy one assessment, it weighs more than a consistent date.
  const { records } = generateRecords({ persons: 3000, seed: 13 })
  const run = runLinkage(records, null, { threshold: 0.5, uSamplePairs: 200_000 })
  const dob = run.model.comparisons[1]
  assert.equal(dob?.definition.name, 'date_of_birth')
  const weight = (label: string) => {
    const index = dob?.definition.levels.findIndex((candidate) => candidate.label.startsWith(label)) ?? -1
    return Math.log2((dob?.m[index] as number) / (dob?.u[index] as number))
  }
  assert.ok(weight('The same assessed range') > weight('Dates of birth consistent: a date') + 2, `${weight('The same assessed range')} vs ${weight('Dates of birth consistent: a date')}`)
})

test('a shared identifier is found, a slip in one is its own level, and agency-local ids never count against', () => {
  const table = buildFeatureTable([
    person('1', 'A', 'B', { identifiers: [{ type: 'home_office_reference', value: 'HO1234567' }] }),
    person('2', 'A', 'B', { identifiers: [{ type: 'home_office_reference', value: 'HO1234567' }] }),
    person('3', 'A', 'B', { identifiers: [{ type: 'home_office_reference', value: 'HO1234576' }] }),
    person('4', 'A', 'B', { identifiers: [{ type: 'force_reference', value: 'X1' }] }),
    person('5', 'A', 'B', { identifiers: [{ type: 'force_reference', value: 'Y2' }] }),
  ])
  const level = identifiersComparison().bind(table).level
  assert.equal(level(0, 1), 1)
  assert.equal(level(0, 2), 2)
  assert.equal(level(3, 4), 0)
})

function handModel(): LinkageModel {
  const comparisons = personComparisons().map((definition) => ({
    definition,
    m: definition.levels.map((level, index) => (level.isNull ? NaN : index === definition.levels.length - 1 ? 0.05 : 0.95 / (definition.levels.length - 2))),
    u: definition.levels.map((level, index) => (level.isNull ? NaN : index === definition.levels.length - 1 ? 0.9 : 0.1 / (definition.levels.length - 2))),
  }))
  return { linkType: 'dedupe_only', probabilityTwoRandomRecordsMatch: 0.001, comparisons, blockingRules: [parseBlockingRule('lantern: name_sound_pair')] }
}

test('every pair explains itself: the prior and each comparison add up to the match weight', () => {
  const table = buildFeatureTable([
    person('1', 'Mohammed', 'Ahmed', { ...exact('2010-05-01'), sex: 'M', nationality: 'SDN' }),
    person('2', 'Muhammad', 'Ahmad', { ...exact('2010-05-01'), sex: 'M', nationality: 'SDN' }),
  ])
  const scorer = new Scorer(handModel(), table)
  const explanation = scorer.explain(0, 1)
  const sum = explanation.prior.weight + explanation.comparisons.reduce((total, part) => total + part.weight + part.tfAdjustment, 0)
  assert.ok(Math.abs(sum - explanation.matchWeight) < 1e-9)
  assert.ok(Math.abs(scorer.score(0, 1) - explanation.matchWeight) < 1e-9)
  assert.equal(explanation.comparisons[0]?.values.left, 'Mohammed | Ahmed')
  assert.ok(explanation.matchProbability > 0 && explanation.matchProbability < 1)
})

test("a model written as Splink JSON reads back and scores the same", () => {
  const table = buildFeatureTable([person('1', 'Ardit', 'Hoxha', exact('2009-01-02')), person('2', 'Ardit', 'Hoxhë', exact('2009-01-02'))])
  const model = handModel()
  const json = JSON.parse(JSON.stringify(modelToSplinkJson(model)))
  assert.equal(json.comparisons[0].comparison_description, 'lantern:names')
  assert.equal(json.comparisons[0].comparison_levels[0].is_null_level, true)
  const read = modelFromSplinkJson(json)
  assert.ok(Math.abs(new Scorer(read, table).score(0, 1) - new Scorer(model, table).score(0, 1)) < 1e-9)
})

test('a model trained in Splink (its SQL conditions and tf settings) scores with its own m and u', () => {
  const splink = {
    link_type: 'dedupe_only',
    probability_two_random_records_match: 0.01,
    blocking_rules_to_generate_predictions: [{ blocking_rule: 'l.surname = r.surname', sql_dialect: 'duckdb' }],
    comparisons: [
      {
        output_column_name: 'first_name',
        comparison_levels: [
          { sql_condition: '"first_name_l" IS NULL OR "first_name_r" IS NULL', label_for_charts: 'null', is_null_level: true },
          { sql_condition: '"first_name_l" = "first_name_r"', label_for_charts: 'exact', m_probability: 0.8, u_probability: 0.01 },
          { sql_condition: 'jaro_winkler_similarity("first_name_l", "first_name_r") >= 0.88', label_for_charts: 'jw', m_probability: 0.15, u_probability: 0.04 },
          { sql_condition: 'ELSE', label_for_charts: 'else', m_probability: 0.05, u_probability: 0.95 },
        ],
      },
      {
        output_column_name: 'dob',
        comparison_levels: [
          { sql_condition: '"dob_l" IS NULL OR "dob_r" IS NULL', is_null_level: true },
          { sql_condition: '"dob_l" = "dob_r"', m_probability: 0.9, u_probability: 0.001 },
          { sql_condition: "ABS(date_diff('day', try_strptime(\"dob_l\", '%Y-%m-%d'), try_strptime(\"dob_r\", '%Y-%m-%d'))) <= 365", m_probability: 0.08, u_probability: 0.1 },
          { sql_condition: 'ELSE', m_probability: 0.02, u_probability: 0.899 },
        ],
      },
    ],
  }
  const model = modelFromSplinkJson(splink)
  const table = buildFeatureTable([
    person('1', 'Jon', 'Smith', exact('2001-02-03')),
    person('2', 'John', 'Smith', exact('2001-08-03')),
  ])
  const explanation = new Scorer(model, table).explain(0, 1)
  assert.equal(explanation.comparisons[0]?.label, 'jw')
  assert.equal(explanation.comparisons[1]?.level, 2)
  const expected = Math.log2(0.01 / 0.99) + Math.log2(0.15 / 0.04) + Math.log2(0.08 / 0.1)
  assert.ok(Math.abs(explanation.matchWeight - expected) < 1e-9)
  assert.throws(() => modelFromSplinkJson({ ...splink, comparisons: [{ ...splink.comparisons[0], comparison_levels: [{ sql_condition: 'dmetaphone("a_l") = 1', m_probability: 0.5, u_probability: 0.5 }, { sql_condition: 'ELSE', m_probability: 0.5, u_probability: 0.5 }] }] }), ModelFormatError)
})

test('blocking rules generate each candidate pair once, however many rules or keys find it', () => {
  const table = buildFeatureTable([
    person('1', 'Yonas', 'Tesfay', exact('2009-03-14')),
    person('2', 'Yonas', 'Tesfay', exact('2009-03-14')),
    person('3', 'Tesfay', 'Yonas', exact('2010-01-01')),
    person('4', 'Helen', 'Berhe', exact('2009-03-14')),
  ])
  const seen: string[] = []
  generatePairs(table, ['lantern: name_sound_pair', 'lantern: dob', 'lantern: name_token'].map(parseBlockingRule), (left, right, count) => {
    for (let p = 0; p < count; p++) seen.push(`${left[p]}-${right[p]}`)
  })
  assert.deepEqual(seen.sort(), ['0-1', '0-2', '0-3', '1-2', '1-3'])
})

test('a block over the size limit is split by the rule\'s "then" keys, not skipped; a record without the key is compared only with others without it', () => {
  const table = buildFeatureTable([
    person('1', 'Mohammed', 'Ali', exact('2010-03-01')),
    person('2', 'Mohammed', 'Ali', exact('2010-03-01')),
    person('3', 'Mohammed', 'Ali', exact('2011-07-09')),
    person('4', 'Mohammed', 'Ali', exact('2011-07-09')),
    person('5', 'Mohammed', 'Ali'),
    person('6', 'Mohammed', 'Ali'),
  ])
  const pairsOf = (rule: string) => {
    const seen: string[] = []
    const stats = generatePairs(table, [parseBlockingRule(rule)], (left, right, count) => {
      for (let p = 0; p < count; p++) seen.push(`${left[p]}-${right[p]}`)
    }, { maxBlockSize: 3 })
    return { seen: seen.sort(), stats: stats[0] }
  }
  // Six records share the name: over the limit of 3, so without a split the block is skipped.
  const skipped = pairsOf('lantern: name_set')
  assert.deepEqual(skipped.seen, [])
  assert.equal(skipped.stats?.skippedBlocks, 1)
  // Split by date of birth: the two born on each date, and the two with no date (the remainder).
  const split = pairsOf('lantern: name_set then dob')
  assert.deepEqual(split.seen, ['0-1', '2-3', '4-5'])
  assert.equal(split.stats?.splitBlocks, 1)
  assert.equal(split.stats?.skippedBlocks, 0)
  assert.throws(() => parseBlockingRule('lantern: name_set then birthday'), /unknown key "birthday"/)
})

test('blocks built one rule after another in the same working arrays are the blocks built afresh', () => {
  const { records } = generateRecords({ persons: 1500, seed: 17 })
  const table = buildFeatureTable(records)
  const rules = PERSON_PREDICTION_RULES.map(parseBlockingRule)
  const scratch = new BlockScratch()
  // A small limit, so that the rules with "then" clauses split blocks.
  const reused = rules.map((rule) => buildRuleBlocks(table, rule, 12, scratch))
  rules.forEach((rule, r) => {
    const fresh = buildRuleBlocks(table, rule, 12)
    assert.deepEqual(reused[r], fresh, rule.text)
  })
  assert.ok(reused.some((blocks) => blocks.stats.splitBlocks > 0))
})

test('training, blocking and scoring on two worker threads give the same model and the same pairs, in the same order, with the same weights, as on one thread', () => {
  const { records } = generateRecords({ persons: 2500, seed: 13 })
  const options = { threshold: 0.01, uSamplePairs: 200_000, maxBlockSize: 60 }
  const one = runLinkage(records, null, { ...options, threads: 1 })
  const two = runLinkage(records, null, { ...options, threads: 2 })
  assert.equal(one.threads, 1)
  assert.equal(two.threads, 2)
  assert.equal(two.model.probabilityTwoRandomRecordsMatch, one.model.probabilityTwoRandomRecordsMatch)
  assert.deepEqual(two.model.comparisons.map((comparison) => [comparison.m, comparison.u]), one.model.comparisons.map((comparison) => [comparison.m, comparison.u]))
  assert.ok(one.pairs.count > 1000, `${one.pairs.count} pairs`)
  assert.equal(two.candidatePairs, one.candidatePairs)
  assert.deepEqual(two.blocking, one.blocking)
  assert.equal(two.pairs.count, one.pairs.count)
  assert.deepEqual(two.pairs.left.subarray(0, two.pairs.count), one.pairs.left.subarray(0, one.pairs.count))
  assert.deepEqual(two.pairs.right.subarray(0, two.pairs.count), one.pairs.right.subarray(0, one.pairs.count))
  assert.deepEqual(two.pairs.weight.subarray(0, two.pairs.count), one.pairs.weight.subarray(0, one.pairs.count))
})

test('dedupe of generated multicultural records finds the same person across agencies, and clusters them', () => {
  const { records } = generateRecords({ persons: 600, seed: 11 })
  const run = runLinkage(records, null, { threshold: 0.9, uSamplePairs: 200_000 })
  let truePairs = 0
  for (let p = 0; p < run.pairs.count; p++) {
    const a = records[run.pairs.left[p] as number] as PersonRecord
    const b = records[run.pairs.right[p] as number] as PersonRecord
    if (a.extra.person_id === b.extra.person_id) truePairs++
  }
  assert.ok(run.pairs.count > 100, `${run.pairs.count} pairs`)
  assert.ok(truePairs / run.pairs.count > 0.9, `precision ${truePairs / run.pairs.count}`)
  const clusters = clusterPairs(records.length, run.pairs)
  const first = run.pairs.left[0] as number
  assert.equal(clusters[first], clusters[run.pairs.right[0] as number])
})

test('short names that only share a sound key are not the same name (Van and Vinh, Tuan and Thanh), longer ones still are', () => {
  const table = buildFeatureTable([
    person('1', 'Van Hoc', 'Dang', { sex: 'M', nationality: 'VNM' }),
    person('2', 'Vinh', 'Dang', { sex: 'M', nationality: 'VNM' }),
    person('3', 'Tuan', 'Pham', { sex: 'M', nationality: 'VNM' }),
    person('4', 'Pham Thanh', 'Quang', { sex: 'M', nationality: 'VNM' }),
    person('5', 'Osman', 'Idris', { sex: 'M', nationality: 'SDN' }),
    person('6', 'Othman', 'Idris', { sex: 'M', nationality: 'SDN' }),
  ])
  const names = namesComparison()
  const bound = names.bind(table)
  const label = (a: number, b: number) => names.levels[bound.level(a, b)]?.label ?? ''
  // Before: "all names of one record match" (Vinh taken for Van), a strong level.
  assert.equal(label(0, 1), 'Family name matches, given names differ')
  assert.doesNotMatch(label(2, 3), /^All names/)
  assert.match(label(4, 5), /^All names match, some spelt differently/)
})

test('names in another order weigh as much as the same names in order: their frequency is set against how often any two records share names', () => {
  const { records } = generateRecords({ persons: 700, seed: 5 })
  const a = person('t1', 'Van Thang', 'Truong', { ...exact('2012-03-04'), sex: 'M', nationality: 'VNM' })
  const b = person('t2', 'Van Thang', 'Truong', { dobEarliest: '2012-01-01', dobLatest: '2012-12-31', sex: 'M', nationality: 'VNM' })
  const c = person('t3', 'Truong Van', 'Thang', { dobEarliest: '2012-01-01', dobLatest: '2012-12-31', sex: 'M', nationality: 'VNM' })
  const run = runLinkage([...records, a, b, c], null, { threshold: 0.5, uSamplePairs: 200_000 })
  const index = (id: string) => run.table.records.findIndex((record) => record.recordId === id)
  const inOrder = run.scorer.explain(index('t1'), index('t2'))
  const reordered = run.scorer.explain(index('t1'), index('t3'))
  assert.equal(inOrder.comparisons[0]?.label, 'Names match exactly')
  assert.equal(reordered.comparisons[0]?.label, 'The same names in another order or field')
  const namesWeight = (explanation: typeof inOrder) => (explanation.comparisons[0]?.weight ?? 0) + (explanation.comparisons[0]?.tfAdjustment ?? 0)
  // Before, the reordered name's adjustment was set against u of its own, rare level: 4 bits below the same names in order.
  assert.ok(namesWeight(reordered) > namesWeight(inOrder) - 1.5, `${namesWeight(reordered)} vs ${namesWeight(inOrder)}`)
  assert.ok(reordered.matchProbability >= 0.5, `${reordered.matchProbability}`)
})

test('two different children with the same common name, a default date of birth and no identifier stay below the threshold', () => {
  const { records } = generateRecords({ persons: 700, seed: 5 })
  const a = person('d1', 'Mohammed', 'Ali', { ...exact('2010-01-01'), sex: 'M', nationality: 'SDN' })
  const b = person('d2', 'Mohammed', 'Ali', { ...exact('2011-01-01'), sex: 'M', nationality: 'SDN' })
  // A common name in a national register: other boys called Mohammed Ali, born over eight years.
  const others = Array.from({ length: 40 }, (_, k) =>
    person(`o${k}`, 'Mohammed', 'Ali', { ...exact(`${2009 + (k % 8)}-${String(1 + (k % 12)).padStart(2, '0')}-${String(2 + (k % 27)).padStart(2, '0')}`), sex: 'M', nationality: 'SDN' }),
  )
  const run = runLinkage([...records, ...others, a, b], null, { threshold: 0.5, uSamplePairs: 200_000 })
  const index = (id: string) => run.table.records.findIndex((record) => record.recordId === id)
  const explanation = run.scorer.explain(index('d1'), index('d2'))
  // Before, two defaults a year apart were one digit apart: "a typing slip".
  assert.equal(explanation.comparisons[1]?.label, 'Dates of birth consistent within a year either side of a default date')
  assert.ok(explanation.matchProbability < 0.5, `${explanation.matchProbability}`)
  // The common name's frequency takes weight off: less than an exact match of a rare name would carry.
  assert.ok((explanation.comparisons[0]?.tfAdjustment ?? 0) < 0)
})

test('the generator writes no impossible date of birth (a slip that puts it after today or 25 years back is refused on entry)', () => {
  const { records } = generateRecords({ persons: 3000, seed: 9, today: '2026-11-21' })
  for (const record of records) {
    if (record.dateOfBirth === null) continue
    assert.ok(record.dateOfBirth <= '2026-11-21' && record.dateOfBirth > '2001-12-31', `${record.recordId} ${record.dateOfBirth}`)
  }
})

test('the letter bound on two name tokens never rules out a pair whose Jaro-Winkler reaches 0.75, and rules out most others', () => {
  const { records } = generateRecords({ persons: 800, seed: 41 })
  const crafted = ['mohammed', 'muhammad', 'mohammad', 'mammmmad', 'aaaa', 'aaaaa', 'abab', 'baba', 'an', 'na', 'nguyen', 'nguyn', 'tesfaegziabher', 'egziabher', 'ola', 'olá', 'محمد', 'محمود', 'x']
  const table = buildFeatureTable([...crafted.map((name, k) => person(`c${k}`, name, 'zz')), ...records])
  const letters = letterCounts(table)
  const ids = new Set<number>()
  for (let r = 0; r < table.size; r++) for (let k = table.given.start[r] as number; k < (table.given.start[r + 1] as number); k++) ids.add(table.given.tokens[k] as number)
  const tokens = [...ids].slice(0, 700)
  let ruledOut = 0
  let pairs = 0
  for (const x of tokens)
    for (const y of tokens) {
      if (x === y) continue
      pairs++
      if (couldBeAlike(letters, x, y)) continue
      ruledOut++
      const similarity = jaroWinkler(table.vocabulary.strings[x] as string, table.vocabulary.strings[y] as string)
      assert.ok(similarity < 0.75, `${table.vocabulary.strings[x]} and ${table.vocabulary.strings[y]}: ${similarity}`)
    }
  assert.ok(ruledOut > pairs / 2, `${ruledOut} of ${pairs} ruled out`)
})

test('a slip in a date of birth is one digit, two neighbouring digits swapped, or day and month swapped', () => {
  const asString = (date: number) => String(date).padStart(8, '0')
  // The definition, on the digits as text.
  const slip = (a: number, b: number): boolean => {
    const x = asString(a)
    const y = asString(b)
    const differing = [...x].flatMap((digit, k) => (digit === y[k] ? [] : [k]))
    if (differing.length === 1) return true
    if (x.slice(0, 4) === y.slice(0, 4) && x.slice(4, 6) === y.slice(6, 8) && x.slice(6, 8) === y.slice(4, 6)) return true
    const [i, j] = differing
    return differing.length === 2 && i !== undefined && j === i + 1 && x[i] === y[j] && x[j] === y[i]
  }
  let state = 7
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return Math.floor((state / 2 ** 32) * n)
  }
  let slips = 0
  for (let k = 0; k < 200_000; k++) {
    const a = (1900 + random(130)) * 10_000 + (1 + random(12)) * 100 + 1 + random(28)
    const digits = [...asString(a)]
    const kind = random(4)
    if (kind === 0) {
      const i = random(7)
      ;[digits[i], digits[i + 1]] = [digits[i + 1] as string, digits[i] as string]
    } else if (kind === 1) digits[random(8)] = String(random(10))
    else if (kind === 2) for (let n = 0; n < 2; n++) digits[random(8)] = String(random(10))
    const b = kind === 3 ? Math.floor(a / 10_000) * 10_000 + (a % 100) * 100 + Math.floor(a / 100) % 100 : Number(digits.join(''))
    if (slip(a, b)) slips++
    assert.equal(dateTypo(a, b), slip(a, b), `${a} and ${b}`)
  }
  assert.ok(slips > 50_000, `${slips} slips`)
})
