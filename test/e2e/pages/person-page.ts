import { BasePage } from './base-page.ts'

export class PersonPage extends BasePage {
  async open(personId: string): Promise<this> {
    await this.page.goto(`/people/${personId}`)
    return this
  }

  async flags(): Promise<string[]> {
    return (await this.page.getByTestId('flags').locator('.govuk-tag').allInnerTexts()).map((flag) => flag.trim())
  }

  async identity(): Promise<Record<string, string>> {
    return summaryList(this, 'identity')
  }

  async description(): Promise<Record<string, string>> {
    return summaryList(this, 'description')
  }

  /** Names as rows of [kind, as written, script, transliteration]. */
  async names(): Promise<string[][]> {
    const rows = this.page.getByTestId('names').locator('tbody tr')
    const result: string[][] = []
    for (let index = 0; index < (await rows.count()); index++) result.push((await rows.nth(index).locator('td').allInnerTexts()).map((cell) => cell.trim()))
    return result
  }

  /** Timeline entries, newest first, as "kind: label". */
  async timeline(): Promise<string[]> {
    const items = this.page.getByTestId('timeline').locator('.moj-timeline__item')
    const result: string[] = []
    for (let index = 0; index < (await items.count()); index++) {
      const item = items.nth(index)
      result.push(`${await item.getAttribute('data-kind')}: ${(await item.locator('.moj-timeline__title').innerText()).trim()}`)
    }
    return result
  }

  async changeDetails(): Promise<void> {
    await this.page.getByTestId('change-details').click()
  }

  async addPhoto(): Promise<void> {
    await this.page.getByTestId('add-photo').click()
  }

  async assignGuardian(): Promise<void> {
    await this.page.getByTestId('assign-guardian').click()
  }

  /** The banner after a form saved. */
  async saved(): Promise<string> {
    return (await this.page.getByTestId('done').locator('.govuk-notification-banner__content').innerText()).trim()
  }

  /** Guardian assignments as rows of [guardian, role, service, allocated, ended or "Current"]. */
  async guardians(): Promise<string[][]> {
    const rows = this.page.getByTestId('guardians').locator('tbody tr')
    const result: string[][] = []
    for (let index = 0; index < (await rows.count()); index++) result.push((await rows.nth(index).locator('td').allInnerTexts()).slice(0, 5).map((cell) => cell.trim()))
    return result
  }

  /** Follows the "Change or end" link of the assignment of the named guardian. */
  async changeGuardianAssignment(guardian: string): Promise<void> {
    await this.page.getByTestId('guardians').locator('tbody tr', { hasText: guardian }).getByRole('link', { name: /^Change or end/ }).click()
  }

  async photoAlts(): Promise<string[]> {
    return this.page.locator('img.lantern-photo').evaluateAll((images) => images.map((image) => image.getAttribute('alt') ?? ''))
  }

  /** Whether every photo actually loaded (natural width > 0). */
  async photosLoaded(): Promise<boolean> {
    return this.page.locator('img.lantern-photo').evaluateAll((images) => images.every((image) => (image as unknown as { naturalWidth: number }).naturalWidth > 0))
  }
}

export async function summaryList(page: BasePage, testId: string): Promise<Record<string, string>> {
  const rows = page.page.getByTestId(testId).locator('.govuk-summary-list__row')
  const result: Record<string, string> = {}
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index)
    result[(await row.locator('.govuk-summary-list__key').innerText()).trim()] = (await row.locator('.govuk-summary-list__value').innerText()).trim()
  }
  return result
}
