// DfE's SSDA903 validation rule catalogue: rule code, message, affected fields, tables, for 2023/24 and
// 2024/25, as published with DfE's open-source validator (dfe/, MIT licence). The messages in Lantern's
// reports are read from here, word for word, so they are DfE's own.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCsvRecords } from '../../../lib/csv.ts'

export interface CatalogueRule {
  code: string
  message: string
  fields: string[]
  tables: string[]
}

const FILES = { 2024: '903_2023_24_rule_info.csv', 2025: '903_2024_25_rule_info.csv' } as const

const loaded = new Map<number, Map<string, CatalogueRule>>()

function listOf(pythonList: string): string[] {
  return [...pythonList.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? '')
}

function load(catalogueYear: keyof typeof FILES): Map<string, CatalogueRule> {
  const text = readFileSync(join(import.meta.dirname, 'dfe', FILES[catalogueYear]), 'utf8')
  const rules = new Map<string, CatalogueRule>()
  for (const { fields } of parseCsvRecords(text).slice(1)) {
    const [code, message, affected, tables] = fields
    if (!code || !message) continue
    rules.set(code, { code, message: message.trim(), fields: listOf(affected ?? ''), tables: listOf(tables ?? '') })
  }
  return rules
}

/** The catalogue that applies to a collection year: 2023/24's up to that year, 2024/25's after. */
export function catalogue(year: number): Map<string, CatalogueRule> {
  const catalogueYear = year <= 2024 ? 2024 : 2025
  let rules = loaded.get(catalogueYear)
  if (!rules) {
    rules = load(catalogueYear)
    loaded.set(catalogueYear, rules)
  }
  return rules
}

/** DfE's message for a rule in a year's catalogue. A code Lantern checks must be in it. */
export function dfeMessage(year: number, code: string): string {
  const rule = catalogue(year).get(code)
  if (!rule) throw new Error(`SSDA903 rule ${code} is not in DfE's catalogue for ${year}`)
  return rule.message
}
