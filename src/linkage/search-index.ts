// The encounter search index: every person record's features in memory, inverted lists from name keys and
// identifiers to records, and the linkage model to rank what they find. A query is whatever an officer has
// (a name in any spelling or script, a date of birth or an age range, sex, nationality, an identifier): it
// is appended to the feature table, its keys find candidates, the model scores them, and the best come
// back each with its explanation. Records are added, replaced and removed as the register changes; the
// arrays are compacted when a fifth of them are stale.
import { DOB_EXACT, NONE, SEX_UNKNOWN, appendRecord, createFeatureTable, removeLastRecord, rowOf, type FeatureTable } from './features.ts'
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
  /** Most candidates sharing an identifier or two or more of the query's names scored per query. Default 2,000. */
  maxCandidates?: number
  /** Most further candidates matching only one of several query names (the same date of birth first, then the nearest). Default 400. */
  maxWeakCandidates?: number
}

/** A growable int32 list, for posting lists. */
class Postings {
  items: Int32Array
  length = 0
  constructor(capacity = 4) {
    this.items = new Int32Array(capacity)
  }
  static of(position: number): Postings {
    const list = new Postings(1)
    list.push(position)
    return list
  }
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
/** A key's postings: the one record that has it (most identifiers, misspellings), or a list. */
type Posting = number | Postings
/**
 * Candidate order keys, in four tiers (two names or more; one name; each again for a conflicting sex or
 * nationality), and in each as the model weighs the fields: names in common; then the dates of birth (the
 * same exact date, consistent, within a year, within three years, further); then how many names matched by
 * their own spelling or a variant rather than a sound or a slip; then whether the nationality is the same.
 * (Within one date level the model gives the same weight whatever the gap, so the gap does not order them.)
 */
const MAX_NAMES_RANK = 7
const DOB_RANKS = 5
const TIER_KEYS = (MAX_NAMES_RANK + 1) * DOB_RANKS * (MAX_NAMES_RANK + 1) * 2
/** A record matching one query name only is a candidate when its date of birth is within three years. */
const WEAK_GAP_DAYS = 1096

/** The k best (position, weight) pairs offered, in a min-heap on weight; an equal weight does not displace. */
export class TopK {
  private readonly positions: Int32Array
  private readonly weights: Float64Array
  private readonly order: Int32Array
  private length = 0
  private offered = 0
  readonly k: number
  constructor(k: number) {
    this.k = k
    this.positions = new Int32Array(k)
    this.weights = new Float64Array(k)
    this.order = new Int32Array(k)
  }
  get full(): boolean {
    return this.k > 0 && this.length === this.k
  }
  /** The k-th best weight (the heap's root); only meaningful when full. */
  get worst(): number {
    return this.weights[0] as number
  }
  /** Whether a sits below b in the ranking: a lower weight, or the same weight offered later. */
  private below(i: number, j: number): boolean {
    const wi = this.weights[i] as number
    const wj = this.weights[j] as number
    return wi < wj || (wi === wj && (this.order[i] as number) > (this.order[j] as number))
  }
  private swap(i: number, j: number): void {
    const p = this.positions[i] as number
    this.positions[i] = this.positions[j] as number
    this.positions[j] = p
    const w = this.weights[i] as number
    this.weights[i] = this.weights[j] as number
    this.weights[j] = w
    const o = this.order[i] as number
    this.order[i] = this.order[j] as number
    this.order[j] = o
  }
  offer(position: number, weight: number): void {
    const order = this.offered++
    if (this.k === 0) return
    if (this.length < this.k) {
      let i = this.length++
      this.positions[i] = position
      this.weights[i] = weight
      this.order[i] = order
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!this.below(i, parent)) break
        this.swap(i, parent)
        i = parent
      }
      return
    }
    if (!(weight > (this.weights[0] as number))) return
    this.positions[0] = position
    this.weights[0] = weight
    this.order[0] = order
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < this.length && this.below(left, least)) least = left
      if (right < this.length && this.below(right, least)) least = right
      if (least === i) break
      this.swap(i, least)
      i = least
    }
  }
  /** Best first; equal weights in the order offered. */
  sorted(): { position: number; weight: number }[] {
    const hits: { position: number; weight: number; order: number }[] = []
    for (let i = 0; i < this.length; i++) hits.push({ position: this.positions[i] as number, weight: this.weights[i] as number, order: this.order[i] as number })
    hits.sort((a, b) => b.weight - a.weight || a.order - b.order)
    return hits.map(({ position, weight }) => ({ position, weight }))
  }
}

export class SearchIndex {
  private table: FeatureTable
  private scorer: Scorer
  private scorerGeneration: number
  private readonly baseModel: LinkageModel
  private readonly options: Required<Omit<SearchIndexOptions, 'prior'>> & { prior: number | undefined }
  /** Postings by canonical token (the variant group's head, else the token), by sound key, by identifier. */
  private tokenPostings = new Map<number, Posting>()
  private soundPostings = new Map<number, Posting>()
  private identifierPostings = new Map<number, Posting>()
  /** Tokens by one deleted letter, for finding a name typed with a slip. */
  private deletions = new Map<string, number[]>()
  private indexedTokens = new Set<number>()
  private readonly seen: number[] = []
  private positionOf = new Map<string, number>()
  private stale = new Uint8Array(1024)
  private staleCount = 0
  private counts = new Uint8Array(1024)
  private stamps = new Int32Array(1024)
  private stampCounter = 0
  /** Scratch for a query's candidates: records found, their sort keys, the sorted order, records picked. */
  private touched = new Int32Array(1024)
  private keys = new Int32Array(1024)
  private ordered = new Int32Array(1024)
  private picked = new Uint8Array(1024)
  private histogram = new Int32Array(4 * TIER_KEYS + 1)
  private exacts = new Uint8Array(1024)

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

  private post(map: Map<number, Posting>, key: number, position: number): void {
    const entry = map.get(key)
    if (entry === undefined) map.set(key, position)
    else if (typeof entry === 'number') {
      const list = new Postings()
      list.push(entry)
      list.push(position)
      map.set(key, list)
    } else entry.push(position)
  }

  private postings(map: Map<number, Posting>, key: number): Postings | undefined {
    const entry = map.get(key)
    return typeof entry === 'number' ? Postings.of(entry) : entry
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
    // Each key once a record (a record's names are few: a short list beats a set).
    const seen = this.seen
    seen.length = 0
    for (const rows of [this.table.given, this.table.family, this.table.other]) {
      const tokens = rows.tokens
      for (let k = rows.start[position] as number; k < (rows.start[position + 1] as number); k++) {
        const token = tokens[k] as number
        const key = this.canonical(token)
        if (seen.includes(key)) continue
        seen.push(key)
        this.post(this.tokenPostings, key, position)
        this.post(this.soundPostings, sound[token] as number, position)
        this.indexDeletions(token)
      }
    }
    for (const joined of rowOf(this.table.joined, position)) {
      if (!seen.includes(joined)) {
        seen.push(joined)
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
      const top = new TopK(Math.max(0, Math.floor(options.top)))
      const records = this.table.records
      for (let k = 0; k < candidates.length; k++) {
        const position = candidates[k] as number
        if (options.accept && !options.accept((records[position] as PersonRecord).recordId)) continue
        // A candidate must beat the k-th best so far (ties go to the earlier candidate) and the minimum.
        const floor = top.full ? Math.max(minimumWeight, top.worst) : minimumWeight
        const weight = scorer.scoreAtLeast(q, position, floor)
        if (weight >= minimumWeight) top.offer(position, weight)
      }
      return top.sorted().map((hit) => make(scorer, q, hit.position, hit.weight))
    } finally {
      removeLastRecord(this.table)
    }
  }

  private growScratch(size: number): void {
    if (this.touched.length < size) {
      const grown = new Int32Array(Math.max(size, this.touched.length * 2))
      grown.set(this.touched)
      this.touched = grown
    }
    if (this.keys.length < size) this.keys = new Int32Array(this.touched.length)
  }

  /**
   * Candidate positions, in the order they are best scored: records sharing an identifier, then records
   * matching two or more of the query's names (most names first, then the nearest date of birth), then
   * records matching one name whose date of birth allows it (within three years, or unknown), nearest first.
   * Name keys: exact, variant, sound, one slip.
   */
  private candidates(q: number): Int32Array {
    const table = this.table
    const counts = this.counts
    const stale = this.stale
    if (this.picked.length < counts.length) this.picked = new Uint8Array(counts.length)
    const picked = this.picked
    const result: number[] = []
    const pick = (position: number) => {
      if (picked[position] === 0 && position !== q) {
        picked[position] = 1
        result.push(position)
      }
    }
    for (const identifier of rowOf(table.identifiers, q)) {
      const list = this.postings(this.identifierPostings, identifier)
      if (list) for (let k = 0; k < list.length; k++) if (stale[list.items[k] as number] === 0) pick(list.items[k] as number)
    }
    // One entry per query name token: the union of its keys' postings, rarest tokens first.
    const sound = table.vocabulary.sound
    // The first `exact` lists of an entry are the name's own spelling or variant group.
    const tokenLists: { lists: Postings[]; size: number; exact: number; joined?: true }[] = []
    const queryTokens = [...rowOf(table.given, q), ...rowOf(table.family, q), ...rowOf(table.other, q)]
    for (const token of queryTokens) {
      const lists: Postings[] = []
      const exact = this.postings(this.tokenPostings, this.canonical(token))
      if (exact) lists.push(exact)
      const bySound = this.postings(this.soundPostings, sound[token] as number)
      if (bySound && bySound !== exact) lists.push(bySound)
      const text = table.vocabulary.strings[token] ?? ''
      if (text.length >= DELETION_MIN_LENGTH - 1) {
        const near = new Set<number>()
        for (const token2 of this.deletions.get(text) ?? []) near.add(token2)
        for (let k = 0; k < text.length; k++) {
          const shorter = text.slice(0, k) + text.slice(k + 1)
          for (const token2 of this.deletions.get(shorter) ?? []) near.add(token2)
          // A record's name with a letter the query has left out (Elmick for Elmwick): the deletions hold only
          // names with a letter taken away, so the shorter name itself is looked up.
          if (shorter.length >= DELETION_MIN_LENGTH) {
            const dropped = table.vocabulary.lookup(shorter)
            if (dropped !== NONE) near.add(dropped)
          }
        }
        const direct = table.vocabulary.lookup(text)
        for (const token2 of near) {
          if (token2 === direct) continue
          const list = this.postings(this.tokenPostings, this.canonical(token2))
          if (list && !lists.includes(list)) lists.push(list)
        }
      }
      if (lists.length > 0) tokenLists.push({ lists, size: lists.reduce((sum, list) => sum + list.length, 0), exact: exact ? 1 : 0 })
    }
    for (const joined of rowOf(table.joined, q)) {
      const list = this.postings(this.tokenPostings, joined)
      if (list) tokenLists.push({ lists: [list], size: list.length, exact: 1, joined: true })
    }
    tokenLists.sort((a, b) => a.size - b.size)
    const common = this.options.commonKeyPostings
    let anyRare = false
    let touchedCount = 0
    if (this.exacts.length < counts.length) this.exacts = new Uint8Array(counts.length)
    const exacts = this.exacts
    for (const { lists, size, exact, joined } of tokenLists) {
      const rare = size <= common
      // A very common key (Mohammed, Nguyen) only counts for records a rarer key found, unless it is all there is.
      // Two names written together (Callum Jones as callumjones) are not a rarer key: the records they find hold
      // both names side by side, and the same names with a middle name between them (Callum Marcus Jones) or in
      // another order must still be found by the names one by one.
      const addNew = rare || !anyRare
      if (rare && !joined) anyRare = true
      if (addNew) this.growScratch(touchedCount + size)
      // A record found by two keys of one name counts once for it: each name has its own stamp.
      const stamp = ++this.stampCounter
      const stamps = this.stamps
      const touched = this.touched
      for (let l = 0; l < lists.length; l++) {
        const list = lists[l] as Postings
        const isExact = l < exact
        const items = list.items
        for (let k = 0; k < list.length; k++) {
          const position = items[k] as number
          if (stale[position] !== 0 || stamps[position] === stamp) continue
          const count = counts[position] as number
          if (count === 0 && !addNew) continue
          stamps[position] = stamp
          if (count === 0) touched[touchedCount++] = position
          if (count < 255) counts[position] = count + 1
          if (isExact && (exacts[position] as number) < 255) exacts[position] = (exacts[position] as number) + 1
        }
      }
    }
    // Order by a small integer key, with a counting sort (stable: ties keep the order records were found in):
    // records matching two or more names, most names in common first, then the nearest date of birth (a
    // common name needs its date to rank); then those matching one name; then those of a conflicting sex or
    // nationality (a weight of about -18 each: they rank only when nothing else is found).
    const touched = this.touched
    const keys = this.keys
    const needed = queryTokens.length >= 2 ? 2 : 1
    const { dobWideLow, dobWideHigh, dobFlags, dobDigits, sex, nationality } = table
    const exactQ = ((dobFlags[q] as number) & DOB_EXACT) !== 0
    const digitsQ = dobDigits[q] as number
    const queryKnown = dobFlags[q] !== 0
    const lowQ = dobWideLow[q] as number
    const highQ = dobWideHigh[q] as number
    const sexQ = sex[q] as number
    const nationalityQ = nationality[q] as number
    const histogram = this.histogram
    histogram.fill(0)
    const sizes = new Int32Array(4)
    for (let k = 0; k < touchedCount; k++) {
      const position = touched[k] as number
      const gap = !queryKnown || dobFlags[position] === 0 ? 0 : Math.max(0, lowQ - (dobWideHigh[position] as number), (dobWideLow[position] as number) - highQ)
      const count = counts[position] as number
      const exactCount = exacts[position] as number
      counts[position] = 0
      exacts[position] = 0
      const strong = count >= needed
      if (!strong && gap > WEAK_GAP_DAYS) {
        keys[k] = -1
        continue
      }
      const sexP = sex[position] as number
      const nationalityP = nationality[position] as number
      const conflict = (sexQ !== SEX_UNKNOWN && sexP !== SEX_UNKNOWN && sexQ !== sexP) || (nationalityQ !== NONE && nationalityP !== NONE && nationalityQ !== nationalityP)
      const tier = (strong ? 0 : 1) + (conflict ? 2 : 0)
      const sameNationality = nationalityQ !== NONE && nationalityQ === nationalityP ? 0 : 1
      const dobRank =
        exactQ && ((dobFlags[position] as number) & DOB_EXACT) !== 0 && dobDigits[position] === digitsQ ? 0 : gap === 0 ? 1 : gap <= 366 ? 2 : gap <= WEAK_GAP_DAYS ? 3 : 4
      const key =
        tier * TIER_KEYS +
        (((MAX_NAMES_RANK - Math.min(count, MAX_NAMES_RANK)) * DOB_RANKS + dobRank) * (MAX_NAMES_RANK + 1) + (MAX_NAMES_RANK - Math.min(exactCount, MAX_NAMES_RANK))) * 2 +
        sameNationality
      sizes[tier] = (sizes[tier] as number) + 1
      keys[k] = key
      histogram[key + 1] = (histogram[key + 1] as number) + 1
    }
    for (let b = 1; b < histogram.length; b++) histogram[b] = (histogram[b] as number) + (histogram[b - 1] as number)
    const ordered = this.growOrdered(touchedCount)
    for (let k = 0; k < touchedCount; k++) {
      const key = keys[k] as number
      if (key >= 0) {
        const slot = histogram[key] as number
        histogram[key] = slot + 1
        ordered[slot] = touched[k] as number
      }
    }
    // At most maxCandidates matching two names or more (and sharing an identifier); then, beyond those, up to
    // maxWeakCandidates matching one name (their own share: a record of the query's very date of birth found by
    // the given name alone must not be crowded out by namesakes of a common pair of names), then the conflicting.
    const maxCandidates = this.options.maxCandidates
    for (let k = 0; k < (sizes[0] as number) && result.length < maxCandidates; k++) pick(ordered[k] as number)
    const weakLimit = result.length + this.options.maxWeakCandidates
    const sorted = (sizes[0] as number) + (sizes[1] as number) + (sizes[2] as number) + (sizes[3] as number)
    for (let k = sizes[0] as number; k < sorted && result.length < weakLimit; k++) pick(ordered[k] as number)
    for (const position of result) picked[position] = 0
    return Int32Array.from(result)
  }

  private growOrdered(size: number): Int32Array {
    if (this.ordered.length < size) this.ordered = new Int32Array(Math.max(size, this.ordered.length * 2))
    return this.ordered
  }

  /** Approximate memory of the index's own structures, in bytes (typed arrays and lists). */
  memoryEstimate(): number {
    const t = this.table
    let bytes = 0
    for (const value of Object.values(t)) if (ArrayBuffer.isView(value)) bytes += value.byteLength
    for (const rows of [t.given, t.family, t.other, t.joined, t.identifiers]) bytes += rows.start.byteLength + rows.tokens.byteLength
    for (const map of [this.tokenPostings, this.soundPostings, this.identifierPostings]) for (const list of map.values()) bytes += typeof list === 'number' ? 16 : list.items.byteLength + 48
    return bytes
  }
}
