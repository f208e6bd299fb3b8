// Name keys for matching and search. The linkage module builds richer keys (transliteration by script,
// name order, phonetic variants) on top of these.

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

/** The Latin form to match on: the transliteration when the name was written in another script. */
export function matchableForm(name: { text: string; transliteration: string | null }): string {
  return foldName(name.transliteration ?? name.text)
}
