import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isUuid, uuidv7 } from './ids.ts'

test('a UUIDv7 carries its millisecond in the first 48 bits, version 7 and the RFC 9562 variant', () => {
  const at = Date.UTC(2026, 10, 21, 17, 30, 0, 123)
  const id = uuidv7(at)
  assert.ok(isUuid(id), id)
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at)
  assert.equal(id[14], '7')
  assert.match(id[19] ?? '', /[89ab]/)
  assert.equal(uuidv7(0).slice(0, 14), '00000000-0000-')
})

test('ids sort by creation time, and ids of the same millisecond differ', () => {
  const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(1_700_000_000_000)]
  assert.deepEqual([...ids].sort(), ids)
  const same = new Set(Array.from({ length: 10_000 }, () => uuidv7(5_000)))
  assert.equal(same.size, 10_000)
})
