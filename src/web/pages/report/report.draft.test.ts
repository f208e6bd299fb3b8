import { test } from 'node:test'
import assert from 'node:assert/strict'
import { translator } from '../../i18n.ts'
import '../../messages.ts'
import './report.messages.ts'
import { decodeDraft, encodeDraft, prefillFromProfile, readLastSeen, readPerson, readRisk, withAnswers } from './report.draft.ts'
import type { ProtocolProfile } from '../../../modules/protocols/protocols.service.ts'

const t = translator('en')

test('a draft survives the page and a tampered one starts afresh', () => {
  const draft = { personId: null, profile: null, answers: { givenName: 'Ada', flags: ['unaccompanied'] } }
  assert.deepEqual(decodeDraft(encodeDraft(draft)), draft)
  assert.deepEqual(decodeDraft('not base64 json'), { personId: null, profile: null, answers: {} })
  assert.deepEqual(decodeDraft(Buffer.from(JSON.stringify({ answers: { x: 1, y: 'ok' } })).toString('base64url')).answers, { y: 'ok' })
})

test("a step's answers replace only that step's, including boxes unticked", () => {
  const before = { personId: null, profile: null, answers: { flags: ['unaccompanied'], lastSeenPlace: 'Dover' } }
  const after = withAnswers(before, 'person', { givenName: ' Ada ' })
  assert.deepEqual(after.answers, { givenName: 'Ada', lastSeenPlace: 'Dover' })
})

test('an age alone becomes an estimated date-of-birth range of one year', () => {
  const person = readPerson({ givenName: 'Ada', sex: 'female', age: '15' }, t, '2026-11-21')
  assert.deepEqual(person.value?.dateOfBirth, { earliest: '2010-11-22', latest: '2011-11-21', source: 'estimated' })
  const both = readPerson({ givenName: 'Ada', sex: 'female', age: '15', 'dob-day': '1', 'dob-month': '1', 'dob-year': '2011', dobSource: 'stated' }, t, '2026-11-21')
  assert.deepEqual(both.problems.errors.map((error) => error.field), ['age'])
})

test('last seen: a date and time in London (British Summer Time), never in the future', () => {
  const summer = readLastSeen({ 'lastSeen-day': '1', 'lastSeen-month': '7', 'lastSeen-year': '2026', 'lastSeen-time': '2:30pm', lastSeenPlace: 'Dover' }, t, new Date('2026-08-01T00:00:00Z'))
  assert.equal(summer.value?.startedAt, '2026-07-01T13:30:00.000Z')
  const future = readLastSeen({ 'lastSeen-day': '1', 'lastSeen-month': '7', 'lastSeen-year': '2026', 'lastSeen-time': '14:30', lastSeenPlace: 'Dover' }, t, new Date('2026-06-01T00:00:00Z'))
  assert.deepEqual(future.problems.errors.map((error) => error.message), ['When they were last seen must be in the past'])
})

test('police must grade the risk with a rationale; a local authority says M or A', () => {
  const police = readRisk({ q3: 'yes', 'q3-explanation': 'Aged 13' }, t, true, '2026-11-20T10:00:00.000Z', new Date('2026-11-21T10:00:00Z'))
  assert.deepEqual(police.problems.errors.map((error) => error.field), ['grade', 'rationale'])
  const graded = readRisk({ q3: 'yes', 'q3-explanation': 'Aged 13', grade: 'high', rationale: 'Young' }, t, true, '2026-11-20T10:00:00.000Z', new Date('2026-11-21T10:00:00Z'))
  const value = graded.value
  assert.ok(value && 'initialRisk' in value)
  assert.deepEqual(value.initialRisk.answers, { q3: { answer: 'yes', explanation: 'Aged 13' } })
  assert.deepEqual(readRisk({ laCategory: 'A' }, t, false, null).value, { laCategory: 'A' })
})

test('a Philomena profile fills the risk questions, vulnerabilities, source and circumstances', () => {
  const profile = {
    id: 'p', personId: 'x', protocol: 'philomena', ownerAgencyId: 'a', consentBasis: 'consent', lastReviewedOn: '2026-01-10', photoUpdatedOn: null,
    photoStale: true, reviewDue: true, version: 1, createdAt: new Date(), updatedAt: new Date(),
    vulnerabilities: ['cse', 'substance_misuse'],
    details: { previousMissingIncidents: 2, placesPreviouslyFound: [{ place: 'Folkestone harbour', foundOn: '2025-12-01' }], phones: [{ number: '07700 900123' }] },
    riskAssessedLocations: [{ address: '12 Sea Road', reason: 'Party house' }],
    associates: [],
  } as unknown as ProtocolProfile
  const answers = prefillFromProfile(profile, t)
  assert.deepEqual(answers.vulnerabilityFlags, ['cse', 'drugs'])
  assert.equal(answers.q21, 'yes')
  assert.equal(answers.q16, 'yes')
  assert.equal(answers.q7, 'yes')
  assert.equal(answers.q25, undefined)
  assert.equal(answers.informationSource, 'Philomena protocol profile (last reviewed 2026-01-10)')
  assert.match(String(answers.circumstances), /Places found before:\n- Folkestone harbour, 2025-12-01/)
  assert.match(String(answers.circumstances), /Risk-assessed locations:\n- 12 Sea Road; Party house/)
  assert.match(String(answers.circumstances), /07700 900123/)
})
