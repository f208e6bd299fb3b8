import { test } from 'node:test'
import assert from 'node:assert/strict'
import { foldName, matchableForm } from './names.ts'

test('foldName folds Vietnamese diacritics, including đ', () => {
  assert.equal(foldName('Nguyễn Văn Đức'), 'nguyen van duc')
})

test('foldName drops apostrophes and punctuation and collapses spaces', () => {
  assert.equal(foldName("  O'Brien-Smith,  Seán "), 'obrien smith sean')
})

test('matchableForm prefers the transliteration of a name written in another script', () => {
  assert.equal(matchableForm({ text: 'محمد', transliteration: 'Muḥammad' }), 'muhammad')
  assert.equal(matchableForm({ text: 'Ardit', transliteration: null }), 'ardit')
})
