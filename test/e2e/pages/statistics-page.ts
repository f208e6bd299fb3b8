import { BasePage } from './base-page.ts'

/** The statistics page: the table chooser, the table with its chart beside it, and the downloads. */
export class StatisticsPage extends BasePage {
  async open(query = ''): Promise<this> {
    await this.page.goto(`/statistics${query}`)
    return this
  }

  async choose(answers: { table?: string; yearFrom?: string; yearTo?: string; rows?: string; columns?: string }): Promise<void> {
    if (answers.table) await this.page.locator('#table').selectOption(answers.table)
    if (answers.yearFrom !== undefined) await this.page.locator('#yearFrom').fill(answers.yearFrom)
    if (answers.yearTo !== undefined) await this.page.locator('#yearTo').fill(answers.yearTo)
    if (answers.rows) await this.page.locator('#rows').selectOption(answers.rows)
    if (answers.columns) await this.page.locator('#columns').selectOption(answers.columns)
    await this.page.getByRole('button', { name: 'Show' }).click()
  }

  async tableTitle(): Promise<string> {
    return this.page.getByTestId('table-title').innerText()
  }

  /** The header row and each row's cells as shown. */
  async table(): Promise<string[][]> {
    return this.page.getByTestId('statistics-table').locator('tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())))
  }

  async chartName(): Promise<string | null> {
    const chart = this.page.getByTestId('chart').locator('svg[role="img"]')
    const id = (await chart.getAttribute('aria-labelledby'))?.split(' ')[0] ?? ''
    return id ? this.page.locator(`[id="${id}"]`).textContent() : null
  }

  async downloadLinks(): Promise<string[]> {
    return this.page.locator('a[download]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
  }
}
