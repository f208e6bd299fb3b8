// Name keys for matching and search. The linkage module builds richer keys (name order, variants, joined
// particles) on top of these.
import { transliterate } from './transliteration.ts'

export { transliterate, scriptOf } from './transliteration.ts'

/** Lower case, diacritics folded (Nguyễn -> nguyen), punctuation dropped, spaces collapsed. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[ıİ]/g, 'i')
    .replace(/[ßẞ]/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/**
 * The Latin form to match on: the transliteration when the name was written in another script, else the
 * name's own letters transliterated (Arabic, Ge'ez and Cyrillic become Latin; see transliteration.ts).
 */
export function matchableForm(name: { text: string; transliteration: string | null }): string {
  return foldName(name.transliteration ?? transliterate(name.text))
}

const SOUND_DIGRAPHS: [RegExp, string][] = [
  [/sch|tch|sh|ch/g, 'x'],
  [/zh|xh|dj|dzh|dz/g, 'j'],
  [/ph/g, 'f'],
  [/gh/g, 'g'],
  [/kh|ck|q|g/g, 'k'],
  [/th|dh/g, 't'],
  [/ts|tz/g, 's'],
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
]

/**
 * A sound key for one folded name token, made for names transliterated from many languages: vowels are
 * dropped (Arabic script does not write short vowels: محمد and Muhammad both give MHMT), consonants that
 * transliterations confuse share a letter (d/t, b/p, s/z, v/w, k/q/c/g: Sudanese Arabic says ق as g, so
 * Elsadig is Al-Sadiq; the "sh"/"ch" sounds), a final h is
 * silent (Fatimah, Fatima), and repeats collapse (Mohammed, Mohamed). The database's double metaphone key on
 * person_name serves SQL searches; this one serves the in-process linkage engine.
 */
export function nameSoundKey(token: string): string {
  let text = token
  for (const [pattern, replacement] of SOUND_DIGRAPHS) text = text.replace(pattern, replacement)
  let key = ''
  let previous = ''
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? ''
    let code: string
    switch (char) {
      case 'a': case 'e': case 'i': case 'o': case 'u':
        code = ''
        break
      case 'y':
        code = index === 0 ? 'Y' : ''
        break
      case 'h':
        code = index === text.length - 1 ? '' : 'H'
        break
      case 'd': case 't':
        code = 'T'
        break
      case 'b': case 'p':
        code = 'B'
        break
      case 's': case 'z':
        code = 'S'
        break
      case 'v': case 'w':
        code = 'V'
        break
      case 'x':
        code = 'X'
        break
      default:
        code = char.toUpperCase()
    }
    // A vowel between two equal consonants keeps them apart (Mamadou is M-M-T, not M-T).
    if (code === '') {
      if (char !== 'h') previous = ''
      continue
    }
    if (code !== previous) key += code
    previous = code
  }
  return key === '' ? token : key
}
