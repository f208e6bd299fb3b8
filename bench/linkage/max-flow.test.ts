import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FlowNetwork, maximumClosure, requirementsOf } from './max-flow.ts'

test('max flow: the textbook network (Cormen et al., figure 26.6) carries 23', () => {
  const network = new FlowNetwork(6)
  for (const [from, to, capacity] of [
    [0, 1, 16], [0, 2, 13], [1, 3, 12], [2, 1, 4], [2, 4, 14], [3, 2, 9], [3, 5, 20], [4, 3, 7], [4, 5, 4],
  ] as const)
    network.addEdge(from, to, capacity)
  assert.equal(network.maxFlow(0, 5), 23)
  // The minimum cut {0, 1, 2, 4} | {3, 5}: 12 + 7 + 4 = 23.
  assert.deepEqual([...network.minCutSourceSide(0)], [1, 1, 1, 0, 1, 0])
})

test('max flow: a flow that must be sent back along an edge (the residual twin) to reach its maximum', () => {
  // 0 -> 1 -> 2 -> 3 and 0 -> 2, 1 -> 3: a greedy path 0-1-2-3 blocks the rest unless undone.
  const network = new FlowNetwork(4)
  network.addEdge(0, 1, 1)
  network.addEdge(0, 2, 1)
  network.addEdge(1, 2, 1)
  network.addEdge(1, 3, 1)
  network.addEdge(2, 3, 1)
  assert.equal(network.maxFlow(0, 3), 2)
})

test('max flow: a long chain (deeper than a recursive search could go) carries its narrowest edge', () => {
  const n = 200_000
  const network = new FlowNetwork(n)
  for (let i = 0; i + 1 < n; i++) network.addEdge(i, i + 1, i === 77_777 ? 3 : 10)
  assert.equal(network.maxFlow(0, n - 1), 3)
})

test('max flow refuses an unbounded flow and bad edges', () => {
  const network = new FlowNetwork(2)
  network.addEdge(0, 1, Infinity)
  assert.throws(() => network.maxFlow(0, 1), /unbounded/)
  assert.throws(() => network.addEdge(0, 2, 1), /outside nodes/)
  assert.throws(() => network.addEdge(0, 1, -1), /capacity/)
})

test('maximum closure: a profitable node is taken with what it requires only when the sum pays', () => {
  // 0 (+5) requires 1 (-3): take both (2). 2 (+1) requires 3 (-4): take neither.
  const { selected, weight } = maximumClosure([5, -3, 1, -4], requirementsOf([[0, 1], [2, 3]]))
  assert.deepEqual([...selected], [1, 1, 0, 0])
  assert.equal(weight, 2)
})

test('maximum closure: requirements are followed through chains and shared between nodes', () => {
  // 0 (+4) and 1 (+4) both require 2 (-2), which requires 3 (-5): 4 + 4 - 2 - 5 = 1 > 0, so all four.
  const both = maximumClosure([4, 4, -2, -5], requirementsOf([[0, 2], [1, 2], [2, 3]]))
  assert.deepEqual([...both.selected], [1, 1, 1, 1])
  assert.equal(both.weight, 1)
  // With only one of them profitable the chain costs more than it gives: nothing.
  const one = maximumClosure([4, 0, -2, -5], requirementsOf([[0, 2], [1, 2], [2, 3]]))
  assert.deepEqual([...one.selected], [0, 0, 0, 0])
  assert.equal(one.weight, 0)
})

test('maximum closure agrees with every subset on small random cases', () => {
  let seed = 12345
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 8)
    const weights = Array.from({ length: n }, () => Math.floor(random() * 21) - 10)
    const pairs: [number, number][] = []
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b && random() < 0.2) pairs.push([a, b])
    let best = 0
    for (let mask = 0; mask < 1 << n; mask++) {
      if (pairs.some(([a, b]) => (mask >> a) & 1 && !((mask >> b) & 1))) continue
      let sum = 0
      for (let i = 0; i < n; i++) if ((mask >> i) & 1) sum += weights[i] as number
      best = Math.max(best, sum)
    }
    const { selected, weight } = maximumClosure(weights, requirementsOf(pairs))
    assert.equal(weight, best, `round ${round}`)
    assert.equal(weights.reduce((sum, w, i) => sum + (selected[i] ? w : 0), 0), best)
    for (const [a, b] of pairs) assert.ok(!selected[a] || selected[b], `round ${round}: ${a} taken without ${b}`)
  }
})
