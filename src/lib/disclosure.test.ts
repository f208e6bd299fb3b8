import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Random } from './random.ts'
import { formatPublished, percentage, primaryCount, roundedCount, secondarySuppression } from './disclosure.ts'

test('national and regional counts round to the nearest 10, halves up; not zero but rounding to zero is k', () => {
  assert.deepEqual(roundedCount(0), { value: 0, symbol: null })
  assert.deepEqual(roundedCount(4), { value: null, symbol: 'k' })
  assert.deepEqual(roundedCount(5), { value: 10, symbol: null })
  assert.deepEqual(roundedCount(14), { value: 10, symbol: null })
  assert.deepEqual(roundedCount(15), { value: 20, symbol: null })
  assert.deepEqual(roundedCount(1234), { value: 1230, symbol: null })
  assert.deepEqual(primaryCount(1509, 'regional'), { value: 1510, symbol: null })
})

test('local authority counts are unrounded, and 1 to 5 are suppressed as c', () => {
  assert.deepEqual(primaryCount(0, 'local'), { value: 0, symbol: null })
  for (const n of [1, 2, 3, 4, 5]) assert.deepEqual(primaryCount(n, 'local'), { value: null, symbol: 'c' })
  assert.deepEqual(primaryCount(6, 'local'), { value: 6, symbol: null })
  assert.deepEqual(primaryCount(1234, 'local'), { value: 1234, symbol: null })
})

test('percentages: whole numbers from unrounded counts, k under 0.5, z with nothing to divide by, c when suppressed', () => {
  assert.deepEqual(percentage(1, 300), { value: null, symbol: 'k' })
  assert.deepEqual(percentage(2, 300), { value: 1, symbol: null })
  assert.deepEqual(percentage(0, 300), { value: 0, symbol: null })
  assert.deepEqual(percentage(0, 0), { value: null, symbol: 'z' })
  assert.deepEqual(percentage(3, 10, { suppressed: true }), { value: null, symbol: 'c' })
  assert.deepEqual(percentage(167, 590), { value: 28, symbol: null })
  assert.deepEqual(percentage(1, 3, { decimals: 1 }), { value: 33.3, symbol: null })
})

test('formatting: DfE letters on pages, GSS shorthand in downloads', () => {
  assert.equal(formatPublished({ value: 1510, symbol: null }), '1,510')
  assert.equal(formatPublished({ value: 1510, symbol: null }, { grouping: false }), '1510')
  assert.equal(formatPublished({ value: null, symbol: 'c' }), 'c')
  assert.equal(formatPublished({ value: null, symbol: 'c' }, { shorthand: 'gss' }), '[c]')
  assert.equal(formatPublished({ value: null, symbol: 'k' }, { shorthand: 'gss' }), '[low]')
  assert.equal(formatPublished({ value: 28, symbol: null }, { percent: true }), '28%')
})

test('secondary suppression: a lone suppressed cell in a column with its total takes the next smallest with it', () => {
  // Authorities 3, 10, 12 and their total 25: the 3 alone could be worked out as 25 - 10 - 12.
  const pattern = secondarySuppression({ values: [[3], [10], [12], [25]], rowTotals: false, columnTotals: true, primary: [[true], [false], [false], [false]] })
  assert.deepEqual(pattern, [[true], [true], [false], [false]])
})

test('secondary suppression prefers a non-zero inner cell to a zero or a total', () => {
  const values = [
    [2, 0, 40, 42],
    [9, 7, 30, 46],
    [11, 7, 70, 88],
  ]
  const primary = values.map((row) => row.map((n) => n >= 1 && n <= 5))
  const pattern = secondarySuppression({ values, rowTotals: true, columnTotals: true, primary })
  // The 2 needs a partner in its row (not the 0: zero is shown as zero) and in its column: 40 and 9, then 30 closes the rectangle.
  assert.deepEqual(pattern, [
    [true, false, true, false],
    [true, false, true, false],
    [false, false, false, false],
  ])
})

/** Whether the suppressed cell can be solved for exactly from the published cells and the additive relations. */
function determined(values: number[][], pattern: boolean[][], rowTotals: boolean, columnTotals: boolean): { r: number; c: number }[] {
  const rows = values.length
  const columns = values[0]?.length ?? 0
  const unknowns: { r: number; c: number }[] = []
  pattern.forEach((row, r) => row.forEach((hidden, c) => hidden && unknowns.push({ r, c })))
  const index = new Map(unknowns.map((cell, i) => [`${cell.r},${cell.c}`, i]))
  const relations: number[][] = []
  const relation = (cells: { r: number; c: number; sign: number }[]) => {
    const coefficients = new Array<number>(unknowns.length).fill(0)
    for (const cell of cells) {
      const i = index.get(`${cell.r},${cell.c}`)
      if (i !== undefined) coefficients[i] = (coefficients[i] ?? 0) + cell.sign
    }
    relations.push(coefficients)
  }
  if (rowTotals) for (let r = 0; r < rows; r += 1) relation([...Array.from({ length: columns - 1 }, (_, c) => ({ r, c, sign: 1 })), { r, c: columns - 1, sign: -1 }])
  if (columnTotals) for (let c = 0; c < columns; c += 1) relation([...Array.from({ length: rows - 1 }, (_, r) => ({ r, c, sign: 1 })), { r: rows - 1, c, sign: -1 }])
  const rank = (matrix: number[][]) => {
    const m = matrix.map((row) => [...row])
    let rankValue = 0
    for (let column = 0; column < unknowns.length; column += 1) {
      const pivot = m.findIndex((row, i) => i >= rankValue && Math.abs(row[column] ?? 0) > 1e-9)
      if (pivot === -1) continue
      ;[m[rankValue], m[pivot]] = [m[pivot] ?? [], m[rankValue] ?? []]
      const top = m[rankValue] ?? []
      for (let i = 0; i < m.length; i += 1) {
        const row = m[i] ?? []
        if (i === rankValue || Math.abs(row[column] ?? 0) < 1e-9) continue
        const factor = (row[column] ?? 0) / (top[column] ?? 1)
        for (let j = 0; j < unknowns.length; j += 1) row[j] = (row[j] ?? 0) - factor * (top[j] ?? 0)
      }
      rankValue += 1
    }
    return rankValue
  }
  const base = rank(relations)
  return unknowns.filter((_, i) => rank([...relations, unknowns.map((__, j) => (j === i ? 1 : 0))]) === base)
}

test('secondary suppression: on random local tables, no suppressed cell can be worked out from the totals', () => {
  const random = new Random(2013)
  for (let trial = 0; trial < 200; trial += 1) {
    const innerRows = random.int(1, 8)
    const innerColumns = random.int(1, 5)
    const rowTotals = random.chance(0.8)
    const columnTotals = random.chance(0.8)
    const inner = Array.from({ length: innerRows }, () => Array.from({ length: innerColumns }, () => (random.chance(0.3) ? random.int(0, 5) : random.int(0, 60))))
    const withRowTotals = inner.map((row) => (rowTotals ? [...row, row.reduce((a, b) => a + b, 0)] : row))
    const values = columnTotals ? [...withRowTotals, (withRowTotals[0] ?? []).map((_, c) => withRowTotals.reduce((sum, row) => sum + (row[c] ?? 0), 0))] : withRowTotals
    const primary = values.map((row) => row.map((n) => n >= 1 && n <= 5))
    const pattern = secondarySuppression({ values, rowTotals, columnTotals, primary })
    primary.forEach((row, r) => row.forEach((hidden, c) => hidden && assert.ok(pattern[r]?.[c], 'primary cells stay suppressed')))
    assert.deepEqual(determined(values, pattern, rowTotals, columnTotals), [], `trial ${trial}: ${JSON.stringify({ values, pattern })}`)
  }
})
