import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CsvSyntaxError, csvLine, eachCsvRow, parseCsv, parseCsvRecords, toCsv } from './csv.ts'

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

test('records carry the line they start on, also after a field that spans lines', () => {
  assert.deepEqual(parseCsvRecords('a,b\r\n1,"two\nlines"\n3,4\n'), [
    { fields: ['a', 'b'], line: 1 },
    { fields: ['1', 'two\nlines'], line: 2 },
    { fields: ['3', '4'], line: 4 },
  ])
})

test('an empty line is a record of one empty field, and keeps the count of lines', () => {
  assert.deepEqual(parseCsvRecords('a\n\nb\n').map((record) => [record.fields, record.line]), [
    [['a'], 1],
    [[''], 2],
    [['b'], 3],
  ])
})

test('a quoted field followed by stray text is refused with its line', () => {
  assert.throws(
    () => parseCsvRecords('a,b\n"x"y,2\n'),
    (error: unknown) => error instanceof CsvSyntaxError && error.line === 2 && /followed by text/.test(error.message),
  )
})

test('toCsv quotes only what needs it and round-trips through the parser', () => {
  const rows = [['rule', 'message'], ['574', 'Periods, "open" or\nnot'], ['', null]]
  const text = toCsv(rows)
  assert.equal(text, 'rule,message\r\n574,"Periods, ""open"" or\nnot"\r\n,\r\n')
  assert.deepEqual(parseCsv(text), [['rule', 'message'], ['574', 'Periods, "open" or\nnot'], ['', '']])
})

test('eachCsvRow gives the line each row starts on, counting line breaks inside quotes', () => {
  const seen: [string[], number][] = []
  eachCsvRow('a,b\n"x\ny",2\n3,4\n', (fields, line) => seen.push([fields, line]))
  assert.deepEqual(seen, [
    [['a', 'b'], 1],
    [['x\ny', '2'], 2],
    [['3', '4'], 4],
  ])
})

test('a trailing comma gives an empty last field', () => {
  assert.deepEqual(parseCsv('a,\n'), [['a', '']])
  assert.deepEqual(parseCsv('a,'), [['a', '']])
})

test('csvLine quotes only what needs quoting, and parseCsv reads it back', () => {
  const line = csvLine(['plain', 'with, comma', 'say "hi"', 'two\nlines', 7])
  assert.equal(line, 'plain,"with, comma","say ""hi""","two\nlines",7')
  assert.deepEqual(parseCsv(line), [['plain', 'with, comma', 'say "hi"', 'two\nlines', '7']])
})
