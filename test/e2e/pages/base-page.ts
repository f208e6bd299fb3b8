import type { Locator, Page } from 'playwright-core'
import { checkAccessibility } from '../accessibility.ts'

/** What every Lantern page has: a title, an h1, the GOV.UK error summary, the language switch, sign out. */
export class BasePage {
  readonly page: Page

  constructor(page: Page) {
    this.page = page
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').first().innerText()).trim()
  }

  /**
   * The document's title, read through a locator: it waits for the page that is loading and is bounded by the
   * default timeout, where `page.title()` has no timeout and once waited out a whole test (300 s) for an
   * execution context after the language switch's redirect.
   */
  async title(): Promise<string> {
    return ((await this.page.locator('head > title').textContent()) ?? '').trim()
  }

  path(): string {
    return new URL(this.page.url()).pathname
  }

  /** The error summary's links: text and the id each points to. */
  async errorSummary(): Promise<{ text: string; href: string }[]> {
    const summary = this.page.locator('.govuk-error-summary')
    if ((await summary.count()) === 0) return []
    const links = summary.locator('.govuk-error-summary__list a')
    const result: { text: string; href: string }[] = []
    for (let index = 0; index < (await links.count()); index++) {
      const link = links.nth(index)
      result.push({ text: (await link.innerText()).trim(), href: (await link.getAttribute('href')) ?? '' })
    }
    return result
  }

  async errorSummaryTitle(): Promise<string> {
    return (await this.page.locator('.govuk-error-summary__title').innerText()).trim()
  }

  /** The inline error message of a field, by the field's id ("Error: " is visually hidden text). */
  async fieldError(id: string): Promise<string> {
    return (await this.page.locator(`#${id}-error`).innerText()).replace(/^Error:\s*|^Gwall:\s*/, '').trim()
  }

  async switchLanguage(language: 'English' | 'Cymraeg'): Promise<void> {
    await this.page.locator('.govuk-language-navigation').getByText(language, { exact: true }).click()
    // The switch redirects back to the page: wait until the page in the new language has loaded.
    await this.page.locator(`html[lang="${language === 'English' ? 'en' : 'cy'}"]`).waitFor()
    await this.page.waitForLoadState('load')
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('sign-out').click()
  }

  /** Waits until the page's live region (the home board, an alerts or tasks list) is listening to its event stream. */
  async waitForLive(): Promise<void> {
    await this.page.locator('[data-live-board][data-live-state="open"]').waitFor()
  }

  /** Sets a marker in the page that a reload would wipe out (see `wasReloaded`). */
  async markNotReloaded(): Promise<void> {
    await this.page.evaluate(() => Object.assign(globalThis, { lanternNotReloaded: true }))
  }

  async wasReloaded(): Promise<boolean> {
    return (await this.page.evaluate(() => (globalThis as unknown as { lanternNotReloaded?: boolean }).lanternNotReloaded)) !== true
  }

  navigationLinks(): Locator {
    return this.page.locator('[data-lantern-navigation] .govuk-service-navigation__link')
  }

  async checkAccessibility(): Promise<void> {
    await checkAccessibility(this.page)
  }
}
