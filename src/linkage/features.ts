// Per-record features, computed once and kept in typed arrays, so that comparing two records is integer
// work: every name token, full name, identifier and column value is interned to an integer id in one
// vocabulary (with its sound key and name-variant group), dates of birth are day numbers, and the
// Jaro-Winkler similarity of two interned strings is computed once and cached.
import { nameSoundKey } from '../lib/names.ts'
import { jaroWinkler } from './jaro-winkler.ts'
import { nameTokens } from './names.ts'
import { NAME_VARIANT_OF } from './name-variants.ts'
import type { PersonRecord } from './person-record.ts'
import { buildCode, eyeCode, hairCode, parseMarks } from './description.ts'

/** No value (a missing date, a blank field). */
export const NONE = -1
export const OPEN_LOW = -2_147_483_648
export const OPEN_HIGH = 2_147_483_647

const ARTICLE = /^(?:al|el)(?=[^aeiou\s][a-z]{3,}$)/

/** A vocabulary's contents, to rebuild it in a worker thread (`new Vocabulary(parts)`). */
export interface VocabularyParts {
  strings: string[]
  sound: Int32Array
  variant: Int32Array
  soundKeys: string[]
}

/** Interned strings with their sound key and name-variant group. */
export class Vocabulary {
  private ids = new Map<string, number>()
  readonly strings: string[] = []
  /** Sound key id of each string (its tokens' keys joined), or NONE for non-name values. */
  sound: Int32Array = new Int32Array(1024)
  /** The id of the first spelling of the string's variant group, or NONE. */
  variant: Int32Array = new Int32Array(1024)
  private soundIds = new Map<string, number>()
  readonly soundKeys: string[] = []
  /** A restored vocabulary builds its look-up maps on first use (a scoring worker seldom needs them). */
  private mapsPending = false

  /** A new vocabulary, or a copy of one from its parts (which it takes over). */
  constructor(parts?: VocabularyParts) {
    if (parts) {
      this.strings = parts.strings
      this.sound = parts.sound
      this.variant = parts.variant
      this.soundKeys = parts.soundKeys
      this.mapsPending = true
    }
  }

  /** Its contents: the arrays themselves, trimmed to size. */
  parts(): VocabularyParts {
    return { strings: this.strings, sound: this.sound.subarray(0, this.size), variant: this.variant.subarray(0, this.size), soundKeys: this.soundKeys }
  }

  private get idMap(): Map<string, number> {
    if (this.mapsPending) this.buildMaps()
    return this.ids
  }

  private buildMaps(): void {
    this.mapsPending = false
    this.ids = new Map()
    for (let id = 0; id < this.strings.length; id++) this.ids.set(this.strings[id] as string, id)
    this.soundIds = new Map()
    for (let id = 0; id < this.soundKeys.length; id++) this.soundIds.set(this.soundKeys[id] as string, id)
  }

  get size(): number {
    return this.strings.length
  }

  /** The id of a value that is not a name (an identifier, a postcode): no sound key or variant. */
  internValue(text: string): number {
    const existing = this.idMap.get(text)
    if (existing !== undefined) return existing
    return this.add(text, NONE, NONE)
  }

  /** The id of a name token or of a whole name (tokens joined by one space). */
  internName(text: string): number {
    const existing = this.idMap.get(text)
    if (existing !== undefined) {
      if (this.sound[existing] === NONE && text !== '') this.sound[existing] = this.soundId(text)
      return existing
    }
    const variantHead = NAME_VARIANT_OF.get(text)
    let variant: number = NONE
    if (variantHead !== undefined) variant = variantHead === text ? this.strings.length : this.internName(variantHead)
    else {
      // An Arabic article written onto the name (Alhassan, Elsadig) is a spelling of the name without it.
      const article = ARTICLE.exec(text)
      if (article) {
        const rest = this.internName(text.slice(2))
        const restVariant = this.variant[rest] as number
        variant = restVariant === NONE ? rest : restVariant
      }
    }
    return this.add(text, this.soundId(text), variant)
  }

  lookup(text: string): number {
    return this.idMap.get(text) ?? NONE
  }

  private soundId(text: string): number {
    if (this.mapsPending) this.buildMaps()
    const key = text.includes(' ') ? text.split(' ').map(nameSoundKey).join(' ') : nameSoundKey(text)
    let id = this.soundIds.get(key)
    if (id === undefined) {
      id = this.soundKeys.length
      this.soundIds.set(key, id)
      this.soundKeys.push(key)
    }
    return id
  }

  private add(text: string, sound: number, variant: number): number {
    const id = this.strings.length
    if (id >= this.sound.length) {
      // (A restored vocabulary's arrays are exactly full, so its first addition lands here.)
      const sound2 = new Int32Array(Math.max(1024, this.sound.length * 2))
      sound2.set(this.sound)
      this.sound = sound2
      const variant2 = new Int32Array(sound2.length)
      variant2.set(this.variant)
      this.variant = variant2
    }
    this.ids.set(text, id)
    this.strings.push(text)
    this.sound[id] = sound
    this.variant[id] = variant
    return id
  }
}

/** A value computed once per unordered pair of interned ids (open addressing in typed arrays). */
export class PairCache {
  private mask: number
  /**
   * One slot per 16 bytes: the two ids in words 4s and 4s + 1, the value in the Float64 over words 4s + 2 and
   * 4s + 3. A look-up is a random read in a table of megabytes, mostly a miss of the processor's caches: with a
   * slot's key and value in one cache line it costs one miss, where three arrays cost three.
   */
  private keys: Int32Array
  // Float64: a value must read back exactly as computed, or a threshold (Jaro-Winkler >= 0.9) could give one
  // answer on the first look-up and another from the cache, and a pair's level depend on what came before it.
  private values: Float64Array
  private used = 0
  private readonly compute: (low: number, high: number) => number
  hits = 0
  misses = 0

  constructor(compute: (low: number, high: number) => number, capacityPowerOfTwo = 20) {
    this.compute = compute
    const capacity = 1 << capacityPowerOfTwo
    this.mask = capacity - 1
    const buffer = new ArrayBuffer(capacity * 16)
    this.keys = new Int32Array(buffer).fill(NONE)
    this.values = new Float64Array(buffer)
  }

  get(a: number, b: number): number {
    const low = a < b ? a : b
    const high = a < b ? b : a
    const mask = this.mask
    const keys = this.keys
    let slot = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca6b)) & mask
    for (;;) {
      const key = keys[slot << 2]
      if (key === NONE) break
      if (key === low && keys[(slot << 2) + 1] === high) {
        this.hits++
        return this.values[(slot << 1) + 1] as number
      }
      slot = (slot + 1) & mask
    }
    this.misses++
    const value = this.compute(low, high)
    if (this.used * 10 > mask * 7) {
      // Full: start again rather than grow without bound (the working set of a block is what matters).
      keys.fill(NONE)
      this.used = 0
      slot = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca6b)) & mask
    }
    keys[slot << 2] = low
    keys[(slot << 2) + 1] = high
    this.values[(slot << 1) + 1] = value
    this.used++
    return value
  }
}

/** Jaro-Winkler of two interned strings, computed once per pair. */
export class SimilarityCache {
  private readonly cache: PairCache

  constructor(vocabulary: Vocabulary, capacityPowerOfTwo = 20) {
    this.cache = new PairCache((low, high) => jaroWinkler(vocabulary.strings[low] ?? '', vocabulary.strings[high] ?? ''), capacityPowerOfTwo)
  }

  get hits(): number {
    return this.cache.hits
  }

  get misses(): number {
    return this.cache.misses
  }

  jaroWinkler(a: number, b: number): number {
    return a === b ? 1 : this.cache.get(a, b)
  }
}

/** Token lists per record, compressed: record i's tokens are tokens[start[i] .. start[i + 1]). */
export interface TokenRows {
  start: Int32Array
  tokens: Int32Array
}

export const DOB_EXACT = 1
export const DOB_DEFAULT = 2
export const DOB_RANGE = 4

/**
 * Features of every record of a run, left file first then right file (link) or one file (dedupe). The
 * arrays have room to spare so records can be appended (the search index adds and replaces records as the
 * register changes); when one grows, `generation` goes up and comparisons must be bound again.
 */
export interface FeatureTable {
  size: number
  generation: number
  /** Records [0, leftSize) are the left file; the rest the right file (link only). */
  leftSize: number
  records: PersonRecord[]
  vocabulary: Vocabulary
  similarity: SimilarityCache
  given: TokenRows
  family: TokenRows
  /** Tokens of other names (aliases, nicknames) not already among the given and family tokens. */
  other: TokenRows
  /** Two neighbouring tokens of a name written as one (abdul rahman -> abdulrahman, gebre mariam -> gebremariam). */
  joined: TokenRows
  /** For each joined token, the position of its first token in the record's given-then-family tokens (-1: from other names). */
  joinedPosition: Int8Array
  givenFull: Int32Array
  familyFull: Int32Array
  /** The set of given and family tokens in any order, interned (for "same names, another order" and its frequency). */
  nameSet: Int32Array
  /** The set of the tokens' sound keys, interned: the frequency of a name that slips and spellings do not change. */
  soundSet: Int32Array
  /** Date of birth as day numbers: the range it is known to lie in (OPEN_LOW/OPEN_HIGH for open ends). */
  dobLow: Int32Array
  dobHigh: Int32Array
  /** The range as calendar years: a default date (1 January) is its whole year. */
  dobYearLow: Int32Array
  dobYearHigh: Int32Array
  /** The range a default date (1 January) stands for: the year before to the year after. */
  dobWideLow: Int32Array
  dobWideHigh: Int32Array
  /** DOB_EXACT, DOB_DEFAULT (exact, but a 1 January default), DOB_RANGE; 0 when unknown. */
  dobFlags: Uint8Array
  /** YYYYMMDD of an exact date, for typo checks. */
  dobDigits: Int32Array
  sex: Uint8Array
  nationality: Int32Array
  identifiers: TokenRows
  identifierTypes: Int32Array
  /** Agency-local identifier types (force references, LA child ids): equal values count, different ones do not. */
  localIdentifierType: Uint8Array
  /** The description, normalised (description.ts): height in cm (0 unknown), hair, eyes and build codes (0 none). */
  heightCm: Uint8Array
  hair: Uint8Array
  eyes: Uint8Array
  build: Uint8Array
  /**
   * 1 when the record has any of the description (a height, build, hair, eyes or a mark), else 0: every
   * description comparison is at its null level when either record has none, so the scorer skips them all.
   */
  described: Uint8Array
  /** Distinguishing marks, each kind << 8 | part << 2 | side (description.ts). */
  marks: TokenRows
  /** Per-table caches (term frequencies, interned extra columns), filled on first use. */
  cache: Map<string, unknown>
  /** Raw name text -> token ids, so a name seen before is not tokenised again. */
  nameCache: Map<string, number[]>
}

export const SEX_UNKNOWN = 0
export const SEX_MALE = 1
export const SEX_FEMALE = 2

const LOCAL_IDENTIFIER_TYPES = ['force_reference', 'la_child_id']

/** Day number (days since 1970-01-01) of an ISO date, without building a Date object per call. */
export function dayNumber(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4))
  const month = Number(isoDate.slice(5, 7))
  const day = Number(isoDate.slice(8, 10))
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000)
}

export function isoDateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

export interface BuildOptions {
  vocabulary?: Vocabulary
  similarity?: SimilarityCache
  /** The number of records from the left file (link); the rest are the right file. Default: all (dedupe). */
  leftSize?: number
  /** Room for this many records before the arrays grow. */
  capacity?: number
}

type Numeric = Int32Array | Uint8Array | Int8Array

function grown<T extends Numeric>(array: T, minimum: number): T {
  if (array.length >= minimum) return array
  const next = new (array.constructor as new (length: number) => T)(Math.max(minimum, array.length * 2))
  next.set(array)
  return next
}

const RECORD_ARRAYS = [
  'givenFull', 'familyFull', 'nameSet', 'soundSet', 'dobLow', 'dobHigh', 'dobYearLow', 'dobYearHigh', 'dobWideLow', 'dobWideHigh', 'dobFlags', 'dobDigits', 'sex', 'nationality', 'heightCm', 'hair', 'eyes', 'build', 'described',
] as const

/** An empty table with room for `capacity` records. */
export function createFeatureTable(options: BuildOptions = {}): FeatureTable {
  const capacity = Math.max(16, options.capacity ?? 1024)
  const vocabulary = options.vocabulary ?? new Vocabulary()
  const rows = (perRecord: number): TokenRows => ({ start: new Int32Array(capacity + 1), tokens: new Int32Array(capacity * perRecord) })
  return {
    size: 0,
    generation: 0,
    leftSize: options.leftSize ?? Number.MAX_SAFE_INTEGER,
    records: [],
    vocabulary,
    similarity: options.similarity ?? new SimilarityCache(vocabulary),
    given: rows(2),
    family: rows(1),
    other: rows(1),
    joined: rows(2),
    joinedPosition: new Int8Array(capacity * 2),
    givenFull: new Int32Array(capacity),
    familyFull: new Int32Array(capacity),
    nameSet: new Int32Array(capacity),
    soundSet: new Int32Array(capacity),
    dobLow: new Int32Array(capacity),
    dobHigh: new Int32Array(capacity),
    dobYearLow: new Int32Array(capacity),
    dobYearHigh: new Int32Array(capacity),
    dobWideLow: new Int32Array(capacity),
    dobWideHigh: new Int32Array(capacity),
    dobFlags: new Uint8Array(capacity),
    dobDigits: new Int32Array(capacity),
    sex: new Uint8Array(capacity),
    nationality: new Int32Array(capacity),
    identifiers: rows(1),
    identifierTypes: new Int32Array(capacity),
    localIdentifierType: new Uint8Array(0),
    heightCm: new Uint8Array(capacity),
    hair: new Uint8Array(capacity),
    eyes: new Uint8Array(capacity),
    build: new Uint8Array(capacity),
    described: new Uint8Array(capacity),
    marks: rows(0),
    cache: new Map(),
    nameCache: new Map(),
  }
}

/** Appends tokens to a record's row (record i = table size), growing the pool. */
function pushRow(table: FeatureTable, rows: TokenRows, i: number, ids: readonly number[]): TokenRows {
  const start = rows.start
  let tokens = rows.tokens
  const from = start[i] as number
  if (from + ids.length > tokens.length) {
    tokens = grown(tokens, from + ids.length)
    table.generation++
  }
  for (let k = 0; k < ids.length; k++) tokens[from + k] = ids[k] as number
  start[i + 1] = from + ids.length
  return start === rows.start && tokens === rows.tokens ? rows : { start, tokens }
}

function growRecords(table: FeatureTable, minimum: number): void {
  if (table.givenFull.length >= minimum) return
  const capacity = Math.max(minimum, table.givenFull.length * 2)
  for (const name of RECORD_ARRAYS) (table as unknown as Record<string, Numeric>)[name] = grown(table[name], capacity)
  for (const rows of [table.given, table.family, table.other, table.joined, table.identifiers, table.marks]) rows.start = grown(rows.start, capacity + 1)
  table.generation++
}

function tokensOf(table: FeatureTable, text: string): number[] {
  let ids = table.nameCache.get(text)
  if (ids === undefined) {
    ids = nameTokens(text).map((token) => table.vocabulary.internName(token))
    if (table.nameCache.size > 2_000_000) table.nameCache.clear()
    table.nameCache.set(text, ids)
  }
  return ids
}

/** Computes one record's features at the end of the table; returns its index. */
export function appendRecord(table: FeatureTable, record: PersonRecord): number {
  const i = table.size
  const vocabulary = table.vocabulary
  growRecords(table, i + 1)
  const givenIds = tokensOf(table, record.givenNames)
  const familyIds = tokensOf(table, record.familyName)
  table.given = pushRow(table, table.given, i, givenIds)
  table.family = pushRow(table, table.family, i, familyIds)
  const joinName = (ids: readonly number[]) =>
    ids.length === 0 ? NONE : ids.length === 1 ? (ids[0] as number) : vocabulary.internName(ids.map((id) => vocabulary.strings[id]).join(' '))
  table.givenFull[i] = joinName(givenIds)
  table.familyFull[i] = joinName(familyIds)
  const all = [...givenIds, ...familyIds]
  table.nameSet[i] = all.length === 0 ? NONE : vocabulary.internValue(`set:${[...all].sort((x, y) => x - y).join(',')}`)
  table.soundSet[i] = all.length === 0 ? NONE : vocabulary.internValue(`sounds:${all.map((id) => vocabulary.sound[id] as number).sort((x, y) => x - y).join(',')}`)

  const joined: number[] = []
  const positions: number[] = []
  const addJoins = (ids: readonly number[], firstPosition: number) => {
    for (let k = 0; k + 1 < ids.length; k++) {
      const id = vocabulary.internName(`${vocabulary.strings[ids[k] ?? 0]}${vocabulary.strings[ids[k + 1] ?? 0]}`)
      if (!joined.includes(id)) {
        joined.push(id)
        positions.push(firstPosition < 0 ? -1 : Math.min(127, firstPosition + k))
      }
    }
  }
  addJoins(givenIds, 0)
  addJoins(familyIds, givenIds.length)
  if (givenIds.length > 0 && familyIds.length > 0) addJoins([givenIds[givenIds.length - 1] as number, familyIds[0] as number], givenIds.length - 1)
  const other: number[] = []
  for (const name of record.otherNames) {
    const ids = tokensOf(table, name)
    for (const id of ids) if (!all.includes(id) && !other.includes(id)) other.push(id)
    addJoins(ids, -1)
  }
  table.other = pushRow(table, table.other, i, other)
  const joinedFrom = table.joined.start[i] as number
  table.joined = pushRow(table, table.joined, i, joined)
  if (joinedFrom + positions.length > table.joinedPosition.length) table.joinedPosition = grown(table.joinedPosition, joinedFrom + positions.length)
  for (let k = 0; k < positions.length; k++) table.joinedPosition[joinedFrom + k] = positions[k] as number

  // Dates of birth
  const earliest = record.dobEarliest ?? record.dateOfBirth
  const latest = record.dobLatest ?? record.dateOfBirth
  if (earliest === null && latest === null) {
    table.dobFlags[i] = 0
    table.dobDigits[i] = 0
    for (const [low, high] of [['dobLow', 'dobHigh'], ['dobYearLow', 'dobYearHigh'], ['dobWideLow', 'dobWideHigh']] as const) {
      table[low][i] = OPEN_LOW
      table[high][i] = OPEN_HIGH
    }
  } else {
    const low = earliest === null ? OPEN_LOW : dayNumber(earliest)
    const high = latest === null ? OPEN_HIGH : dayNumber(latest)
    table.dobLow[i] = low
    table.dobHigh[i] = high
    table.dobWideLow[i] = low
    table.dobWideHigh[i] = high
    table.dobYearLow[i] = low
    table.dobYearHigh[i] = high
    table.dobDigits[i] = 0
    if (low === high) {
      const date = earliest as string
      table.dobDigits[i] = Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))
      const isDefault = date.endsWith('-01-01')
      table.dobFlags[i] = isDefault ? DOB_EXACT | DOB_DEFAULT : DOB_EXACT
      if (isDefault) {
        const year = Number(date.slice(0, 4))
        table.dobWideLow[i] = dayNumber(`${String(year - 1).padStart(4, '0')}-01-01`)
        table.dobWideHigh[i] = dayNumber(`${String(year + 1).padStart(4, '0')}-12-31`)
        table.dobYearHigh[i] = dayNumber(`${String(year).padStart(4, '0')}-12-31`)
      }
    } else table.dobFlags[i] = DOB_RANGE
  }
  table.sex[i] = record.sex === 'M' ? SEX_MALE : record.sex === 'F' ? SEX_FEMALE : SEX_UNKNOWN
  table.nationality[i] = record.nationality === null ? NONE : vocabulary.internValue(`nationality:${record.nationality}`)
  const identifierIds = record.identifiers.map((identifier) => vocabulary.internValue(`${identifier.type}:${identifier.value}`))
  const typeIds = record.identifiers.map((identifier) => vocabulary.internValue(identifier.type))
  const identifiersFrom = table.identifiers.start[i] as number
  table.identifiers = pushRow(table, table.identifiers, i, identifierIds)
  if (identifiersFrom + typeIds.length > table.identifierTypes.length) table.identifierTypes = grown(table.identifierTypes, identifiersFrom + typeIds.length)
  for (let k = 0; k < typeIds.length; k++) table.identifierTypes[identifiersFrom + k] = typeIds[k] as number
  if (table.localIdentifierType.length < vocabulary.size) {
    const local = new Uint8Array(Math.max(vocabulary.size * 2, 1024))
    for (const type of LOCAL_IDENTIFIER_TYPES) {
      const id = vocabulary.lookup(type)
      if (id !== NONE) local[id] = 1
    }
    table.localIdentifierType = local
    table.generation++
  } else
    for (const id of typeIds) if (LOCAL_IDENTIFIER_TYPES.includes(vocabulary.strings[id] ?? '')) table.localIdentifierType[id] = 1
  const description = record.description
  // Heights outside a Uint8 are refused by the CSV reader (30 to 250 cm); anything else counts as unknown.
  const height = description?.heightCm ?? 0
  table.heightCm[i] = height > 0 && height <= 255 ? Math.round(height) : 0
  table.hair[i] = hairCode(description?.hair)
  table.eyes[i] = eyeCode(description?.eyes)
  table.build[i] = buildCode(description?.build)
  table.marks = pushRow(table, table.marks, i, description?.distinguishingMarks ? parseMarks(description.distinguishingMarks) : [])
  const hasMarks = (table.marks.start[i + 1] as number) > (table.marks.start[i] as number)
  table.described[i] = table.heightCm[i] !== 0 || table.hair[i] !== 0 || table.eyes[i] !== 0 || table.build[i] !== 0 || hasMarks ? 1 : 0
  table.records[i] = record
  table.size = i + 1
  return i
}

/** Removes the last record (a search query appended for scoring); its tokens stay in the vocabulary. */
export function removeLastRecord(table: FeatureTable): void {
  if (table.size === 0) return
  table.size--
  table.records.length = table.size
}

/** Computes every record's features. The same raw name is tokenised once. */
export function buildFeatureTable(records: PersonRecord[], options: BuildOptions = {}): FeatureTable {
  const table = createFeatureTable({ ...options, capacity: options.capacity ?? records.length + 16 })
  table.leftSize = options.leftSize ?? records.length
  for (const record of records) appendRecord(table, record)
  return table
}

/** The interned values of one further column (FEBRL's postcode, a Splink model's column), computed once. */
export function columnValues(table: FeatureTable, column: string): Int32Array {
  const key = `column:${column}`
  const cached = table.cache.get(key)
  if (cached instanceof Int32Array && cached.length >= table.size) return cached
  const values = new Int32Array(table.size)
  for (let i = 0; i < table.size; i++) {
    const text = columnText(table.records[i] as PersonRecord, column)
    values[i] = text === null ? NONE : table.vocabulary.internValue(text)
  }
  table.cache.set(key, values)
  return values
}

/** Splink models name columns their own way; these common names read the person format's columns. */
const COLUMN_ALIASES: Record<string, string> = {
  first_name: 'given_names',
  forename: 'given_names',
  forenames: 'given_names',
  given_name: 'given_names',
  surname: 'family_name',
  last_name: 'family_name',
  dob: 'date_of_birth',
  gender: 'sex',
  unique_id: 'record_id',
}

/**
 * A column of a record by its person-format name, a further column's name, or a common Splink name for a
 * person-format column (first_name, surname, dob); null when blank.
 */
export function columnText(record: PersonRecord, column: string): string | null {
  let text: string | null
  if (column in record.extra) {
    text = record.extra[column] ?? null
    return text === '' ? null : text
  }
  switch (COLUMN_ALIASES[column] ?? column) {
    case 'record_id':
      text = record.recordId
      break
    case 'source':
      text = record.source
      break
    case 'given_names':
      text = record.givenNames
      break
    case 'family_name':
      text = record.familyName
      break
    case 'other_names':
      text = record.otherNames.join(';')
      break
    case 'date_of_birth':
      text = record.dateOfBirth
      break
    case 'dob_earliest':
      text = record.dobEarliest
      break
    case 'dob_latest':
      text = record.dobLatest
      break
    case 'sex':
      text = record.sex === 'U' ? null : record.sex
      break
    case 'nationality':
      text = record.nationality
      break
    case 'height_cm':
      text = record.description?.heightCm == null ? null : String(record.description.heightCm)
      break
    case 'build':
      text = record.description?.build ?? null
      break
    case 'hair':
      text = record.description?.hair ?? null
      break
    case 'eyes':
      text = record.description?.eyes ?? null
      break
    case 'distinguishing_marks':
      text = record.description?.distinguishingMarks ?? null
      break
    default:
      text = record.extra[column] ?? null
  }
  return text === null || text === '' ? null : text
}

/** Term frequencies (log2 of the share of records with the value) of an id column, computed once. */
export function termFrequencyLog(table: FeatureTable, key: string, values: (i: number) => ArrayLike<number> | number): Float32Array {
  const cacheKey = `tf:${key}`
  const cached = table.cache.get(cacheKey)
  if (cached instanceof Float32Array) return cached
  const counts = new Float64Array(table.vocabulary.size)
  let total = 0
  for (let i = 0; i < table.size; i++) {
    const value = values(i)
    if (typeof value === 'number') {
      if (value !== NONE) {
        counts[value] = (counts[value] ?? 0) + 1
        total++
      }
    } else {
      for (let k = 0; k < value.length; k++) {
        const id = value[k] as number
        counts[id] = (counts[id] ?? 0) + 1
        total++
      }
    }
  }
  const result = new Float32Array(table.vocabulary.size)
  let sumOfSquares = 0
  for (let id = 0; id < counts.length; id++) {
    const count = counts[id] ?? 0
    result[id] = count ? Math.log2(count / total) : Math.log2(1 / Math.max(1, total))
    if (count) sumOfSquares += (count / total) ** 2
  }
  table.cache.set(cacheKey, result)
  // The chance two values drawn at random are the same: the average u of "agree on this value".
  table.cache.set(`${cacheKey}:sumsq`, sumOfSquares)
  return result
}

/** One record's tokens of a TokenRows, as a subarray view. */
export function rowOf(rows: TokenRows, i: number): Int32Array {
  return rows.tokens.subarray(rows.start[i], rows.start[i + 1])
}

/** A feature table's contents, for a worker thread: its arrays copied into shared memory, its vocabulary, and (if asked) its records. */
export interface FeatureTableParts {
  size: number
  leftSize: number
  vocabulary: VocabularyParts
  arrays: Record<(typeof RECORD_ARRAYS)[number] | 'joinedPosition' | 'identifierTypes' | 'localIdentifierType', Numeric>
  rows: Record<'given' | 'family' | 'other' | 'joined' | 'identifiers' | 'marks', TokenRows>
  records: PersonRecord[] | null
}

/** A copy of a typed array in shared memory (workers read it without a copy of their own). */
export function sharedCopy<T extends Numeric | Float64Array | Float32Array>(array: T, length = array.length): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T
  const copy = new Type(new SharedArrayBuffer(Math.max(length, 1) * array.BYTES_PER_ELEMENT))
  copy.set(array.subarray(0, length) as never)
  return copy
}

/** The table's contents for `featureTableFromParts` in a worker; the records only if the comparisons read them (Splink SQL on further columns). */
export function featureTableParts(table: FeatureTable, options: { records: boolean }): FeatureTableParts {
  const size = table.size
  const rows = (from: TokenRows): TokenRows => ({ start: sharedCopy(from.start, size + 1), tokens: sharedCopy(from.tokens, from.start[size] as number) })
  const arrays = {} as FeatureTableParts['arrays']
  for (const name of RECORD_ARRAYS) arrays[name] = sharedCopy(table[name], size)
  arrays.joinedPosition = sharedCopy(table.joinedPosition, table.joined.start[size] as number)
  arrays.identifierTypes = sharedCopy(table.identifierTypes, table.identifiers.start[size] as number)
  arrays.localIdentifierType = sharedCopy(table.localIdentifierType)
  const vocabulary = table.vocabulary.parts()
  return {
    size,
    leftSize: table.leftSize,
    vocabulary: { ...vocabulary, sound: sharedCopy(vocabulary.sound), variant: sharedCopy(vocabulary.variant) },
    arrays,
    rows: { given: rows(table.given), family: rows(table.family), other: rows(table.other), joined: rows(table.joined), identifiers: rows(table.identifiers), marks: rows(table.marks) },
    records: options.records ? table.records : null,
  }
}

/** A feature table from its parts (in a worker thread): the same ids and arrays, its own caches. */
export function featureTableFromParts(parts: FeatureTableParts): FeatureTable {
  const vocabulary = new Vocabulary(parts.vocabulary)
  const table = createFeatureTable({ vocabulary, capacity: 16 })
  Object.assign(table, parts.arrays, parts.rows)
  table.size = parts.size
  table.leftSize = parts.leftSize
  table.records = parts.records ?? []
  return table
}
