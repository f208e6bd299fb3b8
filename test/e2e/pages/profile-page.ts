import { BasePage } from './base-page.ts'
import { summaryList } from './person-page.ts'

/** A Herbert or Philomena profile: the form and the view. */
export class ProfilePage extends BasePage {
  async fill(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) await this.page.locator(`#${id}`).fill(value)
  }

  async pick(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check()
  }

  async save(): Promise<void> {
    await this.page.getByTestId('save').click()
  }

  async details(): Promise<Record<string, string>> {
    return summaryList(this, 'profile')
  }

  async change(): Promise<void> {
    await this.page.getByTestId('change-profile').click()
  }

  async reportMissing(): Promise<void> {
    await this.page.getByTestId('report-from-profile').click()
  }
}
