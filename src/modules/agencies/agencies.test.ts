import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'
import { loadReferenceAgencies } from './agencies.service.ts'
import { localAuthorities, otherAgencies, policeForces } from './reference-data.ts'

const REFERENCE_COUNT = policeForces().length + localAuthorities().length + otherAgencies().length

describe('agencies', () => {
  let kit: TestKit
  let socialWorker: TestUser
  let metropolitanId: string

  before(async () => {
    kit = await startTestKit()
    // Registered by hand before any load, under its real code and a stale name.
    const metropolitan = await kit.agency('police_force', { code: 'E23000001', name: 'Metropolitan Police (old name)' })
    metropolitanId = metropolitan.id
    const authority = await kit.agency('local_authority')
    socialWorker = await kit.user(authority, ['social_worker'])
  })
  after(() => kit.close())

  const countAgencies = async () =>
    Number((await kit.db.selectFrom('agency').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  test('loads every police force, local authority and national body, keeping the id of a row already there', async () => {
    const before = await countAgencies()
    const counts = await loadReferenceAgencies(kit.db)
    assert.deepEqual(counts, { inserted: REFERENCE_COUNT - 1, updated: 1, unchanged: 0 })
    assert.equal(await countAgencies(), before + REFERENCE_COUNT - 1)

    const metropolitan = await kit.db.selectFrom('agency').selectAll().where('code', '=', 'E23000001').executeTakeFirstOrThrow()
    assert.equal(metropolitan.id, metropolitanId)
    assert.equal(metropolitan.name, 'Metropolitan Police Service')
    assert.equal(metropolitan.region, 'London')
    assert.equal(metropolitan.version, 2)

    const cumbria = await kit.db.selectFrom('agency').selectAll().where('code', '=', 'E10000006').executeTakeFirstOrThrow()
    assert.equal(cumbria.kind, 'local_authority')
    assert.equal(cumbria.active, false)
    assert.equal(cumbria.replaced_by_code, 'E06000063;E06000064')
    const cardiff = await kit.db.selectFrom('agency').selectAll().where('code', '=', 'W06000015').executeTakeFirstOrThrow()
    assert.equal(cardiff.welsh_name, 'Caerdydd')
    assert.equal(cardiff.nation, 'wales')
    const sca = await kit.db.selectFrom('agency').selectAll().where('code', '=', 'SCA').executeTakeFirstOrThrow()
    assert.equal(sca.kind, 'competent_authority')
  })

  test('loading again changes nothing', async () => {
    const ids = await kit.db.selectFrom('agency').select(['code', 'id', 'version']).orderBy('code').execute()
    const counts = await loadReferenceAgencies(kit.db)
    assert.deepEqual(counts, { inserted: 0, updated: 0, unchanged: REFERENCE_COUNT })
    assert.deepEqual(await kit.db.selectFrom('agency').select(['code', 'id', 'version']).orderBy('code').execute(), ids)
  })

  test("a row whose kind contradicts the reference data stops the load, and nothing of it is kept", async () => {
    await kit.db.updateTable('agency').set({ name: 'Renamed locally' }).where('code', '=', 'E23000002').execute()
    const wrong = await kit.db.selectFrom('agency').select('id').where('code', '=', 'SCA').executeTakeFirstOrThrow()
    await kit.db.updateTable('agency').set({ kind: 'first_responder' }).where('id', '=', wrong.id).execute()
    await assert.rejects(loadReferenceAgencies(kit.db), /SCA is recorded as a first_responder but the reference data says competent_authority/)
    const force = await kit.db.selectFrom('agency').select('name').where('code', '=', 'E23000002').executeTakeFirstOrThrow()
    assert.equal(force.name, 'Renamed locally', 'the rename was not undone: the failed load changed nothing')
    await kit.db.updateTable('agency').set({ kind: 'competent_authority' }).where('id', '=', wrong.id).execute()
    assert.deepEqual(await loadReferenceAgencies(kit.db), { inserted: 0, updated: 1, unchanged: REFERENCE_COUNT - 1 })
  })

  test('lists agencies of one kind, paginated, optionally only those still in being', async () => {
    const all = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?kind=local_authority&pageSize=100' })
    assert.equal(all.statusCode, 200, all.body)
    const page = all.json()
    // The reference authorities and the one the test kit made.
    assert.equal(page.total, localAuthorities().length + 1)
    assert.equal(page.items.length, 100)
    assert.ok(page.items.every((agency: { kind: string }) => agency.kind === 'local_authority'))

    const second = (await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?kind=local_authority&pageSize=100&page=2' })).json()
    assert.equal(second.page, 2)
    const codes = [...page.items, ...second.items].map((agency: { code: string }) => agency.code)
    assert.equal(new Set(codes).size, codes.length, 'no agency on both pages')
    for (const authority of localAuthorities()) assert.ok(codes.includes(authority.code), `${authority.code} on a page`)

    const active = (await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?kind=local_authority&activeOnly=true&pageSize=100' })).json()
    const inactive = localAuthorities().filter((authority) => !authority.active).length
    assert.ok(inactive > 0)
    assert.equal(active.total, page.total - inactive)

    const forces = (await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?kind=police_force&pageSize=100' })).json()
    assert.equal(forces.total, policeForces().length)
    const btp = forces.items.find((force: { code: string }) => force.code === 'BTP')
    assert.equal(btp.contactPhone, '0800 40 50 40')
    assert.equal(btp.nation, 'united_kingdom')
  })

  test('reads one agency by id', async () => {
    const response = await kit.request(socialWorker, { method: 'GET', url: `/api/v1/agencies/${metropolitanId}` })
    assert.equal(response.statusCode, 200, response.body)
    const agency = response.json()
    assert.equal(agency.code, 'E23000001')
    assert.equal(agency.kind, 'police_force')
    assert.equal(agency.name, 'Metropolitan Police Service')
    assert.equal(agency.active, true)
    assert.equal(agency.replacedByCode, null)
    assert.equal(typeof agency.createdAt, 'string')
  })

  test('finds an agency by its code for other modules, and null for an unknown code', async () => {
    const kent = await kit.services.agencies.findByCode('E10000016')
    assert.equal(kent?.name, 'Kent')
    assert.equal(kent?.region, 'South East')
    assert.equal(await kit.services.agencies.findByCode('E99999999'), null)
  })

  test('bad queries get 400 naming the field; unknown ids 404; no sign-in 401', async () => {
    const badKind = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?kind=council' })
    assert.equal(badKind.statusCode, 400)
    assert.deepEqual(badKind.json().errors.map((error: { field: string }) => error.field), ['query/kind'])
    const badPage = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies?pageSize=0&activeOnly=perhaps' })
    assert.equal(badPage.statusCode, 400)
    const fields = badPage.json().errors.map((error: { field: string }) => error.field)
    assert.ok(fields.includes('query/pageSize') && fields.includes('query/activeOnly'), fields.join(', '))
    const badId = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies/not-an-id' })
    assert.equal(badId.statusCode, 400)
    assert.equal(badId.json().errors[0].field, 'params/id')
    const unknown = await kit.request(socialWorker, { method: 'GET', url: '/api/v1/agencies/00000000-0000-7000-8000-000000000000' })
    assert.equal(unknown.statusCode, 404)
    assert.equal((await kit.request(null, { method: 'GET', url: '/api/v1/agencies' })).statusCode, 401)
    assert.equal((await kit.request(null, { method: 'GET', url: `/api/v1/agencies/${metropolitanId}` })).statusCode, 401)
  })
})
