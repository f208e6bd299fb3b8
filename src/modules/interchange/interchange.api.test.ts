import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestAgency, type TestKit, type TestUser } from '../../../test/kit.ts'
import { parseCsv } from '../../lib/csv.ts'
import { csvFiles, validReturn } from './ssda903/ssda903.test-files.ts'
import { multipart } from './multipart.test-helper.ts'

describe('imports through the API', () => {
  let kit: TestKit
  let kent: TestAgency
  let worker: TestUser
  let otherWorker: TestUser

  before(async () => {
    kit = await startTestKit()
    kent = await kit.agency('local_authority', { code: 'E10000016', name: 'Kent' })
    worker = await kit.user(kent, ['social_worker'])
    otherWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
  })
  after(() => kit.close())

  test('an upload with a problem is refused; its report is JSON and CSV; the corrected upload imports', async () => {
    const tables = validReturn()
    tables.Missing[0] = { ...(tables.Missing[0] ?? {}), MISSING: 'X' }
    const refused = await kit.request(worker, { method: 'POST', url: '/api/v1/imports/ssda903', ...multipart({ la: 'E10000016', year: '2025' }, csvFiles(tables)) })
    assert.equal(refused.statusCode, 201, refused.body)
    const run = refused.json()
    assert.equal(run.status, 'refused')
    assert.equal(run.issueCount, 1)
    assert.deepEqual(run.files.map((file: { table: string }) => file.table), ['Header', 'Episodes', 'Missing', 'UASC'])

    const report = await kit.request(worker, { method: 'GET', url: `/api/v1/imports/${run.id}/report` })
    assert.equal(report.statusCode, 200)
    assert.deepEqual(report.json().issues, [{ rule: '1006', message: 'Missing type invalid.', table: 'Missing', line: 2, field: 'MISSING', key: 'C1' }])
    const csv = await kit.request(worker, { method: 'GET', url: `/api/v1/imports/${run.id}/report.csv` })
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-type']), /^text\/csv/)
    assert.deepEqual(parseCsv(csv.body), [['rule', 'message', 'table', 'line', 'field'], ['1006', 'Missing type invalid.', 'Missing', '2', 'MISSING']])

    const imported = await kit.request(worker, { method: 'POST', url: '/api/v1/imports/ssda903', ...multipart({ la: 'E10000016', year: '2025' }, csvFiles(validReturn())) })
    assert.equal(imported.json().status, 'imported', imported.body)
    const list = await kit.request(worker, { method: 'GET', url: '/api/v1/imports' })
    assert.deepEqual(list.json().items.map((item: { status: string }) => item.status), ['imported', 'refused'])
  })

  test("another authority's runs do not exist for you; you cannot import into its records", async () => {
    const list = await kit.request(worker, { method: 'GET', url: '/api/v1/imports' })
    const id = list.json().items[0].id
    assert.equal((await kit.request(otherWorker, { method: 'GET', url: `/api/v1/imports/${id}/report` })).statusCode, 404)
    const attempt = await kit.request(otherWorker, { method: 'POST', url: '/api/v1/imports/ssda903', ...multipart({ la: 'E10000016', year: '2025' }, csvFiles(validReturn())) })
    assert.equal(attempt.statusCode, 403)
  })

  test('the upload names what is missing: the year, the authority, multipart', async () => {
    const noYear = await kit.request(worker, { method: 'POST', url: '/api/v1/imports/ssda903', ...multipart({ la: 'E10000016' }, csvFiles(validReturn())) })
    assert.equal(noYear.statusCode, 400)
    assert.deepEqual(noYear.json().errors.map((error: { field: string }) => error.field), ['year'])
    const json = await kit.request(worker, { method: 'POST', url: '/api/v1/imports/ssda903', payload: { la: 'E10000016' } })
    assert.equal(json.statusCode, 400)
    assert.match(json.json().detail, /multipart\/form-data/)
  })
})

describe('exports through the API', () => {
  let kit: TestKit
  let worker: TestUser

  before(async () => {
    kit = await startTestKit()
    worker = await kit.user(await kit.agency('local_authority', { code: 'E10000016', name: 'Kent' }), ['social_worker'])
    const imported = await kit.services.ssda903.importReturn(worker.actor, { la: 'E10000016', year: 2025, files: csvFiles(validReturn()) })
    assert.equal(imported.status, 'imported')
  })
  after(() => kit.close())

  test('POST /exports/ssda903 returns the three tables and records the disclosure', async () => {
    const response = await kit.request(worker, { method: 'POST', url: '/api/v1/exports/ssda903', payload: { la: 'E10000016', year: 2025, recipient: 'Department for Education' } })
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json()
    assert.deepEqual(body.files.map((file: { name: string }) => file.name), ['header.csv', 'episodes.csv', 'missing.csv'])
    assert.ok(body.disclosureId)
    assert.deepEqual(body.summary, { children: 2, careEpisodes: 3, missingEpisodes: 3, placementsWithheld: 0 })
    const noRecipient = await kit.request(worker, { method: 'POST', url: '/api/v1/exports/ssda903', payload: { la: 'E10000016', year: 2025 } })
    assert.equal(noRecipient.statusCode, 400)
  })
})

describe('record imports through the API', () => {
  let kit: TestKit

  before(async () => {
    kit = await startTestKit()
  })
  after(() => kit.close())

  test('POST /imports/police takes a force extract; its report names the bad row', async () => {
    const officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    const file = {
      name: 'incidents.csv',
      bytes: Buffer.from('incident_reference,family_name,sex,missing_since,initial_risk\nI-1,Smith,female,2024-07-13 21:40,high\nI-2,Jones,female,2024-07-13 21:40,extreme\n'),
    }
    const refused = await kit.request(officer, { method: 'POST', url: '/api/v1/imports/police', ...multipart({}, [file]) })
    assert.equal(refused.statusCode, 201, refused.body)
    assert.equal(refused.json().status, 'refused')
    const report = await kit.request(officer, { method: 'GET', url: `/api/v1/imports/${refused.json().id}/report` })
    assert.deepEqual(report.json().issues.map((issue: { line: number; field: string; key: string }) => [issue.line, issue.field, issue.key]), [[3, 'initial_risk', 'I-2']])
    const partial = await kit.request(officer, { method: 'POST', url: '/api/v1/imports/police', ...multipart({ acceptValid: 'true' }, [file]) })
    assert.equal(partial.json().status, 'imported_in_part')
    assert.deepEqual(partial.json().summary.leftOut, ['I-2'])
  })
})

describe('PFIF through the API', () => {
  let kit: TestKit

  before(async () => {
    kit = await startTestKit()
  })
  after(() => kit.close())

  test('POST /exports/pfif needs a purpose, then discloses; POST /imports/pfif reads a document back', async () => {
    const officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
    const person = await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: { names: [{ kind: 'given', text: 'Lina' }], sex: 'female' } })
    const body = { people: [person.json().id], recipient: 'Red Cross tracing', domain: 'lantern.test.police.uk' }
    const noPurpose = await kit.request(officer, { method: 'POST', url: '/api/v1/exports/pfif', payload: body })
    assert.equal(noPurpose.statusCode, 400)
    assert.deepEqual(noPurpose.json().errors.map((error: { field: string }) => error.field), ['purpose'])
    const exported = await kit.request(officer, { method: 'POST', url: '/api/v1/exports/pfif', payload: body, purpose: 'Family tracing request' })
    assert.equal(exported.statusCode, 200, exported.body)
    assert.match(exported.json().document, /<pfif:full_name>Lina<\/pfif:full_name>/)
    const other = await kit.user(await kit.agency('police_force'), ['police_officer'])
    const imported = await kit.request(other, { method: 'POST', url: '/api/v1/imports/pfif', ...multipart({}, [{ name: 'lina.xml', bytes: Buffer.from(exported.json().document) }]) })
    assert.equal(imported.statusCode, 201, imported.body)
    assert.equal(imported.json().status, 'imported')
    assert.equal(imported.json().summary.personsCreated, 1)
  })
})
