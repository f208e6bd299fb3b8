import { BasePage } from './base-page.ts'

/** The Imports pages: the upload form and the report of a run. */
export class ImportUploadPage extends BasePage {
  async open(): Promise<this> {
    await this.page.goto('/imports/new')
    return this
  }

  async upload(answers: { format: string; la?: string; year?: string; files: { name: string; text: string }[]; acceptValid?: boolean }): Promise<void> {
    await this.page.locator(`input[name="format"][value="${answers.format}"]`).check()
    if (answers.la !== undefined) await this.page.locator('#la').fill(answers.la)
    if (answers.year !== undefined) await this.page.locator('#year').fill(answers.year)
    await this.page.locator('#files').setInputFiles(answers.files.map((file) => ({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.text) })))
    if (answers.acceptValid) await this.page.locator('input[name="acceptValid"]').check()
    await this.page.getByRole('button', { name: 'Check and import' }).click()
  }
}

export class ImportReportPage extends BasePage {
  async status(): Promise<string> {
    return (await this.page.getByTestId('status').innerText()).trim()
  }

  /** Each problem as rule, message, table, line, field, record. */
  async issues(): Promise<string[][]> {
    const table = this.page.getByTestId('issues')
    if ((await table.count()) === 0) return []
    return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())))
  }

  async leftOut(): Promise<string> {
    return (await this.page.getByTestId('left-out').innerText()).trim()
  }
}
