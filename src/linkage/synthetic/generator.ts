// Synthetic records of children as the police, local authorities and the Home Office record them, with the
// variations that make identity resolution hard for this population: names in another order (Vietnamese),
// spelling variants of transliterated names (Mohammed, Muhammad), names written in Arabic or Ge'ez script,
// marks kept or dropped (Nguyễn, Çela), a father's name dropped or swapped for the grandfather's
// (Eritrean, Sudanese), nicknames (English), typing slips, and dates of birth that are a 1 January default,
// an assessed year, a disputed claim, or missing. A child who arrived alone is written down once by the Home
// Office (a name, an assessed date of birth, a reference) and most later records copy that rendering from the
// referral; the others are first contacts, written from what the child says (see LINEAGE). Every record
// carries the person it stands for (`person_id`) and the nationality group (`group`) as further columns, for
// measuring.
import { Random } from '../../lib/random.ts'
import { addDays } from '../../lib/dates.ts'
import type { PersonDescription, PersonRecord } from '../person-record.ts'
import { DESCRIPTION, describe, drawLooks, type TrueLooks } from './descriptions.ts'
import {
  AFGHAN,
  AFGHAN_TAIL,
  ALBANIAN,
  ALBANIAN_RARE,
  ALBANIAN_TAIL,
  ARABIC_TAIL,
  BRITISH,
  BRITISH_RARE,
  BRITISH_TAIL,
  ERITREAN,
  ERITREAN_TAIL,
  SUDANESE,
  SYRIAN,
  VIETNAMESE,
  VIETNAMESE_TAIL,
  withRareSurnames,
  type NameItem,
} from './names.ts'

export { DESCRIPTION } from './descriptions.ts'

export const GROUPS = ['GBR', 'ALB', 'VNM', 'ERI', 'SDN', 'AFG', 'SYR'] as const
export type Group = (typeof GROUPS)[number]

/** A mix of the groups: each group's weight (shares need not add up to anything). */
export type GroupMix = readonly (readonly [Group, number])[]

/** Shares of the groups among children referred as potential victims of trafficking (DOMAIN-SOURCES 6.3, rounded): the default. */
export const REFERRAL_MIX: GroupMix = [
  ['GBR', 45],
  ['ALB', 13],
  ['VNM', 12],
  ['ERI', 10],
  ['SDN', 8],
  ['AFG', 7],
  ['SYR', 5],
]

/**
 * The share of the arrived groups among everyone on a national register of missing people. About 170,000 people
 * go missing in a year (DOMAIN-SOURCES 6.2, 2021/22); about 1,000 of them are trafficked or unaccompanied
 * children (6.4: 246 trafficked and 729 unaccompanied children went missing in 2017), 0.6%. This takes five
 * times that, for adults and others who carry names of the same languages and so that the hard cases stay
 * frequent enough to measure.
 */
const ARRIVED_SHARE_OF_REGISTER = 0.03

/** The groups as a register of everyone missing holds them: the arrived groups 3% between them, in their referral shares. */
export const REGISTER_MIX: GroupMix = (() => {
  const arrived = REFERRAL_MIX.filter(([group]) => group !== 'GBR')
  const arrivedWeight = arrived.reduce((total, [, weight]) => total + weight, 0)
  return [['GBR', (arrivedWeight * (1 - ARRIVED_SHARE_OF_REGISTER)) / ARRIVED_SHARE_OF_REGISTER], ...arrived]
})()

// Each pool: the common names, then the long tail. British and Albanian surnames are spread over many rare
// names as they are in life (names.ts: withRareSurnames); without them Smith was 4.9% of British children
// and Hoxha 8.4% of Albanian ones, and two unrelated children shared a full name 20 to 30 times as often
// as they do (bench/linkage/README.md).
const POOLS = {
  GBR: {
    male: [...BRITISH.male, ...BRITISH_TAIL.male],
    female: [...BRITISH.female, ...BRITISH_TAIL.female],
    family: withRareSurnames([...BRITISH.family, ...BRITISH_TAIL.family], BRITISH_RARE.roots, BRITISH_RARE.ends, 0.7),
  },
  ALB: {
    male: [...ALBANIAN.male, ...ALBANIAN_TAIL.male],
    female: [...ALBANIAN.female, ...ALBANIAN_TAIL.female],
    family: withRareSurnames([...ALBANIAN.family, ...ALBANIAN_TAIL.family], ALBANIAN_RARE.roots, ALBANIAN_RARE.ends, 0.6),
  },
  VNM: {
    male: [...VIETNAMESE.male, ...VIETNAMESE_TAIL.male],
    female: [...VIETNAMESE.female, ...VIETNAMESE_TAIL.female],
    middleMale: [...VIETNAMESE.middleMale, ...VIETNAMESE_TAIL.middle],
    middleFemale: [...VIETNAMESE.middleFemale, ...VIETNAMESE_TAIL.middle],
  },
  ERI: {
    male: [...ERITREAN.male, ...ERITREAN_TAIL.male],
    female: [...ERITREAN.female, ...ERITREAN_TAIL.female],
    fathers: [...ERITREAN.fathers, ...ERITREAN_TAIL.fathers, ...ERITREAN.male, ...ERITREAN_TAIL.male],
  },
  SDN: { male: [...SUDANESE.male, ...ARABIC_TAIL.male], female: [...SUDANESE.female, ...ARABIC_TAIL.female] },
  AFG: { male: [...AFGHAN.male, ...AFGHAN_TAIL.male], female: [...AFGHAN.female, ...AFGHAN_TAIL.female], family: [...AFGHAN.family, ...AFGHAN_TAIL.family] },
  SYR: { male: [...SYRIAN.male, ...ARABIC_TAIL.male], female: [...SYRIAN.female, ...ARABIC_TAIL.female], family: [...SYRIAN.family, ...ARABIC_TAIL.family] },
}

interface TruePerson {
  id: string
  group: Group
  sex: 'M' | 'F'
  dateOfBirth: string
  /** Name parts by role; which the records use, and how, depends on the group. */
  given: NameItem[]
  family: NameItem[]
  father: NameItem | null
  grandfather: NameItem | null
  homeOfficeReference: string | null
  pncId: string | null
  /** For a child who arrived from abroad: how the Home Office wrote the child down, which the referral passes on. */
  official: OfficialRendering | null
  /** How the child looks (descriptions.ts); null when the run has no descriptions. */
  looks: TrueLooks | null
  /** An arrived child's profile: the description the screening recorded, which copies of the referral carry. */
  profile: PersonDescription | undefined
}

/** How one agency wrote a child's names into its given, family and other-names fields. */
interface NameRendering {
  given: string[]
  family: string[]
  other: string[]
  /** Written in the script of the child's language (no typing slips: copied from a document). */
  inScript: boolean
}

/** A date of birth as one source knew it: stated and documented, a 1 January default, an assessed range, a disputed claim, or none. */
interface DateOfBirthRendering {
  kind: 'exact' | 'default' | 'assessed' | 'disputed' | 'none'
  dateOfBirth: string | null
  dobEarliest: string | null
  dobLatest: string | null
}

/** The Home Office's rendering of an arrived child: names as screened, the assessed date(s) of birth. */
interface OfficialRendering {
  names: NameRendering
  /** One assessment, or two when the age was assessed again (records made after it carry the later one). */
  datesOfBirth: DateOfBirthRendering[]
}

export interface GeneratorOptions {
  persons: number
  seed?: number
  /** Records per person: the chance of each further record after the first. Default 0.5. */
  furtherRecordChance?: number
  maxRecordsPerPerson?: number
  /** The day ages are counted to (children are 10 to 17 on it). */
  today?: string
  /** Who the persons are: REFERRAL_MIX (the default) or REGISTER_MIX. */
  mix?: GroupMix
  /** Whether records carry a description (height, build, hair, eyes, marks). Default true; false gives the records as before descriptions. */
  descriptions?: boolean
}

/** The description stream's seed: its own, so the names and dates of a seed are those drawn before descriptions existed. */
const DESCRIPTION_SEED = 0x0de5c71b

/** Who describes the child in a record, and how (DESCRIPTION): a first contact sees the child; a copy of the referral carries the screening's profile; a British child's records each describe the child on their own. */
function recordDescription(describer: Random, person: TruePerson, copied: boolean, source: string, firstContact: boolean, today: string): PersonDescription | undefined {
  const looks = person.looks
  if (looks === null) return undefined
  const share = DESCRIPTION.describedBy
  const officer = firstContact || (!copied && person.official !== null)
  const chance = officer ? share.firstContact : source === 'police' ? share.police : source === 'home_office' ? share.homeOffice : share.council
  if (!describer.chance(chance)) return undefined
  if (copied) return person.profile === undefined ? undefined : { ...person.profile }
  // A record was written some time before today (an encounter is today): the child has grown since.
  const age = ageInYears(person.dateOfBirth, today) - (firstContact ? 0 : describer.next() * DESCRIPTION.recordAgeYears)
  return describe(describer, looks, age, officer)
}

const ageInYears = (dateOfBirth: string, today: string): number => (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dateOfBirth}T00:00:00Z`)) / (365.25 * 86_400_000)

function pickWeighted(random: Random, items: NameItem[]): NameItem {
  return random.weighted(items.map((entry) => [entry, entry.weight ?? 1] as const))
}

function pickOther(random: Random, items: NameItem[], not: NameItem | null): NameItem {
  for (let attempt = 0; attempt < 10; attempt++) {
    const chosen = pickWeighted(random, items)
    if (chosen !== not) return chosen
  }
  return pickWeighted(random, items)
}

function newPerson(random: Random, id: string, today: string, mix: GroupMix): TruePerson {
  const group = random.weighted(mix)
  // Referred children are mostly boys (about 78%, DOMAIN-SOURCES 6.3); British children less so.
  const sex: 'M' | 'F' = random.chance(group === 'GBR' ? 0.6 : 0.8) ? 'M' : 'F'
  const ageDays = random.int(10 * 365, 18 * 365 - 1)
  const dateOfBirth = addDays(today, -ageDays)
  const male = sex === 'M'
  let given: NameItem[] = []
  let family: NameItem[] = []
  let father: NameItem | null = null
  let grandfather: NameItem | null = null
  switch (group) {
    case 'GBR': {
      const pool = male ? POOLS.GBR.male : POOLS.GBR.female
      const first = pickWeighted(random, pool)
      given = random.chance(0.45) ? [first, pickOther(random, pool, first)] : [first]
      family = random.chance(0.05) ? [pickWeighted(random, POOLS.GBR.family), pickWeighted(random, POOLS.GBR.family)] : [pickWeighted(random, POOLS.GBR.family)]
      break
    }
    case 'ALB':
      given = [pickWeighted(random, male ? POOLS.ALB.male : POOLS.ALB.female)]
      family = [pickWeighted(random, POOLS.ALB.family)]
      break
    case 'VNM':
      family = [pickWeighted(random, VIETNAMESE.family)]
      given = [pickWeighted(random, male ? POOLS.VNM.middleMale : POOLS.VNM.middleFemale), pickWeighted(random, male ? POOLS.VNM.male : POOLS.VNM.female)]
      break
    case 'ERI':
      given = [pickWeighted(random, male ? POOLS.ERI.male : POOLS.ERI.female)]
      father = pickWeighted(random, POOLS.ERI.fathers)
      grandfather = pickOther(random, POOLS.ERI.fathers, father)
      break
    case 'SDN':
      given = [pickWeighted(random, male ? POOLS.SDN.male : POOLS.SDN.female)]
      father = pickWeighted(random, POOLS.SDN.male)
      grandfather = pickOther(random, POOLS.SDN.male, father)
      break
    case 'AFG': {
      const first = pickWeighted(random, male ? POOLS.AFG.male : POOLS.AFG.female)
      // Many Afghan boys carry "Mohammad" before the name they use.
      given = male && random.chance(0.3) && first.spellings[0] !== 'Mohammad' ? [AFGHAN.male[0] as NameItem, first] : [first]
      family = [pickWeighted(random, POOLS.AFG.family)]
      father = pickWeighted(random, POOLS.AFG.male)
      break
    }
    case 'SYR':
      given = [pickWeighted(random, male ? POOLS.SYR.male : POOLS.SYR.female)]
      family = [pickWeighted(random, POOLS.SYR.family)]
      break
  }
  return {
    id,
    group,
    sex,
    dateOfBirth,
    given,
    family,
    father,
    grandfather,
    homeOfficeReference: group === 'GBR' ? null : `HO${String(random.int(1_000_000, 9_999_999))}`,
    pncId: random.chance(0.3) ? `${random.int(10, 26)}/${random.int(100000, 999999)}${String.fromCharCode(65 + random.int(0, 25))}` : null,
    official: null,
    looks: null,
    profile: undefined,
  }
}

const KEYBOARD = 'abcdefghijklmnopqrstuvwxyz'

/** One typing slip: a letter dropped, doubled, swapped with its neighbour, or replaced. */
function typo(random: Random, text: string): string {
  if (text.length < 3) return text
  const position = random.int(1, text.length - 2)
  switch (random.int(0, 3)) {
    case 0:
      return text.slice(0, position) + text.slice(position + 1)
    case 1:
      return text.slice(0, position) + text[position] + text.slice(position)
    case 2:
      return text.slice(0, position) + (text[position + 1] ?? '') + (text[position] ?? '') + text.slice(position + 2)
    default:
      return text.slice(0, position) + random.pick([...KEYBOARD]) + text.slice(position + 1)
  }
}

/** How one record writes one name: a spelling, sometimes the script form, sometimes a slip. */
function spell(random: Random, name: NameItem, options: { variantChance: number; scriptChance: number; typoChance: number }): string {
  if (name.script && random.chance(options.scriptChance)) return name.script
  let text = name.spellings[0] as string
  if (name.spellings.length > 1 && random.chance(options.variantChance)) text = random.pick(name.spellings.slice(1))
  if (random.chance(options.typoChance)) text = typo(random, text)
  return text
}

const foldMarks = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd')

/** A slip in a typed date of birth; one that makes no sense for a child (after today, or 25 years or more ago) is refused on entry, as a case system's validation would, so the date stays as it was. */
function dateTypo(random: Random, date: string, today: string): string {
  const [year, month, day] = date.split('-') as [string, string, string]
  if (Number(day) <= 12 && random.chance(0.5)) return `${year}-${day}-${month}`
  const digits = [...`${year}${month}${day}`]
  const position = random.int(2, 7)
  digits[position] = String((Number(digits[position]) + random.int(1, 8)) % 10)
  const text = digits.join('')
  const candidate = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  if (Number.isNaN(Date.parse(`${candidate}T00:00:00Z`)) || new Date(`${candidate}T00:00:00Z`).toISOString().slice(0, 10) !== candidate) return date
  return candidate > today || Number(candidate.slice(0, 4)) <= Number(today.slice(0, 4)) - 25 ? date : candidate
}

const SOURCES = ['police', 'local_authority', 'home_office']

/**
 * How a date of birth is known to whoever writes it down. A British child has a birth certificate and school
 * records; a child who arrived alone often has no document: a date they state (often disputed: younger by one to
 * three years), an age assessment (a year or two), or the 1 January default of an assessed year.
 */
export const DOB_MIX = {
  british: { exact: 0.97, default: 0.01, assessed: 0.005, disputed: 0.005 },
  arrived: { exact: 0.4, default: 0.25, assessed: 0.2, disputed: 0.1 },
}

/**
 * Where an arrived child's records come from (docs/adr/0013, amended). The Home Office screens the child, gives a
 * reference and an assessed date of birth (often the 1 January default of the assessed year); the referral
 * carries them to the council that looks after the child (its SSDA903 return holds that date), the care
 * provider's Philomena form carries them to the police when the child goes missing, and NRM referrals go back
 * to the Home Office as competent authority (DOMAIN-SOURCES 2.2, 3.2, 5.1). So most records copy one rendering;
 * the others are first contacts written from what the child says (a police officer meeting the child in the
 * street or at a port, before or without the referral), each rendered on its own as every record was before.
 *
 * The shares are assumptions: no published figure says how often an agency's record of an arrived child is made
 * from the referral. They are chosen so that each record taken alone is as likely as before to carry a
 * reference (0.7 x (2/3 + 1/3 x 0.25) + 0.3 x 0.25 = 0.6) and has the same chances of each kind of date of
 * birth and each variation of the names: only the dependence between one child's records is new.
 */
export const LINEAGE = {
  /** An arrived child's record is made from the referral this often; otherwise it is a first contact (assumed). */
  copiedFromReferral: 0.7,
  /**
   * A copy made by the police carries the Home Office reference this often (assumed: a missing report has no field
   * for it). The Home Office's own record and the council's (which claims the child's costs from the Home Office
   * under it) always carry it: whether a record carries it depends on who wrote it (before, every record had
   * its own 60% chance).
   */
  referenceOnPoliceCopy: 0.25,
  /** A first contact carries it this often: none exists before screening; later the child may show a card or say it (assumed). */
  referenceAtFirstContact: 0.25,
  /**
   * The age is assessed a second time this often (the council disputing the Home Office's initial decision:
   * "often age-disputed", DOMAIN.md; the share is assumed); each copy then carries one of the two dates, as
   * records made before and after the second assessment would.
   */
  reassessed: 0.25,
}

/** A child who arrived from abroad has a Home Office reference; each record carries it this often, taken alone (LINEAGE). */
export const HOME_OFFICE_REFERENCE_SHARE =
  LINEAGE.copiedFromReferral * ((SOURCES.length - 1 + LINEAGE.referenceOnPoliceCopy) / SOURCES.length) + (1 - LINEAGE.copiedFromReferral) * LINEAGE.referenceAtFirstContact

/** A typed name slips this often (per name, per record: each copy is typed again). */
const NAME_TYPO_CHANCE = 0.04
/** A typed exact date of birth slips this often (per record). */
const DATE_TYPO_CHANCE = 0.03

/** How one agency writes the child's names: each a spelling, sometimes the script form, sometimes a slip (`typoChance`). */
function renderNames(random: Random, person: TruePerson, typoChance: number): NameRendering {
  const foreign = person.group !== 'GBR'
  // Some records write every name in the script of the child's language (an interpreter's note, a document).
  const inScript = (person.group === 'ERI' || person.group === 'SDN' || person.group === 'AFG' || person.group === 'SYR') && random.chance(0.08)
  const spelling = { variantChance: foreign ? 0.35 : 0.12, scriptChance: inScript ? 1 : 0, typoChance: inScript ? 0 : typoChance }
  const written = (name: NameItem) => spell(random, name, spelling)
  let given: string[] = []
  let family: string[] = []
  const other: string[] = []
  switch (person.group) {
    case 'GBR': {
      const first = person.given[0] as NameItem
      // A short form (Bill for William) is a variant spelling of the pool's item.
      given = [written(first)]
      if (person.given[1] && random.chance(0.5)) given.push(written(person.given[1]))
      family = person.family.length > 1 && random.chance(0.5) ? [written(person.family[0] as NameItem)] : person.family.map(written)
      if (family.length === 2) family = [family.join('-')]
      break
    }
    case 'ALB': {
      given = person.given.map(written)
      const item = person.family[0] as NameItem
      // Albanian letters: Çela with its cedilla, or Cela, or Chela.
      family = [item.script && random.chance(0.3) ? item.script : written(item)]
      break
    }
    case 'VNM': {
      const familyName = person.family[0] as NameItem
      const middle = person.given[0] as NameItem
      const personal = person.given[1] as NameItem
      const marks = random.chance(0.25)
      const v = (name: NameItem) => (marks ? (name.script ?? written(name)) : foldMarks(written(name)))
      const order = random.next()
      if (order < 0.45) {
        given = [v(middle), v(personal)]
        family = [v(familyName)]
      } else if (order < 0.65) {
        given = [v(personal)]
        family = [v(familyName)]
        if (random.chance(0.5)) other.push(`${v(familyName)} ${v(middle)} ${v(personal)}`)
      } else if (order < 0.9) {
        // Written in Vietnamese order into the English fields: family name first.
        given = [v(familyName), v(middle)]
        family = [v(personal)]
      } else {
        given = [v(personal)]
        family = [v(familyName), v(middle)]
      }
      break
    }
    case 'ERI':
    case 'SDN': {
      const own = person.given[0] as NameItem
      const father = person.father as NameItem
      const grandfather = person.grandfather as NameItem
      const form = random.next()
      if (form < 0.6) {
        given = [written(own)]
        family = [written(father)]
      } else if (form < 0.75) {
        // The father's name dropped; the grandfather's recorded as the family name.
        given = [written(own)]
        family = [written(grandfather)]
      } else if (form < 0.92) {
        given = [written(own), written(father)]
        family = [written(grandfather)]
      } else {
        given = [written(own)]
        family = [written(father), written(grandfather)]
      }
      break
    }
    case 'AFG': {
      const names = person.given.length > 1 && random.chance(0.35) ? [person.given[1] as NameItem] : person.given
      given = names.map(written)
      const form = random.next()
      if (form < 0.6) family = [written(person.family[0] as NameItem)]
      else if (form < 0.8) family = [written(person.father as NameItem)]
      else family = []
      break
    }
    case 'SYR':
      given = person.given.map(written)
      family = person.family.map(written)
      break
  }
  return { given, family, other, inScript }
}

/** A copy of another agency's names, typed again: each name may slip, as any typed name may. */
function retypeNames(random: Random, names: NameRendering): NameRendering {
  const retype = (text: string) => (!names.inScript && random.chance(NAME_TYPO_CHANCE) ? typo(random, text) : text)
  return { given: names.given.map(retype), family: names.family.map(retype), other: names.other.map((alias) => alias.split(' ').map(retype).join(' ')), inScript: names.inScript }
}

/** How a date of birth is known: stated and documented (exact), a 1 January default, an assessed range, a disputed claim, or none. */
function renderDateOfBirth(random: Random, person: TruePerson, today: string): DateOfBirthRendering {
  const mix = person.group === 'GBR' ? DOB_MIX.british : DOB_MIX.arrived
  const roll = random.next()
  const year = Number(person.dateOfBirth.slice(0, 4))
  if (roll < mix.exact) return { kind: 'exact', dateOfBirth: person.dateOfBirth, dobEarliest: null, dobLatest: null }
  if (roll < mix.exact + mix.default) return { kind: 'default', dateOfBirth: `${year + random.int(-1, 1)}-01-01`, dobEarliest: null, dobLatest: null }
  if (roll < mix.exact + mix.default + mix.assessed) {
    // An age assessment: a year, or a two-year span, around the true year.
    const from = year + random.int(-1, 0)
    const to = random.chance(0.5) ? from : from + 1
    const latest = `${to}-12-31`
    return { kind: 'assessed', dateOfBirth: null, dobEarliest: `${from}-01-01`, dobLatest: latest > today ? today : latest }
  }
  if (roll < mix.exact + mix.default + mix.assessed + mix.disputed) {
    // A claimed date: younger by one to three years.
    const claimed = addDays(person.dateOfBirth, random.int(365, 3 * 365))
    return { kind: 'disputed', dateOfBirth: claimed > today ? person.dateOfBirth : claimed, dobEarliest: null, dobLatest: null }
  }
  return { kind: 'none', dateOfBirth: null, dobEarliest: null, dobLatest: null }
}

/** A date of birth as typed into one record: an exact date may slip; a default or a range is picked, not typed. */
function typeDateOfBirth(random: Random, known: DateOfBirthRendering, today: string): DateOfBirthRendering {
  if (known.kind !== 'exact' || known.dateOfBirth === null || !random.chance(DATE_TYPO_CHANCE)) return known
  return { ...known, dateOfBirth: dateTypo(random, known.dateOfBirth, today) }
}

/** The Home Office's rendering of a child who arrived from abroad, made once when the child is screened. */
function officialRendering(random: Random, person: TruePerson, today: string): OfficialRendering {
  // Names as screened; slips come when each record types them (retypeNames).
  const names = renderNames(random, person, 0)
  const datesOfBirth = [renderDateOfBirth(random, person, today)]
  if (random.chance(LINEAGE.reassessed)) datesOfBirth.push(renderDateOfBirth(random, person, today))
  return { names, datesOfBirth }
}

/**
 * One agency's record of a child. A British child's records, and an arrived child's first contacts (`firstContact`
 * forces one: an officer meeting the child), are each rendered on their own; an arrived child's other records copy
 * the Home Office's rendering from the referral (LINEAGE).
 */
function renderRecord(random: Random, describer: Random | null, person: TruePerson, recordId: string, today: string, firstContact = false): PersonRecord {
  const official = person.official
  const copied = official !== null && !firstContact && random.chance(LINEAGE.copiedFromReferral)
  let names: NameRendering
  let known: DateOfBirthRendering
  let source: string
  let referenceChance: number
  if (copied) {
    names = retypeNames(random, official.names)
    known = random.pick(official.datesOfBirth)
    source = random.pick(SOURCES)
    referenceChance = source === 'police' ? LINEAGE.referenceOnPoliceCopy : 1
  } else {
    names = renderNames(random, person, NAME_TYPO_CHANCE)
    known = renderDateOfBirth(random, person, today)
    source = firstContact || official !== null ? 'police' : random.pick(SOURCES)
    referenceChance = LINEAGE.referenceAtFirstContact
  }
  const { dateOfBirth, dobEarliest, dobLatest } = typeDateOfBirth(random, known, today)

  const identifiers: { type: string; value: string }[] = []
  if (person.homeOfficeReference && random.chance(referenceChance)) identifiers.push({ type: 'home_office_reference', value: random.chance(0.02) ? typo(random, person.homeOfficeReference) : person.homeOfficeReference })
  if (person.pncId && random.chance(0.3)) identifiers.push({ type: 'pnc_id', value: person.pncId })

  const record: PersonRecord = {
    recordId,
    source,
    givenNames: names.given.join(' '),
    familyName: names.family.join(' '),
    otherNames: names.other,
    dateOfBirth,
    dobEarliest: dateOfBirth ?? dobEarliest,
    dobLatest: dateOfBirth ?? dobLatest,
    sex: random.chance(0.03) ? 'U' : person.sex,
    nationality: random.chance(0.1) ? null : person.group,
    identifiers,
    extra: { person_id: person.id, group: person.group },
  }
  // From the description stream only, after the record's other draws (so they are as before).
  const description = describer ? recordDescription(describer, person, copied, source, firstContact, today) : undefined
  if (description) record.description = description
  return record
}

export interface Generated {
  records: PersonRecord[]
  persons: number
}

/** Each person in turn with their records, from one seeded stream (the same options give the same persons and records). */
function* personsWithRecords(random: Random, describer: Random | null, options: GeneratorOptions, recordId: (k: number) => string): Generator<{ person: TruePerson; records: PersonRecord[] }> {
  const today = options.today ?? '2026-11-21'
  const further = options.furtherRecordChance ?? 0.5
  const maxRecords = options.maxRecordsPerPerson ?? 4
  for (let p = 0; p < options.persons; p++) {
    const person = newPerson(random, `p${p + 1}`, today, options.mix ?? REFERRAL_MIX)
    if (person.group !== 'GBR') person.official = officialRendering(random, person, today)
    if (describer) {
      person.looks = drawLooks(describer, person.group, person.sex)
      // The screening's profile, written once some time before today.
      if (person.official) person.profile = describe(describer, person.looks, ageInYears(person.dateOfBirth, today) - describer.next() * DESCRIPTION.recordAgeYears, false)
    }
    let count = 1
    while (count < maxRecords && random.chance(further)) count++
    const records: PersonRecord[] = []
    for (let k = 0; k < count; k++) records.push(renderRecord(random, describer, person, recordId(k), today))
    yield { person, records }
  }
}

/** Persons and their records (each person one or more records, from different agencies). */
export function generateRecords(options: GeneratorOptions): Generated {
  const random = new Random(options.seed ?? 20261121)
  const describer = options.descriptions === false ? null : new Random((options.seed ?? 20261121) ^ DESCRIPTION_SEED)
  const records: PersonRecord[] = []
  for (const { records: own } of personsWithRecords(random, describer, options, (k) => `r${records.length + k + 1}`)) records.push(...own)
  // Shuffle, so a file's order says nothing about who is who.
  for (let i = records.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    const swap = records[i] as PersonRecord
    records[i] = records[j] as PersonRecord
    records[j] = swap
  }
  return { records, persons: options.persons }
}

/** One new record of each chosen person, as an officer would write it on meeting them (a first contact): for search queries. */
export function generateEncounters(options: GeneratorOptions & { corpus: PersonRecord[]; queries: number; queryGroups?: readonly Group[] }): PersonRecord[] {
  // Re-create the persons from the same seed, then render a further record for a sample of them.
  const random = new Random(options.seed ?? 20261121)
  const today = options.today ?? '2026-11-21'
  const persons: TruePerson[] = []
  const describer = options.descriptions === false ? null : new Random((options.seed ?? 20261121) ^ DESCRIPTION_SEED)
  for (const { person } of personsWithRecords(random, describer, options, () => 'x')) persons.push(person)
  const inCorpus = new Set(options.corpus.map((record) => record.extra.person_id))
  const candidates = persons.filter((person) => inCorpus.has(person.id) && (options.queryGroups?.includes(person.group) ?? true))
  const pick = new Random((options.seed ?? 20261121) + 7)
  const queryDescriber = describer === null ? null : new Random(((options.seed ?? 20261121) + 7) ^ DESCRIPTION_SEED)
  const queries: PersonRecord[] = []
  for (let q = 0; q < options.queries && candidates.length > 0; q++) {
    const person = candidates[pick.int(0, candidates.length - 1)] as TruePerson
    queries.push(renderRecord(pick, queryDescriber, person, `q${q + 1}`, today, true))
  }
  return queries
}
