import { test } from 'node:test'
import assert from 'node:assert/strict'
import { foldName, matchableForm, nameSoundKey } from './names.ts'

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

test('matchableForm transliterates Arabic, Ge\'ez and Cyrillic when no transliteration was recorded', () => {
  assert.equal(matchableForm({ text: 'محمد', transliteration: null }), 'mhmd')
  assert.equal(matchableForm({ text: 'يوسف', transliteration: null }), 'yusf')
  assert.equal(matchableForm({ text: 'ዮናስ ተስፋይ', transliteration: null }), 'yonas tesfay')
  assert.equal(matchableForm({ text: 'Олена', transliteration: null }), 'olena')
})

test('nameSoundKey gives transliteration variants one key', () => {
  const key = nameSoundKey('muhammad')
  for (const variant of ['mohammed', 'mohamed', 'mohamad', 'muhamad', 'mhmd']) assert.equal(nameSoundKey(variant), key, variant)
  assert.equal(nameSoundKey('tesfay'), nameSoundKey('tesfaye'))
  assert.equal(nameSoundKey('gebremariam'), nameSoundKey('ghebremaryam'))
  assert.equal(nameSoundKey('fatimah'), nameSoundKey('fatima'))
  assert.equal(nameSoundKey('yusuf'), nameSoundKey('yousef'))
  assert.notEqual(nameSoundKey('ali'), nameSoundKey('omar'))
  assert.notEqual(nameSoundKey('nguyen'), nameSoundKey('tran'))
})
