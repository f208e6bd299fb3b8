// Blocking: which pairs are compared at all. A rule gives each record a set of keys; two records sharing a
// key under a rule are a candidate pair. As in Splink, a pair found by an earlier rule is not generated
// again by a later one, so the rules' pairs add up without duplicates. Keys are numbers (interned ids,
// day numbers, hashes, combinations of them), interned to dense block ids in typed-array hash tables. A
// block larger than the size limit (a very common name with no date) is split by the rule's `then` keys
// (the year of birth, then sex) or, when there are none left, skipped and counted: its pairs would cost more
// than they find, and the other rules still reach them through rarer keys. The blocks are built once per
// rule and table, in shared memory, and the pairs are generated in units (a run of one rule's blocks) that
// threads can share out (scoring.ts, workers.ts).
import {
  DOB_EXACT,
  DOB_RANGE,
  OPEN_HIGH,
  OPEN_LOW,
  NONE,
  SEX_UNKNOWN,
  columnValues,
  rowOf,
  sharedCopy,
  type FeatureTable,
} from './features.ts'
import { compileRecordExpression, parseSql, type SqlNode } from './sql.ts'
import type { LinkageWorkers } from './workers.ts'

export interface BlockingRule {
  /** As written in the model: Splink SQL (`l.x = r.x AND ...`) or `lantern: part & part then part limit N`. */
  text: string
  /** The columns the rule's keys come from (a training session on it cannot estimate their comparisons' m). */
  columns: string[]
  keys(table: FeatureTable): RecordKeys
  /** Finer keys, in turn, that a block over the size limit is split by (`then` clauses); none: it is skipped. */
  splits: ((table: FeatureTable) => RecordKeys)[]
  /** The rule's own block size limit (`limit N`); the smaller of it and the run's applies. */
  maxBlockSize?: number
}

/** Emits each key of record i. */
export type RecordKeys = (i: number, emit: (key: number) => void) => void

type KeyPart = { columns: string[]; keys: (table: FeatureTable) => RecordKeys }

const DAY_OFFSET = 200_000 // day numbers from about 1422 onwards become positive
const BIG = 67_108_864 // 2^26: two parts below it combine exactly into one safe integer

/** A 52-bit hash of a string with the character at `skip` left out (-1: none left out): two FNV-1a hashes. */
function hashWithout(text: string, skip: number): number {
  let first = 0x811c9dc5
  let second = 0x2545f491
  for (let k = 0; k < text.length; k++) {
    if (k === skip) continue
    const code = text.charCodeAt(k)
    first = Math.imul(first ^ code, 0x01000193)
    second = Math.imul(second ^ code, 0x5bd1e995) ^ (second >>> 15)
  }
  return (first >>> 0) * 1_048_576 + (second >>> 12)
}

/**
 * Per vocabulary id, the sound key of the name's variant group's first spelling (Bill and William, Lottie
 * and Charlotte give one key), or its own where it has no group. The name parts below key on both a
 * token's own sound and this one where they differ: a group can also be a guess (the Arabic article read
 * into Almaze, a Tigrinya name, makes it a spelling of Maze), and Almaz must still meet Almaze.
 */
function variantSounds(table: FeatureTable): Int32Array {
  const { sound, variant, size } = table.vocabulary
  const cached = table.cache.get('blocking:variant-sounds')
  if (cached instanceof Int32Array && cached.length === size) return cached
  const result = new Int32Array(size)
  for (let id = 0; id < size; id++) {
    const head = variant[id] as number
    result[id] = head === NONE ? (sound[id] as number) : (sound[head] as number)
  }
  table.cache.set('blocking:variant-sounds', result)
  return result
}

/** A 52-bit hash of a short list of non-negative integers. */
function hashList(values: readonly number[]): number {
  let first = 0x811c9dc5
  let second = 0x2545f491
  for (const value of values) {
    first = Math.imul(first ^ value, 0x01000193)
    second = Math.imul(second ^ value, 0x5bd1e995) ^ (second >>> 15)
  }
  return (first >>> 0) * 1_048_576 + (second >>> 12)
}

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
  /**
   * An identifier of a kind compared for slips (not an agency's local reference), and each of its forms with
   * one character left out: two values one typing slip apart (a letter changed, dropped, added, or two
   * swapped: HO8727846, HO8727f46, HO872846) share a key. Keys are hashes of the strings (52 bits; a
   * collision only adds a pair to compare).
   */
  identifier_slip: {
    columns: ['identifiers'],
    keys: (table) => {
      const { start, tokens } = table.identifiers
      const types = table.identifierTypes
      const local = table.localIdentifierType
      const strings = table.vocabulary.strings
      return (i, emit) => {
        for (let k = start[i] as number; k < (start[i + 1] as number); k++) {
          if (local[types[k] as number] === 1) continue
          const text = strings[tokens[k] as number] ?? ''
          // The kind is kept whole ("home_office_reference:"); only the value's characters are left out.
          const from = text.indexOf(':') + 1
          for (let skip = from - 1; skip < text.length; skip++) emit(hashWithout(text, skip < from ? -1 : skip))
        }
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
   * The sound key of one name token (variants as one) with the first letter of another of the record's
   * names: two names that agree but for a slip or a variant in one of them (Muça, Mucha; Tesfagabir, Tesfa
   * Gabir), much rarer than the token alone. Slips seldom touch a name's first letter.
   */
  name_sound_initial: {
    columns: ['given_names', 'family_name'],
    keys: (table) => {
      const own = table.vocabulary.sound
      const group = variantSounds(table)
      const strings = table.vocabulary.strings
      const scratch: number[] = []
      return (i, emit) => {
        scratch.length = 0
        for (const token of rowOf(table.given, i)) scratch.push(token)
        for (const token of rowOf(table.family, i)) scratch.push(token)
        for (let x = 0; x < scratch.length; x++) {
          const token = scratch[x] as number
          for (let y = 0; y < scratch.length; y++) {
            if (x === y) continue
            const code = (strings[scratch[y] as number] ?? '').charCodeAt(0) - 97
            const initial = code >= 0 && code < 26 ? code : 26
            emit((own[token] as number) * 32 + initial)
            if (group[token] !== own[token]) emit((group[token] as number) * 32 + initial)
          }
        }
      }
    },
  },
  /**
   * As name_sound_pair, with variants as one (Bill, William), and with the forms of two neighbouring names
   * written as one among the tokens (Tesfa Egziabher, Tesfaegziabher; Amde Mikael, Amdemikael): Eritrean and
   * Arabic compound names are written both ways, and a pair of sound keys then has nothing else in common.
   * A joined form is not paired with the tokens it is made of.
   */
  name_sound_pair_joined: {
    columns: ['given_names', 'family_name', 'other_names'],
    keys: (table) => {
      const own = table.vocabulary.sound
      const group = variantSounds(table)
      const items: number[] = []
      // Per item: the bit mask of the given-then-family tokens it is made of.
      const madeOf: number[] = []
      const pairKey = (p: number, q: number) => (p < q ? p * BIG + q : q * BIG + p)
      return (i, emit) => {
        items.length = 0
        madeOf.length = 0
        for (const token of rowOf(table.given, i)) {
          madeOf.push(1 << items.length)
          items.push(token)
        }
        for (const token of rowOf(table.family, i)) {
          madeOf.push(1 << items.length)
          items.push(token)
        }
        const tokens = items.length
        for (let k = table.joined.start[i] as number; k < (table.joined.start[i + 1] as number); k++) {
          const position = table.joinedPosition[k] as number
          if (position < 0 || position + 1 >= tokens || position > 29) continue
          madeOf.push(3 << position)
          items.push(table.joined.tokens[k] as number)
        }
        for (let x = 0; x < items.length; x++) {
          for (let y = x + 1; y < items.length; y++) {
            if (((madeOf[x] as number) & (madeOf[y] as number)) !== 0) continue
            const a = items[x] as number
            const b = items[y] as number
            const p = own[a] as number
            const q = own[b] as number
            if (p !== q) emit(pairKey(p, q))
            const gp = group[a] as number
            const gq = group[b] as number
            if ((gp !== p || gq !== q) && gp !== gq) emit(pairKey(gp, gq))
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
  /**
   * The set of the name tokens' sound keys, in any order: the same names however spelt or ordered; and the
   * set with each name's variant group's sound (Bill, William) where that differs.
   */
  name_sound_set: {
    columns: ['given_names', 'family_name'],
    keys: (table) => {
      const own = table.vocabulary.sound
      const group = variantSounds(table)
      const sounds: number[] = []
      const groups: number[] = []
      return (i, emit) => {
        sounds.length = 0
        groups.length = 0
        let differs = false
        for (const rows of [table.given, table.family]) {
          for (const token of rowOf(rows, i)) {
            sounds.push(own[token] as number)
            groups.push(group[token] as number)
            if (group[token] !== own[token]) differs = true
          }
        }
        if (sounds.length === 0) return
        emit(hashList(sounds.sort((x, y) => x - y)))
        if (differs) emit(hashList(groups.sort((x, y) => x - y)))
      }
    },
  },
  /** The sound key of each name token, and its variant group's where that differs (Bill, William). */
  name_variant_sound: {
    columns: ['given_names', 'family_name'],
    keys: (table) => {
      const own = table.vocabulary.sound
      const group = variantSounds(table)
      return (i, emit) => {
        for (const rows of [table.given, table.family]) {
          for (const token of rowOf(rows, i)) {
            emit(own[token] as number)
            if (group[token] !== own[token]) emit(group[token] as number)
          }
        }
      }
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
  /** An assessed range of dates of birth, whole (one age assessment copied from record to record); records with an exact date have none. */
  dob_range: {
    columns: ['dob_earliest', 'dob_latest'],
    keys: (table) => (i, emit) => {
      if (((table.dobFlags[i] as number) & DOB_RANGE) === 0) return
      const low = table.dobLow[i] as number
      const high = table.dobHigh[i] as number
      // Open ends stand for themselves; day numbers shifted to be positive, then paired.
      emit((low === OPEN_LOW ? 0 : low + DAY_OFFSET) * 1_048_576 + (high === OPEN_HIGH ? 1_048_575 : high + DAY_OFFSET))
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

const SPLIT = 67_108_864 // 2^26: two dense ids (a block's, a key's) combine exactly into one safe integer

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

  /** Forgets every key (keeping the room). */
  reset(): void {
    this.ids.fill(-1)
    this.size = 0
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
 * Combines the keys of several parts into one key per combination (cartesian product). Each part's keys are
 * first interned to dense ids, so any two combine exactly into one safe integer.
 */
function combine(parts: RecordKeys[]): RecordKeys {
  if (parts.length === 1) return parts[0] as RecordKeys
  const ids = parts.map(() => new KeyIds())
  const prefixIds = new KeyIds()
  const lists: number[][] = parts.map(() => [])
  const raw: number[] = []
  const position = new Int32Array(parts.length)
  const last = parts.length - 1
  return (i, emit) => {
    for (let p = 0; p < parts.length; p++) {
      raw.length = 0
      ;(parts[p] as RecordKeys)(i, (key) => {
        if (!raw.includes(key)) raw.push(key)
      })
      if (raw.length === 0) return
      const list = lists[p] as number[]
      const partIds = ids[p] as KeyIds
      list.length = 0
      for (const key of raw) list.push(partIds.id(key))
    }
    // An odometer over the lists: every combination once.
    position.fill(0)
    for (;;) {
      let key = (lists[0] as number[])[0 + (position[0] as number)] as number
      for (let p = 1; p <= last; p++) key = (p === 1 ? key : prefixIds.id(key)) * SPLIT + ((lists[p] as number[])[position[p] as number] as number)
      emit(key)
      let p = last
      while (p >= 0) {
        position[p] = (position[p] as number) + 1
        if ((position[p] as number) < (lists[p] as number[]).length) break
        position[p] = 0
        p--
      }
      if (p < 0) return
    }
  }
}

/**
 * A rule from its text: `lantern: part & part ...`, or Splink SQL equalities joined by AND. A Lantern rule may
 * go on with `then part` clauses (`lantern: name_sound_pair then dob_year then sex`): a block larger than the
 * size limit is split by the next clause's keys rather than skipped, and only what is still too large after
 * the last clause is skipped. It may end with `limit N`, a size limit of its own (the smaller of it and the
 * run's applies): a rule on a weak key (one name token) is worth its pairs only in small blocks.
 */
export function parseBlockingRule(text: string): BlockingRule {
  const trimmed = text.trim()
  if (trimmed.startsWith('lantern:')) {
    let body = trimmed.slice('lantern:'.length)
    let limit: number | undefined
    const limitMatch = /\s+limit\s+(\S+)\s*$/.exec(body)
    if (limitMatch) {
      limit = Number(limitMatch[1])
      if (!Number.isInteger(limit) || limit < 2) throw new Error(`Blocking rule "${text}": the limit must be a whole number of at least 2, not "${limitMatch[1]}"`)
      body = body.slice(0, limitMatch.index)
    }
    const clauses = body
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
      ...(limit !== undefined ? { maxBlockSize: limit } : {}),
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

/**
 * One rule's blocks over a table: each record's blocks that generate pairs (2 to the size limit records; a
 * block of one or over the limit is left out, as it is never shared), ids ascending, in compressed rows; and
 * the members of each such block, records ascending. Typed arrays in shared memory, so that worker threads
 * read them without a copy.
 */
export interface RuleBlocks {
  rule: string
  /** Record i's blocks are block[start[i] .. start[i + 1]), ascending. */
  start: Int32Array
  block: Int32Array
  /** The blocks that generate pairs, in order: block[k] has members[memberStart[k] .. memberStart[k + 1]). */
  blockIds: Int32Array
  memberStart: Int32Array
  members: Int32Array
  stats: Omit<BlockingStats, 'pairs'>
}

const sharedInt32 = (length: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, length) * Int32Array.BYTES_PER_ELEMENT))

/**
 * Working arrays for building blocks, kept from one rule to the next: a run's rules need large ones, and
 * allocating them afresh for each rule made the garbage collector mark the whole heap again and again.
 */
export class BlockScratch {
  record = new Int32Array(1024)
  block = new Int32Array(1024)
  otherRecord = new Int32Array(1024)
  otherBlock = new Int32Array(1024)
  counts = new Int32Array(1024)
  position = new Int32Array(1024)
  readonly keys = new KeyIds()
  readonly splitKeys = new KeyIds()
  readonly splitBlocks = new KeyIds()
  entries = 0

  push(record: number, block: number): void {
    if (this.entries === this.record.length || this.entries === this.block.length) {
      // (After a swap the two arrays may differ in length: both grow to twice what is used.)
      const records = new Int32Array(this.entries * 2)
      records.set(this.record.subarray(0, this.entries))
      this.record = records
      const blocks = new Int32Array(this.entries * 2)
      blocks.set(this.block.subarray(0, this.entries))
      this.block = blocks
    }
    this.record[this.entries] = record
    this.block[this.entries] = block
    this.entries++
  }

  /** Starts a new list of entries, keeping the old one as `otherRecord`/`otherBlock`; returns how many it had. */
  swap(): number {
    const entries = this.entries
    ;[this.record, this.otherRecord] = [this.otherRecord, this.record]
    ;[this.block, this.otherBlock] = [this.otherBlock, this.block]
    this.entries = 0
    return entries
  }

  /** Entries per block (zeroed first). */
  count(blocks: number): Int32Array {
    if (this.counts.length < blocks) this.counts = new Int32Array(Math.max(blocks, this.counts.length * 2))
    const counts = this.counts
    counts.fill(0, 0, blocks)
    for (let e = 0; e < this.entries; e++) {
      const b = this.block[e] as number
      counts[b] = (counts[b] as number) + 1
    }
    return counts
  }
}

/** Keys of record i, each once, into `into`. */
function keysOfRecord(keysOf: RecordKeys, i: number, into: number[]): void {
  into.length = 0
  keysOf(i, (key) => {
    if (!into.includes(key)) into.push(key)
  })
}

/** Groups the records by the rule's keys, splits the blocks over the limit by its `then` clauses, and lists the members. */
export function buildRuleBlocks(table: FeatureTable, rule: BlockingRule, runMaxBlockSize: number, scratch = new BlockScratch()): RuleBlocks {
  const maxBlockSize = Math.min(runMaxBlockSize, rule.maxBlockSize ?? Infinity)
  const size = table.size
  const keysOf = rule.keys(table)
  const ids = scratch.keys
  ids.reset()
  scratch.entries = 0
  const list: number[] = []
  for (let i = 0; i < size; i++) {
    keysOfRecord(keysOf, i, list)
    for (const key of list) scratch.push(i, ids.id(key))
  }
  let blockCount = ids.size
  let counts = scratch.count(blockCount)
  let splitBlocks = 0
  for (const split of rule.splits) {
    let over = 0
    for (let b = 0; b < blockCount; b++) if ((counts[b] as number) > maxBlockSize) over++
    if (over === 0) break
    splitBlocks += over
    // Each entry in a block over the limit becomes one entry per split key of its record, in a block of its
    // own (block, split key); a record with no split key goes to the block's remainder (block, none).
    const splitOf = split(table)
    const splitKeys = scratch.splitKeys
    const splitBlockIds = scratch.splitBlocks
    splitKeys.reset()
    splitBlockIds.reset()
    const oldEntries = scratch.swap()
    const oldRecord = scratch.otherRecord
    const oldBlock = scratch.otherBlock
    let lastRecord = -1
    for (let e = 0; e < oldEntries; e++) {
      const record = oldRecord[e] as number
      const block = oldBlock[e] as number
      if ((counts[block] as number) <= maxBlockSize) {
        scratch.push(record, block)
        continue
      }
      if (record !== lastRecord) {
        keysOfRecord(splitOf, record, list)
        lastRecord = record
      }
      if (list.length === 0) scratch.push(record, blockCount + splitBlockIds.id(block * SPLIT))
      for (const key of list) scratch.push(record, blockCount + splitBlockIds.id(block * SPLIT + 1 + splitKeys.id(key)))
    }
    blockCount += splitBlockIds.size
    counts = scratch.count(blockCount)
  }
  // Only blocks of 2 to the limit count: a record's entries in them, sorted (each record's are together).
  const entryRecord = scratch.record
  const entryBlock = scratch.block
  const entries = scratch.entries
  const keep = (b: number) => (counts[b] as number) > 1 && (counts[b] as number) <= maxBlockSize
  let keptEntries = 0
  for (let e = 0; e < entries; e++) if (keep(entryBlock[e] as number)) keptEntries++
  const start = sharedInt32(size + 1)
  const block = sharedInt32(keptEntries)
  for (let e = 0, i = 0, at = 0; i <= size; i++) {
    start[i] = at
    if (i === size) break
    const from = at
    for (; e < entries && entryRecord[e] === i; e++) {
      const value = entryBlock[e] as number
      if (!keep(value)) continue
      let j = at++
      while (j > from && (block[j - 1] as number) > value) {
        block[j] = block[j - 1] as number
        j--
      }
      block[j] = value
    }
  }
  // The blocks that generate pairs, ascending by id, and their members.
  let kept = 0
  let skippedBlocks = 0
  let skippedRecords = 0
  for (let b = 0; b < blockCount; b++) {
    const count = counts[b] as number
    if (count > maxBlockSize) {
      skippedBlocks++
      skippedRecords += count
    } else if (count > 1) kept++
  }
  if (scratch.position.length < blockCount) scratch.position = new Int32Array(Math.max(blockCount, scratch.position.length * 2))
  const position = scratch.position
  const blockIds = sharedInt32(kept)
  const memberStart = sharedInt32(kept + 1)
  for (let b = 0, k = 0; b < blockCount; b++) {
    if (keep(b)) {
      position[b] = k
      blockIds[k] = b
      memberStart[k + 1] = (memberStart[k] as number) + (counts[b] as number)
      k++
    } else position[b] = -1
  }
  const members = sharedInt32(memberStart[kept] as number)
  // The block sizes are no longer needed: their array (as long as the blocks) holds each block's next free slot.
  const next = counts
  next.set(memberStart.subarray(0, kept))
  for (let i = 0; i < size; i++) {
    for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
      const k = position[block[e] as number] as number
      const at = next[k] as number
      members[at] = i
      next[k] = at + 1
    }
  }
  return { rule: rule.text, start, block, blockIds, memberStart, members, stats: { rule: rule.text, blocks: kept, splitBlocks, skippedBlocks, skippedRecords } }
}

/** The first block a and b share under a rule (blocks that generate pairs only), or -1. */
function firstSharedBlock(rule: RuleBlocks, a: number, b: number): number {
  const block = rule.block
  let x = rule.start[a] as number
  const xe = rule.start[a + 1] as number
  let y = rule.start[b] as number
  const ye = rule.start[b + 1] as number
  while (x < xe && y < ye) {
    const p = block[x] as number
    const q = block[y] as number
    if (p === q) return p
    if (p < q) x++
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
export function planBlocking(
  table: FeatureTable,
  rules: BlockingRule[],
  options: { maxBlockSize?: number; units?: number; minimumUnitPairs?: number; workers?: LinkageWorkers | null } = {},
): BlockingPlan {
  const maxBlockSize = options.maxBlockSize ?? 1000
  const link = table.leftSize < table.size
  const built = ruleBlocksOf(table, rules, maxBlockSize, options.workers ?? null)
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
  return { rules: built, unitRule: Int32Array.from(unitRule), unitFrom: Int32Array.from(unitFrom), unitTo: Int32Array.from(unitTo), leftSize: table.leftSize, link }
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

/**
 * The rules' blocks, kept with the table (training and prediction block on some of the same rules); those
 * not built yet are built on the worker threads if there are any, else here.
 */
function ruleBlocksOf(table: FeatureTable, rules: BlockingRule[], maxBlockSize: number, workers: LinkageWorkers | null): RuleBlocks[] {
  const keyOf = (rule: BlockingRule) => `blocks:${maxBlockSize}:${rule.text}`
  const cachedOf = (rule: BlockingRule) => {
    const cached = table.cache.get(keyOf(rule)) as { size: number; generation: number; blocks: RuleBlocks } | undefined
    return cached && cached.size === table.size && cached.generation === table.generation ? cached.blocks : null
  }
  const missing = rules.filter((rule, r) => cachedOf(rule) === null && rules.findIndex((other) => other.text === rule.text) === r)
  if (missing.length > 0) {
    const scratch = new BlockScratch()
    const built = workers ? workers.buildBlocks(missing, maxBlockSize) : missing.map((rule) => buildRuleBlocks(table, rule, maxBlockSize, scratch))
    missing.forEach((rule, r) => table.cache.set(keyOf(rule), { size: table.size, generation: table.generation, blocks: built[r] }))
  }
  return rules.map((rule) => cachedOf(rule) as RuleBlocks)
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
  /** Worker threads to build the rules' blocks on. */
  workers?: LinkageWorkers | null
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
  const plan = planBlocking(table, rules, { ...(options.maxBlockSize !== undefined ? { maxBlockSize: options.maxBlockSize } : {}), workers: options.workers ?? null })
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
export function countRulePairs(table: FeatureTable, rule: BlockingRule, maxBlockSize = 1000, workers: LinkageWorkers | null = null): number {
  const [blocks] = ruleBlocksOf(table, [rule], maxBlockSize, workers) as [RuleBlocks]
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

/** The plan for worker threads: its blocks are in shared memory already; the unit arrays are copied there. */
export function sharedPlan(plan: BlockingPlan): BlockingPlan {
  return { ...plan, unitRule: sharedCopy(plan.unitRule), unitFrom: sharedCopy(plan.unitFrom), unitTo: sharedCopy(plan.unitTo) }
}
