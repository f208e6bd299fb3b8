import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { personBody, startTestKit, TEST_PASSWORD, type TestKit, type TestUser } from '../../test/kit.ts'
import type { PersonInput } from '../modules/people/people.schemas.ts'
import { LANGUAGES, messageKeys } from './i18n.ts'
import './web.ts'

// The web layer through app.inject: sign-in, sessions, CSRF, CSP and the HTML error pages. The journeys
// themselves are tested in Chromium (test/e2e, `npm run test:e2e`).

let kit: TestKit
let officer: TestUser

before(async () => {
  kit = await startTestKit()
  officer = await kit.user(await kit.agency('police_force'), ['police_officer'])
})
after(async () => kit.close())

type Cookies = Map<string, string>
const cookieHeader = (cookies: Cookies) => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')

async function getForm(url: string, cookies: Cookies = new Map()) {
  const response = await kit.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(cookies) } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? ''
  return { response, cookies, csrf }
}

async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  const { cookies, csrf } = await getForm('/sign-in')
  const response = await kit.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(cookies), ...headers }, payload: { _csrf: csrf, email, password } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  return { response, cookies }
}

test('English and Welsh catalogues have the same keys', () => {
  const [english, welsh] = LANGUAGES.map((language) => messageKeys(language))
  assert.ok((english?.length ?? 0) > 50)
  assert.deepEqual(welsh, english)
})

test('a page without a session redirects to sign in, keeping where the person was going', async () => {
  const response = await kit.app.inject({ method: 'GET', url: '/episodes?open=true' })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, `/sign-in?returnTo=${encodeURIComponent('/episodes?open=true')}`)
})

test('signing in sets an HttpOnly, SameSite=Lax session cookie, Secure behind TLS, and the page then shows the user', async () => {
  const plain = await signIn(officer.email, TEST_PASSWORD)
  assert.equal(plain.response.statusCode, 303)
  const session = plain.response.cookies.find((cookie) => cookie.name === 'lantern_session')
  assert.ok(session?.value.startsWith('lts_'))
  if (!session) return
  assert.equal(session.httpOnly, true)
  assert.equal(session.sameSite, 'Lax')
  assert.notEqual(session.secure, true)
  const home = await kit.app.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(plain.cookies) } })
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /Test police_officer/)

  const behindTls = await signIn(officer.email, TEST_PASSWORD, { 'x-forwarded-proto': 'https' })
  assert.equal(behindTls.response.cookies.find((cookie) => cookie.name === 'lantern_session')?.secure, true)
})

test('a form without its CSRF token is refused and changes nothing', async () => {
  const { cookies } = await getForm('/sign-in')
  const response = await kit.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(cookies) }, payload: { email: officer.email, password: TEST_PASSWORD } })
  assert.equal(response.statusCode, 403)
  assert.match(response.body, /Your form could not be sent/)
  assert.equal(response.cookies.find((cookie) => cookie.name === 'lantern_session'), undefined, 'not signed in')
  const forged = await kit.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: 'forged', email: officer.email, password: TEST_PASSWORD } })
  assert.equal(forged.statusCode, 403)
})

test('every page has a content security policy whose nonce is on every script, and no inline script without it', async () => {
  const { response } = await getForm('/sign-in')
  const policy = String(response.headers['content-security-policy'])
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1]
  assert.ok(nonce, policy)
  assert.match(policy, /default-src 'self'/)
  assert.match(policy, /object-src 'none'/)
  const scripts = [...response.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0])
  assert.ok(scripts.length >= 2)
  for (const script of scripts) assert.ok(script.includes(`nonce="${nonce}"`), script)
  const again = await getForm('/sign-in')
  assert.notEqual(/'nonce-([^']+)'/.exec(String(again.response.headers['content-security-policy']))?.[1], nonce, 'a new nonce per request')
  assert.equal(response.headers['cache-control'], 'no-store')
})

test('a session the server no longer accepts leads to the "session has expired" page', async () => {
  const response = await kit.app.inject({ method: 'GET', url: '/', headers: { cookie: 'lantern_session=lts_expired' } })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/session-expired?returnTo=%2F')
  const page = await kit.app.inject({ method: 'GET', url: '/session-expired?returnTo=%2F' })
  assert.equal(page.statusCode, 401)
  assert.match(page.body, /Your session has expired/)
})

test('signing out ends the session on the server', async () => {
  const { cookies } = await signIn(officer.email, TEST_PASSWORD)
  const home = await getForm('/', cookies)
  const out = await kit.app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: home.csrf } })
  assert.equal(out.statusCode, 303)
  assert.equal(out.headers.location, '/signed-out')
  // Even a copy of the old cookie no longer works.
  const after = await kit.app.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(cookies) } })
  assert.equal(after.statusCode, 303)
  assert.match(String(after.headers.location), /^\/session-expired/)
})

test('unknown pages get an HTML 404; the API keeps problem+json', async () => {
  const page = await kit.app.inject({ method: 'GET', url: '/no-such-page' })
  assert.equal(page.statusCode, 404)
  assert.match(String(page.headers['content-type']), /text\/html/)
  assert.match(page.body, /Page not found/)
  const api = await kit.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' })
  assert.equal(api.statusCode, 404)
  assert.match(String(api.headers['content-type']), /application\/problem\+json/)
})

test('the language switch only returns to local paths', async () => {
  const response = await kit.app.inject({ method: 'GET', url: '/language?lang=cy&returnTo=//evil.example/' })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/')
  assert.equal(response.cookies.find((cookie) => cookie.name === 'lantern_language')?.value, 'cy')
  const welsh = await kit.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: 'lantern_language=cy' } })
  assert.match(welsh.body, /<html lang="cy"/)
  assert.match(welsh.body, /Mewngofnodi i Lantern/)
})

test('assets are served from the GOV.UK and MOJ Frontend packages', async () => {
  for (const url of ['/assets/govuk/govuk-frontend.min.css', '/assets/govuk/govuk-frontend.min.js', '/assets/moj/moj-frontend.min.css', '/assets/lantern/lantern.css']) {
    const response = await kit.app.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 200, url)
  }
  const template = await kit.app.inject({ method: 'GET', url: '/assets/govuk/template.njk' })
  assert.equal(template.statusCode, 404, 'only asset files, not templates')
})

test('a child known only by a return (no name recorded) is listed as "Name not known", so every link has text', async () => {
  const socialWorker = await kit.user(await kit.agency('local_authority'), ['social_worker'])
  const person = await kit.services.people.create(socialWorker.actor, personBody() as PersonInput)
  // An SSDA903 import records a child by the council's child id alone; here the names are taken away to match.
  await kit.db.deleteFrom('person_name').where('person_id', '=', person.id).execute()
  const startedAt = new Date(Date.now() - 120 * 3_600_000).toISOString()
  const episode = await kit.services.episodes.create(socialWorker.actor, person.id, { startedAt, laCategory: 'M' })
  await kit.services.episodes.end(socialWorker.actor, episode.id, { version: episode.version, endedAt: new Date(Date.now() - 100 * 3_600_000).toISOString(), outcome: 'returned' })

  const { cookies } = await signIn(socialWorker.email, TEST_PASSWORD)
  for (const url of ['/return-home-interviews?window=overdue', '/episodes?open=false']) {
    const page = await kit.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(cookies) } })
    assert.equal(page.statusCode, 200, url)
    assert.match(page.body, new RegExp(`href="/people/${person.id}/episodes/${episode.id}">Name not known</a>`), url)
    assert.doesNotMatch(page.body, /<a class="govuk-link" href="[^"]*">\s*<\/a>/, `${url}: no link without text`)
  }
})
