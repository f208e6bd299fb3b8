import { BasePage } from './base-page.ts'

/** The report-a-missing-person journey, one method per question page. */
export class ReportJourney extends BasePage {
  async start(): Promise<this> {
    await this.page.goto('/report')
    return this
  }

  async search(name: string): Promise<void> {
    await this.page.locator('#name').fill(name)
    await this.page.getByTestId('search').click()
  }

  async results(): Promise<string[]> {
    return this.page.getByTestId('results').locator('li .govuk-body').allInnerTexts()
  }

  async choose(name: string): Promise<void> {
    await this.page.getByRole('button', { name: new RegExp(`^(Report|Adrodd bod) ${name}`) }).click()
  }

  async newPerson(): Promise<void> {
    await this.page.getByTestId('new-person').click()
  }

  async continue(): Promise<void> {
    await this.page.getByTestId('continue').click()
  }

  async back(): Promise<void> {
    await this.page.getByTestId('back').click()
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) await this.page.locator(`#${id}`).fill(value)
  }

  async value(id: string): Promise<string> {
    return this.page.locator(`#${id}`).inputValue()
  }

  /** Picks a radio or ticks a checkbox by its name and value. */
  async pick(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check()
  }

  async isPicked(name: string, value: string): Promise<boolean> {
    return this.page.locator(`input[name="${name}"][value="${value}"]`).isChecked()
  }

  async date(prefix: string, day: string, month: string, year: string, time?: string): Promise<void> {
    await this.fill({ [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year })
    if (time !== undefined) await this.fill({ [`${prefix}-time`]: time })
  }

  async prefilledBanner(): Promise<string | null> {
    const banner = this.page.getByTestId('prefilled')
    return (await banner.count()) > 0 ? (await banner.innerText()).trim() : null
  }

  /** Check your answers: a section's rows as key -> value. */
  async answers(section: 'check-person' | 'check-last-seen' | 'check-circumstances' | 'check-risk'): Promise<Record<string, string>> {
    const rows = this.page.getByTestId(section).locator('.govuk-summary-list__row')
    const result: Record<string, string> = {}
    for (let index = 0; index < (await rows.count()); index++) {
      const row = rows.nth(index)
      result[(await row.locator('.govuk-summary-list__key').innerText()).trim()] = (await row.locator('.govuk-summary-list__value').innerText()).trim()
    }
    return result
  }

  async change(step: 'person' | 'last-seen' | 'circumstances' | 'risk'): Promise<void> {
    await this.page.getByTestId(`change-${step}`).click()
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('submit').click()
  }

  async reference(): Promise<string> {
    return (await this.page.getByTestId('reference').innerText()).trim()
  }

  async incidentReference(): Promise<string> {
    return (await this.page.getByTestId('incident-reference').innerText()).trim()
  }
}
