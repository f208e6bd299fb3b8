/** Where time comes from, so rules that depend on it (deadlines, escalation, retries) are tested without waiting. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until moved: for tests. */
export function fixedClock(start: Date): Clock & { set(at: Date): void; advance(milliseconds: number): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at)
    },
    advance: (milliseconds) => {
      current = new Date(current.getTime() + milliseconds)
    },
  }
}

/** Real time, moved forward on demand: for tests of what happens hours later, with records written now. */
export function offsetClock(): Clock & { advance(milliseconds: number): void; reset(): void } {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance: (milliseconds) => {
      offset += milliseconds
    },
    reset: () => {
      offset = 0
    },
  }
}
