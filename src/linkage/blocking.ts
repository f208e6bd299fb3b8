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
  sharedCopy,
  type FeatureTable,
} from './features.ts'
import { compileRecordExpression, parseSql, type SqlNode } from './sql.ts'

export interface BlockingRule {
  /** As written in the model: Splink SQL (`l.x = r.x AND ...`) or `lantern: part & part`. */
  text: string
  /** The columns the rule's keys come from (a training session on it cannot estimate their comparisons' m). */
  columns: string[]
  keys(table: FeatureTable): RecordKeys
  /** Finer keys, in turn, that a block over the size limit is split by (`then` clauses); none: it is skipped. */
  splits: ((table: FeatureTable) => RecordKeys)[]
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
  /**
   * The sound key of one name token with the first letter of another of the record's names: two names that
   * agree but for a slip or a variant in one of them (Muça, Mucha; Tesfagabir, Tesfa Gabir), much rarer than
   * the token alone. Slips seldom touch a name's first letter.
   */
  name_sound_initial: {
    columns: ['given_names', 'family_name'],
    keys: (table) => {
      const sound = table.vocabulary.sound
      const strings = table.vocabulary.strings
      const scratch: number[] = []
      return (i, emit) => {
        scratch.length = 0
        for (const token of rowOf(table.given, i)) scratch.push(token)
        for (const token of rowOf(table.family, i)) scratch.push(token)
        for (let x = 0; x < scratch.length; x++) {
          for (let y = 0; y < scratch.length; y++) {
            if (x === y) continue
            const code = (strings[scratch[y] as number] ?? '').charCodeAt(0) - 97
            emit((sound[scratch[x] as number] as number) * 32 + (code >= 0 && code < 26 ? code : 26))
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
  /** The set of the name tokens' sound keys, in any order: the same names however spelt or ordered. */
  name_sounds: {
    columns: ['given_names', 'family_name'],
    keys: (table) => (i, emit) => {
      const id = table.soundSet[i] as number
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

/**
 * A rule from its text: `lantern: part & part ...`, or Splink SQL equalities joined by AND. A Lantern rule may
 * end in `then part` clauses (`lantern: name_sound_pair then dob_year then sex`): a block larger than the
 * size limit is split by the next clause's keys rather than skipped, and only what is still too large after
 * the last clause is skipped.
 */
export function parseBlockingRule(text: string): BlockingRule {
  const trimmed = text.trim()
  if (trimmed.startsWith('lantern:')) {
    const clauses = trimmed
      .slice('lantern:'.length)
      .split(/\s+then\s+/)
      .map((clause) =>
        clause
          .split('&')
          .map((name) => name.trim())
          .map((name) => {
            const part = KEY_PARTS[name]
            if (!part) throw new Error(`Blocking rule "${text}": unknown key "${name}" (known: ${Object.keys(KEY_PARTS).join(', ')})`)
            return part
          }),
      )
    const [parts, ...splits] = clauses as [KeyPart[], ...KeyPart[][]]
    return {
      text: trimmed,
      columns: [...new Set(clauses.flat().flatMap((part) => part.columns))],
      keys: (table) => combine(parts.map((part) => part.keys(table))),
      splits: splits.map((split) => (table: FeatureTable) => combine(split.map((part) => part.keys(table)))),
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
    splits: [],
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
  /** Blocks over the size limit split by the rule's `then` clauses. */
  splitBlocks: number
  /** Blocks still over the limit (after any splits): their pairs are not generated by this rule. */
  skippedBlocks: number
  skippedRecords: number
}

export interface PairBatchHandler {
  (left: Int32Array, right: Int32Array, count: number): void
}

/** Interns numeric keys (non-negative integers below 2^53) to dense ids, in order of first sight: open addressing in typed arrays. */
class KeyIds {
  private keys: Float64Array
  private ids: Int32Array
  private mask: number
  size = 0

  constructor(expected = 1024) {
    let capacity = 1024
    while (capacity < expected * 2) capacity *= 2
    this.keys = new Float64Array(capacity)
    this.ids = new Int32Array(capacity).fill(-1)
    this.mask = capacity - 1
  }

  id(key: number): number {
    let slot = this.slot(key)
    for (;;) {
      const id = this.ids[slot] as number
      if (id === -1) break
      if (this.keys[slot] === key) return id
      slot = (slot + 1) & this.mask
    }
    const id = this.size++
    this.keys[slot] = key
    this.ids[slot] = id
    if (this.size * 2 > this.mask) this.grow()
    return id
  }

  private slot(key: number): number {
    const low = key >>> 0
    const high = Math.floor(key / 4_294_967_296) | 0
    return (Math.imul(low, 0x9e3779b1) ^ Math.imul(high + 0x7f4a7c15, 0x85ebca6b) ^ (low >>> 16)) & this.mask
  }

  private grow(): void {
    const keys = this.keys
    const ids = this.ids
    this.keys = new Float64Array(keys.length * 2)
    this.ids = new Int32Array(ids.length * 2).fill(-1)
    this.mask = this.keys.length - 1
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] === -1) continue
      let slot = this.slot(keys[k] as number)
      while (this.ids[slot] !== -1) slot = (slot + 1) & this.mask
      this.keys[slot] = keys[k] as number
      this.ids[slot] = ids[k] as number
    }
  }
}

/**
 * One rule's blocks over a table: each record's blocks (ids ascending, in compressed rows, with a flag on the
 * blocks over the size limit), and the members of each block that generates pairs (2 to the limit), records
 * ascending. Plain typed arrays, so they can be shared with worker threads.
 */
export interface RuleBlocks {
  rule: string
  /** Record i's blocks are block[start[i] .. start[i + 1]), ascending. */
  start: Int32Array
  block: Int32Array
  /** Per entry of `block`: 1 when the block is over the size limit (no pairs from it, and it counts as not shared). */
  skipped: Uint8Array
  /** The blocks that generate pairs, in order: block[k] has members[memberStart[k] .. memberStart[k + 1]). */
  blockIds: Int32Array
  memberStart: Int32Array
  members: Int32Array
  stats: Omit<BlockingStats, 'pairs'>
}

const SPLIT = 67_108_864 // 2^26: a block id and a split key's id combine exactly into one safe integer

/** Keys of record i, each once, into `into`. */
function keysOfRecord(keysOf: RecordKeys, i: number, into: number[]): void {
  into.length = 0
  keysOf(i, (key) => {
    if (!into.includes(key)) into.push(key)
  })
}

/** Groups the records by the rule's keys, splits the blocks over the limit by its `then` clauses, and lists the members. */
export function buildRuleBlocks(table: FeatureTable, rule: BlockingRule, maxBlockSize: number): RuleBlocks {
  const size = table.size
  const keysOf = rule.keys(table)
  let entryRecord = new Int32Array(Math.max(1024, size * 2))
  let entryBlock = new Int32Array(entryRecord.length)
  let entries = 0
  const push = (record: number, block: number) => {
    if (entries === entryRecord.length) {
      const records = new Int32Array(entries * 2)
      records.set(entryRecord)
      entryRecord = records
      const blocks = new Int32Array(entries * 2)
      blocks.set(entryBlock)
      entryBlock = blocks
    }
    entryRecord[entries] = record
    entryBlock[entries] = block
    entries++
  }
  const ids = new KeyIds(size)
  const scratch: number[] = []
  for (let i = 0; i < size; i++) {
    keysOfRecord(keysOf, i, scratch)
    for (const key of scratch) push(i, ids.id(key))
  }
  let blockCount = ids.size
  const countBlocks = () => {
    const counts = new Int32Array(blockCount)
    for (let e = 0; e < entries; e++) {
      const b = entryBlock[e] as number
      counts[b] = (counts[b] as number) + 1
    }
    return counts
  }
  let counts = countBlocks()
  let splitBlocks = 0
  for (const split of rule.splits) {
    let over = 0
    for (let b = 0; b < blockCount; b++) if ((counts[b] as number) > maxBlockSize) over++
    if (over === 0) break
    splitBlocks += over
    // Each entry in a block over the limit becomes one entry per split key of its record, in a block of its
    // own (block, split key); a record with no split key goes to the block's remainder (block, none).
    const splitOf = split(table)
    const splitKeyIds = new KeyIds()
    const splitBlockIds = new KeyIds()
    const oldRecord = entryRecord.slice(0, entries)
    const oldBlock = entryBlock.slice(0, entries)
    const oldEntries = entries
    entries = 0
    let lastRecord = -1
    for (let e = 0; e < oldEntries; e++) {
      const record = oldRecord[e] as number
      const block = oldBlock[e] as number
      if ((counts[block] as number) <= maxBlockSize) {
        push(record, block)
        continue
      }
      if (record !== lastRecord) {
        keysOfRecord(splitOf, record, scratch)
        lastRecord = record
      }
      if (scratch.length === 0) push(record, blockCount + splitBlockIds.id(block * SPLIT))
      for (const key of scratch) push(record, blockCount + splitBlockIds.id(block * SPLIT + 1 + splitKeyIds.id(key)))
    }
    blockCount += splitBlockIds.size
    counts = countBlocks()
  }
  // Each record's entries are together and ascending by record; sort each record's blocks.
  const start = new Int32Array(size + 1)
  const block = new Int32Array(entries)
  const skipped = new Uint8Array(entries)
  for (let e = 0, i = 0; i <= size; i++) {
    start[i] = e
    if (i === size) break
    const from = e
    while (e < entries && entryRecord[e] === i) e++
    for (let k = from; k < e; k++) {
      const value = entryBlock[k] as number
      let j = k
      while (j > from && (block[j - 1] as number) > value) {
        block[j] = block[j - 1] as number
        j--
      }
      block[j] = value
    }
    for (let k = from; k < e; k++) skipped[k] = (counts[block[k] as number] as number) > maxBlockSize ? 1 : 0
  }
  // The blocks that generate pairs, ascending by id, and their members.
  let kept = 0
  let skippedBlocks = 0
  let skippedRecords = 0
  const position = new Int32Array(blockCount).fill(-1)
  for (let b = 0; b < blockCount; b++) {
    const count = counts[b] as number
    if (count > maxBlockSize) {
      skippedBlocks++
      skippedRecords += count
    } else if (count > 1) position[b] = kept++
  }
  const blockIds = new Int32Array(kept)
  const memberStart = new Int32Array(kept + 1)
  for (let b = 0; b < blockCount; b++) {
    const k = position[b] as number
    if (k >= 0) {
      blockIds[k] = b
      memberStart[k + 1] = counts[b] as number
    }
  }
  for (let k = 0; k < kept; k++) memberStart[k + 1] = (memberStart[k + 1] as number) + (memberStart[k] as number)
  const fill = memberStart.slice(0, kept)
  const members = new Int32Array(memberStart[kept] as number)
  for (let i = 0; i < size; i++) {
    for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
      const k = position[block[e] as number] as number
      if (k >= 0) {
        const at = fill[k] as number
        members[at] = i
        fill[k] = at + 1
      }
    }
  }
  return { rule: rule.text, start, block, skipped, blockIds, memberStart, members, stats: { rule: rule.text, blocks: kept, splitBlocks, skippedBlocks, skippedRecords } }
}

/** The first block a and b share under a rule that is not over the limit, or -1. */
function firstSharedBlock(rule: RuleBlocks, a: number, b: number): number {
  const block = rule.block
  let x = rule.start[a] as number
  const xe = rule.start[a + 1] as number
  let y = rule.start[b] as number
  const ye = rule.start[b + 1] as number
  while (x < xe && y < ye) {
    const p = block[x] as number
    const q = block[y] as number
    if (p === q) {
      if (rule.skipped[x] === 0) return p
      x++
      y++
    } else if (p < q) x++
    else y++
  }
  return -1
}

/**
 * A run's blocking: every rule's blocks, and the work cut into units (a run of one rule's blocks) of about
 * equal numbers of pairs, so that threads can share it out and their results be put back in order.
 */
export interface BlockingPlan {
  rules: RuleBlocks[]
  /** Rules whose pairs are generated: earlier ones only exclude what they found (a pair is generated once). */
  firstRule: number
  /** Unit u covers rule unitRule[u]'s pair-generating blocks [unitFrom[u], unitTo[u]). */
  unitRule: Int32Array
  unitFrom: Int32Array
  unitTo: Int32Array
  /** Records [0, leftSize) are the left file; pairs join left to right (link) or any two (dedupe). */
  leftSize: number
  link: boolean
}

/**
 * The rules' blocks and the work units: about `units` of them (at least `minimumUnitPairs` pairs each, counted
 * before removing repeats). The units only share the work out: the pairs and their order are the same however
 * they are cut.
 */
export function planBlocking(table: FeatureTable, rules: BlockingRule[], options: { maxBlockSize?: number; units?: number; minimumUnitPairs?: number } = {}): BlockingPlan {
  const maxBlockSize = options.maxBlockSize ?? 1000
  const link = table.leftSize < table.size
  const built = rules.map((rule) => cachedRuleBlocks(table, rule, maxBlockSize))
  let totalPairs = 0
  for (const blocks of built) {
    for (let k = 0; k < blocks.blockIds.length; k++) {
      const n = (blocks.memberStart[k + 1] as number) - (blocks.memberStart[k] as number)
      totalPairs += (n * (n - 1)) / 2
    }
  }
  const pairsPerUnit = Math.max(options.minimumUnitPairs ?? 20_000, Math.ceil(totalPairs / (options.units ?? 256)))
  const unitRule: number[] = []
  const unitFrom: number[] = []
  const unitTo: number[] = []
  built.forEach((blocks, r) => {
    let from = 0
    let pairs = 0
    const total = blocks.blockIds.length
    for (let k = 0; k < total; k++) {
      const n = (blocks.memberStart[k + 1] as number) - (blocks.memberStart[k] as number)
      pairs += (n * (n - 1)) / 2
      if (pairs >= pairsPerUnit || k === total - 1) {
        unitRule.push(r)
        unitFrom.push(from)
        unitTo.push(k + 1)
        from = k + 1
        pairs = 0
      }
    }
  })
  return { rules: built, firstRule: 0, unitRule: Int32Array.from(unitRule), unitFrom: Int32Array.from(unitFrom), unitTo: Int32Array.from(unitTo), leftSize: table.leftSize, link }
}

/**
 * The candidate pairs of one unit, in order, each once: a pair is generated by the first rule that finds it,
 * under the first block of that rule the two records share. Returns the number of pairs emitted.
 */
export function generateUnitPairs(plan: BlockingPlan, unit: number, emit: (a: number, b: number) => void): number {
  const r = plan.unitRule[unit] as number
  const blocks = plan.rules[r] as RuleBlocks
  const { start, blockIds, memberStart, members } = blocks
  const earlier = plan.rules.slice(0, r)
  const earlierCount = earlier.length
  const link = plan.link
  const leftSize = plan.leftSize
  let pairs = 0
  const accept = (a: number, b: number, id: number) => {
    // Two records with one block each under this rule share only this one.
    const single = (start[a + 1] as number) - (start[a] as number) === 1 || (start[b + 1] as number) - (start[b] as number) === 1
    if (!single && firstSharedBlock(blocks, a, b) !== id) return
    for (let e = 0; e < earlierCount; e++) if (firstSharedBlock(earlier[e] as RuleBlocks, a, b) !== -1) return
    pairs++
    emit(a, b)
  }
  for (let k = plan.unitFrom[unit] as number; k < (plan.unitTo[unit] as number); k++) {
    const id = blockIds[k] as number
    const from = memberStart[k] as number
    const to = memberStart[k + 1] as number
    if (link) {
      // Members ascending: the left file's records first.
      let split = from
      while (split < to && (members[split] as number) < leftSize) split++
      for (let x = from; x < split; x++) for (let y = split; y < to; y++) accept(members[x] as number, members[y] as number, id)
    } else {
      for (let x = from; x < to; x++) {
        const a = members[x] as number
        for (let y = x + 1; y < to; y++) accept(a, members[y] as number, id)
      }
    }
  }
  return pairs
}

/** Rule blocks are kept with the table (training and prediction block on some of the same rules). */
function cachedRuleBlocks(table: FeatureTable, rule: BlockingRule, maxBlockSize: number): RuleBlocks {
  const key = `blocks:${maxBlockSize}:${rule.text}`
  const cached = table.cache.get(key) as { size: number; generation: number; blocks: RuleBlocks } | undefined
  if (cached && cached.size === table.size && cached.generation === table.generation) return cached.blocks
  const blocks = buildRuleBlocks(table, rule, maxBlockSize)
  table.cache.set(key, { size: table.size, generation: table.generation, blocks })
  return blocks
}

/** Forgets the rule blocks kept with a table (they are large; a run drops them when done). */
export function dropRuleBlocks(table: FeatureTable): void {
  for (const key of [...table.cache.keys()]) if (key.startsWith('blocks:')) table.cache.delete(key)
}

export interface BlockingOptions {
  maxBlockSize?: number
  batchSize?: number
  /** Keep each pair with this probability (training samples); 1 keeps all. */
  sampleProbability?: number
  random?: () => number
  onProgress?: (ruleIndex: number, unitsDone: number, unitsTotal: number) => void
}

/** Rule statistics of a plan, with the pairs each rule generated. */
export function blockingStats(plan: BlockingPlan, pairsPerRule: ArrayLike<number>): BlockingStats[] {
  return plan.rules.map((blocks, r) => ({ ...blocks.stats, pairs: pairsPerRule[r] ?? 0 }))
}

/**
 * Generates the candidate pairs of the rules, in batches: within the one file (dedupe) or across the two
 * (link: left records are [0, table.leftSize)). Returns per-rule counts.
 */
export function generatePairs(table: FeatureTable, rules: BlockingRule[], onBatch: PairBatchHandler, options: BlockingOptions = {}): BlockingStats[] {
  const batchSize = options.batchSize ?? 65_536
  const sample = options.sampleProbability ?? 1
  const random = options.random ?? Math.random
  const plan = planBlocking(table, rules, options.maxBlockSize !== undefined ? { maxBlockSize: options.maxBlockSize } : {})
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
  const pairsPerRule = new Float64Array(rules.length)
  const units = plan.unitRule.length
  for (let unit = 0; unit < units; unit++) {
    const r = plan.unitRule[unit] as number
    pairsPerRule[r] = (pairsPerRule[r] as number) + generateUnitPairs(plan, unit, emit)
    options.onProgress?.(r, unit + 1, units)
  }
  if (batchCount > 0) onBatch(batchLeft, batchRight, batchCount)
  return blockingStats(plan, pairsPerRule)
}

/** The number of pairs one rule alone generates (for sampling rates), from its block sizes, without generating them. */
export function countRulePairs(table: FeatureTable, rule: BlockingRule, maxBlockSize = 1000): number {
  const blocks = cachedRuleBlocks(table, rule, maxBlockSize)
  const link = table.leftSize < table.size
  let total = 0
  for (let k = 0; k < blocks.blockIds.length; k++) {
    const from = blocks.memberStart[k] as number
    const to = blocks.memberStart[k + 1] as number
    if (link) {
      let left = 0
      for (let x = from; x < to; x++) if ((blocks.members[x] as number) < table.leftSize) left++
      total += left * (to - from - left)
    } else total += ((to - from) * (to - from - 1)) / 2
  }
  return total
}

/** The first rule of a plan under which a and b share a block not over the limit (the rule that generates the pair), or -1. */
export function ruleFindingPair(plan: BlockingPlan, a: number, b: number): number {
  for (let r = 0; r < plan.rules.length; r++) if (firstSharedBlock(plan.rules[r] as RuleBlocks, a, b) !== -1) return r
  return -1
}

/** The plan with its arrays in shared memory, for worker threads. */
export function sharedPlan(plan: BlockingPlan): BlockingPlan {
  return {
    ...plan,
    rules: plan.rules.map((blocks) => ({
      ...blocks,
      start: sharedCopy(blocks.start),
      block: sharedCopy(blocks.block),
      skipped: sharedCopy(blocks.skipped),
      blockIds: sharedCopy(blocks.blockIds),
      memberStart: sharedCopy(blocks.memberStart),
      members: sharedCopy(blocks.members),
    })),
    unitRule: sharedCopy(plan.unitRule),
    unitFrom: sharedCopy(plan.unitFrom),
    unitTo: sharedCopy(plan.unitTo),
  }
}
