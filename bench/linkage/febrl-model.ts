// The comparisons and rules used on the FEBRL files: Lantern's name, date of birth and identifier
// comparisons, plus the address columns compared with Splink's own SQL (the way a Splink model would).
import { dateOfBirthComparison, familyNameComparison, givenNamesComparison, identifiersComparison, type ComparisonDefinition } from '../../src/linkage/comparisons.ts'
import { sqlComparison } from '../../src/linkage/splink.ts'

const nullLevel = (column: string) => ({ label: `${column} missing`, sql: `"${column}_l" IS NULL OR "${column}_r" IS NULL`, isNull: true })
const exact = (column: string, tf = false) => ({
  label: `Exact match on ${column}`,
  sql: `"${column}_l" = "${column}_r"`,
  ...(tf ? { tf: { column, weight: 1, minimumU: 0.00001 } } : {}),
})
const jaroWinkler = (column: string, threshold: number) => ({
  label: `Jaro-Winkler of ${column} >= ${threshold}`,
  sql: `jaro_winkler_similarity("${column}_l", "${column}_r") >= ${threshold}`,
})
const otherwise = { label: 'All other comparisons', sql: 'ELSE' }

export function febrlComparisons(): ComparisonDefinition[] {
  return [
    givenNamesComparison(),
    familyNameComparison(),
    dateOfBirthComparison(),
    identifiersComparison(),
    sqlComparison('street_number', 'street number', [nullLevel('street_number'), exact('street_number'), otherwise]),
    sqlComparison('address_1', 'first address line', [nullLevel('address_1'), exact('address_1', true), jaroWinkler('address_1', 0.9), jaroWinkler('address_1', 0.7), otherwise]),
    sqlComparison('suburb', 'suburb', [nullLevel('suburb'), exact('suburb', true), jaroWinkler('suburb', 0.9), otherwise]),
    sqlComparison('postcode', 'postcode', [
      nullLevel('postcode'),
      exact('postcode', true),
      { label: 'Postcodes one edit apart', sql: 'damerau_levenshtein("postcode_l", "postcode_r") <= 1' },
      otherwise,
    ]),
    sqlComparison('state', 'state', [nullLevel('state'), exact('state'), otherwise]),
  ]
}

export const FEBRL_PREDICTION_RULES = [
  'lantern: identifier',
  'lantern: name_sound_pair',
  'lantern: given_first & dob',
  'lantern: family & dob',
  'l.postcode = r.postcode AND l.street_number = r.street_number',
  'l.address_1 = r.address_1 AND l.suburb = r.suburb',
]
export const FEBRL_DETERMINISTIC_RULES = ['lantern: identifier', 'lantern: name_set & dob']
export const FEBRL_TRAINING_RULES = ['lantern: dob', 'lantern: name_sound_pair', 'l.postcode = r.postcode']
