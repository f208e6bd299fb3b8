// Maximum flow (Dinic's algorithm) and the maximum-weight closure it solves (Picard, 1976), for the monotone
// ceiling (`monotone-ceiling.ts`). Capacities are float64 holding integers (exact below 2^53) or Infinity.
// The depth-first search keeps its own stack: paths can be as long as the graph, too deep for recursion.

export class FlowNetwork {
  readonly nodes: number
  private head: Int32Array
  private next: Int32Array
  private target: Int32Array
  private capacity: Float64Array
  private edges = 0

  constructor(nodes: number, expectedEdges = 16) {
    this.nodes = nodes
    this.head = new Int32Array(nodes).fill(-1)
    this.next = new Int32Array(2 * expectedEdges)
    this.target = new Int32Array(2 * expectedEdges)
    this.capacity = new Float64Array(2 * expectedEdges)
  }

  /** An edge from → to with the given capacity (and its residual twin, capacity 0). */
  addEdge(from: number, to: number, capacity: number): void {
    if (from < 0 || from >= this.nodes || to < 0 || to >= this.nodes) throw new RangeError(`edge ${from} -> ${to} outside nodes 0..${this.nodes - 1}`)
    if (!(capacity >= 0)) throw new RangeError(`edge ${from} -> ${to}: capacity ${capacity} is not a non-negative number`)
    if (this.edges + 2 > this.target.length) this.grow()
    this.link(from, to, capacity)
    this.link(to, from, 0)
  }

  private link(from: number, to: number, capacity: number): void {
    const e = this.edges++
    this.target[e] = to
    this.capacity[e] = capacity
    this.next[e] = this.head[from] as number
    this.head[from] = e
  }

  private grow(): void {
    const size = Math.max(16, this.target.length * 2)
    const next = new Int32Array(size)
    next.set(this.next)
    this.next = next
    const target = new Int32Array(size)
    target.set(this.target)
    this.target = target
    const capacity = new Float64Array(size)
    capacity.set(this.capacity)
    this.capacity = capacity
  }

  /** Pushes the maximum flow from source to sink and returns its value; the residual graph is kept for minCutSourceSide(). */
  maxFlow(source: number, sink: number): number {
    if (source === sink) throw new RangeError('source and sink are the same node')
    const { head, next, target, capacity } = this
    const level = new Int32Array(this.nodes)
    const queue = new Int32Array(this.nodes)
    const current = new Int32Array(this.nodes)
    const path = new Int32Array(this.nodes)
    let flow = 0
    for (;;) {
      // Breadth-first: the level graph of the residual edges.
      level.fill(-1)
      level[source] = 0
      let qHead = 0
      let qTail = 0
      queue[qTail++] = source
      while (qHead < qTail) {
        const u = queue[qHead++] as number
        for (let e = head[u] as number; e !== -1; e = next[e] as number) {
          const v = target[e] as number
          if ((capacity[e] as number) > 0 && level[v] === -1) {
            level[v] = (level[u] as number) + 1
            queue[qTail++] = v
          }
        }
      }
      if (level[sink] === -1) return flow
      current.set(head)
      // Depth-first along the level graph, each edge tried once per phase (current arcs), until the sink is cut off.
      let depth = 0
      let u = source
      for (;;) {
        if (u === sink) {
          let bottleneck = Infinity
          for (let k = 0; k < depth; k++) bottleneck = Math.min(bottleneck, capacity[path[k] as number] as number)
          if (bottleneck === Infinity) throw new RangeError('a path of infinite capacity joins the source to the sink: the flow is unbounded')
          let firstSaturated = -1
          for (let k = 0; k < depth; k++) {
            const e = path[k] as number
            capacity[e] = (capacity[e] as number) - bottleneck
            capacity[e ^ 1] = (capacity[e ^ 1] as number) + bottleneck
            if (firstSaturated === -1 && capacity[e] === 0) firstSaturated = k
          }
          flow += bottleneck
          // Resume from the tail of the first edge the augmentation saturated.
          depth = firstSaturated === -1 ? 0 : firstSaturated
          u = depth === 0 ? source : (target[path[depth - 1] as number] as number)
          continue
        }
        let e = current[u] as number
        while (e !== -1 && ((capacity[e] as number) <= 0 || level[target[e] as number] !== (level[u] as number) + 1)) e = next[e] as number
        current[u] = e
        if (e === -1) {
          if (u === source) break
          level[u] = -1
          depth--
          const back = path[depth] as number
          u = target[back ^ 1] as number
          current[u] = next[current[u] as number] as number
        } else {
          path[depth++] = e
          u = target[e] as number
        }
      }
    }
  }

  /** After maxFlow(): the nodes reachable from the source by residual edges (the source side of a minimum cut). */
  minCutSourceSide(source: number): Uint8Array {
    const seen = new Uint8Array(this.nodes)
    const stack = [source]
    seen[source] = 1
    while (stack.length > 0) {
      const u = stack.pop() as number
      for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
        const v = this.target[e] as number
        if ((this.capacity[e] as number) > 0 && seen[v] === 0) {
          seen[v] = 1
          stack.push(v)
        }
      }
    }
    return seen
  }
}

/** Requirements of a closure: node from[k] may be chosen only with node to[k], for k < count. */
export interface Requirements {
  from: Int32Array
  to: Int32Array
  count: number
}

export function requirementsOf(pairs: [number, number][]): Requirements {
  return { from: Int32Array.from(pairs, (pair) => pair[0]), to: Int32Array.from(pairs, (pair) => pair[1]), count: pairs.length }
}

/**
 * The maximum-weight closure: the set S of nodes maximising the sum of their weights such that a node in S has
 * every node it requires in S. Picard's reduction: the source feeds each node of positive weight with that
 * weight, each node of negative weight drains to the sink, each requirement is an edge of infinite capacity;
 * the source side of a minimum cut is the closure (the smallest of the maximum ones). Weights must be integers
 * (exact sums).
 */
export function maximumClosure(weights: ArrayLike<number>, requires: Requirements): { selected: Uint8Array; weight: number } {
  const n = weights.length
  const source = n
  const sink = n + 1
  const network = new FlowNetwork(n + 2, n + requires.count)
  let positive = 0
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number
    if (!Number.isInteger(w)) throw new RangeError(`closure weight ${w} of node ${i} is not an integer`)
    if (w > 0) {
      network.addEdge(source, i, w)
      positive += w
    } else if (w < 0) network.addEdge(i, sink, -w)
  }
  for (let k = 0; k < requires.count; k++) network.addEdge(requires.from[k] as number, requires.to[k] as number, Infinity)
  const cut = network.maxFlow(source, sink)
  const side = network.minCutSourceSide(source)
  return { selected: side.slice(0, n), weight: positive - cut }
}
