// DfE statistical disclosure control (../shared/DOMAIN-SOURCES.md §7): national and regional counts rounded to
// the nearest 10; local authority counts of 1 to 5 suppressed (`c`) with secondary suppression so that no
// suppressed cell can be worked out from the totals; percentages to whole numbers, `k` when under 0.5 but not
// zero; `z` not applicable; `x` not available. Pure functions, no database.

/** DfE symbols. In downloads they are written in the GSS shorthand (`GSS_SHORTHAND`). */
export type DisclosureSymbol = 'c' | 'k' | 'z' | 'x'

export const SYMBOL_MEANINGS: Readonly<Record<DisclosureSymbol, string>> = {
  c: 'Suppressed to protect confidentiality (a count of 1 to 5, or a cell from which one could be worked out)',
  k: 'Rounds to zero, but is not zero (under 0.5%, or a count under 5 that rounds to 0)',
  z: 'Not applicable',
  x: 'Not available',
}

/** GSS shorthand (Analysis Function, 2022): letters in square brackets; DfE's `k` is GSS's `[low]`. */
export const GSS_SHORTHAND: Readonly<Record<DisclosureSymbol, string>> = { c: '[c]', k: '[low]', z: '[z]', x: '[x]' }

/** A published figure: a number, or a symbol in its place. */
export interface PublishedValue {
  value: number | null
  symbol: DisclosureSymbol | null
}

export type GeographicLevel = 'national' | 'regional' | 'local'

export const LOCAL_SUPPRESSION_MAX = 5

const published = (value: number): PublishedValue => ({ value, symbol: null })
const symbol = (which: DisclosureSymbol): PublishedValue => ({ value: null, symbol: which })

/** Nearest 10, halves up; a count that is not zero but rounds to zero is `k` ("where any number is shown as zero, the original figure was zero"). */
export function roundedCount(count: number): PublishedValue {
  if (count === 0) return published(0)
  const rounded = Math.round(count / 10) * 10
  return rounded === 0 ? symbol('k') : published(rounded)
}

/** A count at the level it is published at (before secondary suppression). */
export function primaryCount(count: number, level: GeographicLevel): PublishedValue {
  if (level !== 'local') return roundedCount(count)
  return count >= 1 && count <= LOCAL_SUPPRESSION_MAX ? symbol('c') : published(count)
}

/**
 * A percentage to a whole number, from unrounded counts. `z` when the denominator is zero (no one to be a share
 * of); `c` when either count is suppressed; `k` when above zero but under 0.5.
 */
export function percentage(numerator: number, denominator: number, options: { suppressed?: boolean; decimals?: number } = {}): PublishedValue {
  if (denominator === 0) return symbol('z')
  if (options.suppressed) return symbol('c')
  const share = (numerator / denominator) * 100
  const factor = 10 ** (options.decimals ?? 0)
  const rounded = Math.round(share * factor) / factor
  if (numerator > 0 && rounded === 0) return symbol('k')
  return published(rounded)
}

/**
 * A table of counts for secondary suppression. `rowTotals`: the last column is each row's total of the others
 * (the relation is exact). `columnTotals`: the last row is each column's total. Both may be present (with a
 * grand total in the corner).
 */
export interface SuppressionGrid {
  values: readonly (readonly number[])[]
  rowTotals: boolean
  columnTotals: boolean
  /** Cells suppressed for what they are (a count of 1 to 5 at local level). */
  primary: readonly (readonly boolean[])[]
}

/**
 * Secondary suppression. A suppressed cell can be worked out exactly from the published totals exactly when it
 * is a bridge in the graph whose nodes are the table's additive relations (each row with its total, each column
 * with its total, and one free node standing for "no relation") and whose edges are the suppressed cells (each
 * lies in its row relation and its column relation). Cells on a cycle can move by +e/-e around it without any
 * total changing. So: while a bridge remains, suppress the cheapest path of cells that closes a cycle through it,
 * preferring non-zero inner cells (DfE: "suppress the next smallest data item"). Conservative on purpose: rounded
 * totals are treated as exact. Returns the full suppression pattern (primary and secondary).
 */
export function secondarySuppression(grid: SuppressionGrid): boolean[][] {
  const rows = grid.values.length
  const columns = grid.values[0]?.length ?? 0
  const suppressed = grid.primary.map((row) => [...row])
  const FREE = 0
  const rowNode = (r: number) => (grid.rowTotals ? 1 + r : FREE)
  const columnNode = (c: number) => (grid.columnTotals ? 1 + rows + c : FREE)
  const nodeCount = 1 + rows + columns
  const isMargin = (r: number, c: number) => (grid.rowTotals && c === columns - 1) || (grid.columnTotals && r === rows - 1)

  for (let guard = 0; guard < rows * columns; guard += 1) {
    const edges: { r: number; c: number; a: number; b: number }[] = []
    for (let r = 0; r < rows; r += 1) for (let c = 0; c < columns; c += 1) if (suppressed[r]?.[c]) edges.push({ r, c, a: rowNode(r), b: columnNode(c) })
    const bridge = findBridge(nodeCount, edges)
    if (!bridge) return suppressed
    // Close a cycle through the bridge along the cheapest path between its ends: cells already suppressed
    // cost nothing, then small non-zero inner cells, then zeros, then totals.
    const cost = (r: number, c: number) => {
      if (suppressed[r]?.[c]) return 0
      const value = grid.values[r]?.[c] ?? 0
      return (isMargin(r, c) ? 1e9 : 0) + (value === 0 ? 1e6 : 0) + value + 1
    }
    const path = cheapestPath(nodeCount, rows, columns, rowNode, columnNode, cost, bridge)
    if (!path) return suppressed
    for (const { r, c } of path) {
      const row = suppressed[r]
      if (row) row[c] = true
    }
  }
  return suppressed
}

/** Dijkstra between the bridge's two ends over every cell but the bridge itself. */
function cheapestPath(
  nodeCount: number,
  rows: number,
  columns: number,
  rowNode: (r: number) => number,
  columnNode: (c: number) => number,
  cost: (r: number, c: number) => number,
  bridge: { r: number; c: number; a: number; b: number },
): { r: number; c: number }[] | null {
  const adjacency: { to: number; r: number; c: number; weight: number }[][] = Array.from({ length: nodeCount }, () => [])
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < columns; c += 1) {
      if (r === bridge.r && c === bridge.c) continue
      const a = rowNode(r)
      const b = columnNode(c)
      if (a === b) continue
      const weight = cost(r, c)
      adjacency[a]?.push({ to: b, r, c, weight })
      adjacency[b]?.push({ to: a, r, c, weight })
    }
  }
  const distance = new Array<number>(nodeCount).fill(Infinity)
  const via = new Array<{ from: number; r: number; c: number } | null>(nodeCount).fill(null)
  const done = new Array<boolean>(nodeCount).fill(false)
  distance[bridge.a] = 0
  for (;;) {
    let node = -1
    for (let i = 0; i < nodeCount; i += 1) if (!done[i] && (distance[i] ?? Infinity) < Infinity && (node === -1 || (distance[i] ?? 0) < (distance[node] ?? 0))) node = i
    if (node === -1) return null
    if (node === bridge.b) break
    done[node] = true
    for (const edge of adjacency[node] ?? []) {
      const next = (distance[node] ?? 0) + edge.weight
      if (next < (distance[edge.to] ?? Infinity)) {
        distance[edge.to] = next
        via[edge.to] = { from: node, r: edge.r, c: edge.c }
      }
    }
  }
  const path: { r: number; c: number }[] = []
  for (let node = bridge.b; node !== bridge.a; ) {
    const step = via[node]
    if (!step) return null
    path.push({ r: step.r, c: step.c })
    node = step.from
  }
  return path
}

interface Edge {
  a: number
  b: number
}

/** One bridge of a multigraph (parallel edges and self-loops allowed), or null. */
function findBridge<E extends Edge>(nodeCount: number, edges: readonly E[]): E | null {
  const adjacency: { to: number; edge: number }[][] = Array.from({ length: nodeCount }, () => [])
  edges.forEach((edge, index) => {
    if (edge.a === edge.b) return
    adjacency[edge.a]?.push({ to: edge.b, edge: index })
    adjacency[edge.b]?.push({ to: edge.a, edge: index })
  })
  const order = new Array<number>(nodeCount).fill(-1)
  const low = new Array<number>(nodeCount).fill(0)
  let counter = 0
  let found: E | null = null
  const visit = (node: number, viaEdge: number) => {
    order[node] = low[node] = counter++
    for (const { to, edge } of adjacency[node] ?? []) {
      if (found) return
      if (edge === viaEdge) continue
      if ((order[to] ?? -1) === -1) {
        visit(to, edge)
        // Found deeper: the lows above are unfinished, so stop rather than judge with them.
        if (found) return
        low[node] = Math.min(low[node] ?? 0, low[to] ?? 0)
        if ((low[to] ?? 0) > (order[node] ?? 0)) found = edges[edge] ?? null
      } else {
        low[node] = Math.min(low[node] ?? 0, order[to] ?? 0)
      }
    }
  }
  for (let node = 0; node < nodeCount && !found; node += 1) if (order[node] === -1) visit(node, -1)
  return found
}

/** How a published value is written: the number (grouped by thousands when asked), or the symbol. */
export function formatPublished(cell: PublishedValue, options: { percent?: boolean; shorthand?: 'dfe' | 'gss'; grouping?: boolean } = {}): string {
  if (cell.symbol) return options.shorthand === 'gss' ? GSS_SHORTHAND[cell.symbol] : cell.symbol
  const value = cell.value ?? 0
  const text = options.grouping === false ? String(value) : value.toLocaleString('en-GB')
  return options.percent ? `${text}%` : text
}
