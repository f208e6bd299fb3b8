import { test } from 'node:test'
import assert from 'node:assert/strict'
import { localAuthorities, policeForces } from '../agencies/reference-data.ts'
import { CASE_ROLES, policeForceCodeOfAuthority, SUPERVISOR_ROLE } from './recipients.ts'

test('every local authority lies in a territorial police force area, and every territorial force has one', () => {
  const territorial = new Set(policeForces().filter((force) => force.code !== 'BTP').map((force) => force.code))
  const used = new Set<string>()
  for (const authority of localAuthorities()) {
    const force = policeForceCodeOfAuthority(authority.code)
    assert.ok(force && territorial.has(force), `${authority.code} ${authority.name} has no territorial force`)
    used.add(force)
  }
  assert.deepEqual([...territorial].filter((code) => !used.has(code)), [])
  assert.equal(policeForceCodeOfAuthority('E10000016'), 'E23000032') // Kent: Kent Police
  assert.equal(policeForceCodeOfAuthority('E08000003'), 'E23000005') // Manchester: Greater Manchester Police
  assert.equal(policeForceCodeOfAuthority('E09000001'), 'E23000034') // the City: City of London Police
  assert.equal(policeForceCodeOfAuthority('E09000033'), 'E23000001') // Westminster: the Met
  assert.equal(policeForceCodeOfAuthority('W06000015'), 'W15000003') // Cardiff: South Wales Police
  assert.equal(policeForceCodeOfAuthority('S12000033'), null)
})

test('each supervising role is one of the case roles of its kind of agency', () => {
  for (const [kind, role] of Object.entries(SUPERVISOR_ROLE)) assert.ok(CASE_ROLES[kind as keyof typeof CASE_ROLES].includes(role), kind)
  assert.deepEqual(CASE_ROLES.police_force, ['call_handler', 'police_officer', 'missing_person_coordinator'])
  assert.deepEqual(CASE_ROLES.local_authority, ['social_worker', 'missing_from_care_lead'])
})
