// The description comparisons (Lantern's own, "lantern:<kind>"): height, hair, eyes, build and distinguishing
// marks, each with ordered levels and a null level when either record has nothing. What a description can do is
// tell namesakes apart: two children called Mohammed Ahmed born around 2010 are the same child more likely when
// both records note a scar above the left eye, less when one is 150 cm tall and the other 175. Each level reads
// a few bytes of the feature table (description.ts normalised the words when the record was added).
import type { CodeLookup, ComparisonDefinition } from './comparisons.ts'
import type { FeatureTable } from './features.ts'
import { BUILD_NEAR, BUILDS, EYE_COLOURS, EYE_NEAR, HAIR_COLOURS, HAIR_NEAR, heightLevel, marksLevel, wordLevel } from './description.ts'

/** log2 of the share of described records with each code (by code), computed once per table: red hair is rarer than black. */
function codeFrequencies(table: FeatureTable, key: string, codes: Uint8Array, size: number): Float32Array {
  const cacheKey = `tf:${key}`
  const cached = table.cache.get(cacheKey)
  if (cached instanceof Float32Array) return cached
  const counts = new Float64Array(size + 1)
  let total = 0
  for (let i = 0; i < table.size; i++) {
    const code = codes[i] as number
    if (code !== 0) {
      counts[code] = (counts[code] ?? 0) + 1
      total++
    }
  }
  const result = new Float32Array(size + 1)
  for (let code = 0; code <= size; code++) result[code] = Math.log2(Math.max(1, counts[code] ?? 0) / Math.max(1, total))
  table.cache.set(cacheKey, result)
  return result
}

/** The level of every pair of codes below `width`, for the scorer's look-up (comparisons.ts: CodeLookup). */
function levelTable(width: number, level: (x: number, y: number) => number): Uint8Array {
  const levels = new Uint8Array(width * width)
  for (let x = 0; x < width; x++) for (let y = 0; y < width; y++) levels[x * width + y] = level(x, y)
  return levels
}
const HEIGHT_LEVELS = levelTable(256, heightLevel)

export function heightComparison(): ComparisonDefinition {
  return {
    name: 'height',
    cost: 0,
    description: 'lantern:height',
    columns: ['height_cm'],
    levels: [
      { label: 'Height unknown', sql: '"height_cm_l" IS NULL OR "height_cm_r" IS NULL', isNull: true },
      { label: 'Heights within 5 cm', sql: 'abs("height_cm_l" - "height_cm_r") <= 5' },
      // Children grow, and an officer's height is an estimate: 10 cm apart can still be one child.
      { label: 'Heights within 10 cm', sql: 'abs("height_cm_l" - "height_cm_r") <= 10' },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const height = table.heightCm
      const lookup: CodeLookup = { codes: height, width: 256, levels: HEIGHT_LEVELS, tfOfCode: null }
      return { tfLog: 0, level: (a, b) => heightLevel(height[a] as number, height[b] as number), lookup, present: table.described }
    },
  }
}

/** Hair or eye colour: the same (adjusted by how common the colour is), a near colour, a different one. */
function colourComparison(name: 'hair' | 'eyes', colours: readonly string[], near: Uint8Array): ComparisonDefinition {
  const what = name === 'hair' ? 'Hair colour' : 'Eye colour'
  const size = colours.length
  const levels = levelTable(size + 1, (x, y) => wordLevel(x, y, near, size))
  return {
    name,
    cost: 0,
    description: `lantern:${name}`,
    columns: [name],
    levels: [
      { label: `${what} not recorded`, sql: `lantern_${name}_colour("${name}_l") IS NULL OR lantern_${name}_colour("${name}_r") IS NULL`, isNull: true },
      // Most children of the arrived groups have black or dark brown hair and brown eyes: a shared common colour says little, a shared rare one more.
      {
        label: `Same ${what.toLowerCase()}`,
        sql: `lantern_${name}_colour("${name}_l") = lantern_${name}_colour("${name}_r")`,
        tf: { column: name, weight: 1, minimumU: 0.01, baseline: 'exact' },
      },
      { label: `${what}s near (dark brown and black, hazel and green)`, sql: `lantern_${name}_colour_near("${name}_l", "${name}_r")` },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const codes = name === 'hair' ? table.hair : table.eyes
      const frequencies = codeFrequencies(table, name, codes, size)
      const bound = {
        tfLog: 0,
        level(a: number, b: number): number {
          const x = codes[a] as number
          const level = wordLevel(x, codes[b] as number, near, size)
          if (level === 1) bound.tfLog = frequencies[x] as number
          return level
        },
        // tfLog is read only on the tf-adjusted level ("the same"), so setting it on every pair is the same.
        lookup: { codes, width: size + 1, levels, tfOfCode: frequencies },
        present: table.described,
      }
      return bound
    },
  }
}

export const hairComparison = (): ComparisonDefinition => colourComparison('hair', HAIR_COLOURS, HAIR_NEAR)
export const eyesComparison = (): ComparisonDefinition => colourComparison('eyes', EYE_COLOURS, EYE_NEAR)

const BUILD_LEVELS = levelTable(BUILDS.length + 1, (x, y) => wordLevel(x, y, BUILD_NEAR, BUILDS.length))

export function buildComparison(): ComparisonDefinition {
  return {
    name: 'build',
    cost: 0,
    description: 'lantern:build',
    columns: ['build'],
    levels: [
      { label: 'Build not recorded', sql: 'lantern_build("build_l") IS NULL OR lantern_build("build_r") IS NULL', isNull: true },
      { label: 'Same build', sql: 'lantern_build("build_l") = lantern_build("build_r")' },
      { label: 'Builds near (slim and medium, medium and stocky)', sql: 'lantern_build_near("build_l", "build_r")' },
      { label: 'All other comparisons', sql: 'ELSE' },
    ],
    bind(table) {
      const build = table.build
      const lookup: CodeLookup = { codes: build, width: BUILDS.length + 1, levels: BUILD_LEVELS, tfOfCode: null }
      return { tfLog: 0, level: (a, b) => wordLevel(build[a] as number, build[b] as number, BUILD_NEAR, BUILDS.length), lookup, present: table.described }
    },
  }
}

export function marksComparison(): ComparisonDefinition {
  return {
    name: 'distinguishing_marks',
    cost: 1,
    description: 'lantern:distinguishing_marks',
    columns: ['distinguishing_marks'],
    levels: [
      { label: 'Marks not recorded on one side', sql: 'lantern_marks("distinguishing_marks_l") IS NULL OR lantern_marks("distinguishing_marks_r") IS NULL', isNull: true },
      { label: 'A mark of the same kind at the same place (a scar above the left eye)', sql: `lantern_marks_level("distinguishing_marks_l", "distinguishing_marks_r") = 'same_place'` },
      { label: 'A mark of the same kind elsewhere or at a place not written', sql: `lantern_marks_level("distinguishing_marks_l", "distinguishing_marks_r") = 'same_kind'` },
      { label: 'All other comparisons (both record marks, none shared)', sql: 'ELSE' },
    ],
    bind(table) {
      const { start, tokens } = table.marks
      return { tfLog: 0, level: (a, b) => marksLevel(tokens, start[a] as number, start[a + 1] as number, tokens, start[b] as number, start[b + 1] as number), rowStarts: start, present: table.described }
    },
  }
}

/** The description comparisons, in the order of the person model. */
export const descriptionComparisons = (): ComparisonDefinition[] => [heightComparison(), buildComparison(), hairComparison(), eyesComparison(), marksComparison()]
