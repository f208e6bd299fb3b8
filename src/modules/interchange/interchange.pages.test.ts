import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestKit, TEST_PASSWORD, type TestKit, type TestUser } from '../../../test/kit.ts'
import { csvFiles, validReturn } from './ssda903/ssda903.test-files.ts'
import { multipart } from './multipart.test-helper.ts'

// The upload and report pages through app.inject: a caseworker signs in, uploads a return, reads the report.

let kit: TestKit
let worker: TestUser

before(async () => {
  kit = await startTestKit()
  worker = await kit.user(await kit.agency('local_authority', { code: 'E10000016', name: 'Kent' }), ['social_worker'])
})
after(async () => kit.close())

type Cookies = Map<string, string>
const cookieHeader = (cookies: Cookies) => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')

async function page(url: string, cookies: Cookies) {
  const response = await kit.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(cookies) } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  return { response, csrf: /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '' }
}

async function signIn(): Promise<Cookies> {
  const cookies: Cookies = new Map()
  const { csrf } = await page('/sign-in', cookies)
  const response = await kit.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(cookies) }, payload: { _csrf: csrf, email: worker.email, password: TEST_PASSWORD } })
  for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
  assert.equal(response.statusCode, 303)
  return cookies
}

test('upload a return with a problem: the report page lists it with rule, message, table, line and field; the CSV matches', async () => {
  const cookies = await signIn()
  const form = await page('/imports/new', cookies)
  assert.equal(form.response.statusCode, 200)
  assert.match(form.response.body, /enctype="multipart\/form-data"/)
  const tables = validReturn()
  tables.Missing[2] = { ...(tables.Missing[2] ?? {}), MISSING: 'X' }
  const upload = multipart({ _csrf: form.csrf, format: 'ssda903', la: 'E10000016', year: '2025' }, csvFiles(tables))
  const posted = await kit.app.inject({ method: 'POST', url: '/imports/new', headers: { ...upload.headers, cookie: cookieHeader(cookies) }, payload: upload.payload })
  assert.equal(posted.statusCode, 303, posted.body)
  const location = String(posted.headers.location)
  assert.match(location, /^\/imports\/[0-9a-f-]{36}$/)
  const report = await page(location, cookies)
  assert.equal(report.response.statusCode, 200)
  assert.match(report.response.body, /Nothing was imported/)
  assert.match(report.response.body, /<td class="govuk-table__cell">1006<\/td>\s*<td class="govuk-table__cell">Missing type invalid.<\/td>\s*<td class="govuk-table__cell">Missing<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">4<\/td>\s*<td class="govuk-table__cell">MISSING<\/td>/)
  const csv = await page(`${location}/report.csv`, cookies)
  assert.equal(csv.response.body, 'rule,message,table,line,field\r\n1006,Missing type invalid.,Missing,4,MISSING\r\n')
  const list = await page('/imports', cookies)
  assert.match(list.response.body, new RegExp(`href="${location}"`))
})

test('the upload form names what is missing, keeps the answers, and refuses a post without its CSRF token', async () => {
  const cookies = await signIn()
  const form = await page('/imports/new', cookies)
  const empty = multipart({ _csrf: form.csrf, format: 'ssda903', la: 'E10000016', year: '25' }, [])
  const invalid = await kit.app.inject({ method: 'POST', url: '/imports/new', headers: { ...empty.headers, cookie: cookieHeader(cookies) }, payload: empty.payload })
  assert.equal(invalid.statusCode, 400)
  assert.match(invalid.body, /There is a problem/)
  assert.match(invalid.body, /href="#year"/)
  assert.match(invalid.body, /href="#files"/)
  assert.match(invalid.body, /value="E10000016"/)
  const forged = multipart({ format: 'ssda903', la: 'E10000016', year: '2025' }, csvFiles(validReturn()))
  const refused = await kit.app.inject({ method: 'POST', url: '/imports/new', headers: { ...forged.headers, cookie: cookieHeader(cookies) }, payload: forged.payload })
  assert.equal(refused.statusCode, 403)
  assert.equal((await kit.db.selectFrom('person').select('id').execute()).length, 0)
})
