// Blocking: which pairs are compared at all. A rule gives each record a set of keys; two records sharing a
// key under a rule are a candidate pair. As in Splink, a pair found by an earlier rule is not generated
// again by a later one, so the rules' pairs add up without duplicates. Keys are numbers (interned ids,
// day numbers, combinations of them), grouped with a hash map and linked lists in typed arrays. A block
// larger than `maxBlockSize` (a very common name with no date) is skipped and counted: its pairs would
// cost more than they find, and the other rules still reach them through rarer keys.
import {
  DOB_EXACT,
  NONE,
  SEX_UNKNOWN,
  columnValues,
  rowOf,
  type FeatureTable,
} from './features.ts'
import { compileRecordExpression, parseSql, type SqlNode } from './sql.ts'

export interface BlockingRule {
  /** As written in the model: Splink SQL (`l.x = r.x AND ...`) or `lantern: part & part`. */
  text: string
  /** The columns the rule's keys come from (a training session on it cannot estimate their comparisons' m). */
  columns: string[]
  keys(table: FeatureTable): RecordKeys
}

/** Emits each key of record i. */
export type RecordKeys = (i: number, emit: (key: number) => void) => void

type KeyPart = { columns: string[]; keys: (table: FeatureTable) => RecordKeys }

const DAY_OFFSET = 200_000 // day numbers from about 1422 onwards become positive
const BIG = 67_108_864 // 2^26: two parts below it combine exactly into one safe integer

/** Lantern's key parts, combined with "&" in a rule: `lantern: name_sound_pair & dob_year`. */
export const KEY_PARTS: Record<string, KeyPart> = {
  identifier: {
    columns: ['identifiers'],
    keys: (table) => {
      const { start, tokens } = table.identifiers
      return (i, emit) => {
        for (let k = start[i] as number; k < (start[i + 1] as number); k++) emit(tokens[k] as number)
      }
    },
  },
  name_token: {
    columns: ['given_names', 'family_name', 'other_names'],
    keys: (table) => (i, emit) => {
      for (const token of rowOf(table.given, i)) emit(token)
      for (const token of rowOf(table.family, i)) emit(token)
      for (const token of rowOf(table.other, i)) emit(token)
    },
  },
  name_sound: {
    columns: ['given_names', 'family_name', 'other_names'],
    keys: (table) => {
      const sound = table.vocabulary.sound
      return (i, emit) => {
        for (const token of rowOf(table.given, i)) emit(sound[token] as number)
        for (const token of rowOf(table.family, i)) emit(sound[token] as number)
      }
    },
  },
  /** Every unordered pair of the sound keys of a record's name tokens: order-free, spelling-tolerant. */
  name_sound_pair: {
    columns: ['given_names', 'family_name', 'other_names'],
    keys: (table) => {
      const sound = table.vocabulary.sound
      const scratch: number[] = []
      return (i, emit) => {
        scratch.length = 0
        for (const token of rowOf(table.given, i)) scratch.push(sound[token] as number)
        for (const token of rowOf(table.family, i)) scratch.push(sound[token] as number)
        for (let x = 0; x < scratch.length; x++) {
          for (let y = x + 1; y < scratch.length; y++) {
            const p = scratch[x] as number
            const q = scratch[y] as number
            if (p !== q) emit(p < q ? p * BIG + q : q * BIG + p)
          }
        }
      }
    },
  },
  /** The whole set of name tokens, in any order. */
  name_set: {
    columns: ['given_names', 'family_name'],
    keys: (table) => (i, emit) => {
      const id = table.nameSet[i] as number
      if (id !== NONE) emit(id)
    },
  },
  given_first: {
    columns: ['given_names'],
    keys: (table) => (i, emit) => {
      if (table.given.start[i] !== table.given.start[i + 1]) emit(table.given.tokens[table.given.start[i] as number] as number)
    },
  },
  given_first_sound: {
    columns: ['given_names'],
    keys: (table) => (i, emit) => {
      if (table.given.start[i] !== table.given.start[i + 1]) emit(table.vocabulary.sound[table.given.tokens[table.given.start[i] as number] as number] as number)
    },
  },
  family: {
    columns: ['family_name'],
    keys: (table) => (i, emit) => {
      const id = table.familyFull[i] as number
      if (id !== NONE) emit(id)
    },
  },
  family_sound: {
    columns: ['family_name'],
    keys: (table) => (i, emit) => {
      const id = table.familyFull[i] as number
      if (id !== NONE) emit(table.vocabulary.sound[id] as number)
    },
  },
  /** The exact date of birth (records with only a range have none). */
  dob: {
    columns: ['date_of_birth'],
    keys: (table) => (i, emit) => {
      if ((table.dobFlags[i] as number) & DOB_EXACT) emit((table.dobLow[i] as number) + DAY_OFFSET)
    },
  },
  /** Each year the date of birth may fall in (a 1 January default stands for the years around it); none if wider than 3 years. */
  dob_year: {
    columns: ['date_of_birth', 'dob_earliest', 'dob_latest'],
    keys: (table) => (i, emit) => {
      if (table.dobFlags[i] === 0) return
      const low = table.dobWideLow[i] as number
      const high = table.dobWideHigh[i] as number
      if (high - low > 3 * 366) return
      const first = new Date(low * 86_400_000).getUTCFullYear()
      const last = new Date(high * 86_400_000).getUTCFullYear()
      for (let year = first; year <= last; year++) emit(year)
    },
  },
  sex: {
    columns: ['sex'],
    keys: (table) => (i, emit) => {
      if (table.sex[i] !== SEX_UNKNOWN) emit(table.sex[i] as number)
    },
  },
  nationality: {
    columns: ['nationality'],
    keys: (table) => (i, emit) => {
      if (table.nationality[i] !== NONE) emit(table.nationality[i] as number)
    },
  },
}

/** Combines the keys of several parts into one key per combination (cartesian product). */
function combine(parts: RecordKeys[]): RecordKeys {
  if (parts.length === 1) return parts[0] as RecordKeys
  const interned = new Map<number, number>()
  const intern = (value: number) => {
    let id = interned.get(value)
    if (id === undefined) {
      id = interned.size
      interned.set(value, id)
    }
    return id
  }
  const lists: number[][] = parts.map(() => [])
  return (i, emit) => {
    for (let p = 0; p < parts.length; p++) {
      const list = lists[p] as number[]
      list.length = 0
      ;(parts[p] as RecordKeys)(i, (key) => {
        if (!list.includes(key)) list.push(key)
      })
      if (list.length === 0) return
    }
    const walk = (p: number, acc: number) => {
      if (p === lists.length) {
        emit(acc)
        return
      }
      for (const key of lists[p] as number[]) {
        const part = key < BIG ? key : intern(key)
        const next = p === 0 ? part : acc < BIG ? acc * BIG + part : intern(acc) * BIG + part
        walk(p + 1, next)
      }
    }
    walk(0, 0)
  }
}

/** A rule from its text: `lantern: part & part ...`, or Splink SQL equalities joined by AND. */
export function parseBlockingRule(text: string): BlockingRule {
  const trimmed = text.trim()
  if (trimmed.startsWith('lantern:')) {
    const names = trimmed
      .slice('lantern:'.length)
      .split('&')
      .map((name) => name.trim())
    const parts = names.map((name) => {
      const part = KEY_PARTS[name]
      if (!part) throw new Error(`Blocking rule "${text}": unknown key "${name}" (known: ${Object.keys(KEY_PARTS).join(', ')})`)
      return part
    })
    return {
      text: trimmed,
      columns: [...new Set(parts.flatMap((part) => part.columns))],
      keys: (table) => combine(parts.map((part) => part.keys(table))),
    }
  }
  return sqlBlockingRule(trimmed)
}

/** Splink's blocking rule SQL: equalities of the same expression on l and r, joined by AND. */
function sqlBlockingRule(text: string): BlockingRule {
  const equalities: [SqlNode, SqlNode][] = []
  const collect = (node: SqlNode) => {
    if (node.kind === 'binary' && node.operator === 'AND') {
      collect(node.left)
      collect(node.right)
    } else if (node.kind === 'binary' && node.operator === '=') equalities.push([node.left, node.right])
    else throw new Error(`Blocking rule "${text}": only equalities joined by AND are supported (l.column = r.column)`)
  }
  collect(parseSql(text))
  const columns = new Set<string>()
  const sides = equalities.map(([left, right]) => {
    const leftExpression = compileRecordExpression(left, 'l', columns)
    const rightExpression = compileRecordExpression(right, 'r', columns)
    if (leftExpression.text !== rightExpression.text.replace(/\br\./g, 'l.'))
      throw new Error(`Blocking rule "${text}": each equality must compare the same expression on l and r`)
    return leftExpression
  })
  return {
    text,
    columns: [...columns],
    keys: (table) => {
      const parts: RecordKeys[] = sides.map((expression) => {
        // Plain columns use the table's interned values; other expressions intern their text.
        if (expression.column !== null) {
          const values = columnValues(table, expression.column)
          return (i, emit) => {
            const value = values[i] as number
            if (value !== NONE) emit(value)
          }
        }
        return (i, emit) => {
          const value = expression.evaluate(table.records[i] as never)
          if (value !== null && value !== '') emit(table.vocabulary.internValue(`~${String(value)}`))
        }
      })
      return combine(parts)
    },
  }
}

export interface BlockingStats {
  rule: string
  pairs: number
  blocks: number
  skippedBlocks: number
  skippedRecords: number
}

export interface PairBatchHandler {
  (left: Int32Array, right: Int32Array, count: number): void
}

/** Keys of one rule for every record, sorted per record, in compressed rows. */
interface RuleKeys {
  start: Int32Array
  keys: Float64Array
  oversized: Set<number>
  /** Per key entry (parallel to keys): 1 when its block was skipped, so checks need no set lookup. */
  skipped: Uint8Array
}

function ruleKeys(table: FeatureTable, rule: BlockingRule): RuleKeys {
  const keysOf = rule.keys(table)
  const start = new Int32Array(table.size + 1)
  let keys = new Float64Array(Math.max(1024, table.size * 2))
  let length = 0
  const scratch: number[] = []
  for (let i = 0; i < table.size; i++) {
    start[i] = length
    scratch.length = 0
    keysOf(i, (key) => {
      if (!scratch.includes(key)) scratch.push(key)
    })
    scratch.sort((x, y) => x - y)
    if (length + scratch.length > keys.length) {
      const grown = new Float64Array(keys.length * 2 + scratch.length)
      grown.set(keys)
      keys = grown
    }
    for (const key of scratch) keys[length++] = key
  }
  start[table.size] = length
  return { start, keys: keys.slice(0, length), oversized: new Set(), skipped: new Uint8Array(length) }
}

/** Whether records a and b share a key of this rule that was not in a skipped block. */
function sharesKey(rule: RuleKeys, a: number, b: number): boolean {
  return !Number.isNaN(firstSharedKey(rule, a, b))
}

/** The first key a and b share under this rule that was not skipped, or NaN. */
function firstSharedKey(rule: RuleKeys, a: number, b: number): number {
  let x = rule.start[a] as number
  const xe = rule.start[a + 1] as number
  let y = rule.start[b] as number
  const ye = rule.start[b + 1] as number
  while (x < xe && y < ye) {
    const p = rule.keys[x] as number
    const q = rule.keys[y] as number
    if (p === q) {
      if (rule.skipped[x] === 0) return p
      x++
      y++
    } else if (p < q) x++
    else y++
  }
  return NaN
}

export interface BlockingOptions {
  maxBlockSize?: number
  batchSize?: number
  /** Keep each pair with this probability (training samples); 1 keeps all. */
  sampleProbability?: number
  random?: () => number
  onProgress?: (ruleIndex: number, blocksDone: number, blocksTotal: number) => void
}

/**
 * Generates the candidate pairs of the rules, in batches: within the one file (dedupe) or across the two
 * (link: left records are [0, table.leftSize)). Returns per-rule counts.
 */
export function generatePairs(table: FeatureTable, rules: BlockingRule[], onBatch: PairBatchHandler, options: BlockingOptions = {}): BlockingStats[] {
  const maxBlockSize = options.maxBlockSize ?? 1000
  const batchSize = options.batchSize ?? 65_536
  const sample = options.sampleProbability ?? 1
  const random = options.random ?? Math.random
  const link = table.leftSize < table.size
  const batchLeft = new Int32Array(batchSize)
  const batchRight = new Int32Array(batchSize)
  let batchCount = 0
  const emit = (a: number, b: number) => {
    if (sample < 1 && random() >= sample) return
    batchLeft[batchCount] = a
    batchRight[batchCount] = b
    batchCount++
    if (batchCount === batchSize) {
      onBatch(batchLeft, batchRight, batchCount)
      batchCount = 0
    }
  }
  const done: RuleKeys[] = []
  const stats: BlockingStats[] = []
  rules.forEach((rule, ruleIndex) => {
    const keys = ruleKeys(table, rule)
    // Group records by key: key -> group; each group a linked list of entries (records ascending).
    const groupOf = new Map<number, number>()
    let heads = new Int32Array(1024)
    let tails = new Int32Array(1024)
    let counts = new Int32Array(1024)
    const next = new Int32Array(keys.keys.length).fill(-1)
    const entryRecord = new Int32Array(keys.keys.length)
    for (let i = 0; i < table.size; i++) {
      for (let k = keys.start[i] as number; k < (keys.start[i + 1] as number); k++) {
        entryRecord[k] = i
        const key = keys.keys[k] as number
        let group = groupOf.get(key)
        if (group === undefined) {
          group = groupOf.size
          groupOf.set(key, group)
          if (group >= heads.length) {
            const grow = (array: Int32Array) => {
              const grown = new Int32Array(array.length * 2)
              grown.set(array)
              return grown
            }
            heads = grow(heads)
            tails = grow(tails)
            counts = grow(counts)
          }
          heads[group] = k
          tails[group] = k
          counts[group] = 1
        } else {
          next[tails[group] as number] = k
          tails[group] = k
          counts[group] = (counts[group] as number) + 1
        }
      }
    }
    let skippedBlocks = 0
    let skippedRecords = 0
    let blocks = 0
    for (const [key, group] of groupOf) {
      if ((counts[group] as number) > maxBlockSize) {
        keys.oversized.add(key)
        skippedBlocks++
        skippedRecords += counts[group] as number
      } else if ((counts[group] as number) > 1) blocks++
    }
    if (keys.oversized.size > 0) for (let k = 0; k < keys.keys.length; k++) if (keys.oversized.has(keys.keys[k] as number)) keys.skipped[k] = 1
    let pairs = 0
    const members: number[] = []
    const rights: number[] = []
    let blocksDone = 0
    for (const [key, group] of groupOf) {
      const count = counts[group] as number
      if (count < 2 || keys.oversized.has(key)) continue
      members.length = 0
      rights.length = 0
      for (let entry = heads[group] as number; entry !== -1; entry = next[entry] as number) {
        const record = entryRecord[entry] as number
        if (link && record >= table.leftSize) rights.push(record)
        else members.push(record)
      }
      const accept = (a: number, b: number) => {
        // Generated by this rule only under the first key the pair shares, and never if an earlier rule had it.
        // (Two records with one key each under this rule share only this one.)
        const single = (keys.start[a + 1] as number) - (keys.start[a] as number) === 1 || (keys.start[b + 1] as number) - (keys.start[b] as number) === 1
        if (!single && firstSharedKey(keys, a, b) !== key) return
        for (const earlier of done) if (sharesKey(earlier, a, b)) return
        pairs++
        emit(a, b)
      }
      if (link) {
        for (const a of members) for (const b of rights) accept(a, b)
      } else {
        for (let x = 0; x < members.length; x++) {
          const a = members[x] as number
          for (let y = x + 1; y < members.length; y++) accept(a, members[y] as number)
        }
      }
      blocksDone++
      if (options.onProgress && (blocksDone & 1023) === 0) options.onProgress(ruleIndex, blocksDone, blocks)
    }
    options.onProgress?.(ruleIndex, blocks, blocks)
    done.push(keys)
    stats.push({ rule: rule.text, pairs, blocks, skippedBlocks, skippedRecords })
  })
  if (batchCount > 0) onBatch(batchLeft, batchRight, batchCount)
  return stats
}

/** The number of pairs each rule alone would generate (for sampling rates), without generating them. */
export function countRulePairs(table: FeatureTable, rule: BlockingRule, maxBlockSize = 1000): number {
  const keysOf = rule.keys(table)
  const link = table.leftSize < table.size
  const left = new Map<number, number>()
  const right = new Map<number, number>()
  const seen: number[] = []
  for (let i = 0; i < table.size; i++) {
    seen.length = 0
    const target = link && i >= table.leftSize ? right : left
    keysOf(i, (key) => {
      if (seen.includes(key)) return
      seen.push(key)
      target.set(key, (target.get(key) ?? 0) + 1)
    })
  }
  let total = 0
  if (link) {
    for (const [key, count] of left) {
      const other = right.get(key) ?? 0
      if (count + other <= maxBlockSize) total += count * other
    }
  } else for (const count of left.values()) if (count <= maxBlockSize) total += (count * (count - 1)) / 2
  return total
}
