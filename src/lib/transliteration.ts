// Latin forms of names written in the scripts the register meets most: Arabic (with the Persian and Pashto
// letters, for Afghan names), Ge'ez (Tigrinya and Amharic) and Cyrillic. The aim is a key that compares well
// with how an officer would spell the name in Latin letters, not a scholarly romanisation: Arabic short vowels
// are not written, so محمد gives "mhmd", which the consonant skeleton of "Muhammad" matches.

const ARABIC: Record<string, string> = {
  'ا': 'a', 'أ': 'a', 'إ': 'i', 'آ': 'a', 'ٱ': 'a', 'ء': '', 'ئ': '', 'ؤ': 'u', 'ب': 'b', 'ت': 't', 'ث': 'th',
  'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'dh', 'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'sh', 'ص': 's',
  'ض': 'd', 'ط': 't', 'ظ': 'z', 'ع': '', 'غ': 'gh', 'ف': 'f', 'ق': 'q', 'ك': 'k', 'ل': 'l', 'م': 'm',
  'ن': 'n', 'ه': 'h', 'ة': 'a', 'و': 'w', 'ي': 'y', 'ى': 'a',
  // Persian, Urdu and Pashto letters
  'پ': 'p', 'چ': 'ch', 'ژ': 'zh', 'گ': 'g', 'ک': 'k', 'ی': 'y', 'ۍ': 'y', 'ې': 'e', 'ټ': 't', 'ډ': 'd',
  'ړ': 'r', 'ږ': 'zh', 'ښ': 'sh', 'ڼ': 'n', 'ځ': 'dz', 'څ': 'ts', 'ے': 'e', 'ہ': 'h', 'ھ': 'h',
  // Harakat, when written: fatha, damma, kasra; sukun and shadda add no letter (shadda doubling is folded away anyway)
  '\u064E': 'a', '\u064F': 'u', '\u0650': 'i', '\u0652': '', '\u0651': '', '\u064B': 'an', '\u064C': 'un', '\u064D': 'in',
  '\u0640': '', // tatweel
}

// Ge'ez: the block U+1200-U+137F is laid out in rows of eight, one consonant per row, the column giving the
// vowel (ä, u, i, a, e, ə, o, then wa). Tigrinya romanisations write ä as "e" (ተስፋይ -> Tesfay).
const GEEZ_CONSONANTS = [
  'h', 'l', 'h', 'm', 's', 'r', 's', 'sh', 'q', 'qu', 'q', 'qu', 'b', 'v', 't', 'ch', 'h', 'hu', 'n', 'ny', '', 'k', 'ku', 'kh',
  'khu', 'w', '', 'z', 'zh', 'y', 'd', 'd', 'j', 'g', 'gu', 'ng', 't', 'ch', 'p', 'ts', 'ts', 'f', 'p',
]
const GEEZ_VOWELS = ['e', 'u', 'i', 'a', 'e', '', 'o', 'wa']

const CYRILLIC: Record<string, string> = {
  'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'ґ': 'g', 'д': 'd', 'е': 'e', 'ё': 'yo', 'є': 'ye', 'ж': 'zh', 'з': 'z',
  'и': 'i', 'і': 'i', 'ї': 'yi', 'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r',
  'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch', 'ъ': '',
  'ы': 'y', 'ь': '', 'э': 'e', 'ю': 'yu', 'я': 'ya',
}

function geez(codePoint: number): string | null {
  if (codePoint < 0x1200 || codePoint > 0x135a) return null
  const offset = codePoint - 0x1200
  const consonant = GEEZ_CONSONANTS[offset >> 3]
  if (consonant === undefined) return ''
  const vowel = GEEZ_VOWELS[offset & 7] ?? ''
  // The glottal (አ) and pharyngeal (ዐ) rows carry only their vowel; a labialised row already ends in "u".
  if (consonant.endsWith('u') && vowel !== '' && consonant.length > 1) return consonant.slice(0, -1) + 'w' + vowel
  return consonant + vowel
}

const ARABIC_LETTER = /[\u0620-\u064A\u0671-\u06D3]/
const ARABIC_WEAK: Record<string, [string, string]> = { 'و': ['w', 'u'], 'ي': ['y', 'i'], 'ی': ['y', 'i'] }

/**
 * The Latin form of a name in any of the scripts above; other characters pass through unchanged.
 * Arabic waw and ya are consonants at the start of a word or next to a vowel, long vowels between
 * consonants (يوسف -> "yusf", علي -> "ali" less its unwritten first vowel: "li").
 */
export function transliterate(text: string): string {
  const chars = [...text]
  let out = ''
  let changed = false
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index] ?? ''
    const codePoint = char.codePointAt(0) ?? 0
    if (codePoint < 0x0400) {
      out += char
      continue
    }
    const atWordStart = index === 0 || /\s/.test(chars[index - 1] ?? ' ')
    // The article written onto a name (الصادق) is a word of its own, so it can be set aside like "Al-".
    if (char === 'ا' && chars[index + 1] === 'ل' && atWordStart && ARABIC_LETTER.test(chars[index + 3] ?? '')) {
      out += 'al '
      index++
      changed = true
      continue
    }
    // Ayin starting a word is heard as its vowel (علي, Ali; عمر, Omar).
    if (char === 'ع' && atWordStart) {
      out += 'a'
      changed = true
      continue
    }
    const weak = ARABIC_WEAK[char]
    if (weak) {
      const previous = chars[index - 1]
      const next = chars[index + 1]
      const afterLetter = previous !== undefined && ARABIC_LETTER.test(previous) && !'اآى'.includes(previous)
      const beforeVowelLetter = next !== undefined && 'اآى'.includes(next)
      out += afterLetter && !beforeVowelLetter ? weak[1] : weak[0]
      changed = true
      continue
    }
    const latin = ARABIC[char] ?? CYRILLIC[char.toLowerCase()] ?? geez(codePoint)
    if (latin === null || latin === undefined) {
      // The Ethiopic word separator and comma and the Arabic comma separate words.
      if (char === '፡' || char === '፣' || char === '،') {
        out += ' '
        changed = true
      } else out += char
      continue
    }
    changed = true
    out += latin
  }
  return changed ? out : text
}

/** The script a name is written in, by its letters (ISO 15924 codes as stored on person_name). */
export function scriptOf(text: string): 'Latn' | 'Arab' | 'Ethi' | 'Cyrl' {
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0
    if (codePoint >= 0x0600 && codePoint <= 0x06ff) return 'Arab'
    if (codePoint >= 0x1200 && codePoint <= 0x139f) return 'Ethi'
    if (codePoint >= 0x0400 && codePoint <= 0x04ff) return 'Cyrl'
  }
  return 'Latn'
}
