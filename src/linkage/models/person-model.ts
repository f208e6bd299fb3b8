// The person model Lantern ships: Splink settings JSON trained by `lantern link dedupe --save-model` on
// synthetic multicultural records (see README.md beside this file). Used by the register's encounter search
// and identity runs, and by `lantern search` when no --model is given.
import { readFileSync } from 'node:fs'
import { modelFromSplinkJson } from '../splink.ts'
import type { LinkageModel } from '../model.ts'

export function loadPersonModel(): LinkageModel {
  return modelFromSplinkJson(JSON.parse(readFileSync(new URL('./person.json', import.meta.url), 'utf8')))
}
