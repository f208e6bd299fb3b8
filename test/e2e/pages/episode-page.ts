import { BasePage } from './base-page.ts'
import { summaryList } from './person-page.ts'

/** The episode page and its forms (sighting, re-grade, action, found/returned, interviews). */
export class EpisodePage extends BasePage {
  async open(personId: string, episodeId: string): Promise<this> {
    await this.page.goto(`/people/${personId}/episodes/${episodeId}`)
    return this
  }

  async doAction(name: string): Promise<void> {
    await this.page.getByTestId('episode-actions').getByRole('link', { name }).click()
  }

  async availableActions(): Promise<string[]> {
    return (await this.page.getByTestId('episode-actions').locator('a').allInnerTexts()).map((text) => text.trim())
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) await this.page.locator(`#${id}`).fill(value)
  }

  async select(id: string, value: string): Promise<void> {
    await this.page.locator(`#${id}`).selectOption(value)
  }

  async pick(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check()
  }

  async dateTime(prefix: string, parts: { day: string; month: string; year: string; hour: string; minute: string }, time?: string): Promise<void> {
    await this.fill({ [`${prefix}-day`]: parts.day, [`${prefix}-month`]: parts.month, [`${prefix}-year`]: parts.year, [`${prefix}-time`]: time ?? `${parts.hour}:${parts.minute}` })
  }

  async save(): Promise<void> {
    await this.page.getByTestId('save').click()
  }

  async banner(): Promise<string> {
    return (await this.page.getByTestId('done').locator('.govuk-notification-banner__content').innerText()).trim()
  }

  async status(): Promise<string> {
    return (await this.page.getByTestId('status').locator('.govuk-tag').allInnerTexts()).map((tag) => tag.trim()).join(' ')
  }

  async summary(): Promise<Record<string, string>> {
    return summaryList(this, 'summary')
  }

  async riskHistory(): Promise<string[][]> {
    return rows(this, 'risk-history')
  }

  async actionsLog(): Promise<string[][]> {
    return rows(this, 'actions-log')
  }

  async completeFirstAction(result: string): Promise<void> {
    const log = this.page.getByTestId('actions-log')
    await log.locator('input[name="result"]').first().fill(result)
    await log.getByRole('button', { name: /Mark as done/ }).first().click()
  }

  async sightings(): Promise<string[]> {
    return (await this.page.getByTestId('sightings').locator('li').allInnerTexts()).map((text) => text.trim())
  }

  async interview(testId: 'prevention' | 'return-home'): Promise<Record<string, string>> {
    return summaryList(this, testId)
  }
}

async function rows(page: BasePage, testId: string): Promise<string[][]> {
  const body = page.page.getByTestId(testId).locator('tbody tr')
  const result: string[][] = []
  for (let index = 0; index < (await body.count()); index++) result.push((await body.nth(index).locator('td').allInnerTexts()).map((cell) => cell.replace(/\s+/g, ' ').trim()))
  return result
}
