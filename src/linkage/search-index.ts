// The encounter search index: every person record's features in memory, inverted lists from name keys and
// identifiers to records, and the linkage model to rank what they find. A query is whatever an officer has
// (a name in any spelling or script, a date of birth or an age range, sex, nationality, an identifier): it
// is appended to the feature table, its keys find candidates, the model scores them, and the best come
// back each with its explanation. Records are added, replaced and removed as the register changes; the
// arrays are compacted when a fifth of them are stale.
import { NONE, appendRecord, createFeatureTable, removeLastRecord, rowOf, type FeatureTable } from './features.ts'
import { Scorer, probabilityOfWeight, weightOfProbability, type LinkageModel, type PairExplanation } from './model.ts'
import type { PersonRecord } from './person-record.ts'

export interface SearchHit {
  recordId: string
  matchWeight: number
  matchProbability: number
}

export interface SearchOptions {
  top: number
  /** Only records this accepts are candidates (for example: has an open episode, or the actor may see it). */
  accept?: (recordId: string) => boolean
  /** Leave out hits below this match probability. */
  minimumProbability?: number
}

export interface SearchIndexOptions {
  /** The prior of a query matching one record; default 1 / the number of records (at least 1e-7). */
  prior?: number
  /** Above this many postings a query key only ranks candidates found by rarer keys. Default 20,000. */
  commonKeyPostings?: number
  /** Most candidates scored per query. Default 2,000. */
  maxCandidates?: number
  /** Most candidates matching only one of several query names (nearest date of birth first). Default 400. */
  maxWeakCandidates?: number
}

/** A growable int32 list, for posting lists. */
class Postings {
  items = new Int32Array(4)
  length = 0
  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2)
      grown.set(this.items)
      this.items = grown
    }
    this.items[this.length++] = value
  }
}

const DELETION_MIN_LENGTH = 4

export class SearchIndex {
  private table: FeatureTable
  private scorer: Scorer
  private scorerGeneration: number
  private readonly baseModel: LinkageModel
  private readonly options: Required<Omit<SearchIndexOptions, 'prior'>> & { prior: number | undefined }
  /** Postings by canonical token (the variant group's head, else the token), by sound key, by identifier. */
  private tokenPostings = new Map<number, Postings>()
  private soundPostings = new Map<number, Postings>()
  private identifierPostings = new Map<number, Postings>()
  /** Tokens by one deleted letter, for finding a name typed with a slip. */
  private deletions = new Map<string, number[]>()
  private indexedTokens = new Set<number>()
  private positionOf = new Map<string, number>()
  private stale = new Uint8Array(1024)
  private staleCount = 0
  private counts = new Uint8Array(1024)
  private stamps = new Int32Array(1024)
  private stampCounter = 0

  constructor(model: LinkageModel, records: Iterable<PersonRecord> = [], options: SearchIndexOptions = {}) {
    this.baseModel = model
    this.options = {
      prior: options.prior,
      commonKeyPostings: options.commonKeyPostings ?? 20_000,
      maxCandidates: options.maxCandidates ?? 2_000,
      maxWeakCandidates: options.maxWeakCandidates ?? 400,
    }
    this.table = createFeatureTable({ capacity: 1024 })
    for (const record of records) this.addRecord(record)
    this.scorer = this.newScorer()
    this.scorerGeneration = this.table.generation
  }

  /** The number of live records. */
  get size(): number {
    return this.positionOf.size
  }

  private newScorer(): Scorer {
    const prior = this.options.prior ?? Math.max(1e-7, 1 / Math.max(1, this.size))
    return new Scorer({ ...this.baseModel, probabilityTwoRandomRecordsMatch: Math.min(0.5, prior) }, this.table)
  }

  private canonical(token: number): number {
    const variant = this.table.vocabulary.variant[token] as number
    return variant === NONE ? token : variant
  }

  private post(map: Map<number, Postings>, key: number, position: number): void {
    let list = map.get(key)
    if (!list) {
      list = new Postings()
      map.set(key, list)
    }
    list.push(position)
  }

  private indexDeletions(token: number): void {
    if (this.indexedTokens.has(token)) return
    this.indexedTokens.add(token)
    const text = this.table.vocabulary.strings[token] ?? ''
    if (text.length < DELETION_MIN_LENGTH) return
    for (let k = 0; k < text.length; k++) {
      const key = text.slice(0, k) + text.slice(k + 1)
      const list = this.deletions.get(key)
      if (list) {
        if (!list.includes(token)) list.push(token)
      } else this.deletions.set(key, [token])
    }
  }

  private addRecord(record: PersonRecord): void {
    const existing = this.positionOf.get(record.recordId)
    if (existing !== undefined) this.markStale(existing)
    const position = appendRecord(this.table, record)
    if (position >= this.stale.length) {
      const grown = new Uint8Array(this.stale.length * 2)
      grown.set(this.stale)
      this.stale = grown
      this.counts = new Uint8Array(this.stale.length)
      this.stamps = new Int32Array(this.stale.length)
      this.stampCounter = 0
    }
    this.stale[position] = 0
    this.positionOf.set(record.recordId, position)
    const sound = this.table.vocabulary.sound
    const seen = new Set<number>()
    for (const rows of [this.table.given, this.table.family, this.table.other]) {
      for (const token of rowOf(rows, position)) {
        const key = this.canonical(token)
        if (seen.has(key)) continue
        seen.add(key)
        this.post(this.tokenPostings, key, position)
        this.post(this.soundPostings, sound[token] as number, position)
        this.indexDeletions(token)
      }
    }
    for (const joined of rowOf(this.table.joined, position)) {
      if (!seen.has(joined)) {
        seen.add(joined)
        this.post(this.tokenPostings, joined, position)
      }
    }
    for (const identifier of rowOf(this.table.identifiers, position)) this.post(this.identifierPostings, identifier, position)
  }

  private markStale(position: number): void {
    if (this.stale[position] === 0) {
      this.stale[position] = 1
      this.staleCount++
    }
  }

  /** Adds a record, or replaces the record with the same id. */
  upsert(record: PersonRecord): void {
    this.addRecord(record)
    this.compactIfNeeded()
  }

  remove(recordId: string): void {
    const position = this.positionOf.get(recordId)
    if (position === undefined) return
    this.markStale(position)
    this.positionOf.delete(recordId)
    this.compactIfNeeded()
  }

  has(recordId: string): boolean {
    return this.positionOf.has(recordId)
  }

  private compactIfNeeded(): void {
    if (this.staleCount < 1000 || this.staleCount * 5 < this.table.size) return
    this.rebuild()
  }

  /** Rebuilds the arrays and lists from the live records (also refreshes term frequencies). */
  rebuild(): void {
    const live = [...this.positionOf.values()].sort((a, b) => a - b).map((position) => this.table.records[position] as PersonRecord)
    this.table = createFeatureTable({ capacity: live.length + 1024, vocabulary: this.table.vocabulary, similarity: this.table.similarity })
    this.tokenPostings = new Map()
    this.soundPostings = new Map()
    this.identifierPostings = new Map()
    this.positionOf = new Map()
    this.stale = new Uint8Array(live.length + 1024)
    this.counts = new Uint8Array(this.stale.length)
    this.stamps = new Int32Array(this.stale.length)
    this.stampCounter = 0
    this.staleCount = 0
    for (const record of live) this.addRecord(record)
    this.scorer = this.newScorer()
    this.scorerGeneration = this.table.generation
  }

  private currentScorer(): Scorer {
    if (this.scorerGeneration !== this.table.generation) {
      this.scorer = this.newScorer()
      this.scorerGeneration = this.table.generation
    }
    return this.scorer
  }

  /** The best matches for a query record, best first. */
  search(query: PersonRecord, options: SearchOptions): SearchHit[] {
    return this.searchWith(query, options, (scorer, q, position, weight) => ({
      recordId: (this.table.records[position] as PersonRecord).recordId,
      matchWeight: weight,
      matchProbability: probabilityOfWeight(weight),
    }))
  }

  /** The best matches with each one's per-field explanation (prior plus each comparison's weight). */
  searchExplained(query: PersonRecord, options: SearchOptions): (SearchHit & { explanation: PairExplanation })[] {
    return this.searchWith(query, options, (scorer, q, position, weight) => ({
      recordId: (this.table.records[position] as PersonRecord).recordId,
      matchWeight: weight,
      matchProbability: probabilityOfWeight(weight),
      explanation: scorer.explain(q, position),
    }))
  }

  private searchWith<T>(query: PersonRecord, options: SearchOptions, make: (scorer: Scorer, q: number, position: number, weight: number) => T): T[] {
    const q = appendRecord(this.table, query)
    try {
      if (q >= this.counts.length) this.counts = new Uint8Array(this.table.size * 2)
      if (q >= this.stamps.length) {
        this.stamps = new Int32Array(this.table.size * 2)
        this.stampCounter = 0
      }
      if (q >= this.stale.length) {
        const grown = new Uint8Array(this.table.size * 2)
        grown.set(this.stale)
        this.stale = grown
      }
      const scorer = this.currentScorer()
      const candidates = this.candidates(q)
      const minimumWeight = options.minimumProbability === undefined ? -Infinity : weightOfProbability(options.minimumProbability)
      const scored: { position: number; weight: number }[] = []
      for (const position of candidates) {
        if (options.accept && !options.accept((this.table.records[position] as PersonRecord).recordId)) continue
        const weight = scorer.score(q, position)
        if (weight >= minimumWeight) scored.push({ position, weight })
      }
      scored.sort((a, b) => b.weight - a.weight)
      return scored.slice(0, options.top).map((hit) => make(scorer, q, hit.position, hit.weight))
    } finally {
      removeLastRecord(this.table)
    }
  }

  /** Candidate positions: records sharing an identifier, or name keys (exact, variant, sound, one slip). */
  private candidates(q: number): number[] {
    const table = this.table
    const counts = this.counts
    const touched: number[] = []
    const result = new Set<number>()
    for (const identifier of rowOf(table.identifiers, q)) {
      const list = this.identifierPostings.get(identifier)
      if (list) for (let k = 0; k < list.length; k++) if (this.stale[list.items[k] as number] === 0) result.add(list.items[k] as number)
    }
    // One entry per query name token: the union of its keys' postings, rarest tokens first.
    const sound = table.vocabulary.sound
    const tokenLists: Postings[][] = []
    const queryTokens = [...rowOf(table.given, q), ...rowOf(table.family, q), ...rowOf(table.other, q)]
    for (const token of queryTokens) {
      const lists: Postings[] = []
      const exact = this.tokenPostings.get(this.canonical(token))
      if (exact) lists.push(exact)
      const bySound = this.soundPostings.get(sound[token] as number)
      if (bySound && bySound !== exact) lists.push(bySound)
      const text = table.vocabulary.strings[token] ?? ''
      if (text.length >= DELETION_MIN_LENGTH - 1) {
        const near = new Set<number>()
        for (const token2 of this.deletions.get(text) ?? []) near.add(token2)
        for (let k = 0; k < text.length; k++) for (const token2 of this.deletions.get(text.slice(0, k) + text.slice(k + 1)) ?? []) near.add(token2)
        const direct = table.vocabulary.lookup(text)
        for (const token2 of near) {
          if (token2 === direct) continue
          const list = this.tokenPostings.get(this.canonical(token2))
          if (list && !lists.includes(list)) lists.push(list)
        }
      }
      if (lists.length > 0) tokenLists.push(lists)
    }
    for (const joined of rowOf(table.joined, q)) {
      const list = this.tokenPostings.get(joined)
      if (list) tokenLists.push([list])
    }
    const sizeOf = (lists: Postings[]) => lists.reduce((sum, list) => sum + list.length, 0)
    tokenLists.sort((a, b) => sizeOf(a) - sizeOf(b))
    const common = this.options.commonKeyPostings
    let anyRare = false
    for (const lists of tokenLists) {
      const rare = sizeOf(lists) <= common
      // A very common key (Mohammed, Nguyen) only counts for records a rarer key found, unless it is all there is.
      const addNew = rare || !anyRare
      if (rare) anyRare = true
      // A record found by two keys of one name counts once for it: each name has its own stamp.
      const stamp = ++this.stampCounter
      const stamps = this.stamps
      const stale = this.stale
      for (const list of lists) {
        const items = list.items
        for (let k = 0; k < list.length; k++) {
          const position = items[k] as number
          if (stale[position] !== 0 || stamps[position] === stamp) continue
          const count = counts[position] as number
          if (count === 0 && !addNew) continue
          stamps[position] = stamp
          if (count === 0) touched.push(position)
          if (count < 255) counts[position] = count + 1
        }
      }
    }
    // Records matching two or more of the query's names; those matching one only when the date of birth
    // allows it (within three years, or unknown), nearest first.
    const needed = queryTokens.length >= 2 ? 2 : 1
    const { dobWideLow, dobWideHigh, dobFlags } = table
    const queryKnown = dobFlags[q] !== 0
    const gapOf = (position: number) =>
      !queryKnown || dobFlags[position] === 0
        ? 0
        : Math.max(0, (dobWideLow[q] as number) - (dobWideHigh[position] as number), (dobWideLow[position] as number) - (dobWideHigh[q] as number))
    const strong: { position: number; count: number; gap: number }[] = []
    const weak: { position: number; gap: number }[] = []
    for (const position of touched) {
      const gap = gapOf(position)
      if ((counts[position] as number) >= needed) strong.push({ position, count: counts[position] as number, gap })
      else if (gap <= 1096) weak.push({ position, gap })
    }
    // Most names in common first, then the nearest date of birth (a common name needs its date to rank).
    strong.sort((a, b) => b.count - a.count || a.gap - b.gap)
    weak.sort((a, b) => a.gap - b.gap)
    for (const { position } of strong) {
      if (result.size >= this.options.maxCandidates) break
      result.add(position)
    }
    const weakLimit = result.size + this.options.maxWeakCandidates
    for (const { position } of weak) {
      if (result.size >= this.options.maxCandidates || result.size >= weakLimit) break
      result.add(position)
    }
    for (const position of touched) counts[position] = 0
    result.delete(q)
    return [...result]
  }

  /** Approximate memory of the index's own structures, in bytes (typed arrays and lists). */
  memoryEstimate(): number {
    const t = this.table
    let bytes = 0
    for (const value of Object.values(t)) if (ArrayBuffer.isView(value)) bytes += value.byteLength
    for (const rows of [t.given, t.family, t.other, t.joined, t.identifiers]) bytes += rows.start.byteLength + rows.tokens.byteLength
    for (const map of [this.tokenPostings, this.soundPostings, this.identifierPostings]) for (const list of map.values()) bytes += list.items.byteLength + 48
    return bytes
  }
}
