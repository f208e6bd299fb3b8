import { BasePage } from './base-page.ts'

export class SignInPage extends BasePage {
  async open(returnTo?: string): Promise<this> {
    await this.page.goto(returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in')
    return this
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.locator('#email').fill(email)
    await this.page.locator('#password').fill(password)
    await this.page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click()
  }

  async emailValue(): Promise<string> {
    return this.page.locator('#email').inputValue()
  }

  async passwordValue(): Promise<string> {
    return this.page.locator('#password').inputValue()
  }
}
