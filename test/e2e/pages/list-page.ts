import { BasePage } from './base-page.ts'

/** A list a home count links to: the episodes list or the return home interviews list. */
export class ListPage extends BasePage {
  async total(): Promise<number> {
    return Number((await this.page.getByTestId('total').innerText()).replace(/[^\d]/g, ''))
  }

  async rowCount(): Promise<number> {
    return this.page.locator('main table tbody tr').count()
  }
}
