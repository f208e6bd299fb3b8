import { BasePage } from './base-page.ts'

export class PurposePage extends BasePage {
  async give(purpose: string): Promise<void> {
    await this.page.locator('#purpose').fill(purpose)
    await this.page.getByRole('button', { name: /Continue to the record|Parhau i'r cofnod/ }).click()
  }
}
