// Debian's Chromium driven by playwright-core: headless, a fresh profile per browser, nothing fetched from
// outside. Every page a spec opens records console errors (a CSP violation is one) so specs can assert none.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function baseUrl(): string {
  const url = process.env.LANTERN_E2E_URL
  if (!url) throw new Error('LANTERN_E2E_URL is not set: run the browser suite with "npm run test:e2e"')
  return url
}

export interface Browser {
  context: BrowserContext
  /** A new tab; its console errors are collected in `consoleErrors`. */
  newPage: () => Promise<Page>
  consoleErrors: string[]
  close: () => Promise<void>
}

export async function openBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'lantern-e2e-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    baseURL: baseUrl(),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  context.setDefaultTimeout(15_000)
  const consoleErrors: string[] = []
  const watch = (page: Page) => {
    page.on('console', (message) => {
      // A page answered with 4xx (a form shown again with its errors, a 404 page) is logged too: that is expected.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) consoleErrors.push(`${page.url()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
  }
  context.on('page', watch)
  for (const page of context.pages()) watch(page)
  return {
    context,
    consoleErrors,
    newPage: async () => {
      const existing = context.pages().find((page) => page.url() === 'about:blank')
      return existing ?? context.newPage()
    },
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
