import type { Locator } from 'playwright-core'
import { BasePage } from './base-page.ts'

export class HomePage extends BasePage {
  async open(): Promise<this> {
    await this.page.goto('/')
    return this
  }

  /** The count cards: id (data-count), the number, and where it links. */
  async counts(): Promise<Map<string, { value: number; href: string }>> {
    const cards = this.page.locator('[data-count]')
    const counts = new Map<string, { value: number; href: string }>()
    for (let index = 0; index < (await cards.count()); index++) {
      const card = cards.nth(index)
      const id = (await card.getAttribute('data-count')) ?? ''
      const value = Number((await card.locator('.lantern-count').innerText()).replace(/[^\d]/g, ''))
      counts.set(id, { value, href: (await card.getAttribute('href')) ?? '' })
    }
    return counts
  }

  async openCount(id: string): Promise<void> {
    await this.page.locator(`[data-count="${id}"]`).click()
  }

  board(): Locator {
    return this.page.getByTestId('board')
  }

  /** The board's rows as the cell texts of each. */
  async boardRows(): Promise<string[][]> {
    const rows = this.board().locator('tbody tr')
    const result: string[][] = []
    for (let index = 0; index < (await rows.count()); index++) result.push((await rows.nth(index).locator('td').allInnerTexts()).map((cell) => cell.trim()))
    return result
  }

  liveBoard(): Locator {
    return this.page.locator('[data-live-board]')
  }

  /** Waits until the live script has its event stream open. */
  /** Waits (without reloading) until the count shows the value. */
  async waitForCount(id: string, value: number, timeout = 15_000): Promise<void> {
    await this.page.waitForFunction(
      ([countId, expected]) => {
        // Runs in the page; the project's type check has no DOM library, so globalThis stands in.
        const page = globalThis as unknown as { document: { querySelector: (selector: string) => { textContent: string | null } | null } }
        const text = page.document.querySelector(`[data-count="${countId}"] .lantern-count`)?.textContent ?? ''
        return Number(text.replace(/[^\d]/g, '')) === expected
      },
      [id, value] as const,
      { timeout },
    )
  }

  /** The live region's announcement. */
  async liveStatus(): Promise<string> {
    return (await this.page.locator('[data-live-status]').innerText()).trim()
  }
}
