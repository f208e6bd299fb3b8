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
}
