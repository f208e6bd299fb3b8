import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { parseCsv } from '../../lib/csv.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { startTestKit, personBody, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import type { Actor } from '../access/actor.ts'
import type { StatisticsTable } from './statistics.service.ts'
import { sql } from 'kysely'
import * as repo from './statistics.repository.ts'
import { DIMENSION_NAMES } from './statistics.definitions.ts'
import { barChart, chartOfTable, lineChart, niceScale } from './statistics.charts.ts'

// A hand-built record set, small enough to count by hand (the comments give each answer's working).
//
// Child 1 (authority A): unaccompanied, suspected of being a trafficking victim since 1 March 2011; placed in a children's home (K2)
// on 1 March 2011, moved to foster care (U4) on 10 June 2011; referred to the NRM on 20 March 2011, positive
// reasonable grounds on 5 April 2011. Missing (M) episodes:
//   E1 2 Mar 2011 10:00 to 3 Mar 12:00 (26 h)   suspected (no referral yet)   year 2011   police report linked
//   E2 20 Mar 2011 09:00 to 20:00 (11 h)        referred (referral that day)  year 2011
//   E3 31 Mar 2011 22:00 BST to 2 Apr 10:00 (36 h)  referred; spans 31 March    year 2011
//   E4 9 Jun 2011 20:00 BST to 11 Jun 08:00 (36 h)  reasonable grounds; the placement changes mid-episode (K2 that day)
//   E5 1 Jul 2011 10:00 to 15:00 (5 h)            reasonable grounds, U4         year 2012
// Child 2 (authority A): foster care (U6) since 1 January 2010, no concern.
//   E8 1 Apr 2011 00:30 BST (31 Mar 23:30 UTC) to 04:00 (3.5 h): year 2012 in London time
//   E6 1 May 2011 11:00 to 16:00 (5 h); E7 an away (A) episode on 10 May 2011
//   and a police report from a foster placement the authority never recorded (1 Aug 2011)
// Child 3 (authority B): children's home (K2) since 10 January 2011; E9 from 1 Sep 2011, never ended.

const at = (iso: string) => new Date(iso).toISOString()

describe('statistics from hand-built records', () => {
  let kit: TestKit
  let authorityA: TestAgency
  let authorityB: TestAgency
  let force: TestAgency
  let analyst: TestUser
  let statistician: TestUser
  let socialWorker: TestUser
  let workerB: TestUser
  const people: Record<string, string> = {}
  const laEpisodes: { personId: string; startedAt: string }[] = []

  before(async () => {
    kit = await startTestKit()
    authorityA = await kit.agency('local_authority', { name: 'Authority A' })
    authorityB = await kit.agency('local_authority', { name: 'Authority B' })
    force = await kit.agency('police_force', { name: 'Test Constabulary' })
    const competent = await kit.agency('competent_authority')
    socialWorker = await kit.user(authorityA, ['social_worker'])
    workerB = await kit.user(authorityB, ['social_worker'])
    const officer = await kit.user(force, ['police_officer'])
    const decider = await kit.user(competent, ['nrm_decision_maker'])
    analyst = await kit.user(authorityA, ['analyst'])
    statistician = await kit.user(authorityA, ['statistician'])
    const { services } = kit

    const child = async (actor: Actor, name: string, body: Record<string, unknown>) => {
      const person = await services.people.create(actor, personBody(body) as never)
      people[name] = person.id
      return person.id
    }
    const episode = async (actor: Actor, personId: string, startedAt: string, endedAt: string | null, laCategory: 'M' | 'A' = 'M') => {
      const created = await services.episodes.create(actor, personId, { startedAt: at(startedAt), laCategory })
      laEpisodes.push({ personId, startedAt: at(startedAt) })
      if (endedAt === null) return created
      return services.episodes.end(actor, created.id, { version: created.version, endedAt: at(endedAt), outcome: 'returned', returnMethod: 'returned_voluntarily' })
    }
    const care = { legalStatus: 'C2', categoryOfNeed: 'N1', homePostcode: 'ME4 4QR', placementPostcode: 'ME4 4QS' } as const

    const sw = socialWorker.actor
    const one = await child(sw, 'one', { sex: 'male', dateOfBirth: { earliest: '1995-06-01', latest: '1995-06-01', source: 'documented' }, nationalities: ['VNM'], flags: { unaccompanied: true, suspectedTrafficking: true, suspectedTraffickingSince: '2011-03-01' } })
    await services.care.create(sw, one, { ...care, startedOn: '2011-03-01', reasonForNewEpisode: 'S', placementType: 'K2', placementProvider: 'PR4', endedOn: '2011-06-09', reasonEnded: 'X1', reasonForPlacementChange: 'CARPL' })
    await services.care.create(sw, one, { ...care, startedOn: '2011-06-10', reasonForNewEpisode: 'P', placementType: 'U4', placementProvider: 'PR1' })
    const referral = await services.trafficking.createReferral(sw, one, { competentAuthorityId: competent.id, referredOn: '2011-03-20', exploitationTypes: ['criminal'], countyLines: false, exploitationLocation: 'uk', ageAtExploitation: 'child' })
    await services.trafficking.recordDecision(decider.actor, referral.id, { stage: 'reasonable_grounds', outcome: 'positive', decidedOn: '2011-04-05' })
    const e1 = await episode(sw, one, '2011-03-02T10:00:00Z', '2011-03-03T12:00:00Z')
    await episode(sw, one, '2011-03-20T09:00:00Z', '2011-03-20T20:00:00Z')
    await episode(sw, one, '2011-03-31T21:00:00Z', '2011-04-02T09:00:00Z')
    await episode(sw, one, '2011-06-09T19:00:00Z', '2011-06-11T07:00:00Z')
    await episode(sw, one, '2011-07-01T09:00:00Z', '2011-07-01T14:00:00Z')

    const two = await child(sw, 'two', { sex: 'female', dateOfBirth: { earliest: '1996-01-15', latest: '1996-01-15', source: 'documented' }, nationalities: ['GBR'] })
    await services.care.create(sw, two, { ...care, startedOn: '2010-01-01', reasonForNewEpisode: 'S', placementType: 'U6', placementProvider: 'PR1' })
    await episode(sw, two, '2011-03-31T23:30:00Z', '2011-04-01T03:00:00Z')
    await episode(sw, two, '2011-05-01T10:00:00Z', '2011-05-01T15:00:00Z')
    await episode(sw, two, '2011-05-10T10:00:00Z', '2011-05-10T13:00:00Z', 'A')

    const three = await child(workerB.actor, 'three', { sex: 'male', dateOfBirth: { earliest: '1995-09-09', latest: '1995-09-09', source: 'documented' }, nationalities: ['GBR'] })
    await services.care.create(workerB.actor, three, { ...care, startedOn: '2011-01-10', reasonForNewEpisode: 'S', placementType: 'K2', placementProvider: 'PR4' })
    await episode(workerB.actor, three, '2011-09-01T10:00:00Z', null)

    // The police: a report linked to E1, and one from a foster placement the authority has no record of.
    const risk = (assessedAt: string) => ({ assessedAt: at(assessedAt), grade: 'medium' as const, rationale: 'Repeat missing' })
    const policeOne = await services.people.create(officer.actor, personBody({ sex: 'male' }) as never)
    const report = await services.episodes.create(officer.actor, policeOne.id, { startedAt: at('2011-03-02T10:00:00Z'), initialRisk: risk('2011-03-02T11:00:00Z'), missingFromType: 'childrens_home' })
    await services.episodes.link(officer.actor, report.id, { version: report.version, otherEpisodeId: e1.id })
    const policeTwo = await services.people.create(officer.actor, personBody({ sex: 'female' }) as never)
    const other = await services.episodes.create(officer.actor, policeTwo.id, { startedAt: at('2011-08-01T10:00:00Z'), initialRisk: risk('2011-08-01T11:00:00Z'), missingFromType: 'foster_placement' })
    await services.episodes.end(officer.actor, other.id, { version: other.version, endedAt: at('2011-08-01T20:00:00Z'), outcome: 'found', returnMethod: 'found_by_police' })

    await services.statistics.refresh(null, new Date('2013-01-01T00:00:00Z'))
  })
  after(async () => kit.close())

  const cellsOf = (table: StatisticsTable, rowKey: string) => table.rows.find((row) => row.key === rowKey)?.cells.map((cell) => cell.text)
  const unrounded = () => ({ yearFrom: 2011, yearTo: 2012, unrounded: true })

  test('trafficking status as at the day each episode began: suspected before referral, referred on the day of referral, then reasonable grounds', async () => {
    const table = await kit.services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', ...unrounded() })
    assert.deepEqual(table.columns.map((column) => column.key), ['reasonable_grounds', 'referred', 'suspected', 'none', 'total'])
    // 2011: child 1 suspected (E1) and referred (E2, E3), one child in all. 2012: child 1 RG (E4, E5); children 2 and 3 none.
    assert.deepEqual(cellsOf(table, '2011'), ['0', '1', '1', '0', '1'])
    assert.deepEqual(cellsOf(table, '2012'), ['1', '0', '0', '2', '3'])
    assert.deepEqual(cellsOf(table, 'total'), ['1', '1', '1', '2', '3'])
    const episodes = await kit.services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', measure: 'episodes', ...unrounded() })
    assert.deepEqual(cellsOf(episodes, '2011'), ['0', '2', '1', '0', '3'])
    // E8 began at 00:30 on 1 April in London (23:30 UTC on 31 March): the year ending 31 March 2012. The away episode is not counted.
    assert.deepEqual(cellsOf(episodes, '2012'), ['2', '0', '0', '3', '5'])
  })

  test('the database works out NRM status the same way as the trafficking service', async () => {
    const facts = await kit.db.selectFrom('statistics_episode').select(['person_id', 'started_at', 'trafficking_status']).where('recorded_by', '=', 'local_authority').execute()
    assert.equal(facts.length, laEpisodes.length)
    for (const fact of facts) {
      const status = await kit.services.trafficking.nrmStatusOn(fact.person_id, londonDateOf(fact.started_at))
      const expected = status === 'positive_conclusive_grounds' ? 'conclusive_grounds' : status === 'positive_reasonable_grounds' ? 'reasonable_grounds' : status
      if (expected === 'none') assert.ok(['none', 'suspected'].includes(fact.trafficking_status))
      else assert.equal(fact.trafficking_status, expected, `episode of ${fact.started_at.toISOString()}`)
    }
  })

  test('placement on the day the episode began, even when it changes mid-episode', async () => {
    const table = await kit.services.statistics.breakdown(statistician.actor, { rows: 'placementType', measure: 'episodes', yearFrom: 2012, yearTo: 2012, unrounded: true })
    // E4 began in the children's home on 9 June (the move to U4 was on the 10th); E9 is child 3's K2; E8, E6 U6; E5 U4.
    assert.deepEqual(table.rows.map((row) => [row.key, row.cells[0]?.text]), [['K2', '2'], ['U4', '1'], ['U6', '2'], ['total', '5']])
  })

  test('the parliamentary question: over 24 hours, with the disaggregation beside the published answer', async () => {
    const table = await kit.services.statistics.parliamentaryQuestion(statistician.actor, unrounded())
    // 2011: E1 (26 h, suspected) and E3 (36 h, referred): child 1 only. 2012: E4 (36 h, RG) and E9 (never ended): children 1 and 3.
    assert.deepEqual(cellsOf(table, '2011'), ['950', '1', '1', '0', '0', '1', '1', '100%'])
    assert.deepEqual(cellsOf(table, '2012'), ['1,510', '2', '1', '1', '0', '0', '1', '50%'])
    // No answer was published for later years: not available (x).
    const later = await kit.services.statistics.parliamentaryQuestion(statistician.actor, { yearFrom: 2012, yearTo: 2013, unrounded: true })
    assert.deepEqual(cellsOf(later, '2013')?.slice(0, 2), ['x', '0'])
    assert.equal(cellsOf(later, '2013')?.at(-1), 'z', 'no children, so no percentage')
    const every = await kit.services.statistics.parliamentaryQuestion(statistician.actor, { ...unrounded(), definition: 'every_episode' })
    assert.deepEqual(cellsOf(every, '2012')?.slice(1, 3), ['3', '1'])
  })

  test('still missing at 31 March: an episode spanning the year end counts; one that began after it does not', async () => {
    const table = await kit.services.statistics.stillMissing(statistician.actor, unrounded())
    // 31 March 2011: E3 (ended 2 April), referred. E8 began on 1 April in London. 31 March 2012: E9, never ended.
    assert.deepEqual(cellsOf(table, '2011'), ['1', '0', '0', '1', '0', '0'])
    assert.deepEqual(cellsOf(table, '2012'), ['1', '0', '0', '0', '0', '1'])
  })

  test('police versus local authority: linked, LA only, police only', async () => {
    const table = await kit.services.statistics.reconciliation(statistician.actor, unrounded())
    assert.deepEqual(cellsOf(table, force.id), ['1', '0', '1', '2'])
    // The other seven LA episodes (M) have no police record; the test authorities have no police force area.
    assert.deepEqual(cellsOf(table, 'unknown'), ['0', '7', '0', '7'])
    assert.deepEqual(cellsOf(table, 'total'), ['1', '7', '1', '9'])
    const byAuthority = await kit.services.statistics.reconciliation(statistician.actor, { ...unrounded(), by: 'responsibleAuthority' })
    // Authority A: seven M episodes (E1 to E5, E8, E6), one linked.
    assert.deepEqual(cellsOf(byAuthority, authorityA.id), ['1', '6', 'z', '7'])
  })

  test('time to first missing after entering care and after an NRM referral', async () => {
    const care = await kit.services.statistics.timeToFirstMissing(statistician.actor, { yearFrom: 2010, yearTo: 2011, unrounded: true })
    // Child 1: 34 hours after care began; child 2: over a year; child 3: nearly eight months.
    assert.deepEqual(cellsOf(care, 'suspected'), ['1', '100%', '100%', '100%', '100%'])
    assert.deepEqual(cellsOf(care, 'none'), ['2', '0%', '0%', '0%', '100%'])
    assert.deepEqual(cellsOf(care, 'total'), ['3', '33%', '33%', '33%', '100%'])
    const referral = await kit.services.statistics.timeToFirstMissing(statistician.actor, { yearFrom: 2011, yearTo: 2011, unrounded: true, from: 'referral' })
    assert.deepEqual(cellsOf(referral, 'yes'), ['1', '100%', '100%', '100%', '100%'])
    const curve = await kit.services.statistics.firstMissingCurve(statistician.actor, { yearFrom: 2010, yearTo: 2011, unrounded: true, days: 3 })
    assert.deepEqual(curve.points.map((point) => point.percent.text), ['0%', '33.3%', '33.3%'])
  })

  test('disclosure control for an analyst: national figures rounded (k when small), local 1 to 5 suppressed with secondary suppression', async () => {
    const pq = await kit.services.statistics.parliamentaryQuestion(analyst.actor, { yearFrom: 2011, yearTo: 2012 })
    assert.equal(pq.unrounded, false)
    assert.deepEqual(cellsOf(pq, '2011'), ['950', 'k', 'k', '0', '0', 'k', 'k', '100%'])
    const local = await kit.services.statistics.breakdown(analyst.actor, { rows: 'responsibleAuthority', measure: 'episodes', yearFrom: 2011, yearTo: 2012 })
    // A: 7 episodes, B: 1. B is suppressed; A would give it away against the total, so A is suppressed too. England (8) rounds to 10.
    assert.deepEqual(cellsOf(local, authorityA.id), ['c'])
    assert.deepEqual(cellsOf(local, authorityB.id), ['c'])
    assert.deepEqual(cellsOf(local, 'total'), ['10'])
    const raw = await kit.services.statistics.breakdown(statistician.actor, { rows: 'responsibleAuthority', measure: 'episodes', ...unrounded() })
    assert.deepEqual([cellsOf(raw, authorityA.id), cellsOf(raw, authorityB.id), cellsOf(raw, 'total')], [['7'], ['1'], ['8']])
    const byAuthority = await kit.services.statistics.reconciliation(analyst.actor, { yearFrom: 2011, yearTo: 2012, by: 'responsibleAuthority' })
    assert.equal(cellsOf(byAuthority, authorityA.id)?.[2], 'z')
  })

  test('unrounded figures only for statisticians, and each such read is audited; other roles see no statistics', async () => {
    await assert.rejects(kit.services.statistics.parliamentaryQuestion(analyst.actor, { unrounded: true }), /statisticians/)
    await assert.rejects(kit.services.statistics.parliamentaryQuestion(socialWorker.actor, {}), /cannot see statistics/)
    const before = await kit.db.selectFrom('audit_event').select('seq').where('action', '=', 'VIEW_UNROUNDED_STATISTICS').where('actor_user_id', '=', statistician.id).execute()
    await kit.services.statistics.stillMissing(statistician.actor, unrounded())
    const afterRows = await kit.db.selectFrom('audit_event').selectAll().where('action', '=', 'VIEW_UNROUNDED_STATISTICS').where('actor_user_id', '=', statistician.id).execute()
    assert.equal(afterRows.length, before.length + 1)
    assert.equal(afterRows.at(-1)?.operation, 'consultation')
    const refreshes = await kit.db.selectFrom('audit_event').select('operation').where('action', '=', 'REFRESH_STATISTICS').execute()
    assert.deepEqual(refreshes.map((row) => row.operation), ['combination'])
  })

  test('JSON API, CSV and XLSX downloads with the GSS shorthand', async () => {
    const json = await kit.request(statistician, { method: 'GET', url: '/api/v1/statistics/parliamentary-question?yearFrom=2011&yearTo=2012&unrounded=true' })
    assert.equal(json.statusCode, 200)
    assert.deepEqual(json.json().rows[1].cells.map((cell: { text: string }) => cell.text), ['1,510', '2', '1', '1', '0', '0', '1', '50%'])

    const csv = await kit.request(analyst, { method: 'GET', url: '/api/v1/statistics/parliamentary-question?yearFrom=2011&yearTo=2012&format=csv' })
    assert.equal(csv.statusCode, 200)
    assert.match(csv.headers['content-type'] as string, /^text\/csv/)
    const rows = parseCsv(csv.body)
    assert.equal(rows[0]?.[0], 'Year ending 31 March')
    assert.deepEqual(rows[1], ['2010 to 11', '950', '[low]', '[low]', '0', '0', '[low]', '[low]', '100'])
    assert.ok(rows.some((row) => row[0]?.startsWith('[low]: ')), 'the symbols used are explained')

    const filtered = await kit.request(statistician, { method: 'GET', url: '/api/v1/statistics/breakdown?rows=year&yearFrom=2011&yearTo=2012&unrounded=true&sex=female' })
    assert.deepEqual(filtered.json().rows.map((row: { cells: { text: string }[] }) => row.cells[0]?.text), ['1', '1'])

    const xlsx = await kit.request(analyst, { method: 'GET', url: '/api/v1/statistics/breakdown?rows=responsibleAuthority&measure=episodes&yearFrom=2011&yearTo=2012&format=xlsx' })
    assert.equal(xlsx.statusCode, 200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Cover', 'Notes', 'Table'])
    const sheet = workbook.getWorksheet('Table')
    const values = [2, 3, 4].map((row) => [sheet?.getRow(row).getCell(1).value, sheet?.getRow(row).getCell(2).value])
    assert.deepEqual(values, [['Authority A', '[c]'], ['Authority B', '[c]'], ['England', 10]])
  })

  test('bad requests are refused naming the field, and only statisticians rebuild', async () => {
    const badRows = await kit.request(analyst, { method: 'GET', url: '/api/v1/statistics/breakdown?rows=shoeSize' })
    assert.equal(badRows.statusCode, 400)
    assert.match(badRows.body, /rows/)
    const badYears = await kit.request(analyst, { method: 'GET', url: '/api/v1/statistics/breakdown?yearFrom=2012&yearTo=2010' })
    assert.equal(badYears.statusCode, 400)
    assert.equal(badYears.json().errors[0].field, 'yearTo')
    const badFilter = await kit.services.statistics.breakdown(analyst.actor, { filters: { shoeSize: ['9'] } }).catch((error: { errors?: { field: string }[] }) => error)
    assert.equal((badFilter as { errors?: { field: string }[] }).errors?.[0]?.field, 'filters/shoeSize')
    const refresh = await kit.request(analyst, { method: 'POST', url: '/api/v1/statistics/refresh' })
    assert.equal(refresh.statusCode, 403)
    const anonymous = await kit.request(null, { method: 'GET', url: '/api/v1/statistics/parliamentary-question' })
    assert.equal(anonymous.statusCode, 401)
  })

  test('the statistics page: the table with its chart beside it, notes, symbols and downloads; other roles get 403', async () => {
    const page = (user: TestUser, url: string) => kit.app.inject({ method: 'GET', url, headers: { cookie: `lantern_session=${user.token}` } })
    const pq = await page(analyst, '/statistics?yearFrom=2011&yearTo=2012')
    assert.equal(pq.statusCode, 200)
    assert.match(pq.body, /class="govuk-service-navigation__link" href="\/statistics"/)
    assert.match(pq.body, /data-testid="chart"><svg [^>]*role="img"/)
    assert.match(pq.body, /Published answer \(2013\)/)
    assert.match(pq.body, /<td class="govuk-table__cell govuk-table__cell--numeric[^"]*">\s*1,510\s*<\/td>/)
    assert.match(pq.body, /Rounds to zero, but is not zero/, 'the k symbol is explained')
    assert.match(pq.body, /href="\/statistics\/download\?format=csv&amp;yearFrom=2011&amp;yearTo=2012"/)

    const breakdown = await page(analyst, '/statistics?table=breakdown&rows=responsibleAuthority&measure=episodes&yearFrom=2011&yearTo=2012')
    assert.equal(breakdown.statusCode, 200)
    assert.match(breakdown.body, /Authority A<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric[^"]*">\s*c\s*<\/td>/)

    const curve = await page(statistician, '/statistics?table=time-to-first-missing&yearFrom=2010&yearTo=2011')
    assert.equal(curve.statusCode, 200)
    assert.match(curve.body, /data-testid="curve-chart"><svg /)

    const bad = await page(analyst, '/statistics?yearFrom=2012&yearTo=2010')
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /There is a problem/)
    assert.match(bad.body, /href="#yearTo"/)

    const csv = await page(analyst, '/statistics/download?format=csv&yearFrom=2011&yearTo=2012')
    assert.equal(csv.statusCode, 200)
    assert.equal(parseCsv(csv.body)[1]?.[2], '[low]')

    const forbidden = await page(socialWorker, '/statistics')
    assert.equal(forbidden.statusCode, 403)
    assert.doesNotMatch((await page(socialWorker, '/')).body, /class="govuk-service-navigation__link" href="\/statistics"/)
  })

  test('charts: server-rendered SVG, labelled for screen readers, suppressed figures drawn as their symbol', async () => {
    const table = await kit.services.statistics.breakdown(analyst.actor, { rows: 'responsibleAuthority', measure: 'episodes', yearFrom: 2011, yearTo: 2012 })
    const svg = chartOfTable(table, ['total'])
    assert.match(svg, /^<svg [^>]*role="img" aria-labelledby="chart-breakdown-responsibleAuthority-title chart-breakdown-responsibleAuthority-desc"/)
    assert.match(svg, /<title id="chart-breakdown-responsibleAuthority-title">Missing episodes, by responsible local authority/)
    assert.equal((svg.match(/<rect [^>]*fill="#1d70b8"><title>/g) ?? []).length, 0, 'no bars for suppressed authorities')
    assert.equal((svg.match(/>c<\/text>/g) ?? []).length, 2)
  })

  test('the narrow cells and roll-ups give the figures of the facts and of the records, also after the records change', async () => {
    const { services, db } = kit
    const sw = socialWorker.actor
    // Changes: child 3's open episode ends; child 2 is referred to the NRM and goes missing again the next day.
    const [open] = await db.selectFrom('missing_episode').select(['id', 'version']).where('person_id', '=', people.three ?? '').where('ended_at', 'is', null).execute()
    assert.ok(open)
    await services.episodes.end(workerB.actor, open.id, { version: open.version, endedAt: at('2012-02-01T10:00:00Z'), outcome: 'found', returnMethod: 'found_by_police' })
    const competent = (await db.selectFrom('agency').select('id').where('kind', '=', 'competent_authority').executeTakeFirstOrThrow()).id
    await services.trafficking.createReferral(sw, people.two ?? '', { competentAuthorityId: competent, referredOn: '2011-09-01', exploitationTypes: ['sexual'], countyLines: false, exploitationLocation: 'uk', ageAtExploitation: 'child' })
    const created = await services.episodes.create(sw, people.two ?? '', { startedAt: at('2011-09-02T10:00:00Z'), laCategory: 'M' })
    await services.episodes.end(sw, created.id, { version: created.version, endedAt: at('2011-09-04T10:00:00Z'), outcome: 'returned', returnMethod: 'returned_voluntarily' })
    const asAt = new Date('2013-01-01T00:00:00Z')
    await services.statistics.refresh(null, asAt)

    // From the records, as at each episode's day, against the service's table over the cells.
    const filter = { yearFrom: 2011, yearTo: 2012, categories: ['M'] as ('M' | 'A')[], over24Hours: false, equals: [] }
    const fromRecords = await repo.countByYearAndStatusFromRecords(db, filter, asAt)
    const table = await services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', ...unrounded() })
    for (const measure of ['episodes', 'children'] as const) {
      const byMeasure = measure === 'children' ? table : await services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', measure, ...unrounded() })
      for (const row of fromRecords) {
        const column = byMeasure.columns.findIndex((c) => c.key === row.status)
        assert.equal(cellsOf(byMeasure, String(row.year))?.[column], String(row[measure]), `${measure} ${row.year} ${row.status}`)
      }
      const total = (year: string) => cellsOf(byMeasure, year)?.at(-1)
      assert.equal(total('2012'), String(measure === 'episodes' ? fromRecords.filter((r) => r.year === 2012).reduce((sum, r) => sum + r.episodes, 0) : 3))
    }
    // Child 2 was referred on 1 September 2011: the new episode counts as referred; the ended episode of child 3 is no longer still missing.
    assert.deepEqual(cellsOf(table, '2012'), ['1', '1', '0', '2', '3'])
    assert.deepEqual(cellsOf(await services.statistics.stillMissing(statistician.actor, unrounded()), '2012'), ['0', '0', '0', '0', '0', '0'])

    // Every breakdown over the cells equals a plain GROUP BY over the facts, cell by cell, children and episodes.
    const all = { ...filter, yearFrom: 2006, yearTo: 2025, categories: ['M', 'A'] as ('M' | 'A')[] }
    for (const name of DIMENSION_NAMES) {
      const columns = name === 'year' ? 'sex' : 'year'
      const cells = await repo.countBy(db, name, columns, all)
      const plain = (await repo.countByNaive(db, name, columns, all)) as { r: string; c: string; episodes: string; children: string }[]
      const inner = cells.filter((row) => row.row !== null && row.column !== null)
      assert.equal(inner.length, plain.length, name)
      for (const row of plain) {
        const found = inner.find((cell) => cell.row === row.r && cell.column === row.c)
        assert.deepEqual([found?.episodes, found?.children], [Number(row.episodes), Number(row.children)], `${name} ${row.r} ${row.c}`)
      }
      assert.deepEqual(cells.find((row) => row.row === null && row.column === null)?.children, 3, `${name} total`)
    }
    // The roll-up of police and council records equals the count over the facts.
    const facts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM statistics_episode WHERE la_category = 'M' OR recorded_by = 'police'`.execute(db)
    const reconciled = await repo.reconciliation(db, 'policeForce', 2006, 2025)
    const totals = reconciled.find((row) => row.agency === null)
    assert.equal((totals?.both ?? 0) * 2 + (totals?.localAuthorityOnly ?? 0) + (totals?.policeOnly ?? 0), facts.rows[0]?.n)
  })
})

// "Suspected" as at the day each episode began (docs/adr/0014), in the year ending 31 March 2016, authority A:
// Child P: in care (U4) from 1 January 2015; suspicion recorded later, as having begun on 10 June 2015.
//   P1 1 May 2015 11:00 BST                    none (before suspicion)
//   P2 9 Jun 2015 23:00 BST (22:00 UTC)         none (the London day before)
//   P3 10 Jun 2015 00:30 BST (9 Jun 23:30 UTC)  suspected (the very day suspicion began, in London)
//   P4 1 Jul 2015                               suspected
// Child Q: in care from 1 April 2015, suspected since that day; referred to the NRM on 1 August 2015.
//   Q1 15 Jul 2015 suspected; Q2 1 Aug 2015 referred (the referral outranks suspicion)
// Child T: in care from 1 January 2015; T1 5 May 2015; flagged today (no day given), so none for T1.
// Episodes: none P1 P2 T1 = 3, suspected P3 P4 Q1 = 3, referred Q2 = 1, total 7.
// Children: none P T = 2, suspected P Q = 2, referred Q = 1, total 3.
// Care starts: P 1 Jan (before suspicion) none; Q 1 Apr (the day suspicion began) suspected; T none.
describe('suspicion of trafficking as at the day each episode began', () => {
  let kit: TestKit
  let statistician: TestUser
  const ids: Record<string, string> = {}

  before(async () => {
    kit = await startTestKit()
    const authority = await kit.agency('local_authority', { name: 'Authority A' })
    const competent = await kit.agency('competent_authority')
    const sw = (await kit.user(authority, ['social_worker'])).actor
    statistician = await kit.user(authority, ['statistician'])
    const { services, db } = kit
    const care = { legalStatus: 'C2', categoryOfNeed: 'N1', homePostcode: 'ME4 4QR', placementPostcode: 'ME4 4QS', reasonForNewEpisode: 'S', placementType: 'U4', placementProvider: 'PR1' } as const
    const dateOfBirth = { earliest: '2001-02-03', latest: '2001-02-03', source: 'documented' }
    const episode = async (personId: string, name: string, startedAt: string) => {
      const created = await services.episodes.create(sw, personId, { startedAt: at(startedAt), laCategory: 'M' })
      ids[name] = created.id
      await services.episodes.end(sw, created.id, { version: created.version, endedAt: new Date(new Date(startedAt).getTime() + 3600_000).toISOString(), outcome: 'returned', returnMethod: 'returned_voluntarily' })
    }
    const versionOf = async (id: string) => (await db.selectFrom('person').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version

    const p = (await services.people.create(sw, personBody({ dateOfBirth }) as never)).id
    await services.care.create(sw, p, { ...care, startedOn: '2015-01-01' })
    await episode(p, 'P1', '2015-05-01T10:00:00Z')
    await episode(p, 'P2', '2015-06-09T22:00:00Z')
    await episode(p, 'P3', '2015-06-09T23:30:00Z')
    await episode(p, 'P4', '2015-07-01T10:00:00Z')
    await services.people.update(sw, p, { version: await versionOf(p), flags: { suspectedTrafficking: true, suspectedTraffickingSince: '2015-06-10' } })

    const q = (await services.people.create(sw, personBody({ dateOfBirth, flags: { suspectedTrafficking: true, suspectedTraffickingSince: '2015-04-01' } }) as never)).id
    await services.care.create(sw, q, { ...care, startedOn: '2015-04-01' })
    await services.trafficking.createReferral(sw, q, { competentAuthorityId: competent.id, referredOn: '2015-08-01', exploitationTypes: ['criminal'], countyLines: true, exploitationLocation: 'uk', ageAtExploitation: 'child' })
    await episode(q, 'Q1', '2015-07-15T10:00:00Z')
    await episode(q, 'Q2', '2015-08-01T09:00:00Z')

    const t = (await services.people.create(sw, personBody({ dateOfBirth }) as never)).id
    await services.care.create(sw, t, { ...care, startedOn: '2015-01-01' })
    await episode(t, 'T1', '2015-05-05T10:00:00Z')
    const flaggedToday = await services.people.update(sw, t, { version: await versionOf(t), flags: { suspectedTrafficking: true } })
    assert.equal(flaggedToday.flags.suspectedTraffickingSince, londonDateOf(new Date()))
    Object.assign(ids, { p, q, t })

    await services.statistics.refresh(null, new Date('2017-01-01T00:00:00Z'))
  })
  after(async () => kit.close())

  const cellsOf = (table: StatisticsTable, rowKey: string) => table.rows.find((row) => row.key === rowKey)?.cells.map((cell) => cell.text)
  const range = { yearFrom: 2016, yearTo: 2016, unrounded: true }

  test('each episode: none before suspicion began, suspected from its London day on, referred once referred', async () => {
    const facts = await kit.db.selectFrom('statistics_episode').select(['episode_id', 'trafficking_status']).execute()
    const status = Object.fromEntries(facts.map((fact) => [fact.episode_id, fact.trafficking_status]))
    const expected = { P1: 'none', P2: 'none', P3: 'suspected', P4: 'suspected', Q1: 'suspected', Q2: 'referred', T1: 'none' }
    assert.deepEqual(Object.fromEntries(Object.keys(expected).map((name) => [name, status[ids[name] ?? '']])), expected)
  })

  test('the table by status: episodes and children', async () => {
    const children = await kit.services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', ...range })
    assert.deepEqual(children.columns.map((column) => column.key), ['referred', 'suspected', 'none', 'total'])
    assert.deepEqual(cellsOf(children, '2016'), ['1', '2', '2', '3'])
    const episodes = await kit.services.statistics.breakdown(statistician.actor, { rows: 'year', columns: 'traffickingStatus', measure: 'episodes', ...range })
    assert.deepEqual(cellsOf(episodes, '2016'), ['1', '3', '3', '7'])
    // The plain count from the records applies the same rule.
    const fromRecords = await repo.countByYearAndStatusFromRecords(kit.db, { yearFrom: 2016, yearTo: 2016, categories: ['M'], over24Hours: false }, new Date('2017-01-01T00:00:00Z'))
    assert.deepEqual(Object.fromEntries(fromRecords.map((row) => [row.status, [row.episodes, row.children]])), { none: [3, 2], suspected: [3, 2], referred: [1, 1] })
  })

  test('care starts: suspected only when suspicion had begun by the day care began', async () => {
    const starts = await kit.db.selectFrom('statistics_care_start').select(['person_id', 'trafficking_status']).execute()
    const status = Object.fromEntries(starts.map((start) => [start.person_id, start.trafficking_status]))
    assert.deepEqual([status[ids.p ?? ''], status[ids.q ?? ''], status[ids.t ?? '']], ['none', 'suspected', 'none'])
  })
})

describe('statistics charts', () => {
  test('bars are as tall as their values on a tidy scale, and text is escaped', () => {
    assert.deepEqual(niceScale(87), { top: 100, step: 20 })
    assert.deepEqual(niceScale(1510), { top: 2000, step: 500 })
    const svg = barChart({
      id: 'x',
      title: 'Children <missing> & found',
      description: 'A test',
      categories: ['2011', '2012'],
      series: [{ label: 'Children', values: [{ value: 50, symbol: null, text: '50' }, { value: 100, symbol: null, text: '100' }] }],
    })
    assert.match(svg, /<title id="x-title">Children &lt;missing&gt; &amp; found<\/title>/)
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="#1d70b8"><title>/g)].map((match) => Number(match[1]))
    assert.equal(heights.length, 2)
    assert.ok(Math.abs((heights[1] ?? 0) - 2 * (heights[0] ?? 0)) < 0.2, `${heights.join(' ')}: the 100 bar is twice the 50`)
  })

  test('lines break where a figure is suppressed', () => {
    const cell = (value: number | null, symbol: 'c' | null = null) => ({ value, symbol, text: symbol ?? String(value) })
    const svg = lineChart({ id: 'y', title: 'Curve', description: 'A test', x: [1, 2, 3, 4], xLabel: 'Days', series: [{ label: 'Share', values: [cell(10), cell(20), cell(null, 'c'), cell(40)] }], percent: true })
    assert.equal((svg.match(/<polyline /g) ?? []).length, 2)
  })
})
