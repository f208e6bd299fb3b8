import { BasePage } from './base-page.ts'

export class AuditTrailPage extends BasePage {
  /** Rows as [when, who, what, reason]. */
  async rows(): Promise<string[][]> {
    const rows = this.page.getByTestId('audit-trail').locator('tbody tr')
    const result: string[][] = []
    for (let index = 0; index < (await rows.count()); index++) result.push((await rows.nth(index).locator('td').allInnerTexts()).map((cell) => cell.trim()))
    return result
  }
}
