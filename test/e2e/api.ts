// Data a spec needs that no page makes yet, made through the real JSON API as a demo user.
import { baseUrl } from './browser.ts'
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts'

export interface ApiClient {
  post: <T = Record<string, unknown>>(path: string, body: unknown) => Promise<T>
  get: <T = Record<string, unknown>>(path: string) => Promise<T>
}

export async function apiAs(email: string): Promise<ApiClient> {
  const session = await fetch(`${baseUrl()}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  })
  if (session.status !== 201) throw new Error(`Cannot sign in ${email} to the API: ${session.status}`)
  const { token } = (await session.json()) as { token: string }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl()}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }
  return { post: (path, body) => call('POST', path, body), get: (path) => call('GET', path) }
}

let counter = 0
/** A made-up name no demo person has, so a spec finds only its own records. */
export function uniqueName(prefix: string): string {
  counter += 1
  return `${prefix}${Date.now().toString(36).replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)] ?? 'x')}${'abcdefghij'[counter % 10]}`
}
