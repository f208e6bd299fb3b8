import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCsv } from './csv.ts'

test('splits plain rows and fields, keeping empty fields', () => {
  assert.deepEqual(parseCsv('a,b,c\n1,,3\n'), [
    ['a', 'b', 'c'],
    ['1', '', '3'],
  ])
})

test('a quoted field may hold commas, line breaks and doubled quotes', () => {
  assert.deepEqual(parseCsv('code,name\nE06000019,"Herefordshire, County of"\nX,"say ""hi""\nthere"\n'), [
    ['code', 'name'],
    ['E06000019', 'Herefordshire, County of'],
    ['X', 'say "hi"\nthere'],
  ])
})

test('reads CRLF line endings and drops a byte-order mark', () => {
  assert.deepEqual(parseCsv('\uFEFFFID,LTLA21CD\r\n1,E06000001\r\n'), [
    ['FID', 'LTLA21CD'],
    ['1', 'E06000001'],
  ])
})

test('the last row needs no line break, and a final line break adds no empty row', () => {
  assert.deepEqual(parseCsv('a,b\n1,2'), [
    ['a', 'b'],
    ['1', '2'],
  ])
  assert.deepEqual(parseCsv('a,""'), [['a', '']])
  assert.deepEqual(parseCsv('""'), [['']])
  assert.deepEqual(parseCsv(''), [])
})

test('refuses text that ends inside a quoted field', () => {
  assert.throws(() => parseCsv('a,"unfinished\n'), /inside a quoted field/)
})
