// A person's physical description as written ("dk brown", "blonde", "scar above the left eye and a tattoo on
// the right forearm") normalised to small codes the comparisons read: a colour of hair or eyes, a build, and
// distinguishing marks each with a kind and a place (a side and a body part). Words not understood count as
// not written: a description says nothing rather than something wrong.
import { foldName } from '../lib/names.ts'

/** Hair colours, code = index + 1 (0: none or not understood). Neighbours in this order are "near" (dark brown, black). */
export const HAIR_COLOURS = ['black', 'dark brown', 'brown', 'light brown', 'blond', 'red', 'grey'] as const
export const EYE_COLOURS = ['brown', 'dark brown', 'hazel', 'green', 'blue', 'grey'] as const
export const BUILDS = ['slim', 'medium', 'stocky'] as const

/** Words writers use for each colour or build, each mapped to its canonical word; longer phrases are tried first. */
const HAIR_WORDS: Record<string, (typeof HAIR_COLOURS)[number]> = {
  black: 'black', 'jet black': 'black', 'very dark': 'black',
  'dark brown': 'dark brown', 'dk brown': 'dark brown', dark: 'dark brown', brunette: 'dark brown',
  brown: 'brown', 'mid brown': 'brown', 'medium brown': 'brown', chestnut: 'brown',
  'light brown': 'light brown', 'lt brown': 'light brown', mousy: 'light brown', mousey: 'light brown', 'dark blond': 'light brown', 'dark blonde': 'light brown', 'dirty blond': 'light brown', 'dirty blonde': 'light brown',
  blond: 'blond', blonde: 'blond', fair: 'blond', 'light blond': 'blond', 'strawberry blond': 'blond', 'strawberry blonde': 'blond',
  red: 'red', ginger: 'red', auburn: 'red',
  grey: 'grey', gray: 'grey', silver: 'grey', white: 'grey',
}
const EYE_WORDS: Record<string, (typeof EYE_COLOURS)[number]> = {
  brown: 'brown', 'light brown': 'brown', 'mid brown': 'brown',
  'dark brown': 'dark brown', 'dk brown': 'dark brown', dark: 'dark brown', black: 'dark brown',
  hazel: 'hazel', amber: 'hazel',
  green: 'green', 'grey green': 'green', 'gray green': 'green',
  blue: 'blue', 'light blue': 'blue', 'dark blue': 'blue', 'blue grey': 'blue', 'blue gray': 'blue',
  grey: 'grey', gray: 'grey',
}
const BUILD_WORDS: Record<string, (typeof BUILDS)[number]> = {
  slim: 'slim', thin: 'slim', skinny: 'slim', slender: 'slim', slight: 'slim', petite: 'slim', lean: 'slim', small: 'slim', underweight: 'slim',
  medium: 'medium', average: 'medium', normal: 'medium', athletic: 'medium', regular: 'medium', proportionate: 'medium',
  stocky: 'stocky', heavy: 'stocky', large: 'stocky', big: 'stocky', chubby: 'stocky', plump: 'stocky', overweight: 'stocky', 'well built': 'stocky', broad: 'stocky', solid: 'stocky', muscular: 'stocky',
}

/** The words of a phrase, folded (lower case, no diacritics or punctuation). */
const wordsOf = (text: string): string[] => foldName(text.replace(/[/\-_.,;:()]+/g, ' ')).split(' ').filter((word) => word !== '')

/** The first phrase of up to three words (longest first) that the table knows, as a code (index in `canonical` + 1), or 0. */
function lookUp<T extends string>(text: string | null | undefined, table: Record<string, T>, canonical: readonly T[]): number {
  if (!text) return 0
  const words = wordsOf(text)
  for (let k = 0; k < words.length; k++) {
    for (let length = 3; length >= 1; length--) {
      if (k + length > words.length) continue
      const found = table[words.slice(k, k + length).join(' ')]
      if (found !== undefined) return canonical.indexOf(found) + 1
    }
  }
  return 0
}

/**
 * A function of a written text, remembered: a register writes the same few words over and over ("black", "slim"),
 * and folding them again for each of a million records would cost seconds. Forgets everything when full.
 */
function remembered<T>(compute: (text: string) => T): (text: string | null | undefined) => T {
  const known = new Map<string, T>()
  const empty = compute('')
  return (text) => {
    if (!text) return empty
    let value = known.get(text)
    if (value === undefined) {
      value = compute(text)
      if (known.size >= 100_000) known.clear()
      known.set(text, value)
    }
    return value
  }
}

/** Hair colour as a code (HAIR_COLOURS index + 1), 0 when none is written or understood ("shaved", "dyed pink"). */
export const hairCode = remembered((text) => lookUp(text, HAIR_WORDS, HAIR_COLOURS))
export const eyeCode = remembered((text) => lookUp(text, EYE_WORDS, EYE_COLOURS))
export const buildCode = remembered((text) => lookUp(text, BUILD_WORDS, BUILDS))

/** Pairs of codes that are "near": one colour a writer may call the other (dark brown written black). */
function nearTable(size: number, pairs: [number, number][]): Uint8Array {
  const near = new Uint8Array((size + 1) * (size + 1))
  for (const [x, y] of pairs) {
    near[x * (size + 1) + y] = 1
    near[y * (size + 1) + x] = 1
  }
  return near
}
const hair = (colour: (typeof HAIR_COLOURS)[number]) => HAIR_COLOURS.indexOf(colour) + 1
const eye = (colour: (typeof EYE_COLOURS)[number]) => EYE_COLOURS.indexOf(colour) + 1
export const HAIR_NEAR = nearTable(HAIR_COLOURS.length, [
  [hair('black'), hair('dark brown')],
  [hair('dark brown'), hair('brown')],
  [hair('brown'), hair('light brown')],
  [hair('light brown'), hair('blond')],
  [hair('red'), hair('brown')],
  [hair('red'), hair('light brown')],
  [hair('red'), hair('blond')],
])
export const EYE_NEAR = nearTable(EYE_COLOURS.length, [
  [eye('brown'), eye('dark brown')],
  [eye('brown'), eye('hazel')],
  [eye('hazel'), eye('green')],
  [eye('green'), eye('blue')],
  [eye('green'), eye('grey')],
  [eye('blue'), eye('grey')],
])
export const BUILD_NEAR = nearTable(BUILDS.length, [
  [1, 2],
  [2, 3],
])

// ------------------------------------------------------------------------------------------- marks

export const MARK_KINDS = ['scar', 'tattoo', 'birthmark', 'mole', 'burn', 'piercing'] as const
/** Body parts, code = index + 1; the face's parts also count as the place "face" (a scar on the face, a scar on the cheek). */
export const BODY_PARTS = [
  'head', 'face', 'forehead', 'eye', 'cheek', 'nose', 'lip', 'chin', 'ear', 'neck', 'shoulder', 'arm', 'wrist', 'hand', 'chest', 'stomach', 'back', 'leg', 'foot',
] as const
const FACE_PARTS = new Set(['forehead', 'eye', 'cheek', 'nose', 'lip', 'chin'])

const KIND_WORDS: Record<string, (typeof MARK_KINDS)[number]> = {
  scar: 'scar', scars: 'scar', scarring: 'scar', scarred: 'scar',
  tattoo: 'tattoo', tattoos: 'tattoo', tattooed: 'tattoo',
  birthmark: 'birthmark', birthmarks: 'birthmark', 'birth mark': 'birthmark', 'port wine stain': 'birthmark',
  mole: 'mole', moles: 'mole',
  burn: 'burn', burns: 'burn', burnt: 'burn', burned: 'burn', 'burn mark': 'burn',
  piercing: 'piercing', piercings: 'piercing', pierced: 'piercing', earring: 'piercing', earrings: 'piercing', stud: 'piercing',
}
const PART_WORDS: Record<string, (typeof BODY_PARTS)[number]> = {
  head: 'head', scalp: 'head', face: 'face', forehead: 'forehead', temple: 'forehead',
  eye: 'eye', eyes: 'eye', eyebrow: 'eye', eyebrows: 'eye', brow: 'eye', eyelid: 'eye',
  cheek: 'cheek', cheeks: 'cheek', nose: 'nose', nostril: 'nose', lip: 'lip', lips: 'lip', mouth: 'lip', chin: 'chin', jaw: 'chin',
  ear: 'ear', ears: 'ear', earlobe: 'ear', neck: 'neck', throat: 'neck', shoulder: 'shoulder', shoulders: 'shoulder',
  arm: 'arm', arms: 'arm', forearm: 'arm', forearms: 'arm', elbow: 'arm', wrist: 'wrist', wrists: 'wrist',
  hand: 'hand', hands: 'hand', palm: 'hand', knuckle: 'hand', knuckles: 'hand', thumb: 'hand', finger: 'hand', fingers: 'hand',
  chest: 'chest', stomach: 'stomach', abdomen: 'stomach', belly: 'stomach', tummy: 'stomach', back: 'back',
  leg: 'leg', legs: 'leg', thigh: 'leg', shin: 'leg', calf: 'leg', knee: 'leg', foot: 'foot', feet: 'foot', ankle: 'foot', toe: 'foot',
}
const SIDE_WORDS: Record<string, number> = { left: 1, l: 1, lhs: 1, right: 2, r: 2, rhs: 2 }

/** A mark as one integer: kind << 8 | part << 2 | side (side 0 unknown, 1 left, 2 right; part 0 unknown). */
export const markCode = (kind: number, part: number, side: number): number => (kind << 8) | (part << 2) | side
export const markKind = (code: number): number => code >> 8
export const markPart = (code: number): number => (code >> 2) & 63
export const markSide = (code: number): number => code & 3
const FACE = BODY_PARTS.indexOf('face') + 1
/** Per part code, 1 for the face's parts. */
export const IN_FACE = Uint8Array.from([0, ...BODY_PARTS.map((part) => (FACE_PARTS.has(part) ? 1 : 0))])

/**
 * The marks of a description: split at ";", ",", "and", "also"; in each piece a kind (scar, tattoo, ...), a body
 * part and a side, the other words ignored ("small", "of a star", "above the"). A piece with a place but no
 * kind takes the kind before it ("scars on the face and left arm"); a piece with neither is ignored.
 */
export function parseMarks(text: string | null | undefined): number[] {
  // A copy: the caller may keep or change it.
  return [...rememberedMarks(text)]
}

const rememberedMarks = remembered(marksOf)

function marksOf(text: string): readonly number[] {
  if (!text) return []
  const marks: number[] = []
  let lastKind = 0
  for (const piece of text.split(/[;,./&\n]+|\b(?:and|also|plus)\b/i)) {
    const words = wordsOf(piece)
    let kind = 0
    let part = 0
    let side = 0
    for (let k = 0; k < words.length; k++) {
      const word = words[k] as string
      const pair = k + 1 < words.length ? `${word} ${words[k + 1]}` : ''
      const triple = k + 2 < words.length ? `${pair} ${words[k + 2]}` : ''
      const kindWord = KIND_WORDS[triple] ?? KIND_WORDS[pair] ?? KIND_WORDS[word]
      if (kindWord !== undefined && kind === 0) kind = MARK_KINDS.indexOf(kindWord) + 1
      const partWord = PART_WORDS[word]
      // The first part named is where the mark is ("a tattoo of a hand on the left arm" is rare; "scar on the left arm by the elbow" common).
      if (partWord !== undefined && part === 0) part = BODY_PARTS.indexOf(partWord) + 1
      const sideWord = SIDE_WORDS[word]
      if (sideWord !== undefined && side === 0) side = sideWord
    }
    if (kind === 0 && part === 0) continue
    if (kind === 0) {
      // A place alone: where the mark before it is ("burn scar, right hand"), or another mark of its kind.
      const last = marks.length - 1
      if (last >= 0 && markPart(marks[last] as number) === 0) {
        marks[last] = markCode(markKind(marks[last] as number), part, side)
        continue
      }
      kind = lastKind
    }
    if (kind === 0) continue
    lastKind = kind
    const code = markCode(kind, part, side)
    if (!marks.includes(code)) marks.push(code)
  }
  return marks
}

/** Whether two marks are at the same place: the same part (or the face and one of its parts), on sides that do not conflict. */
export function samePlace(x: number, y: number): boolean {
  const partX = markPart(x)
  const partY = markPart(y)
  if (partX === 0 || partY === 0) return false
  if (partX !== partY && !((partX === FACE && IN_FACE[partY] === 1) || (partY === FACE && IN_FACE[partX] === 1))) return false
  const sideX = markSide(x)
  const sideY = markSide(y)
  return sideX === 0 || sideY === 0 || sideX === sideY
}

/** The marks comparison's level for two lists of marks: 0 either has none, 1 a mark of the same kind at the same place, 2 the same kind only, 3 none shared. */
export function marksLevel(a: ArrayLike<number>, aFrom: number, aTo: number, b: ArrayLike<number>, bFrom: number, bTo: number): number {
  if (aFrom === aTo || bFrom === bTo) return 0
  let sameKind = false
  for (let i = aFrom; i < aTo; i++) {
    const x = a[i] as number
    for (let j = bFrom; j < bTo; j++) {
      const y = b[j] as number
      if (x >> 8 !== y >> 8) continue
      if (samePlace(x, y)) return 1
      sameKind = true
    }
  }
  return sameKind ? 2 : 3
}

/** The level of two codes of a colour or build: 0 either missing, 1 the same, 2 near, 3 different. */
export function wordLevel(x: number, y: number, near: Uint8Array, size: number): number {
  if (x === 0 || y === 0) return 0
  if (x === y) return 1
  return near[x * (size + 1) + y] === 1 ? 2 : 3
}

/** The height comparison's level: 0 either unknown, 1 within 5 cm, 2 within 10 cm, 3 further apart. */
export function heightLevel(x: number, y: number): number {
  if (x === 0 || y === 0) return 0
  const gap = x > y ? x - y : y - x
  return gap <= 5 ? 1 : gap <= 10 ? 2 : 3
}
