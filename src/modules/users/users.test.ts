import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_PASSWORD, personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

describe('sign-in, sessions, users and API tokens', () => {
  let kit: TestKit
  let admin: TestUser
  let officer: TestUser
  let councilAdmin: TestUser

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    admin = await kit.user(force, ['administrator'])
    officer = await kit.user(force, ['police_officer'])
    councilAdmin = await kit.user(await kit.agency('local_authority'), ['administrator'])
  })
  after(() => kit.close())

  test('signs in with an argon2id-hashed password, acts with the session, and signs out', async () => {
    const stored = await kit.db.selectFrom('app_user').select('password_hash').where('id', '=', officer.id).executeTakeFirstOrThrow()
    assert.match(stored.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    const signIn = await kit.request(null, { method: 'POST', url: '/api/v1/sessions', payload: { email: officer.email.toUpperCase(), password: TEST_PASSWORD } })
    assert.equal(signIn.statusCode, 201, signIn.body)
    const { token } = signIn.json()
    assert.match(token, /^lts_/)
    const me = await kit.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().id, officer.id)
    const out = await kit.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${token}` } })
    assert.equal(out.statusCode, 204)
    const after = await kit.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })
    assert.equal(after.statusCode, 401)
  })

  test('a wrong password and an unknown email get the same answer', async () => {
    const wrong = await kit.request(null, { method: 'POST', url: '/api/v1/sessions', payload: { email: officer.email, password: 'not the password' } })
    const unknown = await kit.request(null, { method: 'POST', url: '/api/v1/sessions', payload: { email: 'nobody@example.test', password: 'not the password' } })
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.statusCode, 401)
    assert.equal(wrong.json().detail, unknown.json().detail)
    const empty = await kit.request(null, { method: 'POST', url: '/api/v1/sessions', payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(empty.json().errors.map((e: { field: string }) => e.field).sort(), ['email', 'password'])
  })

  test('an administrator adds users to their own agency with roles that fit it', async () => {
    const created = await kit.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'new.officer@example.test', displayName: 'New Officer', password: 'a long enough password', roles: ['police_officer'] } })
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(created.json().agencyId, admin.agency.id)
    const wrongRole = await kit.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'sw@example.test', displayName: 'SW', password: 'a long enough password', roles: ['social_worker'] } })
    assert.equal(wrongRole.statusCode, 400)
    assert.equal(wrongRole.json().errors[0].field, 'roles/0')
    const duplicate = await kit.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'NEW.officer@example.test', displayName: 'Again', password: 'a long enough password', roles: ['police_officer'] } })
    assert.equal(duplicate.statusCode, 409)
    const malformed = await kit.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'not-an-email', displayName: '', password: 'short', roles: ['wizard'] } })
    assert.equal(malformed.statusCode, 400)
    assert.deepEqual(malformed.json().errors.map((e: { field: string }) => e.field).sort(), ['displayName', 'email', 'password', 'roles/0'])
    const byOfficer = await kit.request(officer, { method: 'POST', url: '/api/v1/users', payload: { email: 'x@example.test', displayName: 'X', password: 'a long enough password', roles: ['police_officer'] } })
    assert.equal(byOfficer.statusCode, 403)
    const list = (await kit.request(admin, { method: 'GET', url: '/api/v1/users' })).json()
    assert.equal(list.total, 3)
  })

  test("an administrator changes a user's roles with the version read, and cannot reach another agency's users", async () => {
    const changed = await kit.request(admin, { method: 'PATCH', url: `/api/v1/users/${officer.id}`, payload: { version: 1, roles: ['police_officer', 'missing_person_coordinator'] } })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.deepEqual(changed.json().roles, ['police_officer', 'missing_person_coordinator'])
    const stale = await kit.request(admin, { method: 'PATCH', url: `/api/v1/users/${officer.id}`, payload: { version: 1, active: false } })
    assert.equal(stale.statusCode, 409)
    const foreign = await kit.request(councilAdmin, { method: 'PATCH', url: `/api/v1/users/${officer.id}`, payload: { version: 2, active: false } })
    assert.equal(foreign.statusCode, 404)
  })

  test('an administrator never sees case data', async () => {
    const person = await kit.request(admin, { method: 'POST', url: '/api/v1/people', payload: personBody() })
    assert.equal(person.statusCode, 403)
    const board = await kit.request(admin, { method: 'GET', url: '/api/v1/episodes' })
    assert.equal(board.statusCode, 403)
  })

  test('a partner system acts with an API token shown once, until it is revoked', async () => {
    const issued = await kit.request(admin, { method: 'POST', url: '/api/v1/api-tokens', payload: { name: 'Force case system', roles: ['police_officer'] } })
    assert.equal(issued.statusCode, 201, issued.body)
    const { token, id } = issued.json()
    assert.match(token, /^ltk_/)
    const stored = await kit.db.selectFrom('api_token').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow()
    assert.notEqual(stored.token_hash, token)
    const created = await kit.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` }, payload: personBody() })
    assert.equal(created.statusCode, 201, created.body)
    const audited = await kit.db.selectFrom('audit_event').select(['actor_token_id', 'actor_user_id']).where('subject_person_id', '=', created.json().id).executeTakeFirstOrThrow()
    assert.deepEqual(audited, { actor_token_id: id, actor_user_id: null })
    const listed = (await kit.request(admin, { method: 'GET', url: '/api/v1/api-tokens' })).json()
    assert.equal(listed[0].id, id)
    assert.equal('token' in listed[0], false)
    assert.equal((await kit.request(admin, { method: 'DELETE', url: `/api/v1/api-tokens/${id}` })).statusCode, 204)
    const revoked = await kit.app.inject({ method: 'GET', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` } })
    assert.equal(revoked.statusCode, 401)
    const noName = await kit.request(admin, { method: 'POST', url: '/api/v1/api-tokens', payload: { name: '', roles: [] } })
    assert.equal(noName.statusCode, 400)
    assert.deepEqual(noName.json().errors.map((e: { field: string }) => e.field).sort(), ['name', 'roles'])
    const badRoles = await kit.request(admin, { method: 'POST', url: '/api/v1/api-tokens', payload: { name: 'Council system', roles: ['social_worker'], expiresAt: '2001-01-01T00:00:00Z' } })
    assert.equal(badRoles.statusCode, 400)
    assert.deepEqual(badRoles.json().errors.map((e: { field: string }) => e.field).sort(), ['expiresAt', 'roles/0'])
  })
})
