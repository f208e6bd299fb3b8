/** A small seeded pseudo-random generator (mulberry32), so demo and synthetic data are the same every run. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    // Plain loops, adding in the same order as before (the same picks): the national generator calls this tens of
    // millions of times, and the closure of a reduce cost it about a tenth of its time.
    let total = 0
    for (let i = 0; i < choices.length; i += 1) total += (choices[i] as readonly [T, number])[1]
    let roll = this.next() * total
    for (let i = 0; i < choices.length; i += 1) {
      const [value, weight] = choices[i] as readonly [T, number]
      roll -= weight
      if (roll < 0) return value
    }
    const last = choices.at(-1)
    if (!last) throw new Error('weighted pick from an empty list')
    return last[0]
  }
}
