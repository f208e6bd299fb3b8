// NRM referrals from a documented CSV (README: "NRM referrals"), as a first responder or a competent
// authority keeps them: the referral, its reasonable- and conclusive-grounds decisions, and the person.
import type { Kysely } from 'kysely'
import type { Database, NewRow } from '../../../db/database.ts'
import { insertRows, updateRows, type Cell, type Columns } from '../bulk.ts'
import type { Actor } from '../../access/actor.ts'
import { can } from '../../access/roles.ts'
import { AGES_AT_EXPLOITATION, CONCLUSIVE_FINDINGS, DECISION_OUTCOMES, EXPLOITATION_LOCATIONS, EXPLOITATION_TYPES } from '../../trafficking/trafficking.schemas.ts'
import { recoveryPeriodDays } from '../../trafficking/trafficking.service.ts'
import { addDays, londonDateOf } from '../../../lib/dates.ts'
import { uuidv7 } from '../../../lib/ids.ts'
import { ForbiddenError } from '../../../lib/errors.ts'
import { LANTERN_RULE, type Issue } from '../report.ts'
import type { ImportResult } from '../import-run.service.ts'
import { importRecords, type RecordFormat, type RecordImportRequest } from '../record-import.ts'
import { PERSON_COLUMNS, readPersonDetails, loadPersonResolver, type PersonDetails } from '../person-records.ts'
import * as records from '../records.repository.ts'
import * as repo from './nrm.repository.ts'

export const NRM_COLUMNS = [
  { name: 'nrm_reference', required: true, description: "The referral's NRM reference: the key; loading the file again updates the referral" },
  { name: 'referred_on', required: true, description: 'Date of referral' },
  { name: 'first_responder', required: true, description: "The referring organisation's agency code in Lantern (a force, an authority, a first responder)" },
  { name: 'competent_authority', required: true, description: 'The competent authority\'s agency code (the SCA, the IECA, a pilot panel)' },
  { name: 'exploitation_types', required: true, description: `${EXPLOITATION_TYPES.join(', ')}; several separated by ;` },
  { name: 'county_lines', required: false, description: 'yes or no' },
  { name: 'exploitation_location', required: true, description: EXPLOITATION_LOCATIONS.join(', ') },
  { name: 'age_at_exploitation', required: true, description: AGES_AT_EXPLOITATION.join(', ') },
  { name: 'reasonable_grounds', required: false, description: 'positive or negative, blank while awaited' },
  { name: 'reasonable_grounds_on', required: false, description: 'Date of the reasonable-grounds decision' },
  { name: 'conclusive_grounds', required: false, description: 'positive or negative, blank while awaited' },
  { name: 'conclusive_grounds_on', required: false, description: 'Date of the conclusive-grounds decision' },
  { name: 'conclusive_finding', required: false, description: `With a positive conclusive decision: ${CONCLUSIVE_FINDINGS.join(', ')}` },
  ...PERSON_COLUMNS,
  { name: 'home_office_reference', required: false, description: 'Kept as an identifier of the person' },
  { name: 'notes', required: false, description: 'Free text, up to 4,000 characters' },
] as const

/** The referral columns a row gives. */
const REFERRAL_COLUMNS: Columns = {
  referring_agency_id: 'uuid', competent_authority_id: 'uuid', referred_on: 'date', nrm_reference: 'text', exploitation_types: 'text[]', county_lines: 'boolean',
  exploitation_location: 'text', age_at_exploitation: 'text', notes: 'text',
}

interface Decision {
  outcome: (typeof DECISION_OUTCOMES)[number]
  on: string
  finding: (typeof CONCLUSIVE_FINDINGS)[number] | null
}

export interface NrmRecord {
  reference: string
  referredOn: string
  firstResponder: string
  competentAuthority: string
  exploitationTypes: (typeof EXPLOITATION_TYPES)[number][]
  countyLines: boolean
  location: (typeof EXPLOITATION_LOCATIONS)[number]
  age: (typeof AGES_AT_EXPLOITATION)[number]
  reasonable: Decision | null
  conclusive: Decision | null
  person: PersonDetails
  homeOfficeReference: string | null
  notes: string | null
}

export function createNrmImportService(db: Kysely<Database>) {
  const format: RecordFormat<NrmRecord> = {
    format: 'nrm',
    columns: NRM_COLUMNS,
    keyColumn: 'nrm_reference',
    read(reader) {
      const before = reader.issues.length
      const reference = reader.text('nrm_reference', { required: true, max: 50 })
      const referredOn = reader.date('referred_on', { required: true })
      const firstResponder = reader.text('first_responder', { required: true, max: 50 })
      const competentAuthority = reader.text('competent_authority', { required: true, max: 50 })
      const exploitationTypes = reader.list('exploitation_types', EXPLOITATION_TYPES, { required: true })
      const countyLines = reader.flag('county_lines')
      const location = reader.oneOf('exploitation_location', EXPLOITATION_LOCATIONS, { required: true })
      const age = reader.oneOf('age_at_exploitation', AGES_AT_EXPLOITATION, { required: true })
      const rgOutcome = reader.oneOf('reasonable_grounds', DECISION_OUTCOMES)
      const rgOn = reader.date('reasonable_grounds_on', { required: rgOutcome !== null })
      const cgOutcome = reader.oneOf('conclusive_grounds', DECISION_OUTCOMES)
      const cgOn = reader.date('conclusive_grounds_on', { required: cgOutcome !== null })
      const finding = reader.oneOf('conclusive_finding', CONCLUSIVE_FINDINGS)
      const person = readPersonDetails(reader)
      const homeOfficeReference = reader.text('home_office_reference', { max: 50 })
      const notes = reader.text('notes', { max: 4000 })
      const today = londonDateOf(new Date())
      // The stages of DOMAIN-SOURCES.md §5.1, as the trafficking module applies them to one decision at a time.
      if (referredOn && referredOn > today) reader.problem('referred_on', 'The referral date is in the future')
      if (rgOn && !rgOutcome) reader.problem('reasonable_grounds', 'A reasonable-grounds date needs the decision (positive or negative)')
      if (cgOn && !cgOutcome) reader.problem('conclusive_grounds', 'A conclusive-grounds date needs the decision (positive or negative)')
      if (rgOn && referredOn && rgOn < referredOn) reader.problem('reasonable_grounds_on', `The decision is before the referral (${referredOn})`)
      if (cgOutcome && rgOutcome !== 'positive') reader.problem('conclusive_grounds', 'Conclusive grounds are decided only after a positive reasonable-grounds decision')
      if (cgOn && rgOn && rgOutcome === 'positive' && cgOn < addDays(rgOn, recoveryPeriodDays(rgOn))) {
        reader.problem('conclusive_grounds_on', `The recovery period runs until ${addDays(rgOn, recoveryPeriodDays(rgOn))}: conclusive grounds may not be decided before then`)
      }
      if (cgOutcome === 'positive' && !finding) reader.problem('conclusive_finding', 'A positive conclusive decision says whether it is human_trafficking or slavery_servitude_forced_labour', 'REQUIRED')
      if (finding && cgOutcome !== 'positive') reader.problem('conclusive_finding', 'Only a positive conclusive decision carries a finding')
      for (const [field, date] of [['reasonable_grounds_on', rgOn], ['conclusive_grounds_on', cgOn]] as const) if (date && date > today) reader.problem(field, 'The decision date is in the future')
      if (reader.issues.length > before || !reference || !referredOn || !firstResponder || !competentAuthority || !exploitationTypes || countyLines === null || !location || !age || !person) return null
      return {
        reference, referredOn, firstResponder, competentAuthority, exploitationTypes, countyLines, location, age,
        reasonable: rgOutcome && rgOn ? { outcome: rgOutcome, on: rgOn, finding: null } : null,
        conclusive: cgOutcome && cgOn ? { outcome: cgOutcome, on: cgOn, finding: finding ?? null } : null,
        person, homeOfficeReference, notes,
      }
    },
    async check(trx, actor, items) {
      const issues: Issue[] = []
      const codes = [...new Set(items.flatMap((item) => [item.record.firstResponder, item.record.competentAuthority]))]
      const agencies = new Map((await records.findAgenciesByCodes(trx, codes)).map((agency) => [agency.code, agency]))
      const referrals = await repo.findReferrals(trx, actor.agencyId, items.map((item) => item.record.reference))
      const decisionsOf = await repo.decisionsOf(trx, [...referrals.values()].map((row) => row.id))
      for (const { line, key, record } of items) {
        const problem = (field: string, message: string) => issues.push({ rule: LANTERN_RULE, message, table: 'referrals', line, field, key })
        const responder = agencies.get(record.firstResponder)
        const authority = agencies.get(record.competentAuthority)
        if (!responder || responder.kind === 'competent_authority') problem('first_responder', `${record.firstResponder} is not an agency Lantern knows as a first responder organisation`)
        if (!authority || authority.kind !== 'competent_authority' || !authority.active) problem('competent_authority', `${record.competentAuthority} is not an active competent authority in Lantern`)
        if (responder && authority && responder.id !== actor.agencyId && authority.id !== actor.agencyId) {
          problem('first_responder', 'Your agency is neither the first responder nor the competent authority of this referral: only they load it')
        }
        const existing = referrals.get(record.reference)
        if (existing) {
          const decisions = decisionsOf.get(existing.id) ?? []
          for (const [stage, wanted] of [['reasonable_grounds', record.reasonable], ['conclusive_grounds', record.conclusive]] as const) {
            const held = decisions.filter((decision) => decision.stage === stage).at(-1)
            if (held && (!wanted || held.outcome !== wanted.outcome || held.decided_on !== wanted.on)) {
              problem(stage, `Lantern holds a ${held.outcome} ${stage.replace('_', ' ')} decision of ${held.decided_on} for this referral, which the file ${wanted ? 'contradicts' : 'lacks'}: record a reconsideration in Lantern`)
            }
          }
        }
      }
      return issues
    },
    async writeAll(trx, actor, items, runId) {
      const codes = [...new Set(items.flatMap((item) => [item.record.firstResponder, item.record.competentAuthority]))]
      const agencies = new Map((await records.findAgenciesByCodes(trx, codes)).map((agency) => [agency.code, agency.id]))
      const referrals = await repo.findReferrals(trx, actor.agencyId, items.map((item) => item.record.reference))
      const decisionsOf = await repo.decisionsOf(trx, [...referrals.values()].map((row) => row.id))
      const matchOf = (record: NrmRecord) => ({
        format: 'nrm',
        sourceKey: record.reference,
        identifiers: [{ kind: 'nrm_reference', value: record.reference }, ...(record.homeOfficeReference ? [{ kind: 'home_office_reference', value: record.homeOfficeReference }] : [])],
        runId,
        personId: referrals.get(record.reference)?.person_id ?? null,
      })
      const people = await loadPersonResolver(trx, actor, 'nrm', items.map((item) => matchOf(item.record)))
      const inserts: Record<string, Cell>[] = []
      const updates: Record<string, Cell>[] = []
      const decisions: Record<string, Cell>[] = []
      const sources: NewRow<'interchange_source_record'>[] = []
      const results = items.map(({ record }) => {
        const existing = referrals.get(record.reference)
        const person = people.resolve(matchOf(record), record.person)
        const columns = {
          referring_agency_id: agencies.get(record.firstResponder) ?? '',
          competent_authority_id: agencies.get(record.competentAuthority) ?? '',
          referred_on: record.referredOn,
          nrm_reference: record.reference,
          exploitation_types: record.exploitationTypes,
          county_lines: record.countyLines,
          exploitation_location: record.location,
          age_at_exploitation: record.age,
          notes: record.notes,
        }
        let referralId: string
        let changed = person.changed
        if (existing) {
          referralId = existing.id
          const same = Object.entries(columns).every(([column, value]) => JSON.stringify(existing[column as keyof typeof existing]) === JSON.stringify(value))
          if (!same) {
            updates.push({ id: existing.id, ...columns })
            changed = true
          }
        } else {
          referralId = uuidv7()
          inserts.push({ id: referralId, person_id: person.personId, created_by_user_id: actor.userId, ...columns })
        }
        const held = decisionsOf.get(referralId) ?? []
        for (const [stage, decision] of [['reasonable_grounds', record.reasonable], ['conclusive_grounds', record.conclusive]] as const) {
          if (!decision || held.some((row) => row.stage === stage)) continue
          decisions.push({
            id: uuidv7(),
            referral_id: referralId,
            stage,
            outcome: decision.outcome,
            conclusive_finding: decision.finding,
            decided_on: decision.on,
            recovery_period_ends_on: stage === 'reasonable_grounds' && decision.outcome === 'positive' ? addDays(decision.on, recoveryPeriodDays(decision.on)) : null,
            reconsideration: false,
          })
          changed = true
        }
        sources.push({ agency_id: actor.agencyId, format: 'nrm', record_type: 'nrm_referral', source_key: record.reference, record_id: referralId, person_id: person.personId, import_run_id: runId })
        return { personId: person.personId, personCreated: person.created, changed, created: !existing }
      })
      await people.flush()
      await insertRows(trx, 'nrm_referral', { id: 'uuid', person_id: 'uuid', created_by_user_id: 'uuid', ...REFERRAL_COLUMNS }, inserts)
      await updateRows(trx, 'nrm_referral', REFERRAL_COLUMNS, updates, { versioned: true })
      await insertRows(
        trx,
        'nrm_decision',
        { id: 'uuid', referral_id: 'uuid', stage: 'text', outcome: 'text', conclusive_finding: 'text', decided_on: 'date', recovery_period_ends_on: 'date', reconsideration: 'boolean' },
        decisions,
      )
      await records.upsertSourceRecords(trx, sources)
      return results
    },
  }

  return {
    async importReferrals(actor: Actor, request: RecordImportRequest): Promise<ImportResult> {
      if (!can.workCases(actor) && !can.decideNrmReferrals(actor)) throw new ForbiddenError('Your role cannot import NRM referrals')
      return importRecords(db, actor, format, request)
    },
  }
}

export type NrmImportService = ReturnType<typeof createNrmImportService>
