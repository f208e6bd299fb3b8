// Comparisons: for a pair of records, the level of agreement on one field, from an ordered list of levels
// (the null level first, then the strongest agreement down to "all other comparisons"), as in Splink. The
// person comparisons here are made for this population: names as sets regardless of order, with variants,
// joined particles, transliteration and diacritic folding (features.ts); dates of birth as ranges, with
// 1 January defaults compared as the years around them; identifiers near-conclusive.
import {
  DOB_DEFAULT,
  DOB_EXACT,
  DOB_RANGE,
  NONE,
  PairCache,
  SEX_UNKNOWN,
  termFrequencyLog,
  rowOf,
  type FeatureTable,
} from './features.ts'
import { withinOneEdit } from './jaro-winkler.ts'
import { buildComparison, descriptionComparisons, eyesComparison, hairComparison, heightComparison, marksComparison } from './description-comparisons.ts'

export interface TermFrequencyAdjustment {
  /** The column whose value frequencies adjust the weight (Splink's tf_adjustment_column). */
  column: string
  weight: number
  minimumU: number
  /**
   * What the value's frequency is set against: u of the comparison's exact level (Splink's rule, the
   * default), u of this level, or the chance that two records drawn at random share a value of the column
   * (the sum of the squared frequencies: u of "agree on this column", averaged over its values). The last
   * is for Lantern's composite name levels, whose own u also counts how rare the level's other condition is:
   * names in another order are rare among non-matches whatever the names, so set against that level's u a
   * name shared by three records took 4 bits off the match weight instead of adding to it.
   */
  baseline?: 'exact' | 'level' | 'population'
}

export interface LevelDefinition {
  label: string
  /** The level's condition as Splink SQL (Lantern's own functions where Splink has none). */
  sql: string
  isNull?: boolean
  tf?: TermFrequencyAdjustment
}

export interface BoundComparison {
  /** The level index of a pair (0-based, in the order of the levels). */
  level(a: number, b: number): number
  /** log2 of the term frequency of the value the pair agreed on; set by level() on tf-adjusted levels. */
  tfLog: number
  /**
   * Set when the level is a look-up by one small code per record (height, build, hair, eyes): the level of a pair
   * is levels[codes[a] * width + codes[b]], and on a tf-adjusted level tfLog is tfOfCode[codes[a]]. The scorer
   * reads it without calling level(), which gives the same.
   */
  lookup?: CodeLookup
  /**
   * Set when the level is the null level unless both records have a row of tokens (distinguishing marks): the
   * rows' starts (record i has some when start[i + 1] > start[i]; read live, so records added later count). The
   * scorer skips the comparison (the null level weighs nothing) without calling level().
   */
  rowStarts?: Int32Array
  /**
   * Set when the level is the null level whenever a record has 0 here (the description comparisons share the
   * table's `described`). The scorer skips a run of comparisons sharing one such array, with no read of their
   * own, when either record has 0: the null level weighs nothing.
   */
  present?: Uint8Array
}

export interface CodeLookup {
  codes: Uint8Array
  width: number
  levels: Uint8Array
  tfOfCode: Float32Array | null
}

export interface ComparisonDefinition {
  /** Splink's output_column_name. */
  name: string
  /** Splink's comparison_description; "lantern:<kind>" for Lantern's own comparisons. */
  description: string
  levels: LevelDefinition[]
  /** The columns the comparison reads. A training session blocked on one of them cannot estimate its m. */
  columns: string[]
  /** How dear a pair is to evaluate, relatively (0, the default: a few array reads; names: token matching and Jaro-Winkler): a bounded score evaluates the cheapest first. */
  cost?: number
  /** True when its levels read the person records themselves (Splink SQL on further columns), not only the feature table. */
  readsRecords?: boolean
  bind(table: FeatureTable): BoundComparison
}

const tf = (column: string, weight = 1, minimumU = 0, baseline: 'exact' | 'level' | 'population' = 'exact'): TermFrequencyAdjustment => ({ column, weight, minimumU, baseline })

function has(tokens: Int32Array, start: number, end: number, id: number): boolean {
  for (let k = start; k < end; k++) if (tokens[k] === id) return true
  return false
}

/** The tf table of one kind of name value, by vocabulary id (rare values beyond the table get the rarest). */
function nameTermFrequencies(table: FeatureTable, kind: 'given_full' | 'given_first' | 'family_full' | 'token'): Float32Array {
  switch (kind) {
    case 'given_full':
      return termFrequencyLog(table, kind, (i) => table.givenFull[i] ?? NONE)
    case 'family_full':
      return termFrequencyLog(table, kind, (i) => table.familyFull[i] ?? NONE)
    case 'given_first':
      return termFrequencyLog(table, kind, (i) => (table.given.start[i] === table.given.start[i + 1] ? NONE : (table.given.tokens[table.given.start[i] ?? 0] ?? NONE)))
    case 'token':
      return termFrequencyLog(table, kind, (i) => [...rowOf(table.given, i), ...rowOf(table.family, i)])
  }
}

const tfAt = (frequencies: Float32Array, id: number): number => (id < frequencies.length ? (frequencies[id] ?? 0) : -30)

/** Bit 31 of a token's third letter word: some character occurs in it four times or more. */
const FOUR_OF_A_LETTER = 1 << 31

/**
 * Per vocabulary id, four words: a bit per letter a-z (bit 26 for any other character) that occurs in it at
 * least once, at least twice, at least three times (bit 31: some character four times or more), and its length.
 * Words of one id side by side: the bound reads each token's in one cache line.
 */
export function letterCounts(table: FeatureTable): Int32Array {
  const cached = table.cache.get('names:letters')
  if (cached instanceof Int32Array && cached.length >= table.vocabulary.size * 4) return cached
  const size = table.vocabulary.size
  const letters = new Int32Array(size * 4)
  const counts = new Uint8Array(27)
  for (let id = 0; id < size; id++) {
    const text = table.vocabulary.strings[id] ?? ''
    counts.fill(0)
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k) - 97
      const letter = code >= 0 && code < 26 ? code : 26
      counts[letter] = Math.min(4, (counts[letter] as number) + 1)
    }
    let once = 0
    let twice = 0
    let thrice = 0
    for (let letter = 0; letter < 27; letter++) {
      const count = counts[letter] as number
      if (count >= 1) once |= 1 << letter
      if (count >= 2) twice |= 1 << letter
      if (count >= 3) thrice |= 1 << letter
      if (count >= 4) thrice |= FOUR_OF_A_LETTER
    }
    letters[id * 4] = once
    letters[id * 4 + 1] = twice
    letters[id * 4 + 2] = thrice
    letters[id * 4 + 3] = text.length
  }
  table.cache.set('names:letters', letters)
  return letters
}

function bitCount(bits: number): number {
  bits -= (bits >>> 1) & 0x55555555
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333)
  return Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/**
 * Whether the Jaro-Winkler similarity of tokens x and y could reach 0.75 (below it they are neither similar nor
 * close), from their letters alone: never false when it could. Jaro counts matching characters, and two tokens
 * cannot match more of a letter than the fewer of them holds (for a letter both hold four times or more, no
 * bound). Nine in ten pairs of tokens that reached the likeness cache were not alike, and this rules out four
 * in five of those (bench/linkage/README.md): it reads 16 bytes a token and computes a few bit counts, where a
 * probe of the cache is mostly a miss of the processor's caches in a table of megabytes.
 */
export function couldBeAlike(letters: Int32Array, x: number, y: number): boolean {
  if (x * 4 >= letters.length || y * 4 >= letters.length) return true
  const bx = x * 4
  const by = y * 4
  const thrice = (letters[bx + 2] as number) & (letters[by + 2] as number)
  const common =
    (thrice & FOUR_OF_A_LETTER) !== 0
      ? Number.MAX_SAFE_INTEGER
      : bitCount((letters[bx] as number) & (letters[by] as number)) + bitCount((letters[bx + 1] as number) & (letters[by + 1] as number)) + bitCount(thrice)
  const lengthX = letters[bx + 3] as number
  const lengthY = letters[by + 3] as number
  const matches = Math.min(lengthX, lengthY, common)
  if (matches === 0) return false
  // Jaro <= (m / |x| + m / |y| + 1) / 3 with m matches (1 for the last term: no transpositions). Jaro-Winkler
  // is Jaro itself up to 0.7 (the Winkler boost only applies above: jaro-winkler.ts), so 0.75 needs Jaro > 0.7:
  // m / |x| + m / |y| > 1.1, here in whole numbers without a division (taken with >=, which only lets more
  // through: a Jaro of exactly 0.7 may be computed a hair above it).
  return 10 * matches * (lengthX + lengthY) >= 11 * lengthX * lengthY
}

/** One likeness cache per feature table (its vocabulary), shared by every binding of the names comparison. */
function nameLikeness(table: FeatureTable, compute: (x: number, y: number) => number): PairCache {
  const cached = table.cache.get('names:likeness')
  if (cached instanceof PairCache) return cached
  const cache = new PairCache(compute, 18)
  table.cache.set('names:likeness', cache)
  return cache
}

// ------------------------------------------------------------------------------------------- names as a set

/**
 * Nationalities whose naming custom makes the second name the father's given name (and a third the
 * grandfather's), so one agency's "family name" is another's father's or grandfather's name.
 */
export const PATRONYMIC_NATIONALITIES = ['ERI', 'ETH', 'SDN', 'SSD', 'SOM', 'AFG', 'IRQ', 'YEM', 'EGY', 'LBY', 'SAU']

/**
 * All of a person's names compared as a set, whatever field or order each was written in: "Nguyen Van An",
 * "An Van Nguyen" and "Van An Nguyen" are the same names; "Yonas Tesfay" and "Yonas Tesfay Gebremariam" share
 * all of the shorter. Each name token of one record is matched to its best counterpart among the other's
 * names, aliases and joined forms: the same (or a listed variant: Mohammed, Muhammad), similar (Jaro-Winkler
 * >= 0.9, or the same sound key), or close (>= 0.8).
 */
export function namesComparison(): ComparisonDefinition {
  return {
    name: 'names',
    cost: 2,
    description: 'lantern:names',
    columns: ['given_names', 'family_name', 'other_names'],
    levels: [
      { label: 'Names missing', sql: 'lantern_name_tokens(l) IS NULL OR lantern_name_tokens(r) IS NULL', isNull: true },
      { label: 'Names match exactly', sql: '"given_names_l" = "given_names_r" AND "family_name_l" = "family_name_r"', tf: tf('name_set', 1, 0.000001) },
      { label: 'The same names in another order or field', sql: 'lantern_name_set(l) = lantern_name_set(r)', tf: tf('name_set', 1, 0.000001, 'population') },
      { label: 'All names match, some spelt differently (a variant, a transliteration, a slip)', sql: "lantern_names_level(l, r) = 'all_similar'", tf: tf('name_sounds', 1, 0.000001, 'population') },
      { label: "All names of one record match, the other has more (a middle name, a father's name)", sql: "lantern_names_level(l, r) = 'subset'", tf: tf('name_sounds', 1, 0.000001, 'population') },
      { label: 'Family name matches, given names differ', sql: "lantern_names_level(l, r) = 'family_only'", tf: tf('name_token', 0.5, 0.00001, 'level') },
      { label: 'Two or more names match, others differ', sql: "lantern_names_level(l, r) = 'several'", tf: tf('name_token', 0.5, 0.00001, 'level') },
      {
        label: "First given name matches, family names differ, where the second name is a father's (Eritrean, Sudanese, Afghan, ...)",
        sql: "lantern_names_level(l, r) = 'given_only_patronymic'",
        tf: tf('name_token', 0.5, 0.00001, 'level'),
      },
      { label: 'First given name matches, family names differ', sql: "lantern_names_level(l, r) = 'given_only'", tf: tf('name_token', 0.5, 0.00001, 'level') },
      { label: 'One name matches', sql: "lantern_names_level(l, r) = 'one'", tf: tf('name_token', 0.5, 0.00001, 'level') },
      { label: 'Names close (Jaro-Winkler >= 0.8)', sql: "lantern_names_level(l, r) = 'close'" },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const { start: gs, tokens: gt } = table.given
      const { start: fs, tokens: ft } = table.family
      const { start: os, tokens: ot } = table.other
      const { start: js, tokens: jt } = table.joined
      const joinedPosition = table.joinedPosition
      const { givenFull, familyFull, nameSet, soundSet } = table
      const { variant, sound, soundKeys } = table.vocabulary
      const similarity = table.similarity
      const tfSet = termFrequencyLog(table, 'name_set', (i) => nameSet[i] ?? NONE)
      const tfSounds = termFrequencyLog(table, 'name_sounds', (i) => soundSet[i] ?? NONE)
      const tfToken = nameTermFrequencies(table, 'token')
      // A sound key of one letter (An, Ali -> N, L) says too little to call two names similar.
      const strongSound = new Uint8Array(soundKeys.length)
      for (let k = 0; k < soundKeys.length; k++) strongSound[k] = (soundKeys[k]?.length ?? 0) >= 2 ? 1 : 0
      const nationality = table.nationality
      const patronymic = new Set(PATRONYMIC_NATIONALITIES.map((code) => table.vocabulary.lookup(`nationality:${code}`)).filter((id) => id !== NONE))
      const tokensA = new Int32Array(32)
      const tokensB = new Int32Array(32)
      let pairTf = 0

      const same = (x: number, y: number) => x === y || (variant[x] !== NONE && variant[x] === variant[y])
      // Similar: Jaro-Winkler >= 0.9, or the same sound key of two letters or more and not far apart in
      // spelling (Tony and Ethan share TN).
      const strings = table.vocabulary.strings
      // How alike two tokens are, computed once per pair of tokens: 2 similar, 1 close (>= 0.8), 0 neither.
      const likeness = nameLikeness(table, (x, y) => {
        const jw = similarity.jaroWinkler(x, y)
        if (jw >= 0.9) return 2
        if (jw < 0.75) return 0
        // The same sound key says little about short names: Vietnamese syllables differ in their vowels
        // (Van, Vinh; Tuan, Thanh share VN and TN), so a sound key alone counts from five letters up.
        const sx = sound[x] as number
        if (sx === sound[y] && strongSound[sx] === 1 && (strings[x] as string).length >= 5 && (strings[y] as string).length >= 5) return 2
        // One slip in a name of four letters or more (Olivia, Olmvia scores 0.86 on Jaro-Winkler).
        const textX = strings[x] as string
        const textY = strings[y] as string
        if (textX.length >= 4 && textY.length >= 4 && withinOneEdit(textX, textY)) return 2
        return jw >= 0.8 ? 1 : 0
      })
      // A cheap bound first: Jaro-Winkler cannot reach 0.75 without enough letters in common.
      const letters = letterCounts(table)
      const maybeAlike = (x: number, y: number): boolean => couldBeAlike(letters, x, y)
      const similar = (x: number, y: number) => x !== y && maybeAlike(x, y) && likeness.get(x, y) === 2
      const notePair = (x: number, y: number) => {
        const fx = tfAt(tfToken, x)
        const fy = tfAt(tfToken, y)
        const f = fx > fy ? fx : fy
        if (f < pairTf) pairTf = f
      }
      const fill = (into: Int32Array, r: number): number => {
        let n = 0
        for (let k = gs[r] as number; k < (gs[r + 1] as number) && n < 32; k++) into[n++] = gt[k] as number
        for (let k = fs[r] as number; k < (fs[r + 1] as number) && n < 32; k++) into[n++] = ft[k] as number
        return n
      }
      /** Marks the tokens of `self` found among `other`'s aliases or joined forms; returns the updated masks. */
      const viaOtherNames = (x: number, other: number, test: (x: number, y: number) => boolean): boolean => {
        for (let k = os[other] as number; k < (os[other + 1] as number); k++) if (test(x, ot[k] as number)) return true
        return false
      }

      const bound: BoundComparison = {
        tfLog: 0,
        level(a, b) {
          const givenA = (gs[a + 1] as number) - (gs[a] as number)
          const givenB = (gs[b + 1] as number) - (gs[b] as number)
          const nA = fill(tokensA, a)
          const nB = fill(tokensB, b)
          if (nA === 0 || nB === 0) return 0
          const setA = nameSet[a] as number
          if (setA === nameSet[b]) {
            bound.tfLog = tfAt(tfSet, setA)
            return givenFull[a] === givenFull[b] && familyFull[a] === familyFull[b] ? 1 : 2
          }
          // One-to-one matching of the two records' tokens: the same (or a variant), then a joined form,
          // then an alias, then similar.
          let usedA = 0
          let usedB = 0
          pairTf = 0
          for (let i = 0; i < nA; i++) {
            const x = tokensA[i] as number
            for (let j = 0; j < nB; j++) {
              if ((usedB >> j) & 1) continue
              const y = tokensB[j] as number
              if (same(x, y)) {
                usedA |= 1 << i
                usedB |= 1 << j
                notePair(x, y)
                break
              }
            }
          }
          if (usedA !== (1 << nA) - 1 || usedB !== (1 << nB) - 1) {
            // A token of one record written as two of the other's (gebremariam; gebre mariam).
            for (let k = js[b] as number; k < (js[b + 1] as number); k++) {
              const position = joinedPosition[k] as number
              if (position < 0 || (usedB >> position) & 3) continue
              for (let i = 0; i < nA; i++) {
                if (!((usedA >> i) & 1) && tokensA[i] === jt[k]) {
                  usedA |= 1 << i
                  usedB |= 3 << position
                  notePair(jt[k] as number, jt[k] as number)
                  break
                }
              }
            }
            for (let k = js[a] as number; k < (js[a + 1] as number); k++) {
              const position = joinedPosition[k] as number
              if (position < 0 || (usedA >> position) & 3) continue
              for (let j = 0; j < nB; j++) {
                if (!((usedB >> j) & 1) && tokensB[j] === jt[k]) {
                  usedB |= 1 << j
                  usedA |= 3 << position
                  notePair(jt[k] as number, jt[k] as number)
                  break
                }
              }
            }
            // Similar spellings, one to one.
            for (let i = 0; i < nA; i++) {
              if ((usedA >> i) & 1) continue
              const x = tokensA[i] as number
              for (let j = 0; j < nB; j++) {
                if ((usedB >> j) & 1) continue
                const y = tokensB[j] as number
                if (similar(x, y)) {
                  usedA |= 1 << i
                  usedB |= 1 << j
                  notePair(x, y)
                  break
                }
              }
            }
            // Aliases and other names: a token found there counts as matched on its own side.
            for (let i = 0; i < nA; i++) {
              if (!((usedA >> i) & 1) && (viaOtherNames(tokensA[i] as number, b, same) || viaOtherNames(tokensA[i] as number, b, similar))) usedA |= 1 << i
            }
            for (let j = 0; j < nB; j++) {
              if (!((usedB >> j) & 1) && (viaOtherNames(tokensB[j] as number, a, same) || viaOtherNames(tokensB[j] as number, a, similar))) usedB |= 1 << j
            }
          }
          let matchedA = 0
          for (let i = 0; i < nA; i++) matchedA += (usedA >> i) & 1
          let matchedB = 0
          for (let j = 0; j < nB; j++) matchedB += (usedB >> j) & 1
          const allA = matchedA === nA
          const allB = matchedB === nB
          if (allA && allB) {
            const fa = tfAt(tfSounds, soundSet[a] as number)
            const fb = tfAt(tfSounds, soundSet[b] as number)
            bound.tfLog = fa > fb ? fa : fb
            return 3
          }
          const matched = matchedA < matchedB ? matchedA : matchedB
          if ((allA || allB) && matched >= 2) {
            bound.tfLog = tfAt(tfSounds, (allA ? soundSet[a] : soundSet[b]) as number)
            return 4
          }
          if (matched >= 1) {
            bound.tfLog = pairTf
            const givenMaskA = (1 << givenA) - 1
            const givenMaskB = (1 << givenB) - 1
            const givenAny = (usedA & givenMaskA) !== 0 || (usedB & givenMaskB) !== 0
            const familyA = nA - givenA
            const familyB = nB - givenB
            const familyMatched =
              (familyA > 0 && usedA >> givenA === (1 << familyA) - 1) || (familyB > 0 && usedB >> givenB === (1 << familyB) - 1)
            // Family names agree but no given name does: most often brothers and sisters.
            if (familyMatched && !givenAny) return 5
            if (matched >= 2) return 6
            if ((givenA > 0 && (usedA & 1) !== 0) || (givenB > 0 && (usedB & 1) !== 0)) {
              return patronymic.has(nationality[a] as number) || patronymic.has(nationality[b] as number) ? 7 : 8
            }
            return 9
          }
          for (let i = 0; i < nA; i++) {
            for (let j = 0; j < nB; j++) {
              const x = tokensA[i] as number
              const y = tokensB[j] as number
              if (maybeAlike(x, y) && likeness.get(x, y) >= 1) return 10
            }
          }
          return 11
        },
      }
      return bound
    },
  }
}

// ------------------------------------------------------------------------------------------- given names

export function givenNamesComparison(): ComparisonDefinition {
  return {
    name: 'given_names',
    cost: 2,
    description: 'lantern:given_names',
    columns: ['given_names', 'other_names'],
    levels: [
      { label: 'Given names missing', sql: '"given_names_l" IS NULL OR "given_names_r" IS NULL', isNull: true },
      { label: 'Given names match exactly', sql: '"given_names_l" = "given_names_r"', tf: tf('given_names', 1, 0.00001) },
      { label: 'First given name matches', sql: 'lantern_first_token("given_names_l") = lantern_first_token("given_names_r")', tf: tf('given_name_first', 1, 0.00001) },
      { label: 'First given names are one name spelt two ways (Mohammed, Muhammad; Bill, William; joined or split)', sql: 'lantern_variant_match("given_names_l", "given_names_r")' },
      { label: 'Another given name or alias matches (a middle name, another order)', sql: 'lantern_any_token_match("given_names_l", "given_names_r")', tf: tf('name_token', 0.5, 0.00001) },
      { label: 'Given names similar (Jaro-Winkler >= 0.9, or same sound)', sql: 'jaro_winkler_similarity("given_names_l", "given_names_r") >= 0.9' },
      { label: 'Given names close (Jaro-Winkler >= 0.8)', sql: 'jaro_winkler_similarity("given_names_l", "given_names_r") >= 0.8' },
      { label: 'Given name found among the family or other names of the other record (names in another order)', sql: 'lantern_crossed_name_match("given_names", "family_name")', tf: tf('name_token', 0.5, 0.00001) },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const { start: gs, tokens: gt } = table.given
      const { start: fs, tokens: ft } = table.family
      const { start: os, tokens: ot } = table.other
      const { start: js, tokens: jt } = table.joined
      const givenFull = table.givenFull
      const { variant, sound } = table.vocabulary
      const similarity = table.similarity
      const tfGiven = nameTermFrequencies(table, 'given_full')
      const tfFirst = nameTermFrequencies(table, 'given_first')
      const tfToken = nameTermFrequencies(table, 'token')
      const bound: BoundComparison = {
        tfLog: 0,
        level(a, b) {
          const ga = gs[a] as number
          const gae = gs[a + 1] as number
          const gb = gs[b] as number
          const gbe = gs[b + 1] as number
          if (ga === gae || gb === gbe) return 0
          const fullA = givenFull[a] as number
          if (fullA === givenFull[b]) {
            bound.tfLog = tfAt(tfGiven, fullA)
            return 1
          }
          const firstA = gt[ga] as number
          const firstB = gt[gb] as number
          if (firstA === firstB) {
            bound.tfLog = tfAt(tfFirst, firstA)
            return 2
          }
          const variantA = variant[firstA] as number
          if (variantA !== NONE && variantA === variant[firstB]) return 3
          // One written as two, or two as one (laura, laur a; abdul rahman, abdulrahman).
          if (has(jt, js[b] as number, js[b + 1] as number, fullA) || has(jt, js[a] as number, js[a + 1] as number, givenFull[b] as number)) return 3
          // Any given or other-name token of one record among the other's, exactly or as a variant.
          const oa = os[a] as number
          const oae = os[a + 1] as number
          const ob = os[b] as number
          const obe = os[b + 1] as number
          for (let i = ga; i < gae + (oae - oa); i++) {
            const x = (i < gae ? gt[i] : ot[oa + (i - gae)]) as number
            const vx = variant[x] as number
            for (let j = gb; j < gbe + (obe - ob); j++) {
              const y = (j < gbe ? gt[j] : ot[ob + (j - gbe)]) as number
              if (x === y || (vx !== NONE && vx === variant[y])) {
                bound.tfLog = tfAt(tfToken, x)
                return 4
              }
            }
          }
          let jw = similarity.jaroWinkler(firstA, firstB)
          if (gae - ga > 1 || gbe - gb > 1) jw = Math.max(jw, similarity.jaroWinkler(fullA, givenFull[b] as number))
          if (jw >= 0.9 || sound[firstA] === sound[firstB]) return 5
          if (jw >= 0.8) return 6
          const fa = fs[a] as number
          const fae = fs[a + 1] as number
          const fb = fs[b] as number
          const fbe = fs[b + 1] as number
          for (let i = ga; i < gae; i++) {
            const x = gt[i] as number
            if (has(ft, fb, fbe, x) || has(jt, js[b] as number, js[b + 1] as number, x)) {
              bound.tfLog = tfAt(tfToken, x)
              return 7
            }
          }
          for (let j = gb; j < gbe; j++) {
            const y = gt[j] as number
            if (has(ft, fa, fae, y) || has(jt, js[a] as number, js[a + 1] as number, y)) {
              bound.tfLog = tfAt(tfToken, y)
              return 7
            }
          }
          return 8
        },
      }
      return bound
    },
  }
}

// ------------------------------------------------------------------------------------------- family name

export function familyNameComparison(): ComparisonDefinition {
  return {
    name: 'family_name',
    cost: 2,
    description: 'lantern:family_name',
    columns: ['family_name', 'other_names'],
    levels: [
      { label: 'Family name missing', sql: '"family_name_l" IS NULL OR "family_name_r" IS NULL', isNull: true },
      { label: 'Family name matches exactly', sql: '"family_name_l" = "family_name_r"', tf: tf('family_name', 1, 0.00001) },
      { label: 'Family name written another way (joined or split, a variant spelling)', sql: 'lantern_variant_match("family_name_l", "family_name_r")' },
      { label: 'One of the family names matches (double family names)', sql: 'lantern_any_token_match("family_name_l", "family_name_r")', tf: tf('name_token', 1, 0.00001) },
      { label: 'Family names similar (Jaro-Winkler >= 0.9, or same sound)', sql: 'jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.9' },
      { label: 'Family names close (Jaro-Winkler >= 0.8)', sql: 'jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.8' },
      { label: 'Family name found among the given or other names of the other record (names in another order, a father\'s name)', sql: 'lantern_crossed_name_match("family_name", "given_names")', tf: tf('name_token', 0.5, 0.00001) },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const { start: gs, tokens: gt } = table.given
      const { start: fs, tokens: ft } = table.family
      const { start: os, tokens: ot } = table.other
      const { start: js, tokens: jt } = table.joined
      const familyFull = table.familyFull
      const { variant, sound } = table.vocabulary
      const similarity = table.similarity
      const tfFamily = nameTermFrequencies(table, 'family_full')
      const tfToken = nameTermFrequencies(table, 'token')
      // Every token of the shorter family name matches one of the other's, exactly or as a variant.
      const allMatched = (xs: number, xe: number, ys: number, ye: number): boolean => {
        for (let i = xs; i < xe; i++) {
          const x = ft[i] as number
          const vx = variant[x] as number
          let found = false
          for (let j = ys; j < ye && !found; j++) {
            const y = ft[j] as number
            found = x === y || (vx !== NONE && vx === variant[y])
          }
          if (!found) return false
        }
        return true
      }
      const bound: BoundComparison = {
        tfLog: 0,
        level(a, b) {
          const fa = fs[a] as number
          const fae = fs[a + 1] as number
          const fb = fs[b] as number
          const fbe = fs[b + 1] as number
          if (fa === fae || fb === fbe) return 0
          const fullA = familyFull[a] as number
          const fullB = familyFull[b] as number
          if (fullA === fullB) {
            bound.tfLog = tfAt(tfFamily, fullA)
            return 1
          }
          const lengthA = fae - fa
          const lengthB = fbe - fb
          if (
            has(jt, js[b] as number, js[b + 1] as number, fullA) ||
            has(jt, js[a] as number, js[a + 1] as number, fullB) ||
            (lengthA <= lengthB ? allMatched(fa, fae, fb, fbe) : allMatched(fb, fbe, fa, fae))
          )
            return 2
          if (lengthA > 1 || lengthB > 1) {
            for (let i = fa; i < fae; i++) {
              const x = ft[i] as number
              if (has(ft, fb, fbe, x)) {
                bound.tfLog = tfAt(tfToken, x)
                return 3
              }
            }
          }
          const jw = similarity.jaroWinkler(fullA, fullB)
          if (jw >= 0.9 || sound[fullA] === sound[fullB]) return 4
          if (jw >= 0.8) return 5
          for (let i = fa; i < fae; i++) {
            const x = ft[i] as number
            const vx = variant[x] as number
            for (let j = gs[b] as number; j < (gs[b + 1] as number) + ((os[b + 1] as number) - (os[b] as number)); j++) {
              const y = (j < (gs[b + 1] as number) ? gt[j] : ot[(os[b] as number) + (j - (gs[b + 1] as number))]) as number
              if (x === y || (vx !== NONE && vx === variant[y])) {
                bound.tfLog = tfAt(tfToken, x)
                return 6
              }
            }
          }
          for (let i = fb; i < fbe; i++) {
            const x = ft[i] as number
            const vx = variant[x] as number
            for (let j = gs[a] as number; j < (gs[a + 1] as number) + ((os[a + 1] as number) - (os[a] as number)); j++) {
              const y = (j < (gs[a + 1] as number) ? gt[j] : ot[(os[a] as number) + (j - (gs[a + 1] as number))]) as number
              if (x === y || (vx !== NONE && vx === variant[y])) {
                bound.tfLog = tfAt(tfToken, x)
                return 6
              }
            }
          }
          return 7
        },
      }
      return bound
    },
  }
}

// ------------------------------------------------------------------------------------------- date of birth

/** Whether two YYYYMMDD dates differ by one digit, two swapped neighbouring digits, or day and month swapped. */
export function dateTypo(a: number, b: number): boolean {
  let differing = 0
  // The positions (counted from the last digit) of the first two digits that differ, and the digits there.
  let first = -1
  let second = -1
  let firstA = 0
  let firstB = 0
  let secondA = 0
  let secondB = 0
  let x = a
  let y = b
  for (let position = 0; position < 8; position++) {
    const digitA = x % 10
    const digitB = y % 10
    if (digitA !== digitB) {
      differing++
      if (first === -1) {
        first = position
        firstA = digitA
        firstB = digitB
      } else if (second === -1) {
        second = position
        secondA = digitA
        secondB = digitB
      }
    }
    x = Math.floor(x / 10)
    y = Math.floor(y / 10)
  }
  if (differing === 1) return true
  const yearA = Math.floor(a / 10_000)
  const monthA = Math.floor(a / 100) % 100
  const dayA = a % 100
  if (yearA === Math.floor(b / 10_000) && monthA === b % 100 && dayA === Math.floor(b / 100) % 100) return true
  // Two neighbouring digits swapped, read from the digits (a string per pair made garbage on the hot path).
  return differing === 2 && second === first + 1 && firstA === secondB && secondA === firstB
}

export function dateOfBirthComparison(): ComparisonDefinition {
  return {
    name: 'date_of_birth',
    description: 'lantern:date_of_birth',
    columns: ['date_of_birth', 'dob_earliest', 'dob_latest'],
    levels: [
      { label: 'Date of birth unknown', sql: 'lantern_dob_unknown(l) OR lantern_dob_unknown(r)', isNull: true },
      { label: 'Same date of birth', sql: '"date_of_birth_l" = "date_of_birth_r" AND NOT lantern_default_date("date_of_birth_l")', tf: tf('date_of_birth', 1, 0.00001) },
      // No term-frequency adjustment here: the level's own u already says how common shared defaults are.
      { label: 'Same date of birth, but a default date (1 January)', sql: '"date_of_birth_l" = "date_of_birth_r"' },
      // One age assessment copied from record to record (the referral passes it on): the same range, not merely overlapping ones.
      { label: 'The same assessed range of dates of birth', sql: '"dob_earliest_l" = "dob_earliest_r" AND "dob_latest_l" = "dob_latest_r"' },
      { label: 'Dates of birth one typing slip apart (a digit, two digits swapped, day and month swapped)', sql: 'damerau_levenshtein("date_of_birth_l", "date_of_birth_r") <= 1' },
      { label: 'Dates of birth consistent: a date within an assessed range, or in the year of a default date', sql: 'lantern_dob_overlap(l, r)' },
      { label: 'Dates of birth consistent within a year either side of a default date', sql: 'lantern_dob_overlap_wide(l, r)' },
      { label: 'Dates of birth within a year of each other', sql: 'lantern_dob_gap_days(l, r) <= 366' },
      { label: 'Dates of birth within three years (a disputed age)', sql: 'lantern_dob_gap_days(l, r) <= 1096' },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const { dobFlags, dobDigits, dobLow, dobHigh, dobWideLow, dobWideHigh, dobYearLow, dobYearHigh } = table
      const { byRecord: dobTf, of: dobTfOf } = dateTermFrequencies(table)
      const bound: BoundComparison = {
        tfLog: 0,
        level(a, b) {
          const flagsA = dobFlags[a] as number
          const flagsB = dobFlags[b] as number
          if (flagsA === 0 || flagsB === 0) return 0
          const bothExact = (flagsA & flagsB & DOB_EXACT) !== 0
          if (bothExact) {
            const digitsA = dobDigits[a] as number
            const digitsB = dobDigits[b] as number
            if (digitsA === digitsB) {
              bound.tfLog = a < dobTf.length ? (dobTf[a] as number) : dobTfOf(digitsA)
              return (flagsA & DOB_DEFAULT) !== 0 ? 2 : 1
            }
            // A 1 January default is no typed date: two defaults a year apart are two assessments, not a slip.
            if (((flagsA | flagsB) & DOB_DEFAULT) === 0 && dateTypo(digitsA, digitsB)) return 4
          } else if ((flagsA & flagsB & DOB_RANGE) !== 0 && dobLow[a] === dobLow[b] && dobHigh[a] === dobHigh[b]) return 3
          // Two exact dates never "overlap" as ranges do: unequal exact dates fall to the distance levels.
          const twoRealDates = bothExact && ((flagsA | flagsB) & DOB_DEFAULT) === 0
          if (!twoRealDates) {
            if (Math.max((dobYearLow[a] as number) - (dobYearHigh[b] as number), (dobYearLow[b] as number) - (dobYearHigh[a] as number)) <= 0) return 5
          }
          const gap = Math.max((dobWideLow[a] as number) - (dobWideHigh[b] as number), (dobWideLow[b] as number) - (dobWideHigh[a] as number))
          if (gap <= 0 && !twoRealDates) return 6
          if (gap <= 366) return 7
          if (gap <= 1096) return 8
          return 9
        },
      }
      return bound
    },
  }
}

/** log2 of the share of records born on each exact date, by record (records added later look the date up). */
function dateTermFrequencies(table: FeatureTable): { byRecord: Float32Array; of: (digits: number) => number } {
  const cached = table.cache.get('tf:date_of_birth') as { byRecord: Float32Array; of: (digits: number) => number } | undefined
  if (cached) return cached
  const counts = new Map<number, number>()
  let total = 0
  for (let i = 0; i < table.size; i++) {
    if ((table.dobFlags[i] ?? 0) & DOB_EXACT) {
      const digits = table.dobDigits[i] as number
      counts.set(digits, (counts.get(digits) ?? 0) + 1)
      total++
    }
  }
  const of = (digits: number) => Math.log2((counts.get(digits) ?? 1) / Math.max(1, total))
  const byRecord = new Float32Array(table.size)
  for (let i = 0; i < table.size; i++) byRecord[i] = (table.dobFlags[i] ?? 0) & DOB_EXACT ? of(table.dobDigits[i] as number) : 0
  const result = { byRecord, of }
  table.cache.set('tf:date_of_birth', result)
  return result
}

// ------------------------------------------------------------------------------------------- sex, nationality

export function sexComparison(): ComparisonDefinition {
  return {
    name: 'sex',
    description: 'lantern:sex',
    columns: ['sex'],
    levels: [
      { label: 'Sex unknown', sql: '"sex_l" IS NULL OR "sex_r" IS NULL OR "sex_l" = \'U\' OR "sex_r" = \'U\'', isNull: true },
      { label: 'Same sex', sql: '"sex_l" = "sex_r"' },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const sex = table.sex
      return {
        tfLog: 0,
        level(a, b) {
          const x = sex[a] as number
          const y = sex[b] as number
          if (x === SEX_UNKNOWN || y === SEX_UNKNOWN) return 0
          return x === y ? 1 : 2
        },
      }
    },
  }
}

export function nationalityComparison(): ComparisonDefinition {
  return {
    name: 'nationality',
    description: 'lantern:nationality',
    columns: ['nationality'],
    levels: [
      { label: 'Nationality unknown', sql: '"nationality_l" IS NULL OR "nationality_r" IS NULL', isNull: true },
      { label: 'Same nationality', sql: '"nationality_l" = "nationality_r"' },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const nationality = table.nationality
      return {
        tfLog: 0,
        level(a, b) {
          const x = nationality[a] as number
          const y = nationality[b] as number
          if (x === NONE || y === NONE) return 0
          return x === y ? 1 : 2
        },
      }
    },
  }
}

// ------------------------------------------------------------------------------------------- identifiers

export function identifiersComparison(): ComparisonDefinition {
  return {
    name: 'identifiers',
    cost: 1,
    description: 'lantern:identifiers',
    columns: ['identifiers'],
    levels: [
      { label: 'No identifier of a common kind', sql: 'lantern_common_identifier_types(l, r) = 0', isNull: true },
      { label: 'A shared identifier (PNC id, Home Office reference, ...)', sql: 'lantern_shared_identifier(l, r)' },
      { label: 'An identifier of the same kind one typing slip apart', sql: 'lantern_identifier_typo(l, r)' },
      { label: 'All other comparisons (same kind of identifier, different values)', sql: 'ELSE' },
    ],
    bind(table) {
      const { start, tokens } = table.identifiers
      const types = table.identifierTypes
      const local = table.localIdentifierType
      const strings = table.vocabulary.strings
      return {
        tfLog: 0,
        level(a, b) {
          const sa = start[a] as number
          const ea = start[a + 1] as number
          const sb = start[b] as number
          const eb = start[b + 1] as number
          if (sa === ea || sb === eb) return 0
          let comparable = false
          let typo = false
          for (let i = sa; i < ea; i++) {
            const value = tokens[i] as number
            const type = types[i] as number
            for (let j = sb; j < eb; j++) {
              if (tokens[j] === value) return 1
              if (types[j] === type && local[type] !== 1) {
                comparable = true
                if (!typo && withinOneEdit(strings[value] ?? '', strings[tokens[j] as number] ?? '')) typo = true
              }
            }
          }
          if (!comparable) return 0
          return typo ? 2 : 3
        },
      }
    },
  }
}

/** Lantern's own comparisons, by the kind written in comparison_description ("lantern:<kind>"). */
export const NATIVE_COMPARISONS: Record<string, () => ComparisonDefinition> = {
  names: namesComparison,
  given_names: givenNamesComparison,
  family_name: familyNameComparison,
  date_of_birth: dateOfBirthComparison,
  sex: sexComparison,
  nationality: nationalityComparison,
  identifiers: identifiersComparison,
  height: heightComparison,
  build: buildComparison,
  hair: hairComparison,
  eyes: eyesComparison,
  distinguishing_marks: marksComparison,
}

/**
 * The comparisons of the person model: names as a set, date of birth, sex, nationality, identifiers, and the
 * description (height, build, hair, eyes, distinguishing marks: description-comparisons.ts), which tells
 * namesakes apart where the rest cannot.
 */
export function personComparisons(): ComparisonDefinition[] {
  return [namesComparison(), dateOfBirthComparison(), sexComparison(), nationalityComparison(), identifiersComparison(), ...descriptionComparisons()]
}
