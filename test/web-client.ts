// A browser-like client for page tests through app.inject: signs in with the sign-in form, keeps cookies, and
// sends the CSRF token of the last page it read with each form (unless told not to).
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { TEST_PASSWORD, type TestKit, type TestUser } from './kit.ts'

export interface WebClient {
  cookies: Map<string, string>
  /** The session cookie as a header, for clients other than inject (an SSE stream). */
  cookieHeader: () => string
  get: (url: string) => Promise<LightMyRequestResponse>
  /** Posts a form with the CSRF token of the last page read (`_csrf: null` to leave it out, or a string to forge it). */
  post: (url: string, form: Record<string, string | string[]>, options?: { csrf?: string | null }) => Promise<LightMyRequestResponse>
  /** Posts a multipart form (text fields, then files) with the CSRF token of the last page read, as `post` does. */
  postMultipart: (url: string, form: Record<string, string>, files: MultipartFile[], options?: { csrf?: string | null }) => Promise<LightMyRequestResponse>
}

export interface MultipartFile {
  field: string
  filename: string
  contentType: string
  bytes: Uint8Array
}

/** A multipart/form-data body as a browser sends it: text fields, then one part per file. */
export function multipartBody(fields: Record<string, string>, files: MultipartFile[]): { payload: Buffer; contentType: string } {
  const boundary = `----lantern${Date.now().toString(36)}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\ncontent-type: ${file.contentType}\r\n\r\n`), Buffer.from(file.bytes), Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

export async function webClient(kit: TestKit, user: TestUser): Promise<WebClient> {
  const cookies = new Map<string, string>()
  let csrf = ''
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  const keep = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1]
    if (token) csrf = token
    return response
  }
  const encode = (form: Record<string, string | string[]>) => {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(form)) for (const item of Array.isArray(value) ? value : [value]) body.append(name, item)
    return body.toString()
  }
  const client: WebClient = {
    cookies,
    cookieHeader,
    get: async (url) => keep(await kit.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader() } })),
    post: async (url, form, options = {}) => {
      const token = options.csrf === undefined ? csrf : options.csrf
      const payload = encode(token === null ? form : { ...form, _csrf: token })
      return keep(await kit.app.inject({ method: 'POST', url, payload, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } }))
    },
    postMultipart: async (url, form, files, options = {}) => {
      const token = options.csrf === undefined ? csrf : options.csrf
      const { payload, contentType } = multipartBody(token === null ? form : { _csrf: token, ...form }, files)
      return keep(await kit.app.inject({ method: 'POST', url, payload, headers: { cookie: cookieHeader(), 'content-type': contentType } }))
    },
  }
  await client.get('/sign-in')
  const signedIn = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
  assert.equal(signedIn.statusCode, 303, signedIn.body)
  return client
}

/** The GOV.UK error summary's links (text and target) on a page. */
export function errorSummary(html: string): { text: string; href: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]+)">([\s\S]*?)<\/a>/g)].map((match) => ({ href: match[1] ?? '', text: (match[2] ?? '').trim() }))
}

/** The number shown on a home page count card. */
export function countOn(html: string, id: string): number | null {
  const match = new RegExp(`data-count="${id}">\\s*<span class="lantern-count">([\\d,]+)</span>`).exec(html)
  return match?.[1] ? Number(match[1].replaceAll(',', '')) : null
}
