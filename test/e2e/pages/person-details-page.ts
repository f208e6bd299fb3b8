import { FormPage } from './form-page.ts'

/** The "change personal details" form: name rows, date of birth, flags; and the photo and guardian forms. */
export class PersonDetailsPage extends FormPage {
  /** Fills one name row (0 is the first): kind, as written, script, spelling in Latin letters. */
  async name(row: number, name: { kind?: string; text?: string; script?: string; transliteration?: string }): Promise<void> {
    if (name.kind !== undefined) await this.page.locator(`#name-${row}-kind`).selectOption(name.kind)
    if (name.text !== undefined) await this.page.locator(`#name-${row}-text`).fill(name.text)
    if (name.script !== undefined) await this.page.locator(`#name-${row}-script`).fill(name.script)
    if (name.transliteration !== undefined) await this.page.locator(`#name-${row}-transliteration`).fill(name.transliteration)
  }

  async nameText(row: number): Promise<string> {
    return this.page.locator(`#name-${row}-text`).inputValue()
  }

  /** A date of birth known only as a range, and how it is known. */
  async dateOfBirthRange(earliest: string, latest: string, source: string): Promise<void> {
    await this.date('dob', earliest)
    await this.pick('dobRange', 'yes')
    await this.date('dobLatest', latest)
    await this.pick('dobSource', source)
  }

  /** Ticks "suspected victim of trafficking" and gives the day it began (its field is revealed by the box). */
  async suspectedTraffickingSince(iso: string): Promise<void> {
    await this.pick('flags', 'suspectedTrafficking')
    await this.date('suspectedTraffickingSince', iso)
  }

  async sinceRevealed(): Promise<boolean> {
    return this.page.locator('#suspectedTraffickingSince-day').isVisible()
  }

  /** Chooses a file for the photo form's file input. */
  async chooseFile(name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await this.page.locator('#photo').setInputFiles({ name, mimeType, buffer })
  }
}
