// English and Welsh message catalogues. Each page folder defines its own namespace with defineMessages, so
// adding a page never edits another page's catalogue. English and Welsh must have exactly the same keys:
// defineMessages refuses a catalogue where they differ, so a missing translation fails at start-up.

export const LANGUAGES = ['en', 'cy'] as const
export type Language = (typeof LANGUAGES)[number]

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'cy'
}

type Catalogue = Readonly<Record<string, string>>

const catalogues: Record<Language, Map<string, string>> = { en: new Map(), cy: new Map() }

/**
 * Registers a namespace's messages: `defineMessages('home', { en: { title: 'Home' }, cy: { title: 'Hafan' } })`
 * makes the key `home.title`. Messages may hold `{name}` placeholders, filled by `t(key, { name })`.
 */
export function defineMessages<const K extends string>(namespace: string, messages: { en: Record<K, string>; cy: Record<K, string> }): void {
  const en = Object.keys(messages.en).sort()
  const cy = Object.keys(messages.cy).sort()
  const missing = en.filter((key) => !cy.includes(key)).map((key) => `cy lacks ${namespace}.${key}`)
  const extra = cy.filter((key) => !en.includes(key)).map((key) => `en lacks ${namespace}.${key}`)
  if (missing.length + extra.length > 0) throw new Error(`Message catalogue "${namespace}": ${[...missing, ...extra].join('; ')}`)
  for (const language of LANGUAGES) {
    const catalogue: Catalogue = messages[language]
    for (const [key, text] of Object.entries(catalogue)) {
      const fullKey = `${namespace}.${key}`
      const existing = catalogues[language].get(fullKey)
      if (existing !== undefined && existing !== text) throw new Error(`Message ${fullKey} is defined twice`)
      catalogues[language].set(fullKey, text)
    }
  }
}

export type Translate = (key: string, params?: Record<string, string | number>) => string

/** The translator for one language. An unknown key throws: a page must never show a raw key. */
export function translator(language: Language): Translate {
  const catalogue = catalogues[language]
  return (key, params) => {
    const text = catalogue.get(key)
    if (text === undefined) throw new Error(`No ${language} message "${key}"`)
    if (!params) return text
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
  }
}

/** Whether a key exists (for optional labels such as code lists). */
export function hasMessage(language: Language, key: string): boolean {
  return catalogues[language].has(key)
}

/** Every key of a language, for the catalogue test. */
export function messageKeys(language: Language): string[] {
  return [...catalogues[language].keys()].sort()
}
