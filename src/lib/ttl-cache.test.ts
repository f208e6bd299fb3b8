import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TtlCache } from './ttl-cache.ts'

test('an entry is served until it expires, then gone', () => {
  const cache = new TtlCache<string>(1000, 10)
  cache.set('a', 'one', 0)
  assert.equal(cache.get('a', 999), 'one')
  assert.equal(cache.get('a', 1000), undefined)
})

test('when full, the oldest entry makes room', () => {
  const cache = new TtlCache<number>(1000, 2)
  cache.set('a', 1, 0)
  cache.set('b', 2, 0)
  cache.set('c', 3, 0)
  assert.equal(cache.get('a', 1), undefined)
  assert.equal(cache.get('b', 1), 2)
  assert.equal(cache.get('c', 1), 3)
})
