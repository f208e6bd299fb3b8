import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bucketSet, comparisonOrder, dominance, levelOrder, monotoneCeiling, type BucketSet, type LevelOrder } from './monotone-ceiling.ts'

const chain = (levels: number) => comparisonOrder(levels, 'apart')

test('a level order is closed under transitivity and refuses a cycle', () => {
  const order = levelOrder(4, [[1, 2], [2, 3]])
  assert.equal(order.atLeast[1 * 4 + 3], 1, '1 above 3 through 2')
  assert.equal(order.atLeast[3 * 4 + 1], 0)
  assert.equal(order.atLeast[0 * 4 + 1], 0, 'the null level is apart')
  assert.throws(() => levelOrder(3, [[1, 2], [2, 1]]), /each better than the other/)
  assert.throws(() => levelOrder(3, [[1, 3]]), /not a pair of distinct levels/)
})

test('a lucky small bucket low in the order cannot be taken without the false pairs of the bucket above it', () => {
  // One comparison, levels 1 > 2 > 3. Ranked freely, buckets 1 and 3 give 13 true pairs and none false.
  const buckets = bucketSet([
    { levels: [1], tp: 10, fp: 0 },
    { levels: [2], tp: 0, fp: 5 },
    { levels: [3], tp: 3, fp: 0 },
  ])
  const ceiling = monotoneCeiling(buckets, [chain(4)], 0.98)
  assert.equal(ceiling.attainedTp, 10)
  assert.equal(ceiling.attainedFp, 0)
  assert.deepEqual([...ceiling.selected], [1, 0, 0])
  // The hull runs from (FP 0, TP 10) to (5, 13); it crosses precision 0.98 (TP = 49 FP) at TP = 490 / 48.4.
  assert.ok(Math.abs(ceiling.upperTp - 490 / 48.4) < 1e-9, `upper ${ceiling.upperTp}`)
})

test('buckets better on one comparison and worse on another are taken apart; what lies below both needs both', () => {
  const orders = [chain(4), chain(4)]
  const buckets = bucketSet([
    { levels: [1, 2], tp: 5, fp: 0 },
    { levels: [2, 1], tp: 5, fp: 0 },
    { levels: [2, 2], tp: 0, fp: 10 },
    { levels: [3, 3], tp: 1, fp: 0 },
    { levels: [3, 1], tp: 2, fp: 0 }, // below [2, 1] only
  ])
  const ceiling = monotoneCeiling(buckets, orders, 0.98)
  assert.deepEqual([...ceiling.selected], [1, 1, 0, 0, 1])
  assert.equal(ceiling.attainedTp, 12)
})

test('a missing field: apart, a null bucket is taken alone; neutral, it needs the agreeing bucket above it', () => {
  // Levels: 0 null, 1 agree, 2 disagree. The agreeing bucket is all false pairs here (a made-up case).
  const rows = [
    { levels: [0], tp: 4, fp: 0 },
    { levels: [1], tp: 0, fp: 10 },
    { levels: [2], tp: 1, fp: 0 },
  ]
  const apart = monotoneCeiling(bucketSet(rows), [comparisonOrder(3, 'apart')], 0.98)
  assert.deepEqual([...apart.selected], [1, 0, 0])
  const neutral = monotoneCeiling(bucketSet(rows), [comparisonOrder(3, 'neutral')], 0.98)
  assert.deepEqual([...neutral.selected], [0, 0, 0])
  assert.equal(neutral.attainedTp, 0)
})

test('a rarer agreed value dominates a commoner one at the same level, so a common-name bucket needs the rarer ones', () => {
  const order = [chain(3)]
  const rows = (commonTp: number) =>
    bucketSet([
      { levels: [1], bins: [2], tp: 3, fp: 0 }, // a rare name
      { levels: [1], bins: [0], tp: 0, fp: 1 },
      { levels: [1], bins: [-1], tp: commonTp, fp: 0 }, // a common name: needs both above
    ])
  // 52 true and 1 false: precision 0.981, all taken.
  assert.equal(monotoneCeiling(rows(49), order, 0.98).attainedTp, 52)
  // 43 and 1: 0.977, so only the rare bucket; the hull from (0, 3) to (1, 43) crosses TP = 49 FP at 49 / 3.
  const ceiling = monotoneCeiling(rows(40), order, 0.98)
  assert.equal(ceiling.attainedTp, 3)
  assert.ok(Math.abs(ceiling.upperTp - 49 / 3) < 1e-9, `upper ${ceiling.upperTp}`)
})

// Brute force over every subset of a few random buckets.
function randomCase(random: () => number, most = 10): { buckets: BucketSet; orders: LevelOrder[] } {
  const comparisons = 1 + Math.floor(random() * (most > 10 ? 4 : 3))
  const orders = Array.from({ length: comparisons }, () => comparisonOrder(4, random() < 0.5 ? 'apart' : 'neutral', random() < 0.5 ? [[1, 2], [1, 3]] : undefined))
  const seen = new Set<string>()
  const rows: { levels: number[]; bins: number[]; tp: number; fp: number }[] = []
  const count = Math.min(12 ** comparisons, 1 + Math.floor(random() * most))
  while (rows.length < count) {
    const levels = Array.from({ length: comparisons }, () => Math.floor(random() * 4))
    const bins = Array.from({ length: comparisons }, () => Math.floor(random() * 3) - 1)
    const key = `${levels}:${bins}`
    if (seen.has(key)) continue
    seen.add(key)
    rows.push({ levels, bins, tp: random() < 0.6 ? Math.floor(random() * 60) : 0, fp: random() < 0.5 ? Math.floor(random() * 4) : 0 })
  }
  return { buckets: bucketSet(rows), orders }
}

const dominatesByDefinition = ({ buckets, orders }: { buckets: BucketSet; orders: LevelOrder[] }, x: number, y: number) => {
  const C = buckets.comparisons
  for (let c = 0; c < C; c++) {
    const order = orders[c] as LevelOrder
    if (!order.atLeast[(buckets.levels[x * C + c] as number) * order.levels + (buckets.levels[y * C + c] as number)]) return false
    if ((buckets.bins[x * C + c] as number) < (buckets.bins[y * C + c] as number)) return false
  }
  return true
}

test('the requirements reach exactly the dominators of each bucket kept (their transitive closure is the order)', () => {
  let seed = 7
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
  // Some cases of more than 32 buckets, so the bitsets span several words.
  for (let round = 0; round < 300; round++) {
    const instance = randomCase(random, round % 10 === 0 ? 200 : 10)
    const { requirements, kept } = dominance(instance.buckets, instance.orders)
    const n = instance.buckets.count
    for (let y = 0; y < n; y++) {
      if (!kept[y]) continue
      const reached = new Set<number>()
      const stack = [y]
      while (stack.length > 0) {
        const u = stack.pop() as number
        for (let k = 0; k < requirements.count; k++)
          if (requirements.from[k] === u && !reached.has(requirements.to[k] as number)) {
            reached.add(requirements.to[k] as number)
            stack.push(requirements.to[k] as number)
          }
      }
      for (let x = 0; x < n; x++) if (x !== y) assert.equal(reached.has(x), dominatesByDefinition(instance, x, y), `round ${round}: ${x} over ${y}`)
    }
    // A bucket left out has no true pair and dominates none that has one.
    for (let x = 0; x < n; x++)
      if (!kept[x]) {
        assert.equal(instance.buckets.tp[x], 0)
        for (let y = 0; y < n; y++) assert.ok(!((instance.buckets.tp[y] as number) > 0 && dominatesByDefinition(instance, x, y)), `round ${round}: ${x} left out`)
      }
  }
})

test('the ceiling brackets the best up-set found by trying every subset: attained <= best <= upper', () => {
  let seed = 99
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
  let tight = 0
  for (let round = 0; round < 300; round++) {
    const instance = randomCase(random)
    const { buckets } = instance
    const n = buckets.count
    let best = 0
    for (let mask = 0; mask < 1 << n; mask++) {
      let upSet = true
      for (let y = 0; y < n && upSet; y++) if ((mask >> y) & 1) for (let x = 0; x < n; x++) if (!((mask >> x) & 1) && x !== y && dominatesByDefinition(instance, x, y)) upSet = false
      if (!upSet) continue
      let tp = 0
      let fp = 0
      for (let i = 0; i < n; i++)
        if ((mask >> i) & 1) {
          tp += buckets.tp[i] as number
          fp += buckets.fp[i] as number
        }
      if (tp + fp === 0 || tp / (tp + fp) >= 0.98) best = Math.max(best, tp)
    }
    const ceiling = monotoneCeiling(buckets, instance.orders, 0.98)
    assert.ok(ceiling.attainedTp <= best && best <= ceiling.upperTp + 1e-9, `round ${round}: ${ceiling.attainedTp} <= ${best} <= ${ceiling.upperTp}`)
    if (ceiling.attainedTp === best) tight++
    // The attained set is an up-set with the precision.
    for (let y = 0; y < n; y++) if (ceiling.selected[y]) for (let x = 0; x < n; x++) if (dominatesByDefinition(instance, x, y)) assert.equal(ceiling.selected[x], 1, `round ${round}`)
    assert.ok(ceiling.attainedTp + ceiling.attainedFp === 0 || ceiling.attainedTp / (ceiling.attainedTp + ceiling.attainedFp) >= 0.98)
  }
  assert.ok(tight > 200, `attained the best in ${tight} of 300`)
})

test('on generated records the ceiling (exact term frequencies, a missing field neutral) is never below the shipped model, per group', async () => {
  const { runLinkage } = await import('../../src/linkage/link.ts')
  const { loadPersonModel } = await import('../../src/linkage/models/person-model.ts')
  const { generateRecords } = await import('../../src/linkage/synthetic/generator.ts')
  const { pairBuckets, monotoneCeilings, modelLevelOrders, orderViolations } = await import('./monotone-ceiling.ts')
  const { records } = generateRecords({ persons: 3000, seed: 11, descriptions: true })
  // The shipped model, trained on many records: a model trained on these few has weights out of order by chance.
  const run = runLinkage(records, null, { model: loadPersonModel(), threshold: 0.5 })
  // Its weights follow the levels' order, or the ceiling would not bound it.
  assert.deepEqual(orderViolations(run.model, modelLevelOrders(run.model, 'neutral')), [])
  const sizes = new Map<string, { group: string; count: number }>()
  for (const record of records) {
    const entry = sizes.get(record.extra.person_id ?? '') ?? { group: record.extra.group ?? '', count: 0 }
    entry.count++
    sizes.set(record.extra.person_id ?? '', entry)
  }
  const truePairs = new Map<string, number>()
  for (const { group, count } of sizes.values()) truePairs.set(group, (truePairs.get(group) ?? 0) + (count * (count - 1)) / 2)
  const pairs = pairBuckets(run)
  const ceilings = monotoneCeilings(run, pairs, truePairs, { nulls: 'neutral' })
  let checked = 0
  pairs.groups.forEach((group, g) => {
    const order = [...pairs.weight.keys()].filter((p) => pairs.group[p] === g).sort((x, y) => (pairs.weight[y] as number) - (pairs.weight[x] as number))
    let tp = 0
    let fp = 0
    let best = 0
    for (const p of order) {
      if (pairs.match[p]) tp++
      else fp++
      if (tp / (tp + fp) >= 0.98) best = Math.max(best, tp)
    }
    const ceiling = ceilings.get(group)
    assert.ok(ceiling, group)
    assert.ok(best <= ceiling.upperTp + 1e-9, `${group}: the model takes ${best} true pairs at precision 0.98, the ceiling ${ceiling.upperTp}`)
    assert.ok(ceiling.attainedTp <= ceiling.upperTp + 1e-9)
    if (best > 0) checked++
  })
  assert.ok(checked >= 5, `${checked} groups checked`)
})
