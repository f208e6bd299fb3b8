import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, type TestKit, type TestUser } from './kit.ts'

describe('the API as a whole', () => {
  let kit: TestKit
  let officer: TestUser

  before(async () => {
    kit = await startTestKit()
    officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
  })
  after(() => kit.close())

  test('publishes an OpenAPI 3.1 document describing every operation', async () => {
    const response = await kit.request(null, { method: 'GET', url: '/api/v1/openapi.json' })
    assert.equal(response.statusCode, 200)
    const document = response.json()
    assert.equal(document.openapi, '3.1.0')
    for (const path of ['/api/v1/people', '/api/v1/people/{id}/episodes', '/api/v1/episodes/{id}/risk-assessments', '/api/v1/register/episodes', '/api/v1/sessions']) {
      assert.ok(document.paths[path], `${path} is described`)
    }
    assert.ok(document.paths['/api/v1/people'].post.requestBody.content['application/json'].schema.properties.names)
  })

  test('answers an unknown path, a malformed JSON body and a missing token with problem+json', async () => {
    const unknown = await kit.request(officer, { method: 'GET', url: '/api/v1/nowhere' })
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8')
    const malformed = await kit.request(officer, { method: 'POST', url: '/api/v1/people', headers: { 'content-type': 'application/json' }, payload: '{"names": [' })
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.json().detail, 'The body is not valid JSON')
    const anonymous = await kit.request(null, { method: 'GET', url: '/api/v1/people' })
    assert.equal(anonymous.statusCode, 401)
    assert.equal(anonymous.json().title, 'Not signed in')
    const badId = await kit.request(officer, { method: 'GET', url: '/api/v1/people/42' })
    assert.equal(badId.statusCode, 400)
    assert.equal(badId.json().errors[0].field, 'params/id')
  })
})
