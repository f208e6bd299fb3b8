import { test } from 'node:test'
import assert from 'node:assert/strict'
import { damerauLevenshtein, jaro, jaroWinkler, levenshtein, withinOneEdit } from './jaro-winkler.ts'

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-4, `${actual} is not ${expected}`)

test('Jaro and Jaro-Winkler give the textbook values', () => {
  close(jaro('martha', 'marhta'), 0.9444)
  close(jaroWinkler('martha', 'marhta'), 0.9611)
  close(jaroWinkler('dwayne', 'duane'), 0.84)
  close(jaroWinkler('dixon', 'dicksonx'), 0.8133)
  assert.equal(jaroWinkler('abc', 'abc'), 1)
  assert.equal(jaroWinkler('', 'abc'), 0)
  assert.equal(jaroWinkler('abc', 'xyz'), 0)
})

test('Jaro-Winkler keeps its answer after a long string has grown the buffers', () => {
  jaroWinkler('x'.repeat(500), 'y'.repeat(400))
  close(jaroWinkler('martha', 'marhta'), 0.9611)
})

test('edit distances', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3)
  assert.equal(levenshtein('kitten', 'sitting', 1), 2)
  assert.equal(damerauLevenshtein('ca', 'ac'), 1)
  assert.equal(levenshtein('ca', 'ac'), 2)
  assert.ok(withinOneEdit('5304218', '5304219'))
  assert.ok(withinOneEdit('5304218', '5302418'))
  assert.equal(withinOneEdit('5304218', '5340281'), false)
  assert.ok(withinOneEdit('abcd', 'abd'))
  assert.ok(withinOneEdit('abd', 'abcd'))
  assert.ok(withinOneEdit('abcd', 'bacd'))
  assert.equal(withinOneEdit('abcd', 'badc'), false)
})
