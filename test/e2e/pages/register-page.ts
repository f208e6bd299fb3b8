import { BasePage } from './base-page.ts'

export class RegisterPage extends BasePage {
  async open(): Promise<this> {
    await this.page.goto('/register')
    return this
  }

  async search(fields: { name?: string; ageFrom?: string; ageTo?: string; description?: string; purpose?: string; sex?: string }): Promise<void> {
    for (const id of ['name', 'ageFrom', 'ageTo', 'description', 'purpose'] as const) await this.page.locator(`#${id}`).fill(fields[id] ?? '')
    if (fields.sex !== undefined) await this.page.locator(`input[name="sex"][value="${fields.sex}"]`).check()
    await this.page.getByTestId('search').click()
  }

  async resultCount(): Promise<string> {
    return (await this.page.getByTestId('result-count').innerText()).trim()
  }

  /** Each entry's name heading and the agency that reported it. */
  async entries(): Promise<{ name: string; owner: string; text: string }[]> {
    const cards = this.page.getByTestId('register-entry')
    const result: { name: string; owner: string; text: string }[] = []
    for (let index = 0; index < (await cards.count()); index++) {
      const card = cards.nth(index)
      result.push({ name: (await card.locator('h3').innerText()).trim(), owner: (await card.getByTestId('owner').innerText()).trim(), text: (await card.innerText()).replace(/\s+/g, ' ') })
    }
    return result
  }
}
