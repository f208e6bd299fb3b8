// How the linkage engine reads a name into tokens, on top of src/lib/names.ts (folding, transliteration,
// sound keys): the tokens of a name in any script, with Arabic particles and "Abd al-" compounds written
// one way, so "Abd al-Rahman", "Abdul Rahman" and "Abdulrahman" can meet.
import { matchableForm } from '../lib/names.ts'

// Particles that carry no identity on their own; dropped when the name has other tokens.
const PARTICLES = new Set(['al', 'el', 'ul', 'bin', 'ibn', 'bint', 'ben'])
const ABD_PREFIX = /^ab[dt](?:ul|el|al|ol|il|ur|ir|u|i|e)?(?=[a-z]{3,})/

/** The tokens of one name as written (any script, any case, with or without marks). */
export function nameTokens(text: string): string[] {
  const folded = matchableForm({ text, transliteration: null })
  if (folded === '') return []
  const raw = folded.split(' ')
  const tokens: string[] = []
  for (let index = 0; index < raw.length; index++) {
    let token = raw[index] ?? ''
    if (raw.length > 1 && PARTICLES.has(token)) continue
    // "abd" followed by a particle and a name: one compound token (abd al rahman -> abdrahman).
    if ((token === 'abd' || token === 'abdul' || token === 'abdel' || token === 'abdal') && index + 1 < raw.length) {
      let next = index + 1
      if (PARTICLES.has(raw[next] ?? '') && next + 1 < raw.length) next++
      token = `abd${raw[next] ?? ''}`
      index = next
    } else token = token.replace(ABD_PREFIX, 'abd')
    if (token !== '') tokens.push(token)
  }
  return tokens
}
