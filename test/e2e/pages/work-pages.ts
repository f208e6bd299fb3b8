import type { Locator } from 'playwright-core'
import { FormPage } from './form-page.ts'
import { ListPage } from './list-page.ts'

/** The alerts list (with the list's total) and one alert. */
export class AlertsPage extends ListPage {
  async open(state?: 'open' | 'acknowledged' | 'all'): Promise<this> {
    await this.page.goto(state ? `/alerts?state=${state}` : '/alerts')
    return this
  }

  row(alertId: string): Locator {
    return this.page.locator(`[data-alert-id="${alertId}"]`)
  }

  async showOnly(state: 'open' | 'acknowledged' | 'all'): Promise<void> {
    await this.page.locator(`input[name="state"][value="${state}"]`).check()
    await this.page.getByTestId('apply-filter').click()
  }

  async openAlert(alertId: string): Promise<void> {
    await this.row(alertId).getByRole('link').click()
  }

  async summary(): Promise<Map<string, string>> {
    const rows = this.page.locator('[data-testid="alert-summary"] .govuk-summary-list__row')
    const result = new Map<string, string>()
    for (let index = 0; index < (await rows.count()); index++) {
      const row = rows.nth(index)
      result.set((await row.locator('dt').innerText()).trim(), (await row.locator('dd').innerText()).trim())
    }
    return result
  }

  acknowledgeButton(): Locator {
    return this.page.getByTestId('acknowledge')
  }
}

/** The tasks list, one task, and the UK Missing Persons Unit notification form. */
export class TasksPage extends FormPage {
  async open(query = ''): Promise<this> {
    await this.page.goto(`/tasks${query}`)
    return this
  }

  row(taskId: string): Locator {
    return this.page.locator(`[data-task-id="${taskId}"]`)
  }

  async showState(label: string): Promise<void> {
    await this.page.getByTestId('task-states').getByRole('link', { name: label, exact: true }).click()
  }

  async filterKind(label: string): Promise<void> {
    await this.page.locator('#kind').selectOption({ label })
    await this.page.getByTestId('apply-filter').click()
  }

  async onlyMine(): Promise<void> {
    await this.page.locator('input[name="mine"]').check()
  }

  async state(): Promise<string> {
    return (await this.page.getByTestId('task-state').innerText()).trim()
  }

  async summaryValue(key: string): Promise<string> {
    return (await this.page.locator('[data-testid="task-summary"] .govuk-summary-list__row', { hasText: key }).locator('dd').innerText()).trim()
  }

  async complete(): Promise<void> {
    await this.page.getByTestId('complete').click()
  }
}

/** The email notification choices. */
export class PreferencesPage extends FormPage {
  async openFromFooter(): Promise<void> {
    await this.page.getByTestId('notification-preferences').click()
  }

  async checked(): Promise<string[]> {
    return this.page.locator('input[name="emailKinds"]:checked').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value') ?? ''))
  }

  async choose(kinds: string[]): Promise<void> {
    for (const input of await this.page.locator('input[name="emailKinds"]').all()) {
      const value = (await input.getAttribute('value')) ?? ''
      if (kinds.includes(value)) await input.check()
      else await input.uncheck()
    }
  }
}
