// Jaro and Jaro-Winkler similarity, without allocation per call: the match flags live in two buffers that
// grow to the longest string seen. Same definition as DuckDB's jaro_winkler_similarity (the Winkler prefix
// boost of 0.1 per common leading character, up to four, applied when the Jaro similarity exceeds 0.7), so a
// threshold learnt in Splink means the same here.

let flagsA = new Uint8Array(64)
let flagsB = new Uint8Array(64)

export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1
  const lengthA = a.length
  const lengthB = b.length
  if (lengthA === 0 || lengthB === 0) return 0
  if (lengthA > flagsA.length) flagsA = new Uint8Array(lengthA * 2)
  if (lengthB > flagsB.length) flagsB = new Uint8Array(lengthB * 2)
  flagsA.fill(0, 0, lengthA)
  flagsB.fill(0, 0, lengthB)
  const window = Math.max(0, (Math.max(lengthA, lengthB) >> 1) - 1)
  let matches = 0
  for (let i = 0; i < lengthA; i++) {
    const start = Math.max(0, i - window)
    const end = Math.min(lengthB - 1, i + window)
    const code = a.charCodeAt(i)
    for (let j = start; j <= end; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === code) {
        flagsA[i] = 1
        flagsB[j] = 1
        matches++
        break
      }
    }
  }
  if (matches === 0) return 0
  let transpositions = 0
  let k = 0
  for (let i = 0; i < lengthA; i++) {
    if (flagsA[i] === 0) continue
    while (flagsB[k] === 0) k++
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++
    k++
  }
  return (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3
}

export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b)
  if (similarity <= 0.7) return similarity
  const limit = Math.min(4, a.length, b.length)
  let prefix = 0
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++
  return similarity + prefix * 0.1 * (1 - similarity)
}

/** Levenshtein edit distance, stopping early once it must exceed `limit` (then returns limit + 1). */
export function levenshtein(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let previous = new Uint32Array(b.length + 1)
  let current = new Uint32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMinimum = i
    const code = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (code === b.charCodeAt(j - 1) ? 0 : 1)
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
      current[j] = value
      if (value < rowMinimum) rowMinimum = value
    }
    if (rowMinimum > limit) return limit + 1
    ;[previous, current] = [current, previous]
  }
  return previous[b.length] ?? 0
}

/** Damerau-Levenshtein (optimal string alignment): a swap of two neighbouring characters costs one. */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0
  const rows = a.length + 1
  const columns = b.length + 1
  const d = new Uint32Array(rows * columns)
  for (let i = 0; i < rows; i++) d[i * columns] = i
  for (let j = 0; j < columns; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let value = Math.min((d[(i - 1) * columns + j] ?? 0) + 1, (d[i * columns + j - 1] ?? 0) + 1, (d[(i - 1) * columns + j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (d[(i - 2) * columns + j - 2] ?? 0) + 1)
      }
      d[i * columns + j] = value
    }
  }
  return d[rows * columns - 1] ?? 0
}

/** Whether two strings are at most one edit apart (insert, delete, substitute, or swap two neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true
  const lengthA = a.length
  const lengthB = b.length
  if (lengthA - lengthB > 1 || lengthB - lengthA > 1) return false
  let i = 0
  while (i < lengthA && i < lengthB && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (lengthA === lengthB) {
    // a substitution at i, or a swap of i and i + 1
    if (sameFrom(a, b, i + 1, i + 1)) return true
    return a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameFrom(a, b, i + 2, i + 2)
  }
  return lengthA > lengthB ? sameFrom(a, b, i + 1, i) : sameFrom(a, b, i, i + 1)
}

/** Whether a from x on and b from y on are the same to their ends (no closure: this runs per pair). */
function sameFrom(a: string, b: string, x: number, y: number): boolean {
  while (x < a.length && y < b.length) {
    if (a.charCodeAt(x) !== b.charCodeAt(y)) return false
    x++
    y++
  }
  return x === a.length && y === b.length
}
