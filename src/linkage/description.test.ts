import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildCode, eyeCode, hairCode, markKind, markPart, markSide, parseMarks, BODY_PARTS, BUILDS, EYE_COLOURS, HAIR_COLOURS, MARK_KINDS } from './description.ts'
import { buildComparison, eyesComparison, hairComparison, heightComparison, marksComparison } from './description-comparisons.ts'
import { personComparisons } from './comparisons.ts'
import { appendRecord, buildFeatureTable, createFeatureTable } from './features.ts'
import { Scorer } from './model.ts'
import { loadPersonModel } from './models/person-model.ts'
import { modelFromSplinkJson, modelToSplinkJson } from './splink.ts'
import { SearchIndex } from './search-index.ts'
import { generateRecords } from './synthetic/generator.ts'
import { PersonCsvError, readPersonCsv, writePersonCsv, type PersonDescription, type PersonRecord } from './person-record.ts'

const hair = (colour: (typeof HAIR_COLOURS)[number]) => HAIR_COLOURS.indexOf(colour) + 1
const eyes = (colour: (typeof EYE_COLOURS)[number]) => EYE_COLOURS.indexOf(colour) + 1
const build = (word: (typeof BUILDS)[number]) => BUILDS.indexOf(word) + 1
const mark = (code: number) => `${MARK_KINDS[markKind(code) - 1]} ${['', 'left', 'right'][markSide(code)]} ${BODY_PARTS[markPart(code) - 1] ?? '?'}`.replace(/ +/g, ' ')

const person = (recordId: string, description?: Partial<PersonDescription>, extra: Partial<PersonRecord> = {}): PersonRecord => ({
  recordId,
  source: 'test',
  givenNames: 'Mohammed',
  familyName: 'Ahmed',
  otherNames: [],
  dateOfBirth: null,
  dobEarliest: '2010-01-01',
  dobLatest: '2011-12-31',
  sex: 'M',
  nationality: 'SDN',
  identifiers: [],
  ...(description ? { description: { heightCm: null, build: null, hair: null, eyes: null, distinguishingMarks: null, ...description } } : {}),
  extra: {},
  ...extra,
})

test('the person CSV reads the description columns, writes them back when a record has one, and leaves them out when none has', () => {
  const text = [
    'record_id,given_names,family_name,height_cm,build,hair,eyes,distinguishing_marks',
    'a1,Yonas,Tesfay,152,slim,short black,brown,"scar above the left eye, pierced right ear"',
    'a2,Awet,Kidane,,,,,',
  ].join('\n')
  const records = readPersonCsv(text)
  assert.deepEqual(records[0]?.description, { heightCm: 152, build: 'slim', hair: 'short black', eyes: 'brown', distinguishingMarks: 'scar above the left eye, pierced right ear' })
  assert.equal(records[1]?.description, undefined, 'all blank: no description')
  assert.deepEqual(readPersonCsv(writePersonCsv(records)), records)
  assert.match(writePersonCsv(records).split('\n')[0] as string, /,height_cm,build,hair,eyes,distinguishing_marks$/)
  assert.doesNotMatch(writePersonCsv([records[1] as PersonRecord]), /height_cm/)
  // The columns are the format's own, not further columns kept in `extra`.
  assert.deepEqual(records[0]?.extra, {})
})

test('a height that is not a whole number of centimetres from 30 to 250 is a problem naming the line and the column', () => {
  const text = ['record_id,given_names,family_name,height_cm', 'a1,Ali,Hassan,tall', 'a2,Ali,Hassan,152.5', 'a3,Ali,Hassan,12', 'a4,Ali,Hassan,300', 'a5,Ali,Hassan,250'].join('\n')
  assert.throws(
    () => readPersonCsv(text, 'people.csv'),
    (error: unknown) => {
      assert.ok(error instanceof PersonCsvError)
      assert.deepEqual(
        error.problems.map((problem) => `${problem.line}:${problem.field}`),
        ['2:height_cm', '3:height_cm', '4:height_cm', '5:height_cm'],
      )
      assert.match(error.message, /line 2, height_cm: must be a whole number of centimetres from 30 to 250, not "tall"/)
      return true
    },
  )
})

test('colours and builds are normalised from the words writers use', () => {
  assert.equal(hairCode('Dk Brown'), hair('dark brown'))
  assert.equal(hairCode('short, dark'), hair('dark brown'))
  assert.equal(hairCode('blonde'), hair('blond'))
  assert.equal(hairCode('Fair'), hair('blond'))
  assert.equal(hairCode('ginger'), hair('red'))
  assert.equal(hairCode('jet black, curly'), hair('black'))
  assert.equal(hairCode('light brown'), hair('light brown'))
  assert.equal(hairCode('gray'), hair('grey'))
  assert.equal(hairCode('shaved'), 0)
  assert.equal(hairCode(null), 0)
  assert.equal(eyeCode('Brown eyes'), eyes('brown'))
  assert.equal(eyeCode('dark brown'), eyes('dark brown'))
  assert.equal(eyeCode('black'), eyes('dark brown'))
  assert.equal(eyeCode('HAZEL'), eyes('hazel'))
  assert.equal(eyeCode('light blue'), eyes('blue'))
  assert.equal(buildCode('thin'), build('slim'))
  assert.equal(buildCode('average'), build('medium'))
  assert.equal(buildCode('Well built'), build('stocky'))
  assert.equal(buildCode('heavy'), build('stocky'))
  assert.equal(buildCode('unknown'), 0)
})

test('marks are split into a kind and a place each, filler words ignored, a place without a kind taking the one before', () => {
  assert.deepEqual(parseMarks('Scar above the left eye; tattoo of a star on right forearm and pierced left ear').map(mark), ['scar left eye', 'tattoo right arm', 'piercing left ear'])
  assert.deepEqual(parseMarks('scars on face and left arm').map(mark), ['scar face', 'scar left arm'])
  assert.deepEqual(parseMarks('small birth mark on back, mole').map(mark), ['birthmark back', 'mole ?'])
  assert.deepEqual(parseMarks('burn scar, R hand').map(mark), ['burn right hand'])
  assert.deepEqual(parseMarks('none'), [])
  assert.deepEqual(parseMarks(''), [])
})

/** The level of one comparison for records a and b of a small table. */
function levelOf(definition: ReturnType<typeof heightComparison>, a: Partial<PersonDescription> | undefined, b: Partial<PersonDescription> | undefined): number {
  const table = buildFeatureTable([person('a', a), person('b', b)])
  return definition.bind(table).level(0, 1)
}

test("each description comparison's levels: null when either side has nothing, then the strongest agreement down", () => {
  const height = heightComparison()
  assert.equal(levelOf(height, { heightCm: 150 }, { heightCm: 155 }), 1)
  assert.equal(levelOf(height, { heightCm: 150 }, { heightCm: 160 }), 2)
  assert.equal(levelOf(height, { heightCm: 150 }, { heightCm: 161 }), 3)
  assert.equal(levelOf(height, { heightCm: 150 }, { hair: 'black' }), 0)
  assert.equal(levelOf(height, { heightCm: 150 }, undefined), 0)

  const hairLevels = hairComparison()
  assert.equal(levelOf(hairLevels, { hair: 'black' }, { hair: 'Jet black' }), 1)
  assert.equal(levelOf(hairLevels, { hair: 'black' }, { hair: 'dark brown' }), 2)
  assert.equal(levelOf(hairLevels, { hair: 'black' }, { hair: 'blonde' }), 3)
  assert.equal(levelOf(hairLevels, { hair: 'shaved' }, { hair: 'black' }), 0)
  const eyeLevels = eyesComparison()
  assert.equal(levelOf(eyeLevels, { eyes: 'brown' }, { eyes: 'brown' }), 1)
  assert.equal(levelOf(eyeLevels, { eyes: 'hazel' }, { eyes: 'green' }), 2)
  assert.equal(levelOf(eyeLevels, { eyes: 'brown' }, { eyes: 'blue' }), 3)
  assert.equal(levelOf(eyeLevels, { eyes: null }, { eyes: 'blue' }), 0)
  const buildLevels = buildComparison()
  assert.equal(levelOf(buildLevels, { build: 'slim' }, { build: 'thin' }), 1)
  assert.equal(levelOf(buildLevels, { build: 'slim' }, { build: 'average' }), 2)
  assert.equal(levelOf(buildLevels, { build: 'slim' }, { build: 'stocky' }), 3)

  const marks = marksComparison()
  const marked = (text: string) => ({ distinguishingMarks: text })
  assert.equal(levelOf(marks, marked('scar above the left eye'), marked('old scar, left eyebrow')), 1)
  assert.equal(levelOf(marks, marked('scar on the face'), marked('scar on left cheek')), 1, 'the face holds the cheek')
  assert.equal(levelOf(marks, marked('scar above the left eye'), marked('scar above the right eye')), 2, 'sides conflict')
  assert.equal(levelOf(marks, marked('scar on left arm'), marked('scar on the back')), 2)
  assert.equal(levelOf(marks, marked('tattoo on left arm'), marked('scar on left arm')), 3)
  assert.equal(levelOf(marks, marked('tattoo on left arm'), undefined), 0)
  assert.equal(levelOf(marks, marked('none'), marked('scar on left arm')), 0)
})

test('a shared colour weighs by how common it is: the same red hair counts for more than the same black hair', () => {
  const records = [
    ...Array.from({ length: 1200 }, (_, k) => person(`b${k}`, { hair: k % 40 === 0 ? 'red' : 'black' })),
    person('x', { hair: 'ginger' }),
    person('y', { hair: 'jet black' }),
  ]
  const table = buildFeatureTable(records)
  const model = loadPersonModel()
  const scorer = new Scorer(model, table)
  const hairIndex = model.comparisons.findIndex((comparison) => comparison.definition.name === 'hair')
  const hairWeight = (a: number, b: number) => {
    const part = scorer.explain(a, b).comparisons[hairIndex]
    assert.equal(part?.level, 1)
    return (part?.weight ?? 0) + (part?.tfAdjustment ?? 0)
  }
  // Records 0, 40, 80, ... are red-haired; 1200 is "ginger", 1201 "jet black".
  assert.ok(hairWeight(1, 1201) < 0.5, `black: ${hairWeight(1, 1201)}`)
  assert.ok(hairWeight(0, 1200) > 3, `red: ${hairWeight(0, 1200)}`)
})

test('the shipped person model has the description comparisons, and a search ranks the namesake with the same distinguishing mark first', () => {
  const model = loadPersonModel()
  assert.deepEqual(
    model.comparisons.map((comparison) => comparison.definition.name),
    personComparisons().map((comparison) => comparison.name),
  )
  // Twelve children called Mohammed Ahmed, Sudanese, born 2010 or 2011, no identifier: only the description tells them apart.
  const namesakes = Array.from({ length: 12 }, (_, k) => person(`n${k}`, { heightCm: 150 + (k % 4), hair: 'black', eyes: 'brown', distinguishingMarks: k % 2 ? 'scar on right hand' : 'mole on neck' }))
  const truth = person('truth', { heightCm: 152, hair: 'black', eyes: 'brown', distinguishingMarks: 'small scar above the left eye' })
  const index = new SearchIndex(model, [...namesakes, truth])
  const query = person('q', { heightCm: 150, hair: 'black', eyes: 'dark brown', distinguishingMarks: 'scar, left eyebrow' })
  const hits = index.search(query, { top: 10 })
  assert.equal(hits[0]?.recordId, 'truth', hits.map((hit) => hit.recordId).join(' '))
  // Without the mark in the query, the truth is one namesake among many.
  const { description: _, ...undescribed } = query
  const plain = index.search(undescribed, { top: 13 })
  assert.ok(Math.abs((plain[0]?.matchWeight ?? 0) - (plain.find((hit) => hit.recordId === 'truth')?.matchWeight ?? 0)) < 1e-9, 'all tie on names and dates')
})

test("a saved model without the description comparisons (an analyst's Splink model, FEBRL's) is read and served as before: descriptions change nothing", () => {
  const json = modelToSplinkJson(loadPersonModel()) as { comparisons: { comparison_description: string }[] }
  const native = new Set(['lantern:height', 'lantern:build', 'lantern:hair', 'lantern:eyes', 'lantern:distinguishing_marks'])
  json.comparisons = json.comparisons.filter((comparison) => !native.has(comparison.comparison_description))
  const old = modelFromSplinkJson(JSON.parse(JSON.stringify(json)))
  assert.deepEqual(old.comparisons.map((comparison) => comparison.definition.name), ['names', 'date_of_birth', 'sex', 'nationality', 'identifiers'])
  const described = [
    person('a', { heightCm: 150, hair: 'black', distinguishingMarks: 'scar on left cheek' }),
    person('b', { heightCm: 175, hair: 'blond', distinguishingMarks: 'tattoo on back' }),
    person('c', { heightCm: 151, hair: 'black', distinguishingMarks: 'scar on left cheek' }),
  ]
  const plain = described.map(({ description: _, ...record }) => record)
  const weights = (records: PersonRecord[]) => {
    const scorer = new Scorer(old, buildFeatureTable(records))
    return [scorer.score(0, 1), scorer.score(0, 2), scorer.score(1, 2)]
  }
  assert.deepEqual(weights(described), weights(plain))
  const index = new SearchIndex(old, described)
  assert.deepEqual(index.search(described[0] as PersonRecord, { top: 3 }), new SearchIndex(old, plain).search(plain[0] as PersonRecord, { top: 3 }))
})

test("the scorer's look-up of the description's codes weighs every pair as the comparisons' own levels do", () => {
  const { records } = generateRecords({ persons: 1500, seed: 29 })
  const model = loadPersonModel()
  const scorer = new Scorer(model, buildFeatureTable(records))
  let described = 0
  for (let a = 0; a < 150; a++)
    for (let b = a + 1; b < 150; b++) {
      const explained = scorer.explain(a, b)
      assert.ok(Math.abs(scorer.score(a, b) - explained.matchWeight) < 1e-9, `pair ${a}, ${b}`)
      assert.ok(Math.abs(scorer.scoreAtLeast(a, b, -Infinity) - explained.matchWeight) < 1e-9, `pair ${a}, ${b}, bounded`)
      if (explained.comparisons.some((comparison) => comparison.comparison === 'hair' && comparison.level === 1 && comparison.tfAdjustment !== 0)) described++
    }
  assert.ok(described > 500, `${described} pairs with the same hair colour`)
})

test("the scorer skips the description's comparisons when either record has none, for records added after it was built too: the weights explain() gives, and scoreAtLeast keeps and refuses the same pairs", () => {
  const { records } = generateRecords({ persons: 400, seed: 31 })
  const table = createFeatureTable({ capacity: 4000 })
  for (const record of records.slice(0, 300)) appendRecord(table, record)
  const scorer = new Scorer(loadPersonModel(), table)
  const generation = table.generation
  // Added as the search index adds a query: the scorer reads the new records' codes and flags live.
  for (const record of records.slice(300, 420)) appendRecord(table, record)
  assert.equal(table.generation, generation, 'the arrays did not grow, so the scorer built before is still the one to use')
  const descriptionNames = new Set(['height', 'build', 'hair', 'eyes', 'distinguishing_marks'])
  let undescribed = 0
  let bothDescribed = 0
  for (let a = 0; a < table.size; a += 3)
    for (let b = a + 1; b < table.size; b += 2) {
      const explained = scorer.explain(a, b)
      const weight = scorer.score(a, b)
      assert.ok(Math.abs(weight - explained.matchWeight) < 1e-9, `pair ${a}, ${b}`)
      if (table.described[a] === 0 || table.described[b] === 0) {
        undescribed++
        for (const comparison of explained.comparisons) if (descriptionNames.has(comparison.comparison)) assert.ok(comparison.isNull && comparison.weight + comparison.tfAdjustment === 0, `pair ${a}, ${b}: ${comparison.comparison}`)
      } else bothDescribed++
      assert.ok(Math.abs(scorer.scoreAtLeast(a, b, weight - 0.5) - weight) < 1e-9, `pair ${a}, ${b} kept`)
      assert.equal(scorer.scoreAtLeast(a, b, weight + 0.5), -Infinity, `pair ${a}, ${b} refused`)
    }
  assert.ok(undescribed > 1000 && bothDescribed > 1000, `${undescribed} pairs with a record undescribed, ${bothDescribed} both described`)
  assert.ok(records.slice(300, 420).some((record) => record.description) && records.slice(300, 420).some((record) => !record.description))
})
