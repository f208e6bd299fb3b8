import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Random } from './random.ts'

test('the same seed gives the same sequence, a different seed another', () => {
  const a = new Random(42)
  const b = new Random(42)
  const c = new Random(43)
  const first = Array.from({ length: 5 }, () => a.next())
  assert.deepEqual(first, Array.from({ length: 5 }, () => b.next()))
  assert.notDeepEqual(first, Array.from({ length: 5 }, () => c.next()))
  assert.ok(first.every((value) => value >= 0 && value < 1))
})

test('int stays within its bounds and weighted follows its weights', () => {
  const random = new Random(7)
  const ints = Array.from({ length: 1000 }, () => random.int(3, 5))
  assert.deepEqual([...new Set(ints)].sort(), [3, 4, 5])
  const picks = Array.from({ length: 10_000 }, () => random.weighted([['common', 9], ['rare', 1]] as const))
  const rare = picks.filter((pick) => pick === 'rare').length
  assert.ok(rare > 800 && rare < 1200, `rare ${rare}`)
})
