// Debian's Chromium driven by playwright-core: headless, a fresh incognito context per browser, nothing fetched
// from outside. Every page a spec opens records console errors (a CSP violation is one) so specs can assert none.
//
// A page is closed only once it has loaded (`closePage`): `page.close()` called while a navigation is between
// its commit and its load event sometimes never returns in this headless Chromium, and that is what hung the
// suite for its whole 300 s test timeout about one run in three (seen with DEBUG=pw:api: `page.close started`
// straight after the sign-in or sign-out click, then nothing). An ordinary context, not a persistent one, for
// the same reason at its end (microsoft/playwright#18485).
import { after, before, beforeEach } from 'node:test'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { SignInPage } from './pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts'

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
  /** A new tab signed in as a demo user (the page the sign-in led to). */
  signedIn: (email: string) => Promise<Page>
  /** Closes a tab once its page has loaded (see above: never mid-navigation). */
  closePage: (page: Page) => Promise<void>
  consoleErrors: string[]
  close: () => Promise<void>
}

export async function openBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS })
  const context = await browser.newContext({
    baseURL: baseUrl(),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  context.setDefaultTimeout(15_000)
  const consoleErrors: string[] = []
  context.on('page', (page) => {
    page.on('console', (message) => {
      // A page answered with 4xx (a form shown again with its errors, a 404 page) is logged too: that is expected.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) consoleErrors.push(`${page.url()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
  })
  const newPage = () => context.newPage()
  return {
    context,
    consoleErrors,
    newPage,
    signedIn: async (email) => {
      const page = await newPage()
      const signIn = new SignInPage(page)
      await signIn.open()
      await signIn.signIn(email, DEMO_PASSWORD)
      return page
    },
    closePage: async (page) => {
      await page.waitForLoadState('load')
      await page.close()
    },
    close: async () => {
      // Tabs left open are closed with the context; let any still loading finish first, as `closePage` does.
      await Promise.all(context.pages().map((page) => page.waitForLoadState('load')))
      await context.close()
      await browser.close()
    },
  }
}

/**
 * One browser for a spec file: opened before its first test, closed after its last, signed out (cookies
 * cleared) before each test. The returned object stands for the browser once the file's tests run.
 */
export function useBrowser(options: { javaScriptEnabled?: boolean } = {}): Browser {
  let opened: Browser | undefined
  const current = (): Browser => {
    if (!opened) throw new Error('The browser is opened in the spec file\'s "before" hook: use it inside a test')
    return opened
  }
  before(async () => {
    opened = await openBrowser(options)
  })
  after(async () => {
    await opened?.close()
  })
  beforeEach(async () => {
    await current().context.clearCookies()
  })
  return {
    get context() {
      return current().context
    },
    get consoleErrors() {
      return current().consoleErrors
    },
    newPage: () => current().newPage(),
    signedIn: (email) => current().signedIn(email),
    closePage: (page) => current().closePage(page),
    close: () => current().close(),
  }
}
