import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { startTestKit, type TestKit } from '../../../test/kit.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { loadReferenceAgencies } from '../agencies/agencies.service.ts'
import { england } from './country.ts'
import { targetsFor } from './calibration.ts'
import { IdSource, expectedLookedAfterIncidents, foldedNamesOfPools, generateAuthority, generateForce, missingWeights, type GenerateOptions, type ModelContext } from './generate.model.ts'
import { DESCRIPTION } from '../../linkage/synthetic/descriptions.ts'
import { buildCode, eyeCode, hairCode, markKind, markPart, parseMarks } from '../../linkage/description.ts'
import { GENERATED_TABLES, type GeneratedTable, type Sink } from './generate.sink.ts'
import { GenerateOptionsError, generateNationalData, parseGenerateOptions } from './generate.service.ts'

/** Runs the model without a database, keeping every row: the authorities given, then (if asked) the forces given. */
function generateInMemory(options: GenerateOptions, authorities = england().authorities, forces: ReturnType<typeof england>['forces'] = []) {
  const rows = new Map<GeneratedTable, Record<string, unknown>[]>(GENERATED_TABLES.map((table) => [table, []]))
  const sink: Sink = {
    add: (table, row) => void rows.get(table)?.push(row as Record<string, unknown>),
    flush: async () => {},
    finish: async () => Object.fromEntries(GENERATED_TABLES.map((table) => [table, rows.get(table)?.length ?? 0])) as Record<GeneratedTable, number>,
    rowCount: () => 0,
    abort: async () => {},
  }
  const country = england()
  const base = { options, country, agencies: { idOf: (code: string) => `agency:${code}`, singleCompetentAuthority: 'agency:SCA', immigrationCompetentAuthority: 'agency:IECA', guardianService: 'agency:ICTG' }, phonetic: new Map(foldedNamesOfPools().map((text) => [text, text.toUpperCase()])) }
  const sums = new Map<number, { weight: number; fixed: number }>()
  for (const la of country.authorities) {
    for (const [year, entry] of missingWeights(base, la)) {
      const total = sums.get(year) ?? { weight: 0, fixed: 0 }
      total.weight += entry.weight
      total.fixed += entry.fixed
      sums.set(year, total)
    }
  }
  const missingScale = new Map([...sums].map(([year, { weight, fixed }]) => [year, Math.max(0, targetsFor(year).childrenMissing * options.scale - fixed) / weight]))
  // Each unit with its own id counter, numbered as the service numbers it (its place in england()).
  const ctx: ModelContext = { ...base, sink, missingScale, ids: new IdSource() }
  for (const la of authorities) generateAuthority({ ...ctx, ids: new IdSource(country.authorities.findIndex((other) => other.code === la.code)) }, la)
  const expected = expectedLookedAfterIncidents(options)
  for (const force of forces) generateForce({ ...ctx, ids: new IdSource(country.authorities.length + country.forces.findIndex((other) => other.code === force.code)) }, force, expected)
  return { rows, ctx }
}

const DESCRIPTION_COLUMNS = ['height_cm', 'build', 'hair', 'eyes', 'distinguishing_marks'] as const
const described = (person: Record<string, unknown>) => DESCRIPTION_COLUMNS.some((column) => person[column] !== null)
const descriptionOf = (person: Record<string, unknown>) => DESCRIPTION_COLUMNS.map((column) => person[column])

const financialYear = (date: Date) => (date.getUTCMonth() >= 3 ? date.getUTCFullYear() + 1 : date.getUTCFullYear())

describe('generate: the synthetic country', () => {
  test('every active English authority is in one police force area, and every English force covers one', () => {
    const country = england()
    assert.equal(country.authorities.length, 153)
    for (const la of country.authorities) assert.match(la.forceCode, /^E23/, `${la.code} has a force`)
    assert.equal(country.forces.length, 39)
    for (const force of country.forces) assert.ok(force.authorities.length > 0, `${force.code} covers an authority`)
    assert.equal(country.byCode.get('E10000016')?.forceCode, 'E23000032', 'Kent is in the Kent Police area')
    assert.equal(country.byCode.get('E09000008')?.forceCode, 'E23000001', 'Croydon is in the Metropolitan Police area')
  })

  test('options: bad values are refused, naming the option', () => {
    assert.deepEqual(parseGenerateOptions({}), { scale: 1, firstYear: 2006, lastYear: 2025, seed: 20061 })
    assert.deepEqual(parseGenerateOptions({ scale: '0.1', years: '2010-2012', seed: '7' }), { scale: 0.1, firstYear: 2010, lastYear: 2012, seed: 7 })
    assert.deepEqual(parseGenerateOptions({ years: '2012' }).firstYear, 2012)
    assert.throws(() => parseGenerateOptions({ scale: '0' }), (error: Error) => error instanceof GenerateOptionsError && /--scale/.test(error.message))
    assert.throws(() => parseGenerateOptions({ scale: 'lots' }), /--scale/)
    assert.throws(() => parseGenerateOptions({ years: '2005-2010' }), /--years/)
    assert.throws(() => parseGenerateOptions({ years: '2012-2010' }), /--years/)
    assert.throws(() => parseGenerateOptions({ seed: '1.5' }), /--seed/)
  })

  test('ids are unique UUIDv7s, even for records stamped with the same moment', () => {
    const ids = new IdSource()
    const random = { next: () => 0.5 } as unknown as Parameters<IdSource['at']>[1]
    const made = Array.from({ length: 5000 }, () => ids.at(Date.UTC(2012, 3, 1), random))
    assert.equal(new Set(made).size, made.length)
    for (const id of made.slice(0, 3)) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.ok(made[0]?.startsWith(Date.UTC(2012, 3, 1).toString(16).padStart(12, '0').slice(0, 8)))
  })

  test('the same options give the same records, and another seed different ones', () => {
    const kent = england().authorities.filter((la) => la.code === 'E10000016')
    const digest = (seed: number) => {
      const { rows } = generateInMemory({ scale: 0.05, firstYear: 2014, lastYear: 2016, seed }, kent)
      const hash = createHash('sha256')
      for (const table of GENERATED_TABLES) for (const row of rows.get(table) ?? []) hash.update(JSON.stringify(row))
      return hash.digest('hex')
    }
    assert.equal(digest(11), digest(11))
    assert.notEqual(digest(11), digest(12))
  })

  test('a unit makes the same records whichever units run before it (the worker threads take them in any order)', () => {
    const [hartlepool, kent] = ['E06000001', 'E10000016'].map((code) => england().authorities.filter((la) => la.code === code))
    const options = { scale: 0.02, firstYear: 2010, lastYear: 2013, seed: 4 }
    const lines = (authorities: ReturnType<typeof england>['authorities']) => {
      const { rows } = generateInMemory(options, authorities)
      return GENERATED_TABLES.flatMap((table) => (rows.get(table) ?? []).map((row) => `${table} ${JSON.stringify(row)}`)).sort()
    }
    const forwards = lines([...(hartlepool ?? []), ...(kent ?? [])])
    const backwards = lines([...(kent ?? []), ...(hartlepool ?? [])])
    assert.ok(forwards.length > 500, `${forwards.length} rows`)
    assert.deepEqual(backwards, forwards)
    const alone = new Set(lines(kent ?? []))
    assert.equal(forwards.filter((line) => alone.has(line)).length, alone.size, 'Kent alone makes exactly the rows it makes after another authority')
    const ids = forwards.map((line) => /"id":"([^"]+)"/.exec(line)?.[1])
    assert.equal(new Set(ids).size, ids.length, 'ids unique across the units')
  })

  test('descriptions come from a stream of their own: a seed gives the same rows with them as without, but for the description columns', () => {
    const kent = england().authorities.filter((la) => la.code === 'E10000016')
    const forces = england().forces.filter((force) => force.code === 'E23000032')
    const options = { scale: 0.03, firstYear: 2015, lastYear: 2017, seed: 8 }
    const withLooks = generateInMemory(options, kent, forces).rows
    const without = generateInMemory({ ...options, descriptions: false }, kent, forces).rows
    const persons = withLooks.get('person') ?? []
    assert.ok(persons.filter(described).length > 200, `${persons.filter(described).length} described persons`)
    assert.ok((without.get('person') ?? []).every((person) => !described(person)), 'no descriptions when asked for none')
    const stripped = (person: Record<string, unknown>) => Object.fromEntries(Object.entries(person).filter(([column]) => !(DESCRIPTION_COLUMNS as readonly string[]).includes(column)))
    assert.deepEqual(persons.map(stripped), (without.get('person') ?? []).map(stripped))
    for (const table of GENERATED_TABLES.filter((table) => table !== 'person')) assert.deepEqual(withLooks.get(table), without.get(table), `${table} rows`)
  })

  test('descriptions as the agencies record them: the police usually, a council seldom; every value within the CHECKs and understood by the search', () => {
    const country = england()
    const options = { scale: 0.06, firstYear: 2016, lastYear: 2019, seed: 6 }
    const { rows } = generateInMemory(options, country.authorities.slice(0, 60), country.forces.slice(0, 8))
    const persons = rows.get('person') ?? []
    const police = persons.filter((person) => String(person.owning_agency_id).startsWith('agency:E23'))
    const council = persons.filter((person) => !String(person.owning_agency_id).startsWith('agency:E23'))
    assert.ok(police.length > 3000 && council.length > 3000, `${police.length} police, ${council.length} council records`)
    const share = (records: Record<string, unknown>[]) => records.filter(described).length / records.length
    // describe() writes nothing now and then (every field left out), so a share sits just under its keeper's.
    assert.ok(Math.abs(share(police) - DESCRIPTION.describedBy.police) < 0.02, `police ${share(police)}`)
    assert.ok(Math.abs(share(council) - DESCRIPTION.describedBy.council) < 0.02, `council ${share(council)}`)

    const born = (person: Record<string, unknown>) => Date.parse(person.dob_earliest as string)
    const ageAtRecord = (person: Record<string, unknown>) => ((person.created_at as Date).getTime() - born(person)) / (365.25 * 86_400_000)
    const infants = persons.filter((person) => person.height_cm !== null && ageAtRecord(person) < 2)
    assert.ok(infants.length > 10, `${infants.length} infants with a height`)
    for (const person of persons) {
      const height = person.height_cm as number | null
      // person.height_cm CHECK (height_cm BETWEEN 30 AND 250); a child of 2 is under a metre tall, give or take.
      if (height !== null) assert.ok(Number.isInteger(height) && height >= 30 && height <= 250, `height ${height}`)
      if (height !== null && ageAtRecord(person) < 2) assert.ok(height < 105, `height ${height} at ${ageAtRecord(person).toFixed(1)}`)
      // Every word is one src/linkage/description.ts understands, so the encounter search reads it.
      if (person.hair !== null) assert.ok(hairCode(person.hair as string) > 0, `hair ${String(person.hair)}`)
      if (person.eyes !== null) assert.ok(eyeCode(person.eyes as string) > 0, `eyes ${String(person.eyes)}`)
      if (person.build !== null) assert.ok(buildCode(person.build as string) > 0, `build ${String(person.build)}`)
      if (person.distinguishing_marks !== null) {
        const marks = parseMarks(person.distinguishing_marks as string)
        assert.ok(marks.length > 0 && marks.every((mark) => markKind(mark) > 0 && markPart(mark) > 0), `marks ${String(person.distinguishing_marks)}`)
      }
    }

    // One child's council and police records: an unaccompanied child's copy the profile made on arrival; another
    // child's are each the keeper's own.
    const byId = new Map(persons.map((person) => [person.id, person]))
    const episodes = new Map((rows.get('missing_episode') ?? []).map((episode) => [episode.id, episode]))
    const pairs = new Map<string, [Record<string, unknown>, Record<string, unknown>]>()
    for (const episode of episodes.values()) {
      if (episode.recorded_by !== 'local_authority' || episode.linked_episode_id === null) continue
      const councilRecord = byId.get(episode.person_id)
      const policeRecord = byId.get(episodes.get(episode.linked_episode_id)?.person_id)
      if (councilRecord && policeRecord && described(councilRecord) && described(policeRecord)) pairs.set(`${String(councilRecord.id)} ${String(policeRecord.id)}`, [councilRecord, policeRecord])
    }
    const same = (unaccompanied: boolean) => {
      const chosen = [...pairs.values()].filter(([councilRecord]) => councilRecord.unaccompanied === unaccompanied)
      return { pairs: chosen.length, same: chosen.filter(([a, b]) => JSON.stringify(descriptionOf(a)) === JSON.stringify(descriptionOf(b))).length }
    }
    const arrived = same(true)
    const others = same(false)
    assert.ok(arrived.pairs > 5 && others.pairs > 50, `${arrived.pairs} and ${others.pairs} pairs`)
    assert.equal(arrived.same, arrived.pairs, 'copies of the profile')
    assert.ok(others.same < others.pairs * 0.1, `${others.same} of ${others.pairs} independent descriptions the same`)
  })

  test('calibrated: children missing a year near the published count; trafficked children go missing far more often', () => {
    const options = { scale: 0.1, firstYear: 2017, lastYear: 2018, seed: 3 }
    const { rows } = generateInMemory(options)
    const children = new Map<number, Set<unknown>>()
    const episodes = new Map<number, number>()
    for (const episode of rows.get('missing_episode') ?? []) {
      if (episode.recorded_by !== 'local_authority' || episode.la_category !== 'M') continue
      const year = financialYear(episode.started_at as Date)
      if (!children.has(year)) children.set(year, new Set())
      children.get(year)?.add(episode.person_id)
      episodes.set(year, (episodes.get(year) ?? 0) + 1)
    }
    const target = targetsFor(2018)
    const missing2018 = children.get(2018)?.size ?? 0
    // DfE 2018: 11,530 children, 6.1 episodes each (DOMAIN-SOURCES.md §6.1).
    assert.ok(Math.abs(missing2018 - target.childrenMissing * 0.1) < target.childrenMissing * 0.1 * 0.12, `${missing2018} children missing in 2018 at scale 0.1`)
    const perChild = (episodes.get(2018) ?? 0) / missing2018
    assert.ok(perChild > 4.5 && perChild < 7.5, `${perChild} episodes per missing child`)

    // Trafficked children in care: 24-31% go missing in a year (ECPAT); every child about 11%.
    const people = new Map((rows.get('person') ?? []).map((person) => [person.id, person]))
    const lookedAfter = new Set((rows.get('care_episode') ?? []).filter((c) => (c.started_on as string) <= '2018-03-31' && ((c.ended_on as string | null) ?? '9999') >= '2017-04-01').map((c) => c.person_id))
    const trafficked = [...lookedAfter].filter((id) => people.get(id)?.suspected_trafficking === true)
    const traffickedMissing = trafficked.filter((id) => children.get(2018)?.has(id)).length
    const share = traffickedMissing / trafficked.length
    assert.ok(share > 0.15 && share < 0.45, `${share} of trafficked children in care went missing`)
    assert.ok(missing2018 / lookedAfter.size < 0.15, 'ordinary children go missing far less often')

    // Suspicion is dated (London day) no later than the record was made, and before every episode of the child, so
    // each of them counts as suspected (or referred) as at its day; people not suspected have no day.
    for (const person of people.values()) {
      const since = person.suspected_trafficking_since as string | null
      assert.equal(since !== null, person.suspected_trafficking, `suspected since of ${String(person.id)}`)
      if (since !== null) assert.ok(since <= londonDateOf(person.created_at as Date), `suspected since of ${String(person.id)} after its record was made`)
    }
    const suspectedEpisodes = (rows.get('missing_episode') ?? []).filter((episode) => people.get(episode.person_id)?.suspected_trafficking === true)
    assert.ok(suspectedEpisodes.length > 0)
    for (const episode of suspectedEpisodes) {
      assert.ok(londonDateOf(episode.started_at as Date) >= (people.get(episode.person_id)?.suspected_trafficking_since as string), `episode ${String(episode.id)} began before suspicion`)
    }
  })

  test('the narrower 2006-2012 series: children missing more than 24 hours near the published 890 to 1,510', () => {
    const { rows } = generateInMemory({ scale: 0.12, firstYear: 2011, lastYear: 2012, seed: 5 })
    const over24 = new Map<number, Set<unknown>>()
    for (const episode of rows.get('missing_episode') ?? []) {
      if (episode.recorded_by !== 'local_authority' || episode.la_category !== 'M') continue
      const start = (episode.started_at as Date).getTime()
      const end = (episode.ended_at as Date | null)?.getTime() ?? Infinity
      if (end - start <= 24 * 3_600_000) continue
      const year = financialYear(episode.started_at as Date)
      if (!over24.has(year)) over24.set(year, new Set())
      over24.get(year)?.add(episode.person_id)
    }
    for (const [year, published] of [[2011, 950], [2012, 1510]] as const) {
      const found = (over24.get(year)?.size ?? 0) / 0.12
      assert.ok(Math.abs(found - published) < published * 0.25, `${year}: ${found} children over 24 hours (published ${published})`)
    }
  })
})

describe('generate: into the database', () => {
  let kit: TestKit
  before(async () => {
    kit = await startTestKit()
    await loadReferenceAgencies(kit.db)
  })
  after(async () => kit.close())

  test('writes valid records through the constraints, the rules the services keep, and one audit event', async () => {
    const options = { scale: 0.004, firstYear: 2019, lastYear: 2020, seed: 9 }
    // On PostgreSQL the generator COPYs through its own connections to the test database.
    const result = await generateNationalData(kit.db, { engine: kit.engine, postgresUrl: kit.databaseUrl ?? undefined }, options)
    const count = async (table: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(kit.db)).rows[0]?.n)
    for (const table of GENERATED_TABLES) assert.equal(await count(table), result.counts[table], `${table} count`)
    assert.ok(result.counts.missing_episode > 1000, `${result.counts.missing_episode} episodes`)

    // Police and LA records of one absence are linked both ways.
    const { rows: oneWay } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM missing_episode a JOIN missing_episode b ON b.id = a.linked_episode_id WHERE b.linked_episode_id IS DISTINCT FROM a.id OR a.recorded_by = b.recorded_by`.execute(kit.db)
    assert.equal(oneWay[0]?.n, 0)
    // SSDA903 rule 574: a person's episodes never overlap.
    const { rows: overlaps } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM missing_episode a JOIN missing_episode b ON b.person_id = a.person_id AND b.id > a.id
      AND b.started_at < coalesce(a.ended_at, 'infinity') AND a.started_at < coalesce(b.ended_at, 'infinity')`.execute(kit.db)
    assert.equal(overlaps[0]?.n, 0)
    // Rule 501: a child's placements never overlap; rule 581: a missing period lies within a placement.
    const { rows: careOverlaps } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM care_episode a JOIN care_episode b ON b.person_id = a.person_id AND b.id <> a.id
      AND b.started_on > a.started_on AND b.started_on < coalesce(a.ended_on, 'infinity')`.execute(kit.db)
    assert.equal(careOverlaps[0]?.n, 0)
    const { rows: outside } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM missing_episode e WHERE e.recorded_by = 'local_authority' AND NOT EXISTS (
      SELECT 1 FROM care_episode c WHERE c.person_id = e.person_id AND c.started_on <= (e.started_at AT TIME ZONE 'Europe/London')::date
        AND coalesce(c.ended_on, 'infinity') >= (e.started_at AT TIME ZONE 'Europe/London')::date - 1)`.execute(kit.db)
    assert.equal(outside[0]?.n, 0)
    // Every police report is risk assessed (APP).
    const { rows: unassessed } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM missing_episode e WHERE e.recorded_by = 'police' AND NOT EXISTS (SELECT 1 FROM risk_assessment r WHERE r.episode_id = e.id)`.execute(kit.db)
    assert.equal(unassessed[0]?.n, 0)
    // Descriptions were loaded through the CHECKs, on the police's records far more often than the councils'.
    const { rows: shares } = await sql<{ kind: string; share: number }>`SELECT a.kind, avg(CASE WHEN coalesce(p.height_cm::text, p.build, p.hair, p.eyes, p.distinguishing_marks) IS NULL THEN 0 ELSE 1 END)::float AS share
      FROM person p JOIN agency a ON a.id = p.owning_agency_id GROUP BY a.kind`.execute(kit.db)
    const shareOf = (kind: string) => shares.find((row) => row.kind === kind)?.share ?? 0
    assert.ok(shareOf('police_force') > 0.8 && shareOf('local_authority') > 0.1 && shareOf('local_authority') < 0.4, JSON.stringify(shares))
    // Names carry the database's phonetic key.
    const { rows: keys } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM person_name WHERE phonetic IS DISTINCT FROM dmetaphone(folded)`.execute(kit.db)
    assert.equal(keys[0]?.n, 0)

    // The search index's change log names every loaded person, and the row triggers the load disabled are back.
    const { rows: unnoted } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM person p WHERE NOT EXISTS (SELECT 1 FROM identity_change c WHERE c.person_id = p.id)`.execute(kit.db)
    assert.equal(unnoted[0]?.n, 0)
    const { rows: disabled } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'`.execute(kit.db)
    assert.equal(disabled[0]?.n, 0)

    const audit = await kit.db.selectFrom('audit_event').selectAll().where('action', '=', 'GENERATE_SYNTHETIC_DATA').execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]?.record_id, result.runId)
    assert.equal(audit[0]?.operation, 'collection')
    const run = await kit.db.selectFrom('generation_run').selectAll().where('id', '=', result.runId).executeTakeFirstOrThrow()
    assert.ok(run.finished_at)
    assert.deepEqual(run.dropped_definitions, [])
  })
})
