import { BasePage } from './base-page.ts'

/** A plain GOV.UK form page: fill by id, pick radios and boxes by name and value, choose options, save. */
export class FormPage extends BasePage {
  async fill(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) await this.page.locator(`#${id}`).fill(value)
  }

  async pick(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check()
  }

  async select(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) await this.page.locator(`#${id}`).selectOption(value)
  }

  async selectByLabel(id: string, label: string): Promise<void> {
    await this.page.locator(`#${id}`).selectOption({ label })
  }

  async date(prefix: string, iso: string): Promise<void> {
    const [year = '', month = '', day = ''] = iso.split('-')
    await this.fill({ [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year })
  }

  async save(): Promise<void> {
    await this.page.getByTestId('save').click()
  }
}
